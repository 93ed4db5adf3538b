//! Helpers for unit tests: build a model from strings, no files.

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::load::{Doc, Loaded, parse_doc};
use crate::model::{self, ModelOptions, Site};

fn doc<M: serde::de::DeserializeOwned>(path: &str, text: &str) -> Doc<M> {
    parse_doc(path, text.to_string()).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// Builds a site from (path, file text) pairs.
pub(crate) fn site_with(
    config: SiteConfig,
    articles: &[(&str, &str)],
    actors: &[(&str, &str)],
    sources: &[(&str, &str)],
) -> (Site, Vec<Diagnostic>) {
    let loaded = Loaded {
        articles: articles
            .iter()
            .map(|(p, t)| std::sync::Arc::new(doc(p, t)))
            .collect(),
        actors: actors
            .iter()
            .map(|(p, t)| std::sync::Arc::new(doc(p, t)))
            .collect(),
        sources: sources
            .iter()
            .map(|(p, t)| std::sync::Arc::new(doc(p, t)))
            .collect(),
        assets: Vec::new(),
        failed: Vec::new(),
    };
    let (site, diagnostics) = model::build(loaded, config, ModelOptions::default());
    (site, diagnostics.sorted())
}

/// [`site_with`] and the test configuration.
pub(crate) fn site(
    articles: &[(&str, &str)],
    actors: &[(&str, &str)],
    sources: &[(&str, &str)],
) -> (Site, Vec<Diagnostic>) {
    site_with(SiteConfig::for_tests(), articles, actors, sources)
}

/// A few registry entries tests share.
pub(crate) const PUTIN: (&str, &str) = (
    "content/actors/vladimir-putin.md",
    "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n---\nPresident of Russia.\n",
);
pub(crate) const RUSSIA: (&str, &str) = (
    "content/actors/russia.md",
    "---\nname: Russia\nkind: country\naliases: [Moscow, the Kremlin, Russian]\n---\n",
);
pub(crate) const TASS: (&str, &str) = (
    "content/sources/tass.md",
    "---\nname: TASS\nkind: news agency\nownership: state-owned\n---\n",
);
