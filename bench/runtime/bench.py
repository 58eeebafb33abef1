#!/usr/bin/env python3
"""Runtime benchmark: reflection, compare, render, `check`, `revision --autogenerate`,
`upgrade head --sql` and `upgrade head` on the N-table schema, per backend, each against a floor
measured in the same run.

usage: bench/runtime/bench.py [--n 1000] [--runs 3] [--backends sqlite,postgresql,mysql]
                              [--alembic]

For each backend and N it builds a project under target/bench-runtime/ (`cargo migrate init`
with the checkout as retort, models from gen_rust_models.py), then measures, each the median of
RUNS whole processes:

  floor-ddl     the DDL of gen_schema.py applied to an empty database by the database's own
                client (psql -f, mariadb <, sqlite3)
  check         `cargo migrate check` on that database (must report no difference)
  runner-check  the same through the built runner binary, without cargo, with RETORT_TIMINGS=1:
                its phases give reflect (with its statement count and the time spent in the
                driver, the floor: the bulk catalog read with the same driver) and compare
  revision      `cargo migrate revision --autogenerate` on an empty database; its render phase
  upgrade-sql   `cargo migrate upgrade head --sql` of that initial revision
  upgrade       `cargo migrate upgrade head` on an empty database

and peak RSS (the process tree's largest maxrss) for each. Output: one line per figure with its
ratio to its floor, and to Alembic's figure from the shared bench README where there is one.

With --alembic, Alembic itself runs in the same run, interleaved with retort: `alembic check`,
`alembic revision --autogenerate`, `alembic upgrade head --sql` and `alembic upgrade head` on the
same databases, with SQLAlchemy models of the same schema (gen_sqlalchemy_models.py), from a
virtualenv under target/bench-alembic/ (pip installs alembic, sqlalchemy, psycopg2-binary and
pymysql into it once). The ratios are then to those figures: the machine's speed, which varies
by tens of percent from day to day, cancels out.

PostgreSQL and MariaDB are the services of this machine (RETORT_BENCH_POSTGRES_URL,
RETORT_BENCH_MYSQL_URL override); databases named retort_bench_* are created and dropped.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("RETORT_SHARED_BENCH", ROOT.parent / "shared" / "bench"))
OUT = ROOT / "target" / "bench-runtime"
PG = os.environ.get("RETORT_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
MY = os.environ.get("RETORT_BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306")

# Alembic 1.20.1, N = 1000, whole process, median seconds (shared bench README, second run on
# this machine's services): check, revision --autogenerate, upgrade head --sql, upgrade head.
ALEMBIC = {
    "postgresql": {"check": 5.10, "revision": 7.03, "upgrade-sql": 3.85, "upgrade": 16.5},
    "sqlite": {"check": 5.62, "revision": 7.30, "upgrade-sql": 3.41, "upgrade": 9.40},
    "mysql": {"check": 4.75, "revision": 6.97, "upgrade-sql": 3.84, "upgrade": 15.6},
}


def run(cmd, cwd=None, env=None, stdin=None, check=True):
    """Runs `cmd`; returns (seconds, stdout, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if check and proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{out[-2000:]}\n{err[-4000:]}")
    return elapsed, out, err


def peak_rss(cmd, cwd=None, env=None):
    """Peak RSS (MB) of one process, measured by GNU time when present, else None."""
    if not Path("/usr/bin/time").exists():
        return None
    _, _, err = run(["/usr/bin/time", "-f", "rss-kb %M", *cmd], cwd=cwd, env=env, check=False)
    for line in err.splitlines():
        if line.startswith("rss-kb "):
            return int(line.split()[1]) / 1024
    return None


class Backend:
    def __init__(self, dialect, n):
        self.dialect, self.n = dialect, n
        self.name = f"retort_bench_{dialect[:2]}_{n}"
        self.dir = OUT / f"{dialect}-{n}"

    @property
    def url(self):
        if self.dialect == "postgresql":
            return f"{PG}/{self.name}"
        if self.dialect == "mysql":
            return f"{MY}/{self.name}"
        return f"sqlite://{self.dir / 'bench.db'}"

    def fresh(self):
        if self.dialect == "postgresql":
            psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", PG + "/postgres", "-c"]
            run([*psql, f"DROP DATABASE IF EXISTS {self.name}"])
            run([*psql, f"CREATE DATABASE {self.name}"])
        elif self.dialect == "mysql":
            run([*self.mysql_client(None), "-e",
                 f"DROP DATABASE IF EXISTS {self.name}; CREATE DATABASE {self.name}"])
        else:
            (self.dir / "bench.db").unlink(missing_ok=True)

    def drop(self):
        if self.dialect == "postgresql":
            run(["psql", "-q", PG + "/postgres", "-c", f"DROP DATABASE IF EXISTS {self.name}"])
        elif self.dialect == "mysql":
            run([*self.mysql_client(None), "-e", f"DROP DATABASE IF EXISTS {self.name}"])

    def mysql_client(self, database):
        rest = MY.removeprefix("mysql://")
        user, _, host = rest.partition("@")
        host, _, port = host.partition(":")
        cmd = ["mariadb", "-u", user, "-h", host, "-P", port or "3306"]
        return cmd + ([database] if database else [])

    def load_ddl(self):
        """Applies the generated DDL with the database's own client, in one transaction where
        DDL is transactional (as retort applies a revision); returns its seconds."""
        ddl = self.dir / "schema.sql"
        with open(ddl) as f:
            if self.dialect == "postgresql":
                return run(["psql", "-q", "-1", "-v", "ON_ERROR_STOP=1", self.url, "-f",
                            str(ddl)])[0]
            if self.dialect == "mysql":
                return run(self.mysql_client(self.name), stdin=f)[0]
        wrapped = self.dir / "schema-tx.sql"
        wrapped.write_text("BEGIN;\n" + ddl.read_text() + "\nCOMMIT;\n")
        with open(wrapped) as f:
            return run(["sqlite3", str(self.dir / "bench.db")], stdin=f)[0]


def env_for(backend, timings=False):
    env = dict(os.environ)
    env["DATABASE_URL"] = backend.url
    env["CARGO_TARGET_DIR"] = str(OUT / "target")
    env["PATH"] = f"{ROOT / 'target' / 'debug'}{os.pathsep}{env['PATH']}"
    env.pop("RETORT_TIMINGS", None)
    if timings:
        env["RETORT_TIMINGS"] = "1"
    return env


ALEMBIC_DIR = ROOT / "target" / "bench-alembic"
ALEMBIC_ENV = """\
import os
import sys

from alembic import context
from sqlalchemy import create_engine, pool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import models  # noqa: E402

URL = os.environ["BENCH_ALEMBIC_URL"]

if context.is_offline_mode():
    context.configure(url=URL, target_metadata=models.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(URL, poolclass=pool.NullPool).connect() as connection:
        context.configure(connection=connection, target_metadata=models.metadata)
        with context.begin_transaction():
            context.run_migrations()
"""


class Alembic:
    """Alembic's project for a backend: the default `alembic init` layout, an env.py that
    compares with the models' metadata (Alembic's defaults otherwise), the database's URL in
    BENCH_ALEMBIC_URL."""

    def __init__(self, backend):
        self.backend = backend
        self.dir = ALEMBIC_DIR / f"{backend.dialect}-{backend.n}"
        venv = ALEMBIC_DIR / "venv"
        if not (venv / "bin" / "alembic").exists():
            run([sys.executable, "-m", "venv", str(venv)])
            run([str(venv / "bin" / "pip"), "install", "-q", "alembic==1.20.1", "sqlalchemy",
                 "psycopg2-binary", "pymysql"])
        self.alembic = str(venv / "bin" / "alembic")
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        run([self.alembic, "-q", "init", "alembic"], cwd=self.dir)
        (self.dir / "alembic" / "env.py").write_text(ALEMBIC_ENV)
        models = run([sys.executable, str(Path(__file__).with_name("gen_sqlalchemy_models.py")),
                      str(backend.n), backend.dialect])[1]
        (self.dir / "models.py").write_text(models)
        self.env = dict(os.environ)
        self.env["BENCH_ALEMBIC_URL"] = self.url()

    def url(self):
        b = self.backend
        if b.dialect == "postgresql":
            return PG.replace("postgres://", "postgresql+psycopg2://", 1) + f"/{b.name}"
        if b.dialect == "mysql":
            return MY.replace("mysql://", "mysql+pymysql://", 1) + f"/{b.name}"
        return f"sqlite:///{b.dir / 'bench.db'}"

    def versions(self):
        return self.dir / "alembic" / "versions"

    def clear_versions(self):
        for f in self.versions().glob("*.py"):
            f.unlink()

    def run(self, *args):
        return run([self.alembic, *args], cwd=self.dir, env=self.env)


def snapshot():
    """A copy of the committed HEAD for the projects to build against, so that edits to the
    work tree while the benchmark runs cannot rebuild retort inside a timed step."""
    head = run(["git", "-C", str(ROOT), "rev-parse", "HEAD"])[1].strip()
    path = OUT / "retort-head"
    stamp = path / ".head"
    if not stamp.exists() or stamp.read_text() != head:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", head],
                                   stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(path)], stdin=archive.stdout, check=True)
        archive.wait()
        stamp.write_text(head)
    return path


