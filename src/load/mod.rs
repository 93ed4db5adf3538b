//! Load stage: content files on disk → typed documents.
//!
//! Input: the dossier root. Output: [`Loaded`], one [`Doc`] per article, actor
//! and source file (its text, its parsed front matter and where the body
//! starts), plus the asset files (images) found under `content/`. Files are
//! read and parsed in parallel from the first one. Nothing here interprets
//! the front matter (that is `model`'s job); problems with a file's bytes,
//! fences or YAML become located diagnostics and the file is left out.
//!
//! Which files count:
//! - `content/articles/**/*.md` are articles, `content/actors/*.md` actors,
//!   `content/sources/*.md` publications;
//! - other files under `content/` are assets an article may reference;
//! - hidden files and editor scratch files (`.#x`, `x~`, `x.swp`) are skipped;
//! - symbolic links are never followed (a warning names them), at any
//!   level, `content/` itself included: every read goes through [`inside`],
//!   so content cannot pull in files from outside the dossier.

pub mod front_matter;
pub mod inside;
pub mod meta;
pub mod text;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::yaml::{self, Placement};
pub use meta::{ActorMeta, ArticleMeta, SourceMeta};
pub use text::Text;

/// The folder under the root that holds all content.
pub const CONTENT_DIR: &str = "content";

/// The part of a dossier path (`/`-separated) below `content/`, for a path
/// below it.
pub(crate) fn below_content(path: &str) -> Option<&str> {
    path.strip_prefix(CONTENT_DIR)?.strip_prefix('/')
}

/// Content files larger than this are refused: no article is this long, and
/// it keeps a stray data file from eating the machine's memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What a file under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `content/articles/**/*.md`.
    Article,
    /// `content/actors/*.md`.
    Actor,
    /// `content/sources/*.md`.
    Source,
    /// Any other non-Markdown file (images and the like).
    Asset,
    /// Markdown outside the three folders: reported and skipped.
    Stray,
}

/// Classifies a path relative to the dossier root (`content/actors/x.md`).
pub fn classify(rel: &str) -> Option<FileKind> {
    let under = rel.strip_prefix("content/")?;
    let is_md = under.ends_with(".md");
    let (top, rest) = under.split_once('/').unwrap_or(("", under));
    Some(match (top, is_md) {
        ("articles", true) => FileKind::Article,
        ("actors", true) if !rest.contains('/') => FileKind::Actor,
        ("sources", true) if !rest.contains('/') => FileKind::Source,
        (_, true) => FileKind::Stray,
        (_, false) => FileKind::Asset,
    })
}

/// Hidden files and the scratch files editors write next to the real one.
pub fn is_scratch_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name == "4913"
}

/// A parsed content file.
#[derive(Debug, Clone)]
pub struct Doc<M> {
    /// Path relative to the dossier root, `/`-separated.
    pub path: String,
    /// The file name without `.md`.
    pub stem: String,
    /// The whole file, decoded (BOM removed, CRLF turned into LF); shared,
    /// because the engine keeps it between builds and the model holds it,
    /// and read only when needed for a file the build cache vouches for.
    pub text: Text,
    /// The front matter.
    pub meta: M,
    /// Lines before the YAML block (to turn YAML lines into file lines).
    pub yaml_line_offset: u32,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// The fingerprint of the text before the body (fences and YAML): what
    /// pages that show no body depend on, known without the text.
    pub front_print: u64,
}

impl<M> Doc<M> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The file location of a position in the YAML.
    pub fn locate(&self, position: meta::YamlPosition) -> Option<Location> {
        self.placement().locate(position.line(), position.column())
    }

    fn placement(&self) -> Placement<'_> {
        Placement {
            file_text: &self.text,
            path: &self.path,
            line_offset: self.yaml_line_offset,
        }
    }
}

