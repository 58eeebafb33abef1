//! Index definitions beyond plain columns, for every dialect: which parts a database lacks
//! (refused by name before any statement runs), and when two definitions are one index, so a
//! database created from the models compares clean with them. Expressions and predicates are
//! compared in a canonical form: parsed, without the parentheses and the casts to text a
//! database adds when it prints them back, and fully parenthesised so that different trees
//! never print alike.

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    UnaryOperator,
};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::server_default::uppercase_outside_quotes;
use super::{unsupported, Dialect};
use crate::error::Result;
use crate::schema::{Index, QualifiedName};

/// An index method is a bare name (`gin`): it is written into the statement unquoted.
pub(super) fn check_method(dialect: Dialect, table: &QualifiedName, index: &Index) -> Result<()> {
    match &index.method {
        Some(method)
            if method.is_empty()
                || !method
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            Err(unsupported(
                dialect,
                &format!(
                    "create index `{}` on `{table}` using `{method}`",
                    index.name()
                ),
                "an index method is a name such as btree, hash, gin, gist, brin or spgist",
            ))
        }
        _ => Ok(()),
    }
}

/// The first of `features` of `index` that is present, refused for `dialect` with its name.
pub(crate) fn refuse_index_features(
    dialect: Dialect,
    table: &QualifiedName,
    index: &Index,
    features: &[IndexFeature],
) -> Result<()> {
    check_method(dialect, table, index)?;
    for feature in features {
        let present = match feature {
            IndexFeature::Expression => index.columns.iter().any(|c| Index::is_expression(c)),
            IndexFeature::Descending => index.order.values().any(|o| o.descending),
            IndexFeature::NullsPlacement => index.order.values().any(|o| o.nulls_first.is_some()),
            IndexFeature::Method => index.method.is_some(),
            IndexFeature::Include => !index.include.is_empty(),
            IndexFeature::Predicate => index.predicate.is_some(),
            IndexFeature::Concurrently => index.concurrently,
            IndexFeature::Prefix => !index.prefix.is_empty(),
        };
        if present {
            return Err(unsupported(
                dialect,
                &format!(
                    "create index `{}` on `{table}` with {}",
                    index.name(),
                    feature.describe()
                ),
                &format!(
                    "{dialect} has no {}; declare the index without it for this database",
                    feature.describe()
                ),
            ));
        }
    }
    Ok(())
}

/// A part of an index definition that not every database has.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IndexFeature {
    Expression,
    Descending,
    NullsPlacement,
    Method,
    Include,
    Predicate,
    Concurrently,
    Prefix,
}

impl IndexFeature {
    fn describe(self) -> &'static str {
        match self {
            IndexFeature::Expression => "expression keys",
            IndexFeature::Descending => "descending keys",
            IndexFeature::NullsPlacement => "NULLS FIRST/LAST",
            IndexFeature::Method => "index methods (USING)",
            IndexFeature::Include => "INCLUDE columns",
            IndexFeature::Predicate => "partial indexes (WHERE)",
            IndexFeature::Concurrently => "CONCURRENTLY",
            IndexFeature::Prefix => "key prefix lengths",
        }
    }
}

/// Whether `a` and `b` define the same index (see the module documentation); whether either
/// is built `CONCURRENTLY` does not count.
pub(super) fn same_index(a: &Index, b: &Index) -> bool {
    let key = |k: &String| {
        if Index::is_expression(k) {
            canonical_expression(k)
        } else {
            k.clone()
        }
    };
    let method = |i: &Index| {
        i.method
            .as_deref()
            .map(str::to_ascii_lowercase)
            .filter(|m| m != "btree")
    };
    let predicate = |i: &Index| i.predicate.as_deref().map(canonical_expression);
    a.unique == b.unique
        && a.columns.len() == b.columns.len()
        && a.columns.iter().zip(&b.columns).all(|(x, y)| {
            key(x) == key(y) && a.key_order(x).canonical() == b.key_order(y).canonical()
        })
        && method(a) == method(b)
        && predicate(a) == predicate(b)
        && a.include == b.include
        && a.prefix == b.prefix
}

