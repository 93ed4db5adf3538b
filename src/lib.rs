//! dossier (work in progress)
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod load;
pub mod model;
pub mod yaml;
pub use error::{Error, Result};
