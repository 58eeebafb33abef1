//! `Environment` (Alembic's `env.py` + `EnvironmentContext`): what a project's runner
//! configures — its revision files, target metadata, naming convention and autogenerate hooks.
//! Its `run()`, the runner's `main`, is in `runner`.

use std::sync::Arc;

use retort_autogen::render::{RenderedType, TypeRenderer};
use retort_autogen::{CompareOptions, Comparison, Include, IncludeSchemas, Object, ObjectKind};
use retort_core::config::Config;
use retort_core::ddl::DdlImpl;
use retort_core::error::Result;
use retort_core::naming::NamingConvention;
use retort_core::ops::Op;
use retort_core::schema::{MetaData, QualifiedName, SqlType};
use retort_core::script::{Script, ScriptDirectory};

/// The runner's configuration: revision files and the target metadata.
#[derive(Clone)]
pub struct Environment {
    scripts: &'static [Script],
    target: Option<MetaData>,
    naming: NamingConvention,
    include: Include,
    compare: CompareOptions,
    directives: Option<Arc<DirectivesHook>>,
    render_type: Option<TypeRenderer>,
    transaction_per_migration: Option<bool>,
}

type DirectivesHook = dyn Fn(&mut Vec<RevisionScript>) + Send + Sync;

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("scripts", &self.scripts.len())
            .field("target", &self.target.as_ref().map(|t| t.tables.len()))
            .field("naming", &self.naming)
            .field("include", &self.include)
            .field("compare", &self.compare)
            .field("process_revision_directives", &self.directives.is_some())
            .field("render_type", &self.render_type.is_some())
            .finish()
    }
}

/// One revision file `revision` is about to write, as `process_revision_directives` sees it
/// (Alembic's `MigrationScript`): change its ops or message, remove it to write nothing,
/// or add more (give each a new `rev_id`, e.g. `retort::core::script::new_revision_id()`).
#[derive(Clone, Debug)]
pub struct RevisionScript {
    pub message: String,
    pub rev_id: String,
    pub upgrade: Vec<Op>,
    pub downgrade: Vec<Op>,
}

impl Environment {
    /// An environment over the revision files `embed_migrations!` compiled in; the target
    /// metadata is every `#[derive(Table)]` linked into the binary.
    pub fn new(scripts: &'static [Script]) -> Self {
        Environment {
            scripts,
            target: None,
            naming: NamingConvention::default(),
            include: Include::default(),
            compare: CompareOptions::default(),
            directives: None,
            render_type: None,
            transaction_per_migration: None,
        }
    }

    /// Uses these tables as the target metadata instead of the registered ones.
    pub fn target_metadata(mut self, metadata: MetaData) -> Self {
        self.target = Some(metadata);
        self
    }

    /// Alembic's `include_name`: autogenerate ignores database objects whose name the hook
    /// rejects (tables another tool owns, say), neither dropping nor comparing them.
    pub fn include_name(
        mut self,
        hook: impl Fn(&str, ObjectKind, &QualifiedName) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include = self.include.name(hook);
        self
    }

