//! One `op.<call>(..)?;` statement per [`Op`]: [`render_op`] matches every variant and checks
//! that the `Operations` call can express the op before the small `render_<op>` functions
//! translate it.

use proc_macro2::TokenStream;
use quote::quote;
use retort_core::ops::{
    AlterColumn, AlterEnum, AlterTableStorage, BulkInsert, Constraint, ConstraintKind, DropIndex,
    Op, TableComment,
};
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, Index, PrimaryKey, QualifiedName, Table, UniqueConstraint,
};
use retort_core::value::Value;

use super::schema::*;
use super::{RenderError, RenderOptions};

/// One `op.<call>(..)?;` statement. The checks here reject what the call cannot express, so
/// the `render_<op>` functions only translate. `op.create_index(..)` and the
/// `op.create_*_constraint(..)` calls take a name: an unnamed index or constraint gets the one
/// the naming convention gives it, which is also the name upgrade would give it.
pub(super) fn render_op(op: &Op, options: &RenderOptions) -> Result<TokenStream, RenderError> {
    let unnamed = match op {
        Op::CreateIndex(create) => create.index.name.is_none(),
        Op::AddConstraint(add) => add.constraint.name().is_none(),
        Op::CreateTable(create) => create.table.indexes.iter().any(|i| i.name.is_none()),
        _ => false,
    };
    let named;
    let op = if unnamed {
        let mut copy = op.clone();
        match &mut copy {
            Op::CreateTable(create) => {
                let mut indexes_only = Table::new(create.table.name.clone());
                indexes_only.indexes = std::mem::take(&mut create.table.indexes);
                options
                    .naming
                    .apply(&mut indexes_only, options.max_identifier_length);
                create.table.indexes = indexes_only.indexes;
            }
            other => options
                .naming
                .apply_to_op(other, options.max_identifier_length),
        }
        named = copy;
        &named
    } else {
        op
    };
    Ok(match op {
        Op::CreateTable(create) => {
            // A table's indexes follow it as `op.create_index` calls; its drop drops them too.
            let table = checked_table(&create.table, op, options)?;
            let mut tokens = render_create_table(table, options)?;
            for index in &table.indexes {
                check_columns(&index.columns, "an index", op)?;
                let Some(name) = &index.name else {
                    return Err(unsupported(op, "an index without a name"));
                };
                tokens.extend(render_create_index(
                    &table_name(&table.qualified_name()),
                    name,
                    index,
                ));
            }
            tokens
        }
        Op::DropTable(drop) => render_drop_table(&table_name(&drop.name), drop.if_exists),
        Op::AddColumn(add) => render_add_column(&table_name(&add.table), &add.column, options)?,
        Op::DropColumn(drop) => render_drop_column(&table_name(&drop.table), &drop.name),
        Op::CreateIndex(create) => {
            let table = &table_name(&create.table);
            check_columns(&create.index.columns, "an index", op)?;
            // The naming convention names every index before autogenerate renders it.
            let Some(name) = &create.index.name else {
                return Err(unsupported(op, "an index without a name"));
            };
            render_create_index(table, name, &create.index)
        }
        Op::DropIndex(drop) => render_drop_index(&table_name(&drop.table), drop),
        Op::AddConstraint(add) => {
            let table = &table_name(&add.table);
            // Every `op.create_*` constraint call takes a name, as the naming convention gives.
            let Some(name) = add.constraint.name() else {
                return Err(unsupported(op, "a constraint without a name"));
            };
            check_constraint(&add.constraint, op)?;
            render_add_constraint(table, name, &add.constraint)
        }
        Op::DropConstraint(drop) => {
            render_drop_constraint(&table_name(&drop.table), &drop.name, drop.kind())
        }
        Op::RenameTable(rename) => {
            let old = &table_name(&rename.table);
            let new = &rename.new_name;
            quote! { op.rename_table(#old, #new)?; }
        }
        Op::RenameColumn(rename) => {
            let table = &table_name(&rename.table);
            let (old, new) = (&rename.name, &rename.new_name);
            quote! { op.rename_column(#table, #old, #new)?; }
        }
        Op::AlterColumn(alter) => render_alter_column(&table_name(&alter.table), alter, options)?,
        Op::TableComment(comment) => render_table_comment(&table_name(&comment.table), comment),
        Op::AlterTableStorage(alter) => render_alter_table_storage(alter, op)?,
        Op::CreateEnum(create) => {
            let name = table_name(&(&create.enum_type).into());
            let labels = render_labels(&create.enum_type.labels);
            quote! { op.create_enum(#name, #labels)?; }
        }
        Op::DropEnum(drop) => {
            let name = table_name(&(&drop.enum_type).into());
            let labels = render_labels(&drop.enum_type.labels);
            quote! { op.drop_enum(#name, #labels)?; }
        }
        Op::AlterEnum(alter) => render_alter_enum(alter),
        Op::CreateDomain(create) => {
            let domain = render_domain(&create.domain, options)?;
            quote! { op.create_domain(#domain)?; }
        }
        Op::DropDomain(drop) => {
            let domain = render_domain(&drop.domain, options)?;
            quote! { op.drop_domain(#domain)?; }
        }
        Op::AlterDomain(alter) => {
            let (to, from) = (
                render_domain(&alter.to, options)?,
                render_domain(&alter.from, options)?,
            );
            quote! { op.alter_domain(#to, #from)?; }
        }
        Op::Execute(execute) => render_execute(&execute.sql, &execute.params),
        Op::BulkInsert(insert) => render_bulk_insert(&table_name(&insert.table), insert),
    })
}

/// `op.alter_column("t", <existing column>).type_(..).nullable(..).server_default(..).comment(..)?;`
pub(super) fn render_alter_column(
    table: &TokenStream,
    alter: &AlterColumn,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    let existing = render_column(&alter.existing, KeyMember::No, options)?;
    let mut calls = TokenStream::new();
    if let Some(change) = &alter.sql_type {
        let sql_type = render_sql_type(&change.to, options)?;
        calls.extend(quote! { .type_(#sql_type) });
    }
    if let Some(change) = &alter.nullable {
        let nullable = change.to;
        calls.extend(quote! { .nullable(#nullable) });
    }
    if let Some(change) = &alter.default {
        let value = render_option_str(change.to.as_deref());
        calls.extend(quote! { .server_default(#value) });
    }
    if let Some(change) = &alter.comment {
        let value = render_option_str(change.to.as_deref());
        calls.extend(quote! { .comment(#value) });
    }
    if let Some(change) = &alter.collation {
        let value = render_option_str(change.to.as_deref());
        calls.extend(quote! { .collation(#value) });
    }
    if let Some(change) = &alter.identity {
        // An option going back to the default is written as the default's value.
        if change.to.start != change.from.start {
            let start = proc_macro2::Literal::i64_unsuffixed(change.to.start.unwrap_or(1));
            calls.extend(quote! { .identity_start(#start) });
        }
        if change.to.increment != change.from.increment {
            let increment = proc_macro2::Literal::i64_unsuffixed(change.to.increment.unwrap_or(1));
            calls.extend(quote! { .identity_increment(#increment) });
        }
    }
    Ok(quote! { op.alter_column(#table, #existing) #calls ?; })
}

/// `op.create_table_comment("t", "new")` or `op.drop_table_comment("t")`, with the old comment
/// when there is one so the file's own downgrade could reverse it.
pub(super) fn render_table_comment(table: &TokenStream, comment: &TableComment) -> TokenStream {
    let existing = comment
        .from
        .as_deref()
        .map(|from| quote! { .existing_comment(#from) });
    match &comment.to {
        Some(to) => quote! { op.create_table_comment(#table, #to) #existing ?; },
        None => quote! { op.drop_table_comment(#table) #existing ?; },
    }
}

/// Whether the labels the `AlterEnum` at `position` adds are used by an op after it:
/// PostgreSQL refuses a label added in the same transaction ("unsafe use of new value"), so
/// the addition is rendered in an autocommit block, committed before them. A use is the label
/// as a string literal in a default, CHECK, index predicate or `op.execute`, or an inserted
/// value.
pub(super) fn adds_labels_used_later(ops: &[Op], position: usize) -> bool {
    let Some(Op::AlterEnum(alter)) = ops.get(position) else {
        return false;
    };
    let added: Vec<&str> = alter
        .additions()
        .map(|a| a.into_iter().map(|(label, _)| label).collect())
        .unwrap_or_default();
    let literals: Vec<String> = added
        .iter()
        .map(|label| format!("'{}'", label.replace('\'', "''")))
        .collect();
    let in_sql = |sql: &str| literals.iter().any(|l| sql.contains(l.as_str()));
    let in_columns = |columns: &[Column]| {
        columns
            .iter()
            .any(|c| c.default.as_deref().is_some_and(in_sql))
    };
    ops[position + 1..].iter().any(|op| match op {
        Op::CreateTable(create) => {
            in_columns(&create.table.columns)
                || create
                    .table
                    .check_constraints
                    .iter()
                    .any(|c| in_sql(&c.expr))
                || create
                    .table
                    .indexes
                    .iter()
                    .any(|i| i.predicate.as_deref().is_some_and(in_sql))
        }
        Op::AddColumn(add) => in_columns(std::slice::from_ref(&add.column)),
        Op::AlterColumn(alter) => alter
            .default
            .as_ref()
            .is_some_and(|c| c.to.as_deref().is_some_and(in_sql)),
        Op::AddConstraint(add) => match &add.constraint {
            Constraint::Check(check) => in_sql(&check.expr),
            _ => false,
        },
        Op::CreateIndex(create) => create.index.predicate.as_deref().is_some_and(in_sql),
        Op::Execute(execute) => in_sql(&execute.sql),
        Op::BulkInsert(insert) => insert
            .rows
            .iter()
            .flatten()
            .any(|v| matches!(v, Value::Text(t) if added.contains(&t.as_str()))),
        _ => false,
    })
}

/// `op.autocommit_block(|op| { <statement> Ok(()) })?;`
pub(super) fn in_autocommit_block(statement: TokenStream) -> TokenStream {
    quote! {
        op.autocommit_block(|op| {
            #statement
            Ok(())
        })?;
    }
}

/// `op.alter_enum("mood", [new labels], [old labels]).column("t", "c")..?;`, naming every
/// column the type's replacement converts, each default with it.
fn render_alter_enum(alter: &AlterEnum) -> TokenStream {
    let name = table_name(&alter.name);
    let (labels, existing) = (
        render_labels(&alter.labels.to),
        render_labels(&alter.labels.from),
    );
    let columns = alter.columns.iter().map(|c| {
        let table = table_name(&c.table);
        let column = &c.column;
        match &c.default {
            Some(default) => quote! { .column_with_default(#table, #column, #default) },
            None => quote! { .column(#table, #column) },
        }
    });
    quote! { op.alter_enum(#name, #labels, #existing) #(#columns)* ?; }
}

/// `op.alter_table_storage("t").mysql_engine("InnoDB", Some("MyISAM"))..?;`, each change with
/// the value the table has now so that the file's downgrade restores it.
fn render_alter_table_storage(
    alter: &AlterTableStorage,
    op: &Op,
) -> Result<TokenStream, RenderError> {
    if alter.postgresql_partition_by.is_some() {
        return Err(unsupported(
            op,
            "a change of partitioning (PostgreSQL cannot make it in place)",
        ));
    }
    let table = table_name(&alter.table);
    let mut calls = TokenStream::new();
    for (method, change) in [
        (quote!(mysql_engine), &alter.mysql_engine),
        (quote!(mysql_charset), &alter.mysql_charset),
        (quote!(mysql_collate), &alter.mysql_collate),
    ] {
        // A change to `None` leaves the option as it is (see `AlterTableStorage`).
        let Some((Some(to), from)) = change.as_ref().map(|c| (&c.to, &c.from)) else {
            continue;
        };
        let from = render_option_str(from.as_deref());
        calls.extend(quote! { .#method(#to, #from) });
    }
    if let Some(change) = &alter.postgresql_unlogged {
        let unlogged = change.to;
        calls.extend(quote! { .postgresql_unlogged(#unlogged) });
    }
    Ok(quote! { op.alter_table_storage(#table) #calls ?; })
}

pub(super) fn unsupported(op: &Op, why: &str) -> RenderError {
    RenderError::Unsupported(format!("{op}: {why}"))
}

/// `[]` as a column list cannot infer its item type: the rendered call would not compile.
pub(super) fn check_columns(columns: &[String], what: &str, op: &Op) -> Result<(), RenderError> {
    if columns.is_empty() {
        return Err(unsupported(op, &format!("{what} without columns")));
    }
    Ok(())
}

pub(super) fn check_constraint(constraint: &Constraint, op: &Op) -> Result<(), RenderError> {
    match constraint {
        Constraint::PrimaryKey(pk) => check_columns(&pk.columns, "a primary key", op),
        Constraint::Unique(unique) => check_columns(&unique.columns, "a unique constraint", op),
        Constraint::ForeignKey(fk) => check_foreign_key(fk, op),
        Constraint::Check(_) => Ok(()),
    }
}

pub(super) fn check_foreign_key(fk: &ForeignKey, op: &Op) -> Result<(), RenderError> {
    check_columns(&fk.columns, "a foreign key", op)?;
    check_columns(&fk.referred_columns, "a foreign key's referred side", op)
}

/// Checks that `op.create_table(name, columns)` and its table options recreate `table`
/// exactly. `renamed_from` hints are not checked: they steer comparison and mean nothing to
/// the database, so a migration file has no use for them.
pub(super) fn checked_table<'a>(
    table: &'a Table,
    op: &Op,
    options: &RenderOptions,
) -> Result<&'a Table, RenderError> {
    match (&table.primary_key, primary_key_option(table, options)) {
        (Some(pk), _) if pk.columns.is_empty() => {
            return Err(unsupported(op, "a primary key without columns"));
        }
        // `.primary_key(PrimaryKey::new(..))` makes its columns NOT NULL: a nullable key
        // column cannot be restated that way.
        (Some(_), Some(pk)) => {
            if let Some(column) = table
                .columns
                .iter()
                .find(|c| c.nullable && pk.columns.contains(&c.name))
            {
                let why = format!("column `{}` is a nullable primary key column", column.name);
                return Err(unsupported(op, &why));
            }
        }
        (Some(_), None) | (None, _) => {}
    }
    for unique in &table.unique_constraints {
        check_columns(&unique.columns, "a unique constraint", op)?;
    }
    for fk in &table.foreign_keys {
        check_foreign_key(fk, op)?;
    }
    Ok(table)
}

/// The primary key to render as the table option `.primary_key(PrimaryKey::new(..))`, or
/// `None` when `.primary_key()` on its columns says it all: the key's columns are in column
/// order, and it is unnamed or named as the naming convention in effect names it (upgrade
/// names it so again).
pub(super) fn primary_key_option<'a>(
    table: &'a Table,
    options: &RenderOptions,
) -> Option<&'a PrimaryKey> {
    let pk = table.primary_key.as_ref()?;
    let conventional = match &pk.name {
        None => true,
        Some(name) => {
            *name
                == options.naming.primary_key_name(
                    &table.name,
                    &pk.columns,
                    options.max_identifier_length,
                )
        }
    };
    let in_column_order = table
        .columns
        .iter()
        .filter(|c| pk.columns.contains(&c.name))
        .map(|c| &c.name);
    if conventional && in_column_order.eq(pk.columns.iter()) {
        None
    } else {
        Some(pk)
    }
}

// op.create_table("t", [Column::new("a", SqlType::BigInt), ..])
//     .primary_key(PrimaryKey::new(["b", "a"]).named("pk_t"))
//     .unique(UniqueConstraint::new(["x"]).named("uq_t_x"))
//     .foreign_key(ForeignKey::new(["a"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade))
//     .check(CheckConstraint::new("a > 0").named("ck_t_1"))
//     .comment("..")?;
pub(super) fn render_create_table(
    table: &Table,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    let name = table_name(&table.qualified_name());
    let key_option = primary_key_option(table, options);
    let columns = table
        .columns
        .iter()
        .map(|column| {
            let member = match (table.in_primary_key(&column.name), key_option) {
                (false, _) => KeyMember::No,
                (true, None) => KeyMember::Marked,
                (true, Some(_)) => KeyMember::ByTableOption,
            };
            render_column(column, member, options)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut options = TokenStream::new();
    if let Some(pk) = key_option {
        let pk = render_primary_key(pk);
        options.extend(quote! { .primary_key(#pk) });
    }
    for unique in &table.unique_constraints {
        let unique = render_unique_constraint(unique);
        options.extend(quote! { .unique(#unique) });
    }
    for fk in &table.foreign_keys {
        let fk = render_foreign_key(fk);
        options.extend(quote! { .foreign_key(#fk) });
    }
    for check in &table.check_constraints {
        let check = render_check_constraint(check);
        options.extend(quote! { .check(#check) });
    }
    if let Some(comment) = &table.comment {
        options.extend(quote! { .comment(#comment) });
    }
    if table.if_not_exists {
        options.extend(quote! { .if_not_exists() });
    }
    let storage = &table.storage;
    for (method, value) in [
        (quote!(mysql_engine), &storage.mysql_engine),
        (quote!(mysql_charset), &storage.mysql_charset),
        (quote!(mysql_collate), &storage.mysql_collate),
        (
            quote!(postgresql_partition_by),
            &storage.postgresql_partition_by,
        ),
    ] {
        if let Some(value) = value {
            options.extend(quote! { .#method(#value) });
        }
    }
    if storage.postgresql_unlogged {
        options.extend(quote! { .postgresql_unlogged() });
    }
    Ok(quote! { op.create_table(#name, [#(#columns),*]) #options ?; })
}

// op.drop_table("users")?;
pub(super) fn render_drop_table(name: &TokenStream, if_exists: bool) -> TokenStream {
    let if_exists = if_exists.then(|| quote! { .if_exists() });
    quote! { op.drop_table(#name) #if_exists ?; }
}

// op.add_column("users", Column::new("nickname", SqlType::Text))?;
pub(super) fn render_add_column(
    table: &TokenStream,
    column: &Column,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    let column = render_column(column, KeyMember::No, options)?;
    Ok(quote! { op.add_column(#table, #column)?; })
}

// op.drop_column("users", "nickname")?;
pub(super) fn render_drop_column(table: &TokenStream, name: &str) -> TokenStream {
    quote! { op.drop_column(#table, #name)?; }
}

// op.create_index("ix_users_email", "users", ["email"]).unique()?;
// op.create_index("ix_posts_live", "posts", ["(lower(title))", "created_at"])
//     .desc("created_at").using("gin").include(["id"]).where_("deleted_at IS NULL")?;
// Only what differs from a plain index is written, in that order, so a file changes only
// where the index does.
pub(super) fn render_create_index(table: &TokenStream, name: &str, index: &Index) -> TokenStream {
    let columns = &index.columns;
    let unique = index.unique.then(|| quote! { .unique() });
    let order = index.columns.iter().map(|key| {
        let order = index.key_order(key);
        let desc = order.descending.then(|| quote! { .desc(#key) });
        let nulls = order
            .nulls_first
            .map(|first| quote! { .nulls_first(#key, #first) });
        let prefix = index.prefix.get(key).map(|n| {
            let n = proc_macro2::Literal::u32_unsuffixed(*n);
            quote! { .prefix(#key, #n) }
        });
        quote! { #prefix #desc #nulls }
    });
    let method = index.method.as_ref().map(|m| quote! { .using(#m) });
    let include = &index.include;
    let include = (!include.is_empty()).then(|| quote! { .include([#(#include),*]) });
    let predicate = index.predicate.as_ref().map(|p| quote! { .where_(#p) });
    let concurrently = index.concurrently.then(|| quote! { .concurrently() });
    let if_not_exists = index.if_not_exists.then(|| quote! { .if_not_exists() });
    quote! {
        op.create_index(#name, #table, [#(#columns),*])
            #unique #(#order)* #method #include #predicate #concurrently #if_not_exists ?;
    }
}

// op.drop_index("ix_users_email", "users")?;
pub(super) fn render_drop_index(table: &TokenStream, drop: &DropIndex) -> TokenStream {
    let name = &drop.name;
    let concurrently = drop.concurrently.then(|| quote! { .concurrently() });
    let if_exists = drop.if_exists.then(|| quote! { .if_exists() });
    quote! { op.drop_index(#name, #table) #concurrently #if_exists ?; }
}

// op.create_primary_key(..)?; op.create_unique_constraint(..)?; op.create_foreign_key(..)?;
// op.create_check_constraint(..)?; the name is the constraint's own, passed separately
// because the calls require one.
pub(super) fn render_add_constraint(
    table: &TokenStream,
    name: &str,
    constraint: &Constraint,
) -> TokenStream {
    match constraint {
        Constraint::PrimaryKey(pk) => render_create_primary_key(table, name, pk),
        Constraint::Unique(unique) => render_create_unique_constraint(table, name, unique),
        Constraint::ForeignKey(fk) => render_create_foreign_key(table, name, fk),
        Constraint::Check(check) => render_create_check_constraint(table, name, check),
    }
}

// op.create_primary_key("pk_users", "users", ["id"])?;
pub(super) fn render_create_primary_key(
    table: &TokenStream,
    name: &str,
    pk: &PrimaryKey,
) -> TokenStream {
    let columns = &pk.columns;
    quote! { op.create_primary_key(#name, #table, [#(#columns),*])?; }
}

// op.create_unique_constraint("uq_users_email", "users", ["email"])?;
pub(super) fn render_create_unique_constraint(
    table: &TokenStream,
    name: &str,
    unique: &UniqueConstraint,
) -> TokenStream {
    let columns = &unique.columns;
    quote! { op.create_unique_constraint(#name, #table, [#(#columns),*])?; }
}

// op.create_foreign_key("fk_posts_user_id_users", "posts", "users", ["user_id"], ["id"])
//     .on_delete(ForeignKeyAction::Cascade)?;
pub(super) fn render_create_foreign_key(
    table: &TokenStream,
    name: &str,
    fk: &ForeignKey,
) -> TokenStream {
    let referent = table_name(&QualifiedName {
        schema: fk.referred_schema.clone(),
        name: fk.referred_table.clone(),
    });
    let local = &fk.columns;
    let remote = &fk.referred_columns;
    let actions = render_foreign_key_actions(fk);
    quote! {
        op.create_foreign_key(#name, #table, #referent, [#(#local),*], [#(#remote),*]) #actions ?;
    }
}

// op.create_check_constraint("ck_users_1", "users", "age >= 0")?;
pub(super) fn render_create_check_constraint(
    table: &TokenStream,
    name: &str,
    check: &CheckConstraint,
) -> TokenStream {
    let expr = &check.expr;
    quote! { op.create_check_constraint(#name, #table, #expr)?; }
}

// op.drop_constraint("uq_users_email", "users").kind(ConstraintKind::Unique)?;
pub(super) fn render_drop_constraint(
    table: &TokenStream,
    name: &str,
    kind: Option<ConstraintKind>,
) -> TokenStream {
    let kind = kind.map(|kind| {
        let kind = match kind {
            ConstraintKind::PrimaryKey => quote! { ConstraintKind::PrimaryKey },
            ConstraintKind::Unique => quote! { ConstraintKind::Unique },
            ConstraintKind::ForeignKey => quote! { ConstraintKind::ForeignKey },
            ConstraintKind::Check => quote! { ConstraintKind::Check },
        };
        quote! { .kind(#kind) }
    });
    quote! { op.drop_constraint(#name, #table) #kind ?; }
}

// op.execute("UPDATE users SET ..")?;
pub(super) fn render_execute(sql: &str, params: &[Value]) -> TokenStream {
    if params.is_empty() {
        return quote! { op.execute(#sql)?; };
    }
    let binds = params.iter().map(|value| {
        let value = render_value(value);
        quote! { .bind(#value) }
    });
    quote! { op.execute(sql(#sql) #(#binds)*)?; }
}

// op.bulk_insert("roles", ["id", "name"], [vec![Value::Int(1), Value::Text("admin".into())]])?;
pub(super) fn render_bulk_insert(table: &TokenStream, insert: &BulkInsert) -> TokenStream {
    let columns = &insert.columns;
    let rows = insert.rows.iter().map(|row| {
        let values = row.iter().map(render_value);
        quote! { vec![#(#values),*] }
    });
    quote! { op.bulk_insert(#table, [#(#columns),*], [#(#rows),*])?; }
}
