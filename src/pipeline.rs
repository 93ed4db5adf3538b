//! The commands' entry points into the engine: `build` writes a site into
//! its output folder, `check` compiles without writing.
//!
//! A one-shot build is "make an [`Engine`], build everything into a staging
//! folder, swap it in". Every stage is parallel over files from the first
//! read; content errors from all stages are collected and returned
//! together, and nothing is written when there are any.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::engine::{Engine, EngineOptions};
use crate::error::Result;
use crate::write::{OutputDir, WriteStats};

pub use crate::engine::{Compiled, compile, configure};

/// What the user asked `build` to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The dossier folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Output folder, overriding `site.yaml`.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Base URL, overriding `site.yaml`.
    pub base_url: Option<String>,
    /// Show a progress bar for long stages (on a terminal).
    pub progress: bool,
    /// Fail on warnings too (and on broken links `site.yaml` lowers to
    /// warnings).
    pub strict: bool,
    /// Also write the PDF briefing (`briefing.pdf`).
    pub pdf: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// Files in the output (pages, assets, copied files).
    pub files: usize,
    /// What the writer did.
    pub stats: WriteStats,
    /// The output folder.
    pub output: PathBuf,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Total time.
    pub elapsed: Duration,
}

/// Builds the dossier at `options.root` into its output folder.
///
/// # Errors
/// [`crate::Error::Content`] with every content problem when the dossier
/// has errors (the output is left as it was); other variants for
/// environment failures.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut engine = Engine::new(
        &options.root,
        EngineOptions {
            drafts: options.drafts,
            base_url: options.base_url.clone(),
            progress: options.progress,
            strict: options.strict,
            pdf: options.pdf,
            briefing_on_request: false,
        },
    );
    let config = engine.configure()?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.output));
    // Refuse a dangerous output folder before doing any work.
    let out = OutputDir::new(&options.root, &output)?;
    // Held to the end of the build: a concurrent build waits, then builds
    // on this one's result instead of interleaving with it.
    let _lock = out.lock()?;
    let prepared = engine.prepare(None)?;
    let staging = out.stage()?;
    let mut outcome = engine.emit(prepared, &staging)?;
    if options.pdf {
        let clock = Instant::now();
        let state = engine
            .state()
            .expect("invariant: a built engine has a state");
        if !state.site.articles.is_empty() {
            let briefing = crate::briefing::Briefing::build(state, &Default::default())?;
            staging.write(
                "briefing.pdf",
                &crate::briefing::pdf_of(&options.root, &state.site, &briefing)?,
            )?;
            outcome.files += 1;
        }
        outcome.timings.push(("pdf", clock.elapsed()));
    }
    let clock = Instant::now();
    let stats = staging.commit()?;
    let mut timings = outcome.timings;
    timings.push(("commit", clock.elapsed()));
    Ok(BuildReport {
        pages: outcome.pages,
        files: outcome.files,
        stats,
        output: out.live,
        warnings: outcome.warnings,
        timings,
        elapsed: start.elapsed(),
    })
}