/// A non-Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the dossier root (`content/media/photo.jpg`).
    pub path: String,
    /// Where it is on disk.
    pub file: PathBuf,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Articles, in path order.
    pub articles: Vec<Arc<Doc<ArticleMeta>>>,
    /// Actor registry entries, in path order.
    pub actors: Vec<Arc<Doc<ActorMeta>>>,
    /// Publication registry entries, in path order.
    pub sources: Vec<Arc<Doc<SourceMeta>>>,
    /// Other files.
    pub assets: Vec<Asset>,
    /// Content files that could not be loaded (each reported with its own
    /// errors), in path order: what they define is unknown, so findings
    /// that would only follow from their absence are left out.
    pub failed: Vec<String>,
}

/// Decodes a file's bytes as UTF-8 text: drops a byte-order mark, turns CRLF
/// (and lone CR) line endings into LF, and refuses NUL bytes.
///
/// # Errors
/// A diagnostic naming the byte offset (and line and column) of the first
/// invalid byte.
pub fn decode(path: &str, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
            return Err(Diagnostic::error(
                Code::Encoding,
                path,
                format!("the file is not valid UTF-8: invalid byte at offset {valid}"),
            )
            .at(Location::of_byte(&prefix, valid, 0))
            .help(
                "save the file as UTF-8 (most editors offer this under \"Save with encoding\")",
            ));
        }
    };
    // `memchr` looks at several bytes at a time, where `str::find` and
    // `contains` of a character go a word at a time.
    if let Some(nul) = memchr::memchr(0, text.as_bytes()) {
        return Err(Diagnostic::error(
            Code::Encoding,
            path,
            format!("the file contains a NUL byte at offset {nul}; is it a binary file?"),
        )
        .at(Location::of_byte(&text, nul, 1))
        .help("remove the NUL byte, or move binary files out of the Markdown folders"));
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return Ok(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    Ok(text)
}

/// Splits and parses a decoded content file.
///
/// # Errors
/// A located diagnostic for missing or unclosed front matter or bad YAML
/// (the first problem; [`parse_doc_all`] reports all of them).
pub fn parse_doc<M: DeserializeOwned>(path: &str, text: String) -> Result<Doc<M>, Diagnostic> {
    parse_doc_all(path, text).map_err(|mut problems| problems.swap_remove(0))
}

/// [`parse_doc`], reporting every problem of the front matter at once.
///
/// # Errors
/// At least one located diagnostic.
pub fn parse_doc_all<M: DeserializeOwned>(
    path: &str,
    text: String,
) -> Result<Doc<M>, Vec<Diagnostic>> {
    parse_text(path, Text::from(text))
}

/// [`parse_doc_all`] of a text whose identity is already known (the
/// fingerprint of the file's bytes).
pub(crate) fn parse_text<M: DeserializeOwned>(
    path: &str,
    text: Text,
) -> Result<Doc<M>, Vec<Diagnostic>> {
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(front_matter::SplitError::Missing) => {
            let message = if text.trim().is_empty() {
                "the file is empty"
            } else {
                "the file has no front matter"
            };
            return Err(vec![
                Diagnostic::error(Code::FrontMatter, path, message)
                    .at(Location::of_line_col(&text, 1, 1))
                    .help(
                        "start the file with a `---` line, the YAML fields, and another `---` line",
                    ),
            ]);
        }
        Err(front_matter::SplitError::Unclosed { line }) => {
            return Err(vec![
                Diagnostic::error(Code::FrontMatter, path, "the front matter is never closed")
                    .at(Location::of_line_col(&text, line, 1))
                    .help("add a line with `---` after the last front-matter field"),
            ]);
        }
    };
    let placement = Placement {
        file_text: &text,
        path,
        line_offset: split.yaml_line_offset,
    };
    // An empty block is YAML null; parse it as an empty mapping so that the
    // error is "missing field `title`" rather than "expected a mapping".
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let meta: M = yaml::parse_all(yaml, placement)?;
    let parse = FrontMatter {
        meta,
        yaml_line_offset: split.yaml_line_offset,
        body_start: split.body_start,
        front_print: text[..split.body_start].fingerprint(),
    };
    Ok(Doc::from_front_matter(path, text, parse))
}

