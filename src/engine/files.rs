//! The engine's content files: every file under `content/`, parsed once per
//! version of its bytes.
//!
//! Discovery (which files exist, which are skipped and why) is the load
//! stage's [`load::discover_listed`], so a rebuild applies exactly the
//! rules of a clean build (from the build cache's listing of `content/`
//! when it has one, else from a walk). A rebuild re-reads the paths it is
//! told changed; it walks `content/` again only when a path is new, gone
//! as a folder, or not a plain file, and even then re-reads only files it
//! has not seen.
//!
//! For the build cache, each parse can be kept in a compact form
//! ([`FileCache::parts`]); a cache restored from those parts
//! ([`FileCache::restore`]) does not read a file the cache vouches for
//! (unchanged by size, times and inode): its document is made from the
//! kept parse, and its text is read only if something needs it (see
//! [`Text`]). Every other file is read, and one whose bytes are what its
//! parse was made from is not parsed again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Result;
use crate::fingerprint::{FastMap, FastSet, Fingerprint};
use crate::load::inside::Beneath;
use crate::load::text::Unread;
use crate::load::{
    self, ActorMeta, ArticleMeta, Asset, Doc, FileKind, Found, FrontMatter, Listed, Loaded,
    SourceMeta, Text, discover_listed,
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
    /// The front matter in the build cache's form, when kept.
    front: Option<Front>,
    /// Was it parsed by the run that read it (not known from the cache)?
    was_parsed: bool,
}

/// A file's [`FrontMatter`] in the build cache's form (its encoded bytes):
/// small, and kept after the document itself is let go of.
#[derive(Debug, Clone)]
pub(crate) struct Front(Arc<[u8]>);

impl Front {
    fn of<M: serde::Serialize>(doc: &Doc<M>) -> Option<Front> {
        postcard::to_allocvec(&doc.front_matter())
            .ok()
            .map(|bytes| Front(bytes.into()))
    }

    fn read<M: serde::de::DeserializeOwned>(&self) -> Option<FrontMatter<M>> {
        postcard::from_bytes(&self.0).ok()
    }
}

impl serde::Serialize for Front {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Front {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Front, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Front;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Front, E> {
                Ok(Front(bytes.into()))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// One part of the parses, borrowed for writing into the build cache.
#[derive(Debug, serde::Serialize)]
pub(crate) struct FilesPartRef<'a> {
    /// Path, fingerprint of the bytes, parse.
    entries: Vec<(&'a str, u64, &'a Front)>,
}

/// One part of the parses read back from the build cache.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FilesPart {
    entries: Vec<(String, u64, Front)>,
}

/// Content files by path (relative to the root, `/`-separated), in path
/// order, which is the order a clean load produces.
#[derive(Debug, Default)]
pub(crate) struct FileCache {
    loaded: bool,
    entries: BTreeMap<String, Entry>,
    /// Findings of the last walk of `content/` (links skipped, stray files).
    discovery: Diagnostics,
    /// Parses an earlier build kept (the build cache), by path, with the
    /// fingerprint of the bytes each was made from; used by the next walk.
    known: FastMap<String, (u64, Front)>,
    /// Files the build cache vouches for, by path, with the fingerprint of
    /// their bytes: the next walk does not read them.
    vouched: FastMap<String, u64>,
    /// The texts left unread by the last walk, and what reading them found.
    unread: Option<Arc<Unread>>,
    /// Keep each parse in the cache's form, for [`FileCache::parts`].
    keep_front: bool,
    /// A listing of `content/` made before anything was read, for the next
    /// walk to take instead of walking the folder again.
    listed: Option<Vec<Listed>>,
    /// How many files the last run parsed (the others were known).
    pub(crate) parsed: usize,
    /// How many files the last run read (the others were vouched for).
    read: usize,
    /// How many files the last run found new, gone or with other bytes
    /// (an editor's save can reach the engine twice, the second time with
    /// the bytes the first already read).
    pub(crate) changed: usize,
}

impl FileCache {
    /// Has [`FileCache::load_all`] run?
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Keeps each parse in the build cache's form from now on.
    pub(crate) fn keep_front_matter(&mut self) {
        self.keep_front = true;
    }

    /// Gives the next walk of `content/` the build cache's listing of it
    /// (see [`load::discover_listed`]).
    pub(crate) fn use_listing(&mut self, listed: Vec<Listed>) {
        self.listed = Some(listed);
    }

    /// Starts from the parses an earlier build kept. The next walk does
    /// not read the files in `vouched` (path → fingerprint of the bytes the
    /// parse was made from, for files unchanged since by size, times and
    /// inode), reads every other file, and does not parse again one whose
    /// bytes are the same.
    pub(crate) fn restore(&mut self, parts: Vec<FilesPart>, vouched: FastMap<String, u64>) {
        self.known = parts
            .into_iter()
            .flat_map(|part| part.entries)
            .map(|(path, print, front)| (path, (print, front)))
            .collect();
        self.vouched = vouched;
    }