def setup(backend):
    """The project: `cargo migrate init`, the models, its own package name, the DDL."""
    d = backend.dir
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    env = env_for(backend)
    run(["cargo", "migrate", "init", "--retort-path", str(snapshot())], cwd=d, env=env)
    shutil.copy(ROOT / "Cargo.lock", d / "migrations" / "Cargo.lock")
    manifest = d / "migrations" / "Cargo.toml"
    package = f"migrations_{backend.dialect}_{backend.n}"
    manifest.write_text(manifest.read_text().replace('name = "migrations"', f'name = "{package}"'))
    models = run([sys.executable, str(SHARED / "gen_rust_models.py"), str(backend.n),
                  backend.dialect])[1]
    (d / "migrations" / "src" / "models.rs").write_text(models)
    ddl = run([sys.executable, str(SHARED / "gen_schema.py"), str(backend.n), backend.dialect])[1]
    (d / "schema.sql").write_text(ddl)
    # Builds the runner (the first build of a project compiles every dependency), twice: see
    # the revision loop.
    run(["cargo", "migrate", "heads"], cwd=d, env=env)
    time.sleep(1.1)
    run(["cargo", "migrate", "heads"], cwd=d, env=env)
    return OUT / "target" / "debug" / package


def timings(stderr):
    """RETORT_TIMINGS lines: name -> (seconds, statements, driver seconds)."""
    phases = {}
    for line in stderr.splitlines():
        if line.startswith("retort-timing: "):
            name, secs, statements, driver = line.split()[1:5]
            phases[name] = (float(secs), int(statements), float(driver))
    return phases


