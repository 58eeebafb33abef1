#!/usr/bin/env python3
"""SQLAlchemy models of the shared N-table schema, for Alembic's side of bench.py.

usage: gen_sqlalchemy_models.py N {postgresql|sqlite|mysql}

Prints a module defining `metadata`: the tables of schema_spec.build(N) as gen_schema.py
writes them for the dialect, declared so that Alembic's autogenerate finds no difference against
that DDL (the same zero-difference rule the Rust models follow).
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("RETORT_SHARED_BENCH", ROOT.parent / "shared" / "bench"))
sys.path.insert(0, str(SHARED))

from schema_spec import build  # noqa: E402


def column_type(kind, length, dialect):
    if kind == "pk":
        return "sa.BigInteger()" if dialect != "sqlite" else "sa.Integer()"
    if kind == "varchar":
        return f"sa.String({length})"
    if kind == "json":
        return "JSONB()" if dialect == "postgresql" else "sa.JSON()"
    return {
        "text": "sa.Text()", "int": "sa.Integer()", "bigint": "sa.BigInteger()",
        "numeric": "sa.Numeric(10, 2)", "bool": "sa.Boolean()", "timestamp": "sa.DateTime()",
        "date": "sa.Date()",
    }[kind]


def server_default(default, dialect):
    if default is None:
        return None
    if default == "now":
        return "sa.text('now()')" if dialect == "postgresql" else "sa.text('CURRENT_TIMESTAMP')"
    if default == "true":
        return "sa.text('true')" if dialect == "postgresql" else "sa.text('1')"
    return {"zero": "sa.text('0')", "x": "sa.text(\"'x'\")"}[default]


def models(tables, dialect):
    out = ["import sqlalchemy as sa"]
    if dialect == "postgresql":
        out.append("from sqlalchemy.dialects.postgresql import JSONB")
    out += ["", "metadata = sa.MetaData()", ""]
    comments = dialect != "sqlite"
    for t in tables:
        args = [repr(t["name"]), "metadata"]
        fks = {col: (ref, ondelete) for _, col, ref, ondelete in t["fks"]}
        fk_names = {col: name for name, col, _, _ in t["fks"]}
        for c in t["cols"]:
            parts = [repr(c["name"]), column_type(c["kind"], c["length"], dialect)]
            if c["name"] in fks:
                ref, ondelete = fks[c["name"]]
                parts.append(f"sa.ForeignKey({ref + '.id'!r}, name={fk_names[c['name']]!r}, "
                             f"ondelete={ondelete!r})")
            if c["kind"] == "pk":
                if dialect == "postgresql":
                    parts.append("sa.Identity(always=False)")
                parts.append("primary_key=True")
                if dialect != "postgresql":
                    parts.append("autoincrement=True")
            else:
                parts.append(f"nullable={c['nullable']}")
            default = server_default(c["default"], dialect)
            if default:
                parts.append(f"server_default={default}")
            if comments and c["comment"]:
                parts.append(f"comment={c['comment']!r}")
            args.append(f"sa.Column({', '.join(parts)})")
        for name, cols in t["uniques"]:
            args.append(f"sa.UniqueConstraint({', '.join(map(repr, cols))}, name={name!r})")
        for name, cols in t["indexes"]:
            args.append(f"sa.Index({name!r}, {', '.join(map(repr, cols))})")
        name, _, expr = t["check"]
        args.append(f"sa.CheckConstraint({expr!r}, name={name!r})")
        if comments:
            args.append(f"comment={t['comment']!r}")
        out.append("sa.Table(" + ", ".join(args) + ")")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    n, dialect = int(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "postgresql")
    sys.stdout.write(models(build(n), dialect))
