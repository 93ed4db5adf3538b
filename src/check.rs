//! `dossier check`: every finding about a dossier, without writing output.
//!
//! Runs the same stages as a build up to (not including) rendering pages,
//! plus the theme, and returns all findings. A name that matches no
//! registered actor or publication is only a warning for `build` (the site
//! can still be made), but an error here: in a dossier it is almost always a
//! typo, and `check` is what CI runs.

use std::path::Path;

use crate::diagnostic::{Diagnostics, Severity};
use crate::error::{Error, Result};
use crate::model::ModelOptions;
use crate::pipeline::{compile, configure};
use crate::render::theme::Theme;

/// Finding codes that `check` treats as errors although `build` only warns.
pub const STRICTER_IN_CHECK: &[&str] = &["unknown-actor", "unknown-source"];

/// Checks the dossier at `root`.
///
/// # Errors
/// Environment failures only; every content problem is a finding.
pub fn check(root: &Path, include_drafts: bool) -> Result<Diagnostics> {
    let config = match configure(root, None) {
        Ok(config) => config,
        Err(Error::Content(findings)) => return Ok(findings),
        Err(other) => return Err(other),
    };
    let theme = Theme::load(root, &config.theme).err();
    let compiled = compile(root, config, ModelOptions { include_drafts })?;
    let mut findings: Diagnostics = compiled
        .diagnostics
        .into_iter()
        .map(|mut d| {
            if STRICTER_IN_CHECK.contains(&d.code) {
                d.severity = Severity::Error;
            }
            d
        })
        .collect();
    findings.extend(theme);
    Ok(findings)
}