def median(values):
    return statistics.median(values)


def bench(backend, runs, with_alembic=False):
    d = backend.dir
    runner = setup(backend)
    alembic = Alembic(backend) if with_alembic else None
    a_check, a_revision, a_sql, a_upgrade = [], [], [], []
    env, tenv = env_for(backend), env_for(backend, timings=True)
    versions = d / "migrations" / "versions"
    figures = {}

    floor, check, rcheck, reflect, compare, queries, driver = [], [], [], [], [], [], []
    for _ in range(runs):
        backend.fresh()
        floor.append(backend.load_ddl())
        elapsed, out, _ = run(["cargo", "migrate", "check"], cwd=d, env=env)
        if "No new upgrade operations detected." not in out:
            sys.exit(f"{backend.dialect}: check found differences on the loaded DDL:\n{out[:3000]}")
        check.append(elapsed)
        elapsed, _, err = run([str(runner), "check"], cwd=d, env=tenv)
        rcheck.append(elapsed)
        phases = timings(err)
        reflect.append(phases["reflect"][0])
        queries.append(phases["reflect"][1])
        driver.append(phases["reflect"][2])
        compare.append(phases["compare"][0])
        if alembic:
            elapsed, out, err = alembic.run("check")
            if "No new upgrade operations detected." not in out + err:
                sys.exit(f"{backend.dialect}: alembic check found differences:\n{(out + err)[:3000]}")
            a_check.append(elapsed)
    figures["floor-ddl"] = median(floor)
    figures["floor-catalog"] = median(driver)
    figures["reflect"] = median(reflect)
    figures["reflect-queries"] = max(queries)
    figures["compare"] = median(compare)
    figures["check"] = median(check)
    figures["runner-check"] = median(rcheck)
    figures["check-rss"] = peak_rss([str(runner), "check"], cwd=d, env=env)

    backend.fresh()
    revision, render, rustfmt = [], [], []
    for i in range(runs):
        # Timed with the runner built (as after a model edit's rebuild): deleting the file
        # changed versions/, so build first, untimed.
        for f in versions.glob("*.rs"):
            f.unlink()
        run(["cargo", "migrate", "heads"], cwd=d, env=env)
        time.sleep(1.1)
        run(["cargo", "migrate", "heads"], cwd=d, env=env)
        elapsed, _, _ = run(["cargo", "migrate", "revision", "--autogenerate", "-m", "initial",
                             "--rev-id", "000000000001"], cwd=d, env=env)
        revision.append(elapsed)
        for f in versions.glob("*.rs"):
            f.unlink()
        _, _, err = run([str(runner), "revision", "--autogenerate", "-m", "initial",
                         "--rev-id", "000000000001"], cwd=d, env=tenv)
        phases = timings(err)
        render.append(phases["render"][0])
        rustfmt.append(phases.get("rustfmt", (0.0, 0, 0.0))[0])
        if alembic:
            alembic.clear_versions()
            a_revision.append(alembic.run("revision", "--autogenerate", "-m", "initial",
                                          "--rev-id", "000000000001")[0])
            # Alembic's autogenerate creates its version table, which retort's next revision
            # would drop.
            backend.fresh()
    figures["revision"] = median(revision)
    figures["render"] = median(render)
    figures["rustfmt"] = median(rustfmt)
    for f in versions.glob("*.rs"):
        f.unlink()
    figures["revision-rss"] = peak_rss([str(runner), "revision", "--autogenerate", "-m",
                                        "initial", "--rev-id", "000000000001"], cwd=d, env=env)

    # The runner embeds the new revision; the second build is the one whose inputs all predate
    # it, so that the timed runs below find the runner fresh.
    run(["cargo", "migrate", "heads"], cwd=d, env=env)
    time.sleep(1.1)
    run(["cargo", "migrate", "heads"], cwd=d, env=env)
    sql = []
    for _ in range(runs):
        sql.append(run(["cargo", "migrate", "upgrade", "head", "--sql"], cwd=d, env=env)[0])
        if alembic:
            a_sql.append(alembic.run("upgrade", "head", "--sql")[0])
    figures["upgrade-sql"] = median(sql)

    upgrade, apply_ = [], []
    for _ in range(runs):
        backend.fresh()
        upgrade.append(run(["cargo", "migrate", "upgrade", "head"], cwd=d, env=env)[0])
        backend.fresh()
        _, _, err = run([str(runner), "upgrade", "head"], cwd=d, env=tenv)
        apply_.append(timings(err)["apply"][0])
        if alembic:
            backend.fresh()
            a_upgrade.append(alembic.run("upgrade", "head")[0])
    figures["upgrade"] = median(upgrade)
    figures["apply"] = median(apply_)
    backend.fresh()
    figures["upgrade-rss"] = peak_rss([str(runner), "upgrade", "head"], cwd=d, env=env)
    backend.drop()
    if alembic:
        figures["alembic"] = {"check": median(a_check), "revision": median(a_revision),
                              "upgrade-sql": median(a_sql), "upgrade": median(a_upgrade)}
    return figures