/// `sql` in canonical form: `lower((email)::text)`, `LOWER(email)` and `(lower(email))` are
/// one text, `status::text = 'a'::text` is `status = 'a'`, and PostgreSQL's
/// `x = ANY (ARRAY['a', 'b'])` is `x IN ('a', 'b')`. Text that does not parse is compared with
/// its whitespace collapsed.
pub fn canonical_expression(sql: &str) -> String {
    // PostgreSQL's parser reads what PostgreSQL prints (`::text[]`, `= ANY (..)`) and is a
    // superset of what the models and SQLite write here.
    let parsed = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut parser| {
            let expr = parser.parse_expr()?;
            match parser.peek_token().token {
                Token::EOF => Ok(expr),
                rest => Err(ParserError::ParserError(format!("unexpected {rest}"))),
            }
        });
    let text = match parsed {
        Ok(expr) => normalise(expr).to_string(),
        Err(_) => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    uppercase_outside_quotes(&text)
}

fn normalise(expr: Expr) -> Expr {
    let inner = |e: Box<Expr>| Box::new(parenthesised(normalise(*e)));
    match expr {
        Expr::Nested(e) => normalise(*e),
        Expr::Cast {
            kind,
            expr: e,
            data_type,
            format,
        } => {
            let e = normalise(*e);
            let implicit = matches!(e, Expr::Value(_))
                || matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                    && is_text(&data_type);
            if implicit {
                e
            } else {
                Expr::Cast {
                    kind: if kind == CastKind::DoubleColon {
                        CastKind::Cast
                    } else {
                        kind
                    },
                    expr: Box::new(e),
                    data_type,
                    format,
                }
            }
        }
        Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
            left: inner(left),
            op,
            right: inner(right),
        },
        Expr::UnaryOp { op, expr: e } => Expr::UnaryOp { op, expr: inner(e) },
        Expr::IsNull(e) => Expr::IsNull(inner(e)),
        Expr::IsNotNull(e) => Expr::IsNotNull(inner(e)),
        Expr::IsTrue(e) => Expr::IsTrue(inner(e)),
        Expr::IsFalse(e) => Expr::IsFalse(inner(e)),
        Expr::IsNotTrue(e) => Expr::IsNotTrue(inner(e)),
        Expr::IsNotFalse(e) => Expr::IsNotFalse(inner(e)),
        Expr::InList {
            expr: e,
            list,
            negated,
        } => in_list(e, list, negated),
        // PostgreSQL prints `x IN (..)` as `x = ANY (ARRAY[..])`, `NOT IN` as `<> ALL`.
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            is_some,
        } => match array_elements(*right) {
            Ok(list) => in_list(left, list, false),
            Err(right) => Expr::AnyOp {
                left: inner(left),
                compare_op: BinaryOperator::Eq,
                right: Box::new(normalise(*right)),
                is_some,
            },
        },
        Expr::AllOp {
            left,
            compare_op: BinaryOperator::NotEq,
            right,
        } => match array_elements(*right) {
            Ok(list) => in_list(left, list, true),
            Err(right) => Expr::AllOp {
                left: inner(left),
                compare_op: BinaryOperator::NotEq,
                right: Box::new(normalise(*right)),
            },
        },
        Expr::Between {
            expr: e,
            negated,
            low,
            high,
        } => Expr::Between {
            expr: inner(e),
            negated,
            low: inner(low),
            high: inner(high),
        },
        Expr::Like {
            negated,
            any,
            expr: e,
            pattern,
            escape_char,
        } => Expr::Like {
            negated,
            any,
            expr: inner(e),
            pattern: inner(pattern),
            escape_char,
        },
        Expr::Function(mut function) => {
            if let FunctionArguments::List(list) = &mut function.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg {
                        *e = normalise(std::mem::replace(
                            e,
                            Expr::value(sqlparser::ast::Value::Null),
                        ));
                    }
                }
            }
            Expr::Function(function)
        }
        other => other,
    }
}