    /// How many content files the last run read, counting those whose
    /// text was left unread and read when needed since.
    pub(crate) fn files_read(&self) -> usize {
        self.read + self.unread.as_ref().map_or(0, |u| u.read())
    }

    /// The texts the last walk left unread (for a walk after
    /// [`FileCache::restore`]).
    pub(crate) fn unread(&self) -> Option<&Arc<Unread>> {
        self.unread.as_ref()
    }

    /// The kept parses in parts (see [`super::parts_by_path`]), each with
    /// a signature of what it holds: the same signature means the same
    /// parses, since a parse is a function of the file's bytes.
    pub(crate) fn parts(&self) -> Vec<(u64, FilesPartRef<'_>)> {
        let kept = self.entries.iter().filter_map(|(path, e)| {
            e.front
                .as_ref()
                .map(|f| (path.as_str(), (e.fingerprint, f)))
        });
        super::parts_by_path(kept.collect())
            .into_iter()
            .map(|entries| {
                let keys: Vec<(&str, u64)> = entries.iter().map(|(p, (f, _))| (*p, *f)).collect();
                let entries = entries
                    .into_iter()
                    .map(|(p, (f, front))| (p, f, front))
                    .collect();
                (keys.fingerprint(), FilesPartRef { entries })
            })
            .collect()
    }

    /// Whether the file at `path` was last read with these bytes.
    fn has_bytes(&self, path: &str, fingerprint: u64) -> bool {
        self.entries
            .get(path)
            .is_some_and(|entry| entry.fingerprint == fingerprint)
    }

    /// Walks `content/` and reads every file whose bytes are not known yet.
    pub(crate) fn load_all(&mut self, root: &Path) -> Result<Diagnostics> {
        self.walk(root, None)
    }