/// What parsing a content file gave besides its text: kept in the build
/// cache, so that a file whose bytes are unchanged is not parsed again.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct FrontMatter<M> {
    pub(crate) meta: M,
    pub(crate) yaml_line_offset: u32,
    pub(crate) body_start: usize,
    pub(crate) front_print: u64,
}

impl<M> Doc<M> {
    /// The document of the file at `path` holding `text`, whose front
    /// matter parsed as `parse`.
    pub(crate) fn from_front_matter(path: &str, text: Text, parse: FrontMatter<M>) -> Doc<M> {
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".md")
            .to_string();
        Doc {
            path: path.to_string(),
            stem,
            text,
            meta: parse.meta,
            yaml_line_offset: parse.yaml_line_offset,
            body_start: parse.body_start,
            front_print: parse.front_print,
        }
    }

    /// The front matter as [`FrontMatter`] holds it, borrowed.
    pub(crate) fn front_matter(&self) -> FrontMatter<&M> {
        FrontMatter {
            meta: &self.meta,
            yaml_line_offset: self.yaml_line_offset,
            body_start: self.body_start,
            front_print: self.front_print,
        }
    }
}

/// Reads, decodes and parses one content file.
///
/// # Errors
/// A diagnostic for anything wrong with the file (including an I/O error,
/// which for a single content file is best reported next to the others).
pub fn read_doc<M: DeserializeOwned>(root: &Path, path: &str) -> Result<Doc<M>, Vec<Diagnostic>> {
    let root = inside::Beneath::new(root);
    parse_bytes(path, read_bytes(&root, path).map_err(|d| vec![d])?)
}

/// Reads one content file's bytes (never through a symbolic link), refusing
/// files over [`MAX_FILE_BYTES`].
///
/// # Errors
/// A diagnostic naming the file for an I/O error or an oversized file.
pub fn read_bytes(root: &inside::Beneath<'_>, path: &str) -> Result<Vec<u8>, Diagnostic> {
    match root.read(path, MAX_FILE_BYTES) {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(size)) => Err(Diagnostic::error(
            Code::TooLarge,
            path,
            format!(
                "the file is {} MB; content files over {} MB are refused",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .help("split it into several articles, or move data files out of content/")),
        Err(e) => Err(Diagnostic::error(
            Code::Io,
            path,
            format!("cannot read the file: {e}"),
        )),
    }
}

/// Decodes and parses the bytes of one content file (already read, and no
/// larger than [`MAX_FILE_BYTES`]).
///
/// # Errors
/// Every located problem with the bytes, fences or YAML.
pub fn parse_bytes<M: DeserializeOwned>(
    path: &str,
    bytes: Vec<u8>,
) -> Result<Doc<M>, Vec<Diagnostic>> {
    let print = bytes.fingerprint();
    let text = decode(path, bytes).map_err(|d| vec![d])?;
    parse_text(path, Text::read(text, print))
}

/// A file found under `content/`.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// What it is.
    pub kind: FileKind,
}

/// An entry of a listing of `content/` made before the build read
/// anything (the build cache's listing of its inputs), which discovery
/// takes instead of walking the folder a second time.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// Path relative to the root, `/`-separated.
    pub(crate) path: String,
    /// What the entry is, not following links.
    pub(crate) kind: ListedKind,
}

/// What a [`Listed`] entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListedKind {
    File,
    Link,
    Other,
}

/// Lists the files under `content/` in path order.
///
/// # Errors
/// When `content/` cannot be read at all.
pub fn discover(root: &Path) -> Result<(Vec<Found>, Diagnostics)> {
    discover_listed(root, None)
}

