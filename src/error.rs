//! Failures that stop a run: problems with the environment, not the content.
//!
//! Content problems are [`crate::diagnostic::Diagnostic`]s, collected and
//! reported together; when a stage produced error diagnostics the run ends
//! with [`Error::Content`] carrying all of them. Everything else here (a file
//! that cannot be read, an output folder we refuse to touch) fails fast and
//! names the path involved.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Why a command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file system operation failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What we were doing ("read", "write", "create directory", …).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The output setting points somewhere we must not write or delete.
    #[error("refusing to use `{}` as the output folder: {reason}", path.display())]
    UnsafeOutput {
        /// The output folder asked for.
        path: PathBuf,
        /// Why it is refused, and what to do instead.
        reason: String,
    },
    /// The briefing's PDF would go somewhere we must not write.
    #[error("refusing to write the briefing to `{}`: {reason}", path.display())]
    UnsafePdf {
        /// The file asked for.
        path: PathBuf,
        /// Why it is refused, and what to do instead.
        reason: String,
    },
    /// The dossier's content has errors (all of them are inside).
    #[error("the dossier has {}", .0.summary())]
    Content(Diagnostics),
    /// The briefing's Typst template failed, or its PDF could not be made.
    /// (The HTML templates' failures are located [`Error::Content`]
    /// findings.)
    #[error("{0}")]
    Template(String),
    /// Anything else the user asked for that cannot be done.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wraps an I/O error with what we were doing and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
