//! dossier (work in progress)
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod write;
pub mod yaml;
pub use error::{Error, Result};
#[cfg(test)]
pub(crate) mod test_support;