/// [`discover`], from `listed` (a sorted walk of `content/` made earlier,
/// with every entry it met) when there is one.
pub(crate) fn discover_listed(
    root: &Path,
    listed: Option<Vec<Listed>>,
) -> Result<(Vec<Found>, Diagnostics)> {
    let mut found = Vec::new();
    let mut diagnostics = Diagnostics::new();
    let content = match inside::dir(root, CONTENT_DIR) {
        Ok(content) => content,
        Err(e) => {
            // A linked content/ folder would publish whatever it points
            // at (`content -> /etc`): refuse the whole dossier.
            diagnostics.push(
                Diagnostic::error(
                    Code::Symlink,
                    CONTENT_DIR,
                    format!("cannot use content/: {e}"),
                )
                .help("make content/ a real folder inside the dossier, and copy files into it"),
            );
            return Ok((found, diagnostics));
        }
    };
    let Some(content) = content else {
        diagnostics.push(
            Diagnostic::warning(Code::NoContent, CONTENT_DIR, "there is no content/ folder")
                .help("put articles in content/articles/, actors in content/actors/ and publications in content/sources/"),
        );
        return Ok((found, diagnostics));
    };
    if let Some(listed) = listed {
        for Listed { path, kind } in listed {
            // What the walk below leaves out: anything at or below a
            // scratch name.
            let Some(rest) = below_content(&path) else {
                continue;
            };
            if rest.split('/').any(is_scratch_name) {
                continue;
            }
            note_entry(path, kind, &mut found, &mut diagnostics);
        }
        return Ok((found, diagnostics));
    }
    let walker = sorted_walk(&content)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_scratch_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
            Error::Io {
                action: "read",
                path,
                source: e.into(),
            }
        })?;
        let kind = if entry.path_is_symlink() {
            ListedKind::Link
        } else if entry.file_type().is_file() {
            ListedKind::File
        } else {
            ListedKind::Other
        };
        note_entry(
            relative(root, entry.path()),
            kind,
            &mut found,
            &mut diagnostics,
        );
    }
    Ok((found, diagnostics))
}

/// What discovery makes of one entry under `content/`: a file to load, a
/// finding, or nothing.
fn note_entry(
    rel: String,
    kind: ListedKind,
    found: &mut Vec<Found>,
    diagnostics: &mut Diagnostics,
) {
    match kind {
        ListedKind::Link => {
            diagnostics.push(
                Diagnostic::warning(
                    Code::Symlink,
                    &rel,
                    "symbolic links are not followed; this one is skipped",
                )
                .help("copy the file into content/ instead of linking to it"),
            );
            return;
        }
        ListedKind::Other => return,
        ListedKind::File => {}
    }
    match classify(&rel) {
        Some(FileKind::Stray) => diagnostics.push(
            Diagnostic::warning(
                Code::StrayFile,
                &rel,
                "Markdown outside articles/, actors/ and sources/ is ignored",
            )
            .help("move it into content/articles/ if it is an article"),
        ),
        Some(FileKind::Asset)
            if crate::write::contained_join(Path::new(""), &rel[CONTENT_DIR.len() + 1..])
                .is_err() =>
        {
            // The writer refuses such a name (`:` is a drive or stream
            // separator on some systems); say which file, before any
            // work is done, instead of failing the build at the end.
            diagnostics.push(
                Diagnostic::error(
                    Code::BadFileName,
                    &rel,
                    "this file cannot be published under its name: `:` and `\\` are not allowed in the output",
                )
                .help("rename the file (e.g. `photo 10-30.png`) and the links to it"),
            );
        }
        Some(FileKind::Asset) if folders_below_content(&rel) > crate::write::MOST_FOLDER_LEVELS => {
            diagnostics.push(
                Diagnostic::error(
                    Code::TooDeep,
                    &rel,
                    format!(
                        "this file is {} folders down under content/; at most {} are published",
                        folders_below_content(&rel),
                        crate::write::MOST_FOLDER_LEVELS
                    ),
                )
                .help("move it to a folder nearer content/ and change the links to it"),
            );
        }
        Some(kind) => found.push(Found { path: rel, kind }),
        None => {}
    }
}

/// How many folders down `rel` (a path starting `content/`) is below
/// `content/`: the folders it has in the output.
fn folders_below_content(rel: &str) -> usize {
    rel[CONTENT_DIR.len() + 1..].matches('/').count()
}

