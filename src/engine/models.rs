//! The engine's last model, kept so that an edit to article bodies alone
//! costs no modelling.
//!
//! The model is made from front matter: an article's body text is carried
//! in it but read by nothing the model decides (slugs, names, dates,
//! actors, findings). When every changed file is an article of the last
//! model whose front matter is byte for byte what it was, with the same
//! settings and options, modelling all the files again would give the last
//! model with those articles' texts replaced, and the same findings, since
//! findings point into front matter. That is what [`ModelMemo::with_bodies`]
//! makes, by replacing those articles alone in a model whose collections
//! are shared. Anything else (a front-matter edit, a file added, removed or
//! not an article, other settings) models everything again.

use std::path::PathBuf;
use std::sync::Arc;

use super::files::{FileCache, slash_path};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostics;
use crate::fingerprint::{self, Fingerprint};
use crate::model::{ModelOptions, Site, Target};

/// A model and its findings, with what else it was made from.
#[derive(Debug)]
pub(crate) struct ModelMemo {
    site: Site,
    diagnostics: Diagnostics,
    settings: u64,
}

/// The fingerprint of what besides the files a model is made from.
pub(crate) fn settings(config: &SiteConfig, options: ModelOptions) -> u64 {
    (fingerprint::of_serialized(config), options.include_drafts).fingerprint()
}

impl ModelMemo {
    /// Keeps `site` (sharing its collections) and its findings, made with
    /// `settings` (see [`settings`]).
    pub(crate) fn new(site: &Site, diagnostics: &Diagnostics, settings: u64) -> ModelMemo {
        ModelMemo {
            site: site.clone(),
            diagnostics: diagnostics.clone(),
            settings,
        }
    }

    /// The model of `files` after `changed` (paths relative to the root)
    /// were read again, if those changes reached article bodies only; see
    /// the module documentation.
    pub(crate) fn with_bodies(
        &self,
        changed: &[PathBuf],
        files: &FileCache,
        settings: u64,
    ) -> Option<(Site, Diagnostics)> {
        if settings != self.settings {
            return None;
        }
        let mut site = self.site.clone();
        for path in changed {
            let path = slash_path(path)?;
            if path.split('/').any(crate::load::is_scratch_name) {
                // Never read as content (see `FileCache::update`).
                continue;
            }
            let Some(&Target::Article(id)) = site.by_path.get(&path) else {
                return None;
            };
            let doc = files.article(&path)?;
            let article = &mut site.articles[id.index()];
            if article.text[..article.body_start] != doc.text[..doc.body_start] {
                return None;
            }
            if !crate::load::Text::same(&article.text, &doc.text) {
                Arc::make_mut(article).text = doc.text.clone();
            }
        }
        Some((site, self.diagnostics.clone()))
    }
}