def report(dialect, n, f):
    measured = "alembic" in f
    alembic = f["alembic"] if measured else ALEMBIC[dialect] if n == 1000 else {}
    label = "Alembic (this run)" if measured else "Alembic"

    def line(name, value, floor=None, floor_name=None, unit="s"):
        text = f"{dialect:10} N={n:<5} {name:22} {value:8.3f} {unit}"
        if floor:
            text += f"   {value / floor:6.1f}x {floor_name}"
        if name in alembic:
            text += f"   {label} {alembic[name]:.2f} s: {alembic[name] / value:5.1f}x faster"
        print(text, flush=True)

    line("floor-catalog", f["floor-catalog"])
    line("floor-ddl", f["floor-ddl"])
    print(f"{dialect:10} N={n:<5} {'reflect-queries':22} {f['reflect-queries']:8d}", flush=True)
    line("reflect", f["reflect"], f["floor-catalog"], "floor-catalog")
    line("compare", f["compare"])
    line("render", f["render"])
    line("rustfmt", f["rustfmt"])
    line("check", f["check"], f["floor-catalog"], "floor-catalog")
    line("runner-check", f["runner-check"], f["floor-catalog"], "floor-catalog")
    line("revision", f["revision"])
    line("upgrade-sql", f["upgrade-sql"])
    line("upgrade", f["upgrade"], f["floor-ddl"], "floor-ddl")
    line("apply", f["apply"], f["floor-ddl"], "floor-ddl")
    for name in ("check-rss", "revision-rss", "upgrade-rss"):
        if f[name] is not None:
            line(name, f[name], unit="MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", default="1000", help="comma-separated table counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql,mysql")
    parser.add_argument("--alembic", action="store_true",
                        help="run Alembic in the same run and compare with it")
    args = parser.parse_args()
    if not (SHARED / "gen_rust_models.py").exists():
        sys.exit(f"no shared bench dir at {SHARED} (set RETORT_SHARED_BENCH)")
    # `cargo migrate` on PATH. It only builds and runs the project's runner, so its own build
    # profile does not matter; the runner is built as a user's is (dev profile).
    run(["cargo", "build", "-q", "-p", "cargo-migrate"], cwd=ROOT)
    ns = [int(x) for x in args.n.split(",")]
    results = {}
    for n in ns:
        for dialect in args.backends.split(","):
            results[dialect, n] = bench(Backend(dialect, n), args.runs, args.alembic)
            report(dialect, n, results[dialect, n])
    # How each figure grows from the smallest N to the largest (the goal: within 5.5x for 5x
    # the tables).
    if len(ns) > 1:
        small, large = min(ns), max(ns)
        for dialect in args.backends.split(","):
            a, b = results[dialect, small], results[dialect, large]
            for name in a:
                if name not in ("reflect-queries", "alembic") and a[name] and b[name]:
                    print(f"{dialect:10} N={large}/N={small} {name:22} {b[name] / a[name]:6.2f}x",
                          flush=True)


if __name__ == "__main__":
    main()