/// A walk of `dir` that does not follow links, each folder's entries in
/// the order of their names, so that builds list files the same way on
/// every system.
///
/// Entries are compared by their whole paths: in one folder those differ
/// only in the name, so the order is the same as by name, but a path is a
/// byte comparison where `walkdir`'s `sort_by_file_name` splits both paths
/// into components on every comparison (at 1,000 articles that was 31
/// million instructions on one core, before anything else could start).
pub(crate) fn sorted_walk(dir: &Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
}

fn relative(root: &Path, path: &Path) -> String {
    relative_to(root, path).unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// `path` below `root`, `/`-separated, for a path a walk of `root` gave:
/// `None` for one outside it.
///
/// A walk joins each name to its folder's path, so the path is the root's
/// bytes, a `/` and the rest: cut as bytes, where `Path::strip_prefix`
/// parses both paths into components (at 10,000 articles, 30 million
/// instructions on one core before anything could be read). A rest that
/// is not in that plain form goes through the components.
pub(crate) fn relative_to(root: &Path, path: &Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt as _;
    let root_bytes = root.as_os_str().as_bytes();
    let rest = path.as_os_str().as_bytes().strip_prefix(root_bytes)?;
    let rest = match rest.strip_prefix(b"/") {
        Some(rest) => rest,
        None if root_bytes.ends_with(b"/") => rest,
        None => return slow_relative(root, path),
    };
    let plain = !rest.is_empty()
        && rest
            .split(|&b| b == b'/')
            .all(|part| !part.is_empty() && part != b"." && part != b"..");
    if plain {
        Some(String::from_utf8_lossy(rest).into_owned())
    } else {
        slow_relative(root, path)
    }
}

fn slow_relative(root: &Path, path: &Path) -> Option<String> {
    let parts: Vec<String> = path
        .strip_prefix(root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

enum Parsed {
    Article(Box<Doc<ArticleMeta>>),
    Actor(Box<Doc<ActorMeta>>),
    Source(Box<Doc<SourceMeta>>),
}

/// Discovers and loads every content file, in parallel.
///
/// # Errors
/// Only for environment failures; content problems are in the diagnostics
/// and the offending files are left out of [`Loaded`].
pub fn load(root: &Path) -> Result<(Loaded, Diagnostics)> {
    let (found, mut diagnostics) = discover(root)?;
    let mut loaded = Loaded::default();
    let documents: Vec<&Found> = found.iter().filter(|f| f.kind != FileKind::Asset).collect();
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = documents
        .par_iter()
        .map(|f| {
            Ok(match f.kind {
                FileKind::Article => Parsed::Article(Box::new(read_doc(root, &f.path)?)),
                FileKind::Actor => Parsed::Actor(Box::new(read_doc(root, &f.path)?)),
                _ => Parsed::Source(Box::new(read_doc(root, &f.path)?)),
            })
        })
        .collect();
    for (f, result) in documents.into_iter().zip(results) {
        match result {
            Ok(Parsed::Article(doc)) => loaded.articles.push(Arc::from(doc)),
            Ok(Parsed::Actor(doc)) => loaded.actors.push(Arc::from(doc)),
            Ok(Parsed::Source(doc)) => loaded.sources.push(Arc::from(doc)),
            Err(problems) => {
                loaded.failed.push(f.path.clone());
                diagnostics.extend(problems);
            }
        }
    }
    loaded.assets = found
        .into_iter()
        .filter(|f| f.kind == FileKind::Asset)
        .map(|f| Asset {
            file: root.join(&f.path),
            path: f.path,
        })
        .collect();
    Ok((loaded, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_nested_deeper_than_the_output_may_be_is_refused_by_name() {
        let deep = |levels: usize| format!("content/{}x.png", "f/".repeat(levels));
        let note = |rel: String| {
            let (mut found, mut diagnostics) = (Vec::new(), Diagnostics::default());
            note_entry(rel, ListedKind::File, &mut found, &mut diagnostics);
            (found.len(), diagnostics.into_iter().collect::<Vec<_>>())
        };
        let most = crate::write::MOST_FOLDER_LEVELS;
        assert_eq!(note(deep(most)), (1, Vec::new()));
        let (kept, findings) = note(deep(most + 1));
        assert_eq!(kept, 0);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::TooDeep);
        assert_eq!(findings[0].path, deep(most + 1));
        assert!(
            findings[0]
                .message
                .contains(&format!("{} folders down", most + 1))
        );
    }

    #[test]
    fn classifies_by_folder() {
        assert_eq!(classify("content/articles/a.md"), Some(FileKind::Article));
        assert_eq!(
            classify("content/articles/2017/a.md"),
            Some(FileKind::Article)
        );
        assert_eq!(classify("content/actors/putin.md"), Some(FileKind::Actor));
        assert_eq!(classify("content/actors/x/putin.md"), Some(FileKind::Stray));
        assert_eq!(classify("content/sources/rt.md"), Some(FileKind::Source));
        assert_eq!(classify("content/notes.md"), Some(FileKind::Stray));
        assert_eq!(classify("content/media/a.jpg"), Some(FileKind::Asset));
        assert_eq!(classify("site.yaml"), None);
    }

    #[test]
    fn paths_below_the_root_are_cut_as_their_components_say() {
        let cases = [
            ("dossier", "dossier/content/articles/a.md"),
            ("dossier/", "dossier/content/articles/a.md"),
            (".", "./content/articles/a.md"),
            ("/srv/d", "/srv/d/site.yaml"),
            ("/srv/d", "/srv/d/content"),
            ("d", "d/./content/a.md"),
            ("d", "d//content/a.md"),
            ("d", "d/content/../a.md"),
            ("", "content/a.md"),
        ];
        for (root, path) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(
                relative_to(root, path),
                slow_relative(root, path),
                "{root:?} {path:?}"
            );
        }
        let root = Path::new("d");
        assert_eq!(relative_to(root, Path::new("elsewhere/a.md")), None);
        assert_eq!(relative_to(root, Path::new("dx/a.md")), None);
        assert_eq!(
            relative_to(root, Path::new("d/content/ü.md")).as_deref(),
            Some("content/ü.md")
        );
    }

    #[test]
    fn decode_normalises_bom_and_line_endings() {
        let text = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\n".to_vec()).unwrap();
        assert_eq!(text, "---\ntitle: A\n---\n");
    }

    #[test]
    fn decode_names_the_offset_of_invalid_utf8() {
        let err = decode("a.md", b"---\ntitle: caf\xE9\n".to_vec()).unwrap_err();
        assert!(err.message.contains("offset 14"), "{}", err.message);
        assert_eq!(err.position(), "a.md:2:11");
    }

    #[test]
    fn decode_refuses_nul_bytes() {
        let err = decode("a.md", b"---\nti\0tle: A\n".to_vec()).unwrap_err();
        assert_eq!(err.position(), "a.md:2:3");
    }

    #[test]
    fn scratch_files_are_recognised() {
        for name in [
            ".article.md.swp",
            "article.md~",
            ".#article.md",
            "#article.md#",
            "4913",
            ".hidden.md",
        ] {
            assert!(is_scratch_name(name), "{name}");
        }
        assert!(!is_scratch_name("article.md"));
    }

    #[test]
    fn parse_doc_locates_yaml_errors_in_the_file() {
        let err = parse_doc::<ArticleMeta>(
            "content/articles/a.md",
            "\n---\ntitle: A\nfoo: 1\n---\n".into(),
        )
        .unwrap_err();
        assert_eq!(err.position(), "content/articles/a.md:4:1");
        let err =
            parse_doc::<ArticleMeta>("content/articles/a.md", "---\n---\nbody".into()).unwrap_err();
        assert!(err.message.contains("`title`"), "{}", err.message);
    }
}
