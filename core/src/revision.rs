//! placeholder
#[derive(Debug, thiserror::Error)]
pub enum RevisionError {}