/// `x IN (..)`; of one value, `x = v` (or `<>`), as PostgreSQL prints it.
fn in_list(left: Box<Expr>, mut list: Vec<Expr>, negated: bool) -> Expr {
    let left = Box::new(parenthesised(normalise(*left)));
    if list.len() == 1 {
        return Expr::BinaryOp {
            left,
            op: if negated {
                BinaryOperator::NotEq
            } else {
                BinaryOperator::Eq
            },
            right: Box::new(parenthesised(normalise(list.remove(0)))),
        };
    }
    Expr::InList {
        expr: left,
        list: list.into_iter().map(normalise).collect(),
        negated,
    }
}

/// The elements of `ARRAY[..]`, seen through parentheses and a cast of the whole array
/// (`(ARRAY['a', 'b'])::text[]`), or the expression back when it is no array.
fn array_elements(expr: Expr) -> Result<Vec<Expr>, Box<Expr>> {
    match expr {
        Expr::Nested(e) => array_elements(*e).map_err(|e| Box::new(Expr::Nested(e))),
        Expr::Cast {
            kind,
            expr: e,
            data_type: data_type @ DataType::Array(_),
            format,
        } => array_elements(*e).map_err(|e| {
            Box::new(Expr::Cast {
                kind,
                expr: e,
                data_type,
                format,
            })
        }),
        Expr::Array(array) => Ok(array.elem),
        other => Err(Box::new(other)),
    }
}

/// An operand that is itself an operation, in parentheses: the printed text then says which
/// tree it is, whatever parentheses the original had.
fn parenthesised(expr: Expr) -> Expr {
    match expr {
        Expr::BinaryOp { .. }
        | Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        }
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNotFalse(_)
        | Expr::InList { .. }
        | Expr::Between { .. }
        | Expr::Like { .. } => Expr::Nested(Box::new(expr)),
        other => other,
    }
}

/// The types PostgreSQL casts a `varchar` column to when it prints an expression over it.
fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Text
            | DataType::Varchar(_)
            | DataType::CharacterVarying(_)
            | DataType::CharVarying(_)
            | DataType::Char(_)
            | DataType::Character(_)
    ) || matches!(data_type, DataType::Custom(name, _) if {
        let name = name.to_string().to_ascii_lowercase();
        name == "bpchar" || name == "name"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(
            canonical_expression(a),
            canonical_expression(b),
            "{a} vs {b}"
        );
    }

    #[test]
    fn what_postgresql_prints_back_is_the_models_expression() {
        same("lower((email)::text)", "lower(email)");
        same("(lower(email))", "LOWER(email)");
        same("(deleted_at IS NULL)", "deleted_at is null");
        same("((status)::text = 'active'::text)", "status = 'active'");
        same(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "status IN ('a', 'b')",
        );
        same("(amount > (10)::numeric)", "amount > 10");
        same("((a > 1) AND (b < 2))", "a > 1 AND b < 2");
        same("((status)::text = 'draft'::text)", "status IN ('draft')");
        same("status <> 'x'", "status NOT IN ('x')");
    }

    #[test]
    fn different_expressions_stay_different() {
        let differ = |a: &str, b: &str| {
            assert_ne!(
                canonical_expression(a),
                canonical_expression(b),
                "{a} vs {b}"
            );
        };
        differ("(a OR b) AND c", "a OR (b AND c)");
        differ("lower(email)", "upper(email)");
        differ("status = 'a'", "status = 'A'");
        differ("x::integer", "x");
    }

    #[test]
    fn sort_order_and_method_defaults_are_the_same_index() {
        let mut a = Index::new("ix", ["a", "(lower(b))"]);
        a.method = Some("BTREE".into());
        let mut b = Index::new("ix", ["a", "(lower((b)::text))"]);
        b.order.insert(
            "a".into(),
            crate::schema::KeyOrder {
                descending: false,
                nulls_first: Some(false),
            },
        );
        assert!(same_index(&a, &b));
        let desc = Index::new("ix", ["a", "(lower(b))"]).desc("a");
        assert!(!same_index(&a, &desc));
        let gin = Index::new("ix", ["a", "(lower(b))"]).using("gin");
        assert!(!same_index(&a, &gin));
        let partial = Index::new("ix", ["a", "(lower(b))"]).where_("a > 0");
        assert!(!same_index(&a, &partial));
    }
}
