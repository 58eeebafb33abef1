//! `Operations`, the `op` that migration files call (Alembic's `op.*`).
//!
//! Calls record [`Op`]s; the migration context then runs them through the dialect's `DdlImpl`
//! and the executor. Recording first lets a call be refined after it returns
//! (`op.create_index(..).unique()?`) and lets `--sql` mode run the same code with no database.

use crate::error::Result;
use crate::ops::{
    AddColumn, CreateIndex, CreateTable, DropColumn, DropIndex, DropTable, Execute, Op,
};
use crate::schema::{Column, Index, QualifiedName, Table};

/// The operations a migration's `upgrade`/`downgrade` records.
#[derive(Debug, Default)]
pub struct Operations {
    ops: Vec<Op>,
}

impl Operations {
    pub fn new() -> Self {
        Self::default()
    }

    /// The recorded ops, in call order.
    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    fn record(&mut self, op: Op) -> &mut Op {
        self.ops.push(op);
        let last = self.ops.len() - 1;
        &mut self.ops[last]
    }

    /// `CREATE TABLE`; columns marked `.primary_key()` form the primary key.
    pub fn create_table(
        &mut self,
        name: &str,
        columns: impl IntoIterator<Item = Column>,
    ) -> Result<&mut Table> {
        let table = Table::with_columns(name, columns);
        match self.record(Op::CreateTable(CreateTable { table })) {
            Op::CreateTable(op) => Ok(&mut op.table),
            _ => unreachable!("just recorded a CreateTable"),
        }
    }

    /// `DROP TABLE`.
    pub fn drop_table(&mut self, name: &str) -> Result<()> {
        self.record(Op::DropTable(DropTable {
            name: QualifiedName::from(name),
            table: None,
        }));
        Ok(())
    }

    /// `ALTER TABLE .. ADD COLUMN`.
    pub fn add_column(&mut self, table: &str, column: Column) -> Result<()> {
        self.record(Op::AddColumn(AddColumn {
            table: QualifiedName::from(table),
            column,
        }));
        Ok(())
    }

    /// `ALTER TABLE .. DROP COLUMN`.
    pub fn drop_column(&mut self, table: &str, name: &str) -> Result<()> {
        self.record(Op::DropColumn(DropColumn {
            table: QualifiedName::from(table),
            name: name.to_owned(),
            column: None,
        }));
        Ok(())
    }

    /// `CREATE INDEX`; chain `.unique()` for a unique index.
    pub fn create_index<S: Into<String>>(
        &mut self,
        name: &str,
        table: &str,
        columns: impl IntoIterator<Item = S>,
    ) -> Result<&mut Index> {
        let index = Index::new(name, columns);
        match self.record(Op::CreateIndex(CreateIndex {
            table: QualifiedName::from(table),
            index,
        })) {
            Op::CreateIndex(op) => Ok(&mut op.index),
            _ => unreachable!("just recorded a CreateIndex"),
        }
    }

    /// `DROP INDEX`.
    pub fn drop_index(&mut self, name: &str, table: &str) -> Result<()> {
        self.record(Op::DropIndex(DropIndex {
            table: QualifiedName::from(table),
            name: name.to_owned(),
            index: None,
        }));
        Ok(())
    }

    /// Runs raw SQL as written.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        self.record(Op::Execute(Execute {
            sql: sql.to_owned(),
        }));
        Ok(())
    }
}

/// Lets a recorded `create_index` be refined before `?`: `op.create_index(..).unique()?`.
pub trait IndexOptions {
    fn unique(self) -> Self;
}

impl IndexOptions for Result<&mut Index> {
    fn unique(mut self) -> Self {
        if let Ok(index) = &mut self {
            index.unique = true;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SqlType;

    fn record(f: impl FnOnce(&mut Operations) -> Result<()>) -> Vec<Op> {
        let mut op = Operations::new();
        f(&mut op).expect("records");
        op.into_ops()
    }

    #[test]
    fn records_calls_in_order_with_refinements() {
        let ops = record(|op| {
            op.create_table(
                "users",
                [
                    Column::new("id", SqlType::BigInt)
                        .primary_key()
                        .autoincrement(),
                    Column::new("email", SqlType::Varchar(255)).not_null(),
                ],
            )?;
            op.create_index("ix_users_email", "users", ["email"])
                .unique()?;
            op.drop_column("users", "email")?;
            Ok(())
        });
        assert_eq!(ops.len(), 3);
        match &ops[0] {
            Op::CreateTable(ct) => {
                assert_eq!(
                    ct.table.primary_key.as_ref().map(|pk| pk.columns.clone()),
                    Some(vec!["id".to_string()])
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(&ops[1], Op::CreateIndex(ci) if ci.index.unique));
        assert!(matches!(&ops[2], Op::DropColumn(dc) if dc.name == "email" && dc.column.is_none()));
    }
}
