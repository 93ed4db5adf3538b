//! dossier: a static site generator for briefing dossiers.
//!
//! A dossier is a folder of clipped articles (Markdown with YAML front
//! matter), a registry of the actors they involve and of the publications
//! they come from. `dossier` turns it into a cross-linked site. Data flows
//! one way through four stages, each in its own module:
//!
//! ```text
//!  load ──────────► model ─────────────► render ──────────────► write
//!  files → Docs     Docs → Site (ids,    bodies → HTML + facts   pages → staging
//!  (parallel)       validated, located   facts → Graph           folder, atomic
//!                   diagnostics)         Site + Graph → pages    swap, unchanged
//!                                        (parallel, streamed)    files untouched
//! ```
//!
//! [`engine`] is the only module that knows every stage: it runs them and
//! keeps their results between builds, so that a rebuild after an edit
//! redoes only what the edit affects and still equals a clean build (its
//! module documentation says what it keeps and why that holds).
//! [`pipeline`] is the commands' way in: `build` is a fresh engine writing
//! into a staging folder; [`check`] runs the stages up to rendering. Problems with the content are [`diagnostic`]s,
//! collected across the whole dossier and reported together with file, line
//! and column; problems with the environment are [`Error`]s.

#![warn(missing_docs)]

pub(crate) mod background;
pub mod briefing;
pub(crate) mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub(crate) mod fingerprint;
pub mod heap;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod timing;
pub mod write;
pub mod yaml;

pub use error::{Error, Result};

/// The most files or texts one core takes on in one piece when reading,
/// checking front matter and rendering Markdown (rayon's `with_max_len`).
/// Left to itself, rayon cuts a list into a few large pieces on two cores
/// and stops cutting a piece once a core works through it: the other core,
/// done with its own, waited ~30 ms at the end of reading 10,000 articles
/// with nothing left it could take, and again at the end of their
/// Markdown. Pieces of this size take a few milliseconds at most; a cold
/// 10,000-article build went ~2.0 -> ~1.9 s (interleaved runs). Pages are
/// left to rayon's pieces: each piece makes its own output buffer, and
/// small pieces raised the peak memory (396 -> 401 MiB).
pub(crate) const MOST_PER_PIECE: usize = 32;

#[cfg(test)]
pub(crate) mod test_support;