    /// Alembic's `include_object`: autogenerate ignores objects, on either side, that the hook
    /// rejects.
    pub fn include_object(
        mut self,
        hook: impl Fn(&Object<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include = self.include.object(hook);
        self
    }

    /// Which PostgreSQL schemas autogenerate reflects (Alembic's `include_schemas`): by default
    /// the connection's default schema and those the models name; `true` for every schema, or
    /// a list of more schemas (`include_schemas(["billing"])`).
    pub fn include_schemas(mut self, schemas: impl Into<IncludeSchemas>) -> Self {
        self.include = self.include.schemas(schemas);
        self
    }

    /// Alembic's `compare_type`: whether autogenerate compares column types (`true`, the
    /// default; `false`), or a hook that decides per column (`Comparison::with(|pair| ..)`,
    /// `Some(true)` for a difference, `Some(false)` for none, `None` for the default rule).
    pub fn compare_type(mut self, comparison: impl Into<Comparison>) -> Self {
        self.compare.compare_type = comparison.into();
        self
    }

    /// Alembic's `compare_server_default`, as [`compare_type`](Self::compare_type).
    pub fn compare_server_default(mut self, comparison: impl Into<Comparison>) -> Self {
        self.compare.compare_server_default = comparison.into();
        self
    }

    /// Alembic's `process_revision_directives`: sees the revision file(s) `revision` is about to
    /// write and may change their ops, drop them (nothing is written) or add more (written in
    /// order, each after the one before):
    ///
    /// ```ignore
    /// .process_revision_directives(|scripts| {
    ///     if scripts.iter().all(|s| s.upgrade.is_empty()) {
    ///         scripts.clear(); // no empty revisions
    ///     }
    /// })
    /// ```
    pub fn process_revision_directives(
        mut self,
        hook: impl Fn(&mut Vec<RevisionScript>) + Send + Sync + 'static,
    ) -> Self {
        self.directives = Some(Arc::new(hook));
        self
    }

    /// The `process_revision_directives` hook, if any.
    pub fn revision_directives(&self) -> Option<&DirectivesHook> {
        self.directives.as_deref()
    }

    /// Alembic's `render_item` for types: how a revision file writes a column type, e.g. a user
    /// type as its own call (`Some(RenderedType { expr: "Money::sql_type(None)", imports:
    /// vec!["app::Money"] })`); `None` keeps retort's `SqlType::..`.
    pub fn render_type(
        mut self,
        hook: impl Fn(&SqlType) -> Option<RenderedType> + Send + Sync + 'static,
    ) -> Self {
        self.render_type = Some(Arc::new(hook));
        self
    }

    /// The type renderer, if any.
    pub fn type_renderer(&self) -> Option<TypeRenderer> {
        self.render_type.clone()
    }

    /// Alembic's `transaction_per_migration`: `false` runs a whole `upgrade` or `downgrade` in
    /// one transaction where DDL is transactional (PostgreSQL, SQLite), so a failure rolls all
    /// of it back. Overrides `transaction_per_migration` in `Migrate.toml`; default `true`.
    pub fn transaction_per_migration(mut self, each: bool) -> Self {
        self.transaction_per_migration = Some(each);
        self
    }

    /// The transaction mode, given `Migrate.toml`'s.
    pub fn transaction_mode(&self, configured: bool) -> bool {
        self.transaction_per_migration.unwrap_or(configured)
    }

    /// How autogenerate compares columns.
    pub fn compare(&self) -> &CompareOptions {
        &self.compare
    }

    /// The include hooks, for autogenerate.
    pub fn include(&self) -> &Include {
        &self.include
    }

    /// Names unnamed constraints and indexes with this convention instead of DESIGN §4.1's.
    pub fn naming_convention(mut self, naming: NamingConvention) -> Self {
        self.naming = naming;
        self
    }

    /// The target metadata as declared: the explicit one, or the registry (which fails on
    /// duplicates).
    pub fn target(&self) -> Result<MetaData> {
        let metadata = match &self.target {
            Some(metadata) => metadata.clone(),
            None => MetaData::from_tables(retort_core::registered_tables()?),
        };
        metadata.check_types()?;
        Ok(metadata)
    }

    /// The target metadata as a dialect will store it: every object named by the naming
    /// convention and every name cut to the dialect's identifier limit.
    pub fn target_for(&self, ddl: &dyn DdlImpl) -> Result<MetaData> {
        let mut metadata = self.target()?;
        for table in metadata.tables.values_mut() {
            self.naming.apply(table, ddl.max_identifier_length());
        }
        Ok(metadata)
    }

    /// The naming convention for unnamed constraints and indexes.
    pub fn naming(&self) -> &NamingConvention {
        &self.naming
    }

    pub(crate) fn script_directory(&self, config: &Config) -> Result<ScriptDirectory> {
        ScriptDirectory::new(config.versions_dir(), self.scripts)
    }
}
