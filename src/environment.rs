//! `Environment` (Alembic's `env.py` + `EnvironmentContext`): what a project's runner
//! configures — its revision files, target metadata, naming convention and autogenerate hooks.
//! Its `run()`, the runner's `main`, is in `runner`.

use retort_autogen::{Include, IncludeSchemas, Object, ObjectKind};
use retort_core::config::Config;
use retort_core::ddl::DdlImpl;
use retort_core::error::Result;
use retort_core::naming::NamingConvention;
use retort_core::schema::{MetaData, QualifiedName};
use retort_core::script::{Script, ScriptDirectory};

/// The runner's configuration: revision files and the target metadata.
#[derive(Debug, Clone)]
pub struct Environment {
    scripts: &'static [Script],
    target: Option<MetaData>,
    naming: NamingConvention,
    include: Include,
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
        match &self.target {
            Some(metadata) => Ok(metadata.clone()),
            None => Ok(MetaData::from_tables(retort_core::registered_tables()?)),
        }
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
