//! The engine's content files: every file under `content/`, parsed once per
//! version of its bytes.
//!
//! Discovery (which files exist, which are skipped and why) is the load
//! stage's [`discover`], so a rebuild applies exactly the rules of a clean
//! build. A rebuild re-reads the paths it is told changed; it walks
//! `content/` again only when a path is new, gone as a folder, or not a
//! plain file, and even then re-reads only files it has not seen.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Result;
use crate::fingerprint::Fingerprint;
use crate::load::{
    self, ActorMeta, ArticleMeta, Asset, Doc, FileKind, Found, Loaded, SourceMeta, discover,
};

/// One content file as last read.
#[derive(Debug, Clone)]
enum Parsed {
    // Shared with the documents handed to the model: a rebuild passes
    // every unchanged document on without copying it.
    Article(Arc<Doc<ArticleMeta>>),
    Actor(Arc<Doc<ActorMeta>>),
    Source(Arc<Doc<SourceMeta>>),
    Asset,
    Failed(Vec<Diagnostic>),
    /// Parsed, handed to the model, and let go of by an engine that builds
    /// once: only the fingerprint is kept.
    Released(FileKind),
}

#[derive(Debug, Clone)]
struct Entry {
    fingerprint: u64,
    parsed: Parsed,
}

/// Content files by path (relative to the root, `/`-separated), in path
/// order, which is the order a clean load produces.
#[derive(Debug, Default)]
pub(crate) struct FileCache {
    loaded: bool,
    entries: BTreeMap<String, Entry>,
    /// Findings of the last walk of `content/` (links skipped, stray files).
    discovery: Diagnostics,
}

impl FileCache {
    /// Has [`FileCache::load_all`] run?
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Walks `content/` and reads every file whose bytes are not known yet.
    pub(crate) fn load_all(&mut self, root: &Path) -> Result<Diagnostics> {
        self.walk(root, None)
    }

    /// Applies changes to the given paths (relative to the root).
    pub(crate) fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<Diagnostics> {
        let mut reread = HashSet::new();
        let mut walk = false;
        for rel in changed {
            let Some(rel) = slash_path(rel) else {
                walk = true;
                continue;
            };
            if rel.split('/').any(load::is_scratch_name) {
                continue;
            }
            match std::fs::symlink_metadata(root.join(&rel)) {
                Ok(meta) if meta.is_file() && self.entries.contains_key(&rel) => {
                    reread.insert(rel);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let inside = format!("{rel}/");
                    self.entries
                        .retain(|path, _| path != &rel && !path.starts_with(&inside));
                }
                // New files, folders, links: let discovery apply its rules.
                _ => {
                    reread.insert(rel);
                    walk = true;
                }
            }
        }
        if walk {
            return self.walk(root, Some(&reread));
        }
        let fresh: Vec<(String, Entry)> = reread
            .into_par_iter()
            .filter_map(|rel| {
                let kind = self.entries.get(&rel)?.kind();
                Some((rel.clone(), read_entry(root, &rel, kind)))
            })
            .collect();
        self.entries.extend(fresh);
        Ok(self.diagnostics())
    }

    /// Walks `content/`. Known files not in `reread` keep their parse; with
    /// `reread` absent every file is read and compared.
    fn walk(&mut self, root: &Path, reread: Option<&HashSet<String>>) -> Result<Diagnostics> {
        let (found, discovery) = discover(root)?;
        let old = std::mem::take(&mut self.entries);
        self.entries = found
            .into_par_iter()
            .map(|Found { path, kind }| {
                let known = old.get(&path);
                let entry = match (known, reread) {
                    (Some(entry), Some(set)) if !set.contains(&path) => entry.clone(),
                    _ => {
                        let fresh = read_entry(root, &path, kind);
                        match known {
                            Some(entry)
                                if entry.fingerprint == fresh.fingerprint
                                    && !matches!(entry.parsed, Parsed::Released(_)) =>
                            {
                                entry.clone()
                            }
                            _ => fresh,
                        }
                    }
                };
                (path, entry)
            })
            .collect();
        self.discovery = discovery;
        self.loaded = true;
        Ok(self.diagnostics())
    }

