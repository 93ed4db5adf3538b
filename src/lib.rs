//! dossier (work in progress)
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod load;
pub mod model;
pub mod render;
pub mod yaml;
pub use error::{Error, Result};
#[cfg(test)]
pub(crate) mod test_support;