    /// Applies changes to the given paths (relative to the root).
    pub(crate) fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<Diagnostics> {
        let mut reread = FastSet::default();
        let mut walk = false;
        let mut gone = 0;
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
                    let before = self.entries.len();
                    self.entries
                        .retain(|path, _| path != &rel && !path.starts_with(&inside));
                    gone += before - self.entries.len();
                }
                // New files, folders, links: let discovery apply its rules.
                _ => {
                    reread.insert(rel);
                    walk = true;
                }
            }
        }
        if walk {
            let found = self.walk(root, Some(&reread));
            self.changed += gone;
            return found;
        }
        let beneath = Beneath::new(root);
        let fresh: Vec<(String, Entry)> = reread
            .into_par_iter()
            .filter_map(|rel| {
                let kind = self.entries.get(&rel)?.kind();
                let entry = read_entry(&beneath, &rel, kind, (None, self.keep_front));
                Some((rel.clone(), entry))
            })
            .collect();
        self.parsed = fresh.iter().filter(|(_, e)| e.was_parsed).count();
        self.read = fresh.len();
        self.changed = gone
            + fresh
                .iter()
                .filter(|(path, e)| !self.has_bytes(path, e.fingerprint))
                .count();
        self.entries.extend(fresh);
        Ok(self.diagnostics())
    }

    /// Walks `content/`. Known files not in `reread` keep their parse; with
    /// `reread` absent every file is read and compared.
    fn walk(&mut self, root: &Path, reread: Option<&FastSet<String>>) -> Result<Diagnostics> {
        let (found, discovery) = discover_listed(root, self.listed.take())?;
        let old = std::mem::take(&mut self.entries);
        let kept = std::mem::take(&mut self.known);
        let vouched = std::mem::take(&mut self.vouched);
        let unread = (!vouched.is_empty()).then(|| Unread::new(root.to_path_buf()));
        let keep = self.keep_front;
        let parsed = std::sync::atomic::AtomicUsize::new(0);
        let read = std::sync::atomic::AtomicUsize::new(0);
        let changed = std::sync::atomic::AtomicUsize::new(0);
        let first = old.is_empty();
        let beneath = Beneath::new(root);
        // A file the build cache vouches for, whose kept parse is of the
        // bytes it vouches for, is made without reading it.
        let unread_entry_of = |path: &str, kind: FileKind| {
            let (&print, unread) = vouched.get(path).zip(unread.as_ref())?;
            let (kept_print, front) = kept.get(path)?;
            if *kept_print != print {
                return None;
            }
            unread_entry(path, kind, (print, front), keep, unread)
        };
        self.entries = found
            .into_par_iter()
            .with_max_len(crate::MOST_PER_PIECE)
            .map(|Found { path, kind }| {
                let known = old.get(&path);
                let entry = match (known, reread) {
                    (Some(entry), Some(set)) if !set.contains(&path) => entry.clone(),
                    _ => {
                        let fresh = unread_entry_of(&path, kind).unwrap_or_else(|| {
                            if kind != FileKind::Asset {
                                read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            read_entry(&beneath, &path, kind, (kept.get(&path), keep))
                        });
                        if fresh.was_parsed {
                            parsed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        // (A first walk knows nothing: all of it is new,
                        // counted once below.)
                        if !first
                            && known.is_none_or(|entry| entry.fingerprint != fresh.fingerprint)
                        {
                            changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
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
        self.parsed = parsed.into_inner();
        self.read = read.into_inner();
        self.changed = if first {
            self.entries.len()
        } else {
            changed.into_inner()
                + old
                    .keys()
                    .filter(|path| !self.entries.contains_key(*path))
                    .count()
        };
        self.unread = unread;
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
                Parsed::Failed(_) => loaded.failed.push(path.clone()),
                Parsed::Released(_) => {}
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

/// Reads and parses one content file; `known` is a parse kept from an
/// earlier build (used if the bytes are the same), and with `keep` the
/// parse is kept in the build cache's form. Assets are not read here:
/// their bytes are read when the output is written, and compared there.
fn read_entry(
    root: &Beneath<'_>,
    path: &str,
    kind: FileKind,
    (known, keep): (Option<&(u64, Front)>, bool),
) -> Entry {
    if kind == FileKind::Asset {
        return Entry {
            fingerprint: 0,
            parsed: Parsed::Asset,
            front: None,
            was_parsed: false,
        };
    }
    let failed = |fingerprint, found| Entry {
        fingerprint,
        parsed: Parsed::Failed(found),
        front: None,
        was_parsed: true,
    };
    let bytes = match load::read_bytes(root, path) {
        Ok(bytes) => bytes,
        Err(d) => return failed(d.message.fingerprint(), vec![d]),
    };
    let fingerprint = bytes.fingerprint();
    let known = known
        .filter(|(print, _)| *print == fingerprint)
        .map(|(_, front)| front);
    let text = match load::decode(path, bytes) {
        Ok(text) => text,
        Err(d) => return failed(fingerprint, vec![d]),
    };
    let text = Text::read(text, fingerprint);
    let parsed = match kind {
        FileKind::Article => doc(path, text, known, keep).map(|r| r.into_entry(Parsed::Article)),
        FileKind::Actor => doc(path, text, known, keep).map(|r| r.into_entry(Parsed::Actor)),
        _ => doc(path, text, known, keep).map(|r| r.into_entry(Parsed::Source)),
    };
    match parsed {
        Ok(entry) => Entry {
            fingerprint,
            ..entry
        },
        Err(found) => failed(fingerprint, found),
    }
}

/// A document as [`doc`] made it.
struct Made<M> {
    doc: Arc<Doc<M>>,
    /// The parse in the cache's form, when kept.
    front: Option<Front>,
    /// Parsed now (not known from an earlier build)?
    parsed: bool,
}

impl<M> Made<M> {
    /// The entry holding it (its fingerprint still to be set).
    fn into_entry(self, parsed: impl FnOnce(Arc<Doc<M>>) -> Parsed) -> Entry {
        Entry {
            fingerprint: 0,
            parsed: parsed(self.doc),
            front: self.front,
            was_parsed: self.parsed,
        }
    }
}

/// The entry of a file the build cache vouches for, not read: its
/// document made from the parse kept of its bytes (`print`), its text left
/// to be read when needed. `None` if the parse does not read back.
fn unread_entry(
    path: &str,
    kind: FileKind,
    (print, front): (u64, &Front),
    keep: bool,
    unread: &Arc<Unread>,
) -> Option<Entry> {
    fn made<M: serde::de::DeserializeOwned>(
        path: &str,
        (print, front): (u64, &Front),
        unread: &Arc<Unread>,
    ) -> Option<Arc<Doc<M>>> {
        let parse = front.read::<M>()?;
        let text = Text::unread(path, print, parse.body_start, unread);
        Some(Arc::new(Doc::from_front_matter(path, text, parse)))
    }
    let parsed = match kind {
        FileKind::Article => Parsed::Article(made(path, (print, front), unread)?),
        FileKind::Actor => Parsed::Actor(made(path, (print, front), unread)?),
        FileKind::Source => Parsed::Source(made(path, (print, front), unread)?),
        FileKind::Asset | FileKind::Stray => return None,
    };
    Some(Entry {
        fingerprint: print,
        parsed,
        front: keep.then(|| front.clone()),
        was_parsed: false,
    })
}

/// The document of `text` (the decoded bytes of the file at `path`), from
/// the `known` parse of those bytes if it reads back, else parsed.
fn doc<M: serde::Serialize + serde::de::DeserializeOwned>(
    path: &str,
    text: Text,
    known: Option<&Front>,
    keep: bool,
) -> Result<Made<M>, Vec<Diagnostic>> {
    if let Some(front) = known
        && let Some(parse) = front.read::<M>()
        && text.is_char_boundary(parse.body_start)
    {
        return Ok(Made {
            doc: Arc::new(Doc::from_front_matter(path, text, parse)),
            front: Some(front.clone()),
            parsed: false,
        });
    }
    let doc = load::parse_text(path, text)?;
    let front = keep.then(|| Front::of(&doc)).flatten();
    Ok(Made {
        doc: Arc::new(doc),
        front,
        parsed: true,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the cache keeps of a parse reads back as the same document,
    /// positions included, for every kind of content file and every field.
    #[test]
    fn a_kept_parse_reads_back_as_the_same_document() {
        fn round_trip<M>(path: &str, text: &str)
        where
            M: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
        {
            let parsed: Doc<M> = load::parse_doc_all(path, text.to_string()).unwrap();
            let front = Front::of(&parsed).expect("encodes");
            let made = doc::<M>(path, text.into(), Some(&front), true).unwrap();
            assert!(!made.parsed, "{path}: read back, not parsed");
            assert_eq!(format!("{:?}", made.doc), format!("{parsed:?}"), "{path}");
        }
        round_trip::<ArticleMeta>(
            "content/articles/a.md",
            "---\ntitle: \"A: title\"\ntitle_note: chosen\ndate: 2017-01\ndate_note: month\n\
             source: Herald\nsource_note: by style\nauthor: A. Writer\n\
             url: https://example.org/a\nretrieved: 2020\nkind: op-ed\nsummary: S.\n\
             actors: [Russia, \"Vladimir Putin\"]\n\
             events:\n  - date: 2016-12-29\n    date_note: n\n    title: Ceasefire\n    actors: [Russia]\n\
             credits:\n  - caption: C\n    credit: Photo Agency\n\
             quotes:\n  - by: Putin\n    text: Words.\n    context: Moscow\n\
             tags: [syria, talks]\ndraft: true\nslug: a-slug\n---\n\nBody with “quotes”.\n",
        );
        round_trip::<ActorMeta>(
            "content/actors/putin.md",
            "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\nrole: President\n\
             affiliation: Russia\nborn: 1952-10-07\nfounded: 1990\n\
             links:\n  - title: Site\n    url: https://example.org\n---\n\nProfile.\n",
        );
        round_trip::<SourceMeta>(
            "content/sources/herald.md",
            "---\nname: Herald\naliases: [The Herald]\nurl: https://example.org\n\
             country: UK\nkind: news agency\nownership: state-funded\nowner: Someone\n\
             affiliation: None\nfounded: 1901\n---\n",
        );
    }

    /// A file the build cache vouches for is not read unless its text is
    /// needed; one whose bytes changed after the cache vouched for it (an
    /// edit during the build) is not used, and the walk's record says so.
    #[test]
    fn a_vouched_file_is_read_only_when_needed_and_a_change_behind_the_cache_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (a, b) = ("content/articles/a.md", "content/articles/b.md");
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        let front = "---\ntitle: T\ndate: 2017-01-02\nsource: S\n---\n\n";
        std::fs::write(root.join(a), format!("{front}Body of a.\n")).unwrap();
        std::fs::write(root.join(b), format!("{front}Body of b.\n")).unwrap();
        let mut first = FileCache::default();
        first.keep_front_matter();
        first.load_all(root).unwrap();
        assert_eq!(first.files_read(), 2);
        let parts: Vec<FilesPart> = first
            .parts()
            .into_iter()
            .map(|(_, part)| FilesPart {
                entries: part
                    .entries
                    .iter()
                    .map(|&(path, print, front)| (path.to_string(), print, front.clone()))
                    .collect(),
            })
            .collect();
        let vouched = [a, b]
            .map(|p| (p.to_string(), first.content_fingerprint(p).unwrap()))
            .into_iter()
            .collect();

        std::fs::write(root.join(b), format!("{front}Body of b, edited.\n")).unwrap();
        let mut second = FileCache::default();
        second.restore(parts, vouched);
        second.load_all(root).unwrap();
        assert_eq!(second.files_read(), 0, "nothing read before it is needed");
        let text_of = |path| second.article(path).unwrap().text.to_string();
        assert_eq!(text_of(a), format!("{front}Body of a.\n"));
        assert_eq!(second.files_read(), 1);
        assert!(
            !text_of(b).contains("Body of b"),
            "changed bytes are not used"
        );
        assert_eq!(second.unread().unwrap().changed(), vec![b.to_string()]);
    }
}