    /// Findings about the files themselves: discovery and parse errors.
    fn diagnostics(&self) -> Diagnostics {
        let mut out = self.discovery.clone();
        for entry in self.entries.values() {
            if let Parsed::Failed(found) = &entry.parsed {
                out.extend(found.iter().cloned());
            }
        }
        out
    }

    /// Lets go of every parsed document (text and front matter), keeping
    /// the fingerprints: for an engine that builds once, after the model
    /// holds what it needs.
    pub(crate) fn release_documents(&mut self) {
        // Should the engine build again after all, the next run walks and
        // reads every file, as a first build does.
        self.loaded = false;
        for entry in self.entries.values_mut() {
            if matches!(
                entry.parsed,
                Parsed::Article(_) | Parsed::Actor(_) | Parsed::Source(_)
            ) {
                entry.parsed = Parsed::Released(entry.kind());
            }
        }
    }

    /// The fingerprint of a content file's bytes, if it was read.
    pub(crate) fn fingerprint(&self, path: &str) -> Option<u64> {
        self.entries.get(path).map(|e| e.fingerprint)
    }

    /// The fingerprint of a content file's bytes, for a file that was read
    /// and parsed (not for an image or other copied file, which is read
    /// only when it is written).
    pub(crate) fn content_fingerprint(&self, path: &str) -> Option<u64> {
        self.entries
            .get(path)
            .filter(|e| !matches!(e.parsed, Parsed::Asset | Parsed::Failed(_)))
            .map(|e| e.fingerprint)
    }

    /// The article read from `path`, if it is one and parsed.
    pub(crate) fn article(&self, path: &str) -> Option<&Arc<Doc<ArticleMeta>>> {
        match &self.entries.get(path)?.parsed {
            Parsed::Article(doc) => Some(doc),
            _ => None,
        }
    }

    /// The documents, as a clean load would return them.
    pub(crate) fn loaded(&self, root: &Path) -> Loaded {
        let mut loaded = Loaded::default();
        for (path, entry) in &self.entries {
            match &entry.parsed {
                Parsed::Article(doc) => loaded.articles.push(doc.clone()),
                Parsed::Actor(doc) => loaded.actors.push(doc.clone()),
                Parsed::Source(doc) => loaded.sources.push(doc.clone()),
                Parsed::Asset => loaded.assets.push(Asset {
                    path: path.clone(),
                    file: root.join(path),
                }),
                Parsed::Failed(_) | Parsed::Released(_) => {}
            }
        }
        loaded
    }
}

impl Entry {
    fn kind(&self) -> FileKind {
        match self.parsed {
            Parsed::Article(_) => FileKind::Article,
            Parsed::Actor(_) => FileKind::Actor,
            Parsed::Source(_) => FileKind::Source,
            Parsed::Asset => FileKind::Asset,
            Parsed::Released(kind) => kind,
            // A file that failed is re-read by what its path says it is.
            Parsed::Failed(ref found) => found
                .first()
                .and_then(|d| load::classify(&d.path))
                .unwrap_or(FileKind::Stray),
        }
    }
}

/// Reads and parses one file. Assets are not read here: their bytes are
/// read when the output is written, and compared there.
fn read_entry(root: &Path, path: &str, kind: FileKind) -> Entry {
    if kind == FileKind::Asset {
        return Entry {
            fingerprint: 0,
            parsed: Parsed::Asset,
        };
    }
    let bytes = match load::read_bytes(root, path) {
        Ok(bytes) => bytes,
        Err(d) => {
            return Entry {
                fingerprint: d.message.fingerprint(),
                parsed: Parsed::Failed(vec![d]),
            };
        }
    };
    let fingerprint = bytes.fingerprint();
    let parsed = match kind {
        FileKind::Article => load::parse_bytes(path, bytes).map(|d| Parsed::Article(Arc::new(d))),
        FileKind::Actor => load::parse_bytes(path, bytes).map(|d| Parsed::Actor(Arc::new(d))),
        _ => load::parse_bytes(path, bytes).map(|d| Parsed::Source(Arc::new(d))),
    }
    .unwrap_or_else(Parsed::Failed);
    Entry {
        fingerprint,
        parsed,
    }
}

/// A relative path as the load stage spells it, or `None` if it is not
/// plain UTF-8 components.
pub(super) fn slash_path(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            std::path::Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    parts.map(|p| p.join("/"))
}
