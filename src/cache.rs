//! The build cache: what one `dossier build` leaves beside its output so
//! that the next one reuses its work instead of starting from nothing.
//!
//! It lives in `.<output>.cache/`, beside the staging folder, and holds two
//! files:
//! - `manifest`: which tool wrote it, for which dossier and options, on
//!   which day; every input file under `site.yaml`, `content/` and
//!   `themes/` with its size, times and inode (and, for content the build
//!   read, the fingerprint of the bytes it read); every output file with
//!   its size, modification time, inode, permissions and owner
//!   ([`FileStat::of_output`]); the build's warnings. It is small and read
//!   on every build: when no input changed and the output is as the cache
//!   left it, the build ends there, having rendered and written nothing.
//! - `state`, `bodies-00` … and `files-00` … (one part per 128 files, at
//!   most 64 of each): the engine's [`Snapshot`] (what each page was made
//!   from and what it holds; what each Markdown text says, without an
//!   article's HTML; each content file's parsed front matter, so that only
//!   the files that changed are parsed again; the last two split by path
//!   into parts, so that an edit rewrites one part, not every file's), read
//!   only when something changed.
//!   The engine then renders only the Markdown whose file or context
//!   changed and the pages whose input changed, and the staging folder is
//!   made a mirror of the live site with hard links, so only changed files
//!   are written.
//!
//! The cache is never trusted. Each file starts with a magic line and a
//! fingerprint of the rest, and the manifest names the tool (its version
//! and the size and time of its executable, so that a rebuilt binary is
//! another tool), the dossier folder, the options, the day (the briefing's
//! edition date defaults to today) and the fingerprint of the state file.
//! Anything that does not match is ignored, with a reason the build
//! reports, and the build starts from nothing. Output files are checked
//! against the manifest before any page is skipped; a site changed by hand
//! is rendered and compared in full (for what a hand change must touch to
//! be seen, see [`FileStat::of_output`]).
//!
//! Input changes are found as Git finds them: by size, times and inode,
//! listed before the build reads anything (so an edit made during a build
//! shows as a change next time). A file whose times fall within
//! [`RACY_WINDOW`] of that listing may have changed again within the clock's
//! granularity: its bytes are fingerprinted and compared, or, for a file
//! whose fingerprint the build did not keep, it counts as changed. A
//! content file unchanged by that test is not read by the next build at
//! all ([`BuildCache::state`] vouches for it): its parse comes from the
//! cache, and its text is read only if a page needs it, checked against
//! the fingerprint the cache recorded.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::diagnostic::Diagnostic;
use crate::engine::{MAX_PARTS, Restored, Snapshot};
use crate::error::{Error, Result};
use crate::fingerprint::{FastMap, Fingerprint};
use crate::write::Made;

/// Bumped whenever what the cache holds changes shape or meaning.
const FORMAT: u32 = 11;

/// The first bytes of each cache file.
const MAGIC: &[u8] = b"dossier build cache\n";

const MANIFEST: &str = "manifest";
const STATE: &str = "state";

/// The parts of the rendered bodies.
const BODIES: &str = "bodies";
/// The parts of the parsed front matter.
const FILES: &str = "files";

/// The file of one part of the cached bodies or parses (`family`).
fn part_file(family: &str, index: usize) -> String {
    format!("{family}-{index:02}")
}

/// One part of the cached bodies or parses, as the state file knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct ShardInfo {
    /// What it holds (see [`crate::engine::bodies::BodyCache::shards`]).
    signature: u64,
    /// The fingerprint of its file.
    print: u64,
}

/// The state file, for writing.
#[derive(Serialize)]
struct StateRef<'a> {
    rest: &'a crate::engine::SnapshotRest<'a>,
    bodies: &'a [ShardInfo],
    files: &'a [ShardInfo],
}

/// The state file, read back.
#[derive(Deserialize)]
struct State {
    rest: crate::engine::RestoredRest,
    bodies: Vec<ShardInfo>,
    files: Vec<ShardInfo>,
}

/// How close to the listing a file's times must be for its size and times
/// not to be trusted alone (file-system clocks tick coarsely).
pub(crate) const RACY_WINDOW: std::time::Duration = std::time::Duration::from_secs(2);

/// The tool that wrote a cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    format: u32,
    version: String,
    /// Size and modification time of the executable.
    executable: (u64, i128),
}

impl Stamp {
    fn current() -> Stamp {
        let executable = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|m| (m.len(), mtime(&m)))
            .unwrap_or_default();
        Stamp {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            executable,
        }
    }
}

/// What `stat` says of a file: enough to tell that it changed without
/// reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStat {
    kind: u8,
    size: u64,
    mtime: i128,
    ctime: i128,
    inode: u64,
    /// Permissions and owner: a page a web server may no longer read is
    /// a changed page.
    mode: u32,
    owner: (u32, u32),
}

impl FileStat {
    fn of(meta: &fs::Metadata) -> FileStat {
        let kind = if meta.is_file() {
            0
        } else if meta.is_dir() {
            1
        } else if meta.file_type().is_symlink() {
            2
        } else {
            3
        };
        FileStat {
            kind,
            // A folder's size and times change with its entries, which are
            // listed themselves.
            size: if kind == 1 { 0 } else { meta.len() },
            mtime: if kind == 1 { 0 } else { mtime(meta) },
            ctime: if kind == 1 { 0 } else { ctime(meta) },
            inode: if kind == 1 { 0 } else { meta.ino() },
            mode: if kind == 1 { 0 } else { meta.mode() },
            owner: if kind == 1 {
                (0, 0)
            } else {
                (meta.uid(), meta.gid())
            },
        }
    }

    /// What `stat` says of an output file, without its change time:
    /// making the next build's staging folder a mirror of the site links
    /// every file of it (the first build through a cache after one from
    /// nothing links all of them), which changes their change time and
    /// nothing else. Size, modification time, inode, permissions and owner
    /// still show a file written over, replaced or made unreadable since
    /// the build. What goes unseen is a file rewritten in place, to the
    /// same size, with its old modification time put back to the
    /// nanosecond (`touch -r`, `cp -p` over it); `--no-cache` compares
    /// every page's bytes and repairs it. Keeping the change time would
    /// have every such build `stat` the whole site again to record it
    /// (10,000 files: 20-30 ms, a tenth of an edit's build).
    fn of_output(meta: &fs::Metadata) -> FileStat {
        FileStat {
            ctime: 0,
            ..FileStat::of(meta)
        }
    }

    /// Not reliable alone: changed within `window` (nanoseconds) of
    /// `listed_at`, or dated in the future.
    fn racy(&self, listed_at: i128, window: i128) -> bool {
        self.kind != 1 && self.mtime.max(self.ctime) >= listed_at - window
    }
}

fn mtime(meta: &fs::Metadata) -> i128 {
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

fn ctime(meta: &fs::Metadata) -> i128 {
    i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or_default()
}

/// The dossier's input files as listed before a build reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Inputs {
    /// When the listing was made (nanoseconds since the epoch).
    listed_at: i128,
    /// Path (relative to the root, `/`-separated), what `stat` said, and
    /// for settings and theme files the fingerprint of their bytes, in path
    /// order.
    files: Vec<(String, FileStat, Option<u64>)>,
    /// Did the walk of `content/` meet every entry (no folder it could not
    /// read, no entry gone before its `stat`)?
    #[serde(skip)]
    content_whole: bool,
}

impl Inputs {
    /// Lists `site.yaml` and everything under `content/` and `themes/`,
    /// without following links. The few settings and theme files are
    /// fingerprinted now; content is fingerprinted as the build reads it.
    pub(crate) fn list(root: &Path) -> Inputs {
        let listed_at = now_ns();
        let mut files = Vec::new();
        let mut content_whole = true;
        for top in [
            crate::config::CONFIG_FILE,
            crate::load::CONTENT_DIR,
            "themes",
        ] {
            let mut whole = true;
            let entries = crate::load::sorted_walk(&root.join(top))
                .follow_root_links(false)
                .into_iter()
                .filter_map(|e| e.map_err(|_| whole = false).ok())
                .collect();
            for (entry, meta) in with_details(entries) {
                let (Ok(meta), Some(rel)) = (meta, crate::load::relative_to(root, entry.path()))
                else {
                    whole = false;
                    continue;
                };
                let print = (top != crate::load::CONTENT_DIR && meta.is_file())
                    .then(|| fingerprint_file(root, &rel))
                    .flatten();
                files.push((rel, FileStat::of(&meta), print));
            }
            if top == crate::load::CONTENT_DIR {
                content_whole = whole;
            }
        }
        Inputs {
            listed_at,
            files,
            content_whole,
        }
    }

    /// The listing of `content/`, for discovery to take instead of walking
    /// it again, when the walk met every entry (else discovery walks, and
    /// reports what it cannot read).
    pub(crate) fn content_listing(&self) -> Option<Vec<crate::load::Listed>> {
        use crate::load::{Listed, ListedKind};
        self.content_whole.then(|| {
            self.files
                .iter()
                .filter(|(path, _, _)| crate::load::below_content(path).is_some())
                .map(|(path, stat, _)| Listed {
                    path: path.clone(),
                    kind: match stat.kind {
                        0 => ListedKind::File,
                        2 => ListedKind::Link,
                        _ => ListedKind::Other,
                    },
                })
                .collect()
        })
    }
}

/// One input file in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Input {
    path: String,
    stat: FileStat,
    /// The fingerprint of the bytes the build read, for content files.
    fingerprint: Option<u64>,
}

/// Everything a build needs to decide, cheaply, whether there is anything
/// to do, and whether the state file can be used.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    stamp: Stamp,
    dossier: PathBuf,
    options: u64,
    day: String,
    listed_at: i128,
    inputs: Vec<Input>,
    /// Output files (relative to the output folder) as the build left them.
    outputs: Vec<(String, FileStat)>,
    warnings: Vec<Diagnostic>,
    pages: usize,
    /// The fingerprint of the state file's contents.
    state: u64,
}

/// Why a build could not use its cache.
pub(crate) type Ignored = String;

/// A build's cache folder and what was found in it.
#[derive(Debug)]
pub(crate) struct BuildCache {
    dir: PathBuf,
    dossier: PathBuf,
    options: u64,
    /// [`RACY_WINDOW`] or what the build asked for instead, in nanoseconds.
    racy_window: i128,
    manifest: std::result::Result<Manifest, Ignored>,
    /// The parts on disk, once the state was read: parts that still hold
    /// the same are not written again.
    bodies: Vec<ShardInfo>,
    files: Vec<ShardInfo>,
}

/// What the last build left, when nothing changed since.
#[derive(Debug)]
pub(crate) struct UpToDate {
    pub(crate) pages: usize,
    pub(crate) files: usize,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl BuildCache {
    /// Opens the cache at `dir` for a build of `dossier` (absolute) with
    /// `options` (a fingerprint of every setting that changes the output),
    /// not trusting size and times alone for files changed within
    /// `racy_window` of a listing. Never fails: a missing, unreadable or
    /// unusable cache is recorded as ignored, with the reason.
    pub(crate) fn open(
        dir: &Path,
        dossier: &Path,
        options: u64,
        racy_window: std::time::Duration,
    ) -> BuildCache {
        let manifest = read::<Manifest>(&dir.join(MANIFEST)).and_then(|m| {
            let current = Stamp::current();
            if m.stamp.format != current.format || m.stamp.version != current.version {
                Err(format!(
                    "written by dossier {} (cache format {}), this is {} (format {})",
                    m.stamp.version, m.stamp.format, current.version, current.format
                ))
            } else if m.stamp != current {
                Err("written by another build of dossier".to_string())
            } else if m.dossier != dossier {
                Err(format!("made for the dossier at {}", m.dossier.display()))
            } else if m.options != options {
                Err("made with other options (drafts, base URL, strict, PDF)".to_string())
            } else {
                Ok(m)
            }
        });
        BuildCache {
            dir: dir.to_path_buf(),
            dossier: dossier.to_path_buf(),
            options,
            racy_window: racy_window.as_nanos() as i128,
            manifest,
            bodies: Vec::new(),
            files: Vec::new(),
        }
    }

    /// What the last build left, if `inputs` (listed now) are what it
    /// read, the day is the same and the live output at `live` is as it
    /// was left.
    pub(crate) fn up_to_date(&self, root: &Path, inputs: &Inputs, live: &Path) -> Option<UpToDate> {
        let manifest = self.manifest.as_ref().ok()?;
        let same = manifest.day == today()
            && manifest.inputs.len() == inputs.files.len()
            && manifest
                .inputs
                .iter()
                .zip(&inputs.files)
                .all(|(old, (path, stat, _))| {
                    old.path == *path
                        && old.stat == *stat
                        && (!stat.racy(manifest.listed_at, self.racy_window)
                            || same_bytes(root, old))
                })
            && outputs_intact(live, &manifest.outputs);
        same.then(|| UpToDate {
            pages: manifest.pages,
            files: manifest.outputs.len(),
            warnings: manifest.warnings.clone(),
        })
    }

    /// The engine state of the last build, and whether the live output at
    /// `live` is still exactly what that build left. `Err` says why there
    /// is nothing to reuse.
    ///
    /// The state vouches for the content files of `inputs` (listed now)
    /// that are unchanged since the last build read them: same size, times
    /// and inode, and not changed within the racy window of its listing,
    /// so that their bytes are the ones whose fingerprint it recorded.
    pub(crate) fn state(
        &mut self,
        live: &Path,
        inputs: &Inputs,
    ) -> std::result::Result<(Restored, bool), Ignored> {
        let manifest = self.manifest.as_ref().map_err(Clone::clone)?;
        let vouched = self.vouched(manifest, inputs);
        let (state, print) = read_with_print::<State>(&self.dir.join(STATE))?;
        if print != manifest.state {
            return Err("its state file belongs to another build".to_string());
        }
        let bodies = self.read_parts(BODIES, &state.bodies)?;
        let files = self.read_parts(FILES, &state.files)?;
        let intact = outputs_intact(live, &manifest.outputs);
        self.bodies = state.bodies;
        self.files = state.files;
        Ok((
            Restored {
                rest: state.rest,
                bodies,
                files,
                vouched,
            },
            intact,
        ))
    }

    /// The content files of `inputs` unchanged since `manifest`'s build
    /// read them, with the fingerprint of the bytes it read.
    fn vouched(&self, manifest: &Manifest, inputs: &Inputs) -> FastMap<String, u64> {
        let before: FastMap<&str, &Input> = manifest
            .inputs
            .iter()
            .map(|input| (input.path.as_str(), input))
            .collect();
        let content = format!("{}/", crate::load::CONTENT_DIR);
        inputs
            .files
            .iter()
            .filter(|(path, stat, _)| {
                path.starts_with(&content)
                    && stat.kind == 0
                    && !stat.racy(manifest.listed_at, self.racy_window)
            })
            .filter_map(|(path, stat, _)| {
                let old = before.get(path.as_str())?;
                let print = old.fingerprint.filter(|_| old.stat == *stat)?;
                Some((path.clone(), print))
            })
            .collect()
    }

    /// Reads the parts of `family` that `infos` names, checking each
    /// against its fingerprint there.
    fn read_parts<T: DeserializeOwned + Send>(
        &self,
        family: &str,
        infos: &[ShardInfo],
    ) -> std::result::Result<Vec<T>, Ignored> {
        use rayon::prelude::*;
        if infos.is_empty() || infos.len() > MAX_PARTS {
            return Err("its state file is damaged (wrong number of parts)".to_string());
        }
        infos
            .par_iter()
            .enumerate()
            .map(|(index, info)| {
                let name = part_file(family, index);
                let (part, print) = read_with_print(&self.dir.join(&name))?;
                if print == info.print {
                    Ok(part)
                } else {
                    Err(format!("{name} belongs to another build"))
                }
            })
            .collect()
    }

    /// Writes the parts of `family` whose signature differs from the part
    /// on disk (`old`; all of them when the state was not read).
    fn write_parts<T: Serialize + Sync>(
        &self,
        family: &str,
        parts: &[(u64, T)],
        old: &[ShardInfo],
    ) -> Result<Vec<ShardInfo>> {
        use rayon::prelude::*;
        parts
            .par_iter()
            .enumerate()
            .map(|(index, (signature, part))| match old.get(index) {
                Some(old) if old.signature == *signature => Ok(*old),
                _ => write_atomically(&self.dir, &part_file(family, index), part).map(|print| {
                    ShardInfo {
                        signature: *signature,
                        print,
                    }
                }),
            })
            .collect()
    }

    /// The live output's files as the last build left them, with their
    /// inodes (for [`crate::write::OutputDir::stage_mirror`], once
    /// [`BuildCache::state`] has said the output is intact: every one was
    /// just seen with that inode).
    pub(crate) fn outputs(&self) -> impl Iterator<Item = (&str, u64)> {
        self.manifest.iter().flat_map(|m| {
            m.outputs
                .iter()
                .map(|(path, stat)| (path.as_str(), stat.inode))
        })
    }

    /// Records a successful build: `inputs` as listed before it read
    /// anything, its engine's `snapshot`, and the files it published in the
    /// live output at `live`, each as the build left it (see
    /// [`stat_outputs`]): a file changed by hand during the build then
    /// shows as changed next time, instead of being recorded as the
    /// build's.
    ///
    /// # Errors
    /// I/O failures, naming the path.
    pub(crate) fn save(
        &self,
        inputs: Inputs,
        fingerprint_of: impl Fn(&str) -> Option<u64>,
        snapshot: &Snapshot<'_>,
        (live, published, intact): (&Path, Vec<(String, Made)>, bool),
        pages: usize,
        warnings: &[Diagnostic],
    ) -> Result<()> {
        let checked: FastMap<&str, FileStat> = match (&self.manifest, intact) {
            (Ok(manifest), true) => manifest
                .outputs
                .iter()
                .map(|(path, stat)| (path.as_str(), *stat))
                .collect(),
            _ => FastMap::default(),
        };
        prepare_dir(&self.dir)?;
        // Parts first, then the state naming them, then the manifest naming
        // the state: a kill in between leaves files that do not match what
        // names them, and the cache is ignored, never half used.
        // The published files are looked at while the parts are written:
        // one is system calls, the other encoding.
        let ((bodies, files), outputs) = rayon::join(
            || {
                rayon::join(
                    || self.write_parts(BODIES, &snapshot.bodies, &self.bodies),
                    || self.write_parts(FILES, &snapshot.files, &self.files),
                )
            },
            || stat_outputs(live, published, &checked),
        );
        let (bodies, files) = (bodies?, files?);
        let state = StateRef {
            rest: &snapshot.rest,
            bodies: &bodies,
            files: &files,
        };
        let state_print = write_atomically(&self.dir, STATE, &state)?;
        let manifest = Manifest {
            stamp: Stamp::current(),
            dossier: self.dossier.clone(),
            options: self.options,
            day: today(),
            listed_at: inputs.listed_at,
            inputs: inputs
                .files
                .into_iter()
                .map(|(path, stat, print)| Input {
                    fingerprint: print.or_else(|| fingerprint_of(&path)),
                    path,
                    stat,
                })
                .collect(),
            outputs: outputs?,
            warnings: warnings.to_vec(),
            pages,
            state: state_print,
        };
        write_atomically(&self.dir, MANIFEST, &manifest)?;
        // A dossier that had more files had more parts: those past the
        // new count are named by nothing now.
        for (family, now, before) in [
            (BODIES, bodies.len(), self.bodies.len()),
            (FILES, files.len(), self.files.len()),
        ] {
            for index in now..before {
                let _ = fs::remove_file(self.dir.join(part_file(family, index)));
            }
        }
        Ok(())
    }
}

/// Today, as the briefing's default edition date sees it.
fn today() -> String {
    crate::model::date::today().iso()
}

/// Does the file still hold the bytes the build read?
fn same_bytes(root: &Path, input: &Input) -> bool {
    input.fingerprint.is_some() && fingerprint_file(root, &input.path) == input.fingerprint
}

/// The fingerprint of an input file's bytes, as the engine takes it of the
/// content it reads.
fn fingerprint_file(root: &Path, path: &str) -> Option<u64> {
    crate::load::read_bytes(&crate::load::inside::Beneath::new(root), path)
        .ok()
        .map(|bytes| bytes.fingerprint())
}

/// The record of each file the build published at `live`, as the build
/// left it: for a file it wrote, the details the write left (taken from
/// the open file); for one it kept, in a build whose output this cache
/// found intact, what `stat` said when the build `checked` it; for any
/// other (a copy the mirror made, a kept file with no record), what `stat`
/// says now. The build knows which files the output holds (a commit
/// removes every other), so they are looked at without walking the
/// output's folders. A file looked up and missing fails the save; one
/// written and removed since is recorded, and the next build finds it
/// missing and compares every page. Where closing a file moves
/// its modification time (some network and FUSE file systems), the
/// records of written files do not match, and the next build compares
/// every page: slower, never wrong.
fn stat_outputs(
    live: &Path,
    published: Vec<(String, Made)>,
    checked: &FastMap<&str, FileStat>,
) -> Result<Vec<(String, FileStat)>> {
    use rayon::prelude::*;
    published
        .into_par_iter()
        .map(|(rel, made)| {
            match made {
                Made::Kept => {
                    if let Some(&stat) = checked.get(rel.as_str()) {
                        return Ok((rel, stat));
                    }
                }
                Made::Written(Some(details)) => return Ok((rel, FileStat::of_output(&details))),
                Made::Written(None) => {}
            }
            let path = crate::write::contained_join(live, &rel)?;
            let meta =
                fs::symlink_metadata(&path).map_err(Error::io("read the details of", &path))?;
            Ok((rel, FileStat::of_output(&meta)))
        })
        .collect()
}

/// Each walked entry with what `lstat` says of it, in the same order. The
/// folders are read in one walk; the details, a system call per file and
/// most of what listing a large site costs, are fetched in parallel.
fn with_details(
    entries: Vec<walkdir::DirEntry>,
) -> Vec<(walkdir::DirEntry, std::io::Result<fs::Metadata>)> {
    use rayon::prelude::*;
    entries
        .into_par_iter()
        .map(|entry| {
            let meta = fs::symlink_metadata(entry.path());
            (entry, meta)
        })
        .collect()
}

/// Is every recorded output file still there, unchanged?
fn outputs_intact(live: &Path, outputs: &[(String, FileStat)]) -> bool {
    use rayon::prelude::*;
    !outputs.is_empty()
        && outputs.par_iter().all(|(path, stat)| {
            fs::symlink_metadata(live.join(path)).is_ok_and(|m| FileStat::of_output(&m) == *stat)
        })
}

/// Makes the cache folder (marked as ours, like the output), refusing one
/// that is a link or not a folder.
fn prepare_dir(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            // Temporary files of a build killed while saving.
            for entry in fs::read_dir(dir).map_err(Error::io("read", dir))?.flatten() {
                if entry.file_name().to_string_lossy().starts_with(".tmp") {
                    let _ = fs::remove_file(entry.path());
                }
            }
            // The lock's check found the folder ours or empty: an empty one
            // without the marker was left by a build killed between making
            // and marking it, and is marked before anything goes into it.
            write_cache_marker(dir)
        }
        Ok(_) => Err(Error::UnsafeOutput {
            path: dir.to_path_buf(),
            reason: "the build cache is not a folder (a link or a file); remove it".into(),
        }),
        Err(_) => {
            fs::create_dir(dir).map_err(Error::io("create folder", dir))?;
            write_cache_marker(dir)
        }
    }
}

/// Marks the cache folder as ours, unless it is.
fn write_cache_marker(dir: &Path) -> Result<()> {
    if crate::write::has_marker(dir) {
        return Ok(());
    }
    crate::write::write_marker_text(dir, "The build cache of dossier: safe to delete.\n")
}

/// The fingerprint of a cache file's payload.
fn payload_print(payload: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = crate::fingerprint::hasher();
    hasher.write(payload);
    hasher.finish()
}

/// Writes `MAGIC`, the fingerprint of the encoded `value` and the encoding
/// to `dir/name` through a temporary file and a rename, so that a reader
/// sees the old file or the new one, never half of one, and a link planted
/// at `name` is replaced, not followed. Returns the fingerprint.
fn write_atomically<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T) -> Result<u64> {
    let path = dir.join(name);
    let failed = |e| Error::io("write", &path)(e);
    // Encoded whole, then written: postcard's many small writes cost more
    // through a writer than into a vector (the largest file, the manifest,
    // is ~2 MB at 10,000 articles).
    let payload = postcard::to_stdvec(value).map_err(|e| failed(std::io::Error::other(e)))?;
    let print = payload_print(&payload);
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(Error::io("create in", dir))?;
    file.write_all(MAGIC)
        .and_then(|()| file.write_all(&print.to_le_bytes()))
        .and_then(|()| file.write_all(&payload))
        .map_err(failed)?;
    file.persist(&path).map_err(|e| failed(e.error))?;
    Ok(print)
}

fn read<T: DeserializeOwned>(path: &Path) -> std::result::Result<T, Ignored> {
    read_with_print(path).map(|(value, _)| value)
}

/// Reads a file written by [`write_atomically`], checking its magic and
/// fingerprint before decoding it.
fn read_with_print<T: DeserializeOwned>(path: &Path) -> std::result::Result<(T, u64), Ignored> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("there is none yet".to_string());
        }
        Err(e) => return Err(format!("it cannot be read ({e})")),
    };
    let corrupt = || "it is damaged (its checksum does not match)".to_string();
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(corrupt)?;
    let (print, payload) = rest.split_first_chunk::<8>().ok_or_else(corrupt)?;
    let print = u64::from_le_bytes(*print);
    if payload_print(payload) != print {
        return Err(corrupt());
    }
    postcard::from_bytes(payload)
        .map(|value| (value, print))
        .map_err(|e| format!("it cannot be decoded ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    impl BuildCache {
        fn ignored(&self) -> Option<&str> {
            self.manifest.as_ref().err().map(String::as_str)
        }
    }

    #[test]
    fn discovery_from_the_input_listing_equals_a_walk() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        let write = |rel: &str| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "---\ntitle: x\n---\n").unwrap();
        };
        for rel in [
            "site.yaml",
            "content/articles/a.md",
            "content/articles/2017/b.md",
            "content/articles/.c.md.swp",
            "content/articles/#d.md#",
            "content/articles/.drafts/e.md",
            "content/actors/f.md",
            "content/actors/x/g.md",
            "content/notes.md",
            "content/media/photo.jpg",
            "content/media/bad:name.png",
            "content/sources/h.md",
        ] {
            write(rel);
        }
        std::os::unix::fs::symlink(
            root.join("content/actors/f.md"),
            root.join("content/actors/l.md"),
        )
        .unwrap();
        let shown =
            |(found, diagnostics): (Vec<crate::load::Found>, crate::diagnostic::Diagnostics)| {
                let found: Vec<String> = found
                    .into_iter()
                    .map(|f| format!("{} {:?}", f.path, f.kind))
                    .collect();
                let diagnostics: Vec<String> =
                    diagnostics.iter().map(|d| format!("{d:?}")).collect();
                (found, diagnostics)
            };
        let listing = Inputs::list(root)
            .content_listing()
            .expect("a whole listing");
        let walked = shown(crate::load::discover_listed(root, None).unwrap());
        let listed = shown(crate::load::discover_listed(root, Some(listing)).unwrap());
        assert_eq!(listed, walked);
        // Every kind of finding is there to compare.
        assert_eq!(walked.0.len(), 5, "{:?}", walked.0);
        assert_eq!(walked.1.len(), 4, "{:?}", walked.1);
    }

    fn manifest(stamp: Stamp) -> Manifest {
        Manifest {
            stamp,
            dossier: PathBuf::from("/d"),
            options: 7,
            day: today(),
            listed_at: 0,
            inputs: Vec::new(),
            outputs: Vec::new(),
            warnings: vec![Diagnostic::warning(
                crate::diagnostic::Code::RelativeBaseUrl,
                "site.yaml",
                "w",
            )],
            pages: 3,
            state: 0,
        }
    }

    #[test]
    fn published_files_are_looked_at_and_a_missing_one_fails_the_save() {
        let live = tempfile::tempdir().unwrap();
        fs::create_dir(live.path().join("a")).unwrap();
        fs::write(live.path().join("a/index.html"), "page").unwrap();
        fs::write(live.path().join("feed.xml"), "feed").unwrap();
        let files = |names: &[&str]| {
            names
                .iter()
                .map(|n| (n.to_string(), Made::Written(None)))
                .collect()
        };
        let none = FastMap::default();
        let stats = stat_outputs(live.path(), files(&["a/index.html", "feed.xml"]), &none).unwrap();
        let names: Vec<&str> = stats.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a/index.html", "feed.xml"]);
        assert_eq!(stats[0].1.size, 4);
        // Removed since the commit: the next build must not trust this output.
        assert!(stat_outputs(live.path(), files(&["a/index.html", "gone.html"]), &none).is_err());
    }

    #[test]
    fn a_file_the_build_did_not_change_keeps_the_record_it_was_checked_against() {
        let live = tempfile::tempdir().unwrap();
        let page = live.path().join("page.html");
        fs::write(&page, "page").unwrap();
        let checked_stat = FileStat::of_output(&fs::symlink_metadata(&page).unwrap());
        // Changed by hand while the build ran, after its check.
        fs::write(&page, "edited by hand").unwrap();
        let checked: FastMap<&str, FileStat> = [("page.html", checked_stat)].into_iter().collect();
        let kept = stat_outputs(
            live.path(),
            vec![("page.html".into(), Made::Kept)],
            &checked,
        )
        .unwrap();
        // Recorded as checked: the next build sees the hand edit and
        // compares the output in full.
        assert_eq!(kept[0].1, checked_stat);
        assert!(!outputs_intact(live.path(), &kept));
        // A file the build wrote, whose details it does not know (the
        // mirror copied it), is looked at again.
        let copied = vec![("page.html".into(), Made::Written(None))];
        let written = stat_outputs(live.path(), copied, &checked).unwrap();
        assert_eq!(written[0].1.size, "edited by hand".len() as u64);
        assert!(outputs_intact(live.path(), &written));
    }

    #[test]
    fn a_file_the_build_wrote_is_recorded_as_the_write_left_it() {
        let live = tempfile::tempdir().unwrap();
        let page = live.path().join("page.html");
        fs::write(&page, "page").unwrap();
        let as_written = fs::symlink_metadata(&page).unwrap();
        // Changed by hand between the build's write and its record.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&page, "edited by hand").unwrap();
        let made = vec![("page.html".into(), Made::Written(Some(as_written)))];
        let recorded = stat_outputs(live.path(), made, &FastMap::default()).unwrap();
        // Not what is there now: the next build sees the hand edit.
        assert_eq!(recorded[0].1.size, "page".len() as u64);
        assert!(!outputs_intact(live.path(), &recorded));
    }

    fn save(dir: &Path, m: &Manifest) {
        write_atomically(dir, MANIFEST, m).unwrap();
    }

    #[test]
    fn a_cache_from_this_tool_for_this_dossier_is_used() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &manifest(Stamp::current()));
        let cache = BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW);
        assert_eq!(cache.ignored(), None);
        let m = cache.manifest.unwrap();
        assert_eq!(m.warnings[0].code, "relative-base-url");
    }

    #[test]
    fn a_cache_written_by_another_version_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let older = Stamp {
            version: "0.0.1".into(),
            ..Stamp::current()
        };
        save(dir.path(), &manifest(older));
        let cache = BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW);
        assert!(
            cache.ignored().unwrap().contains("0.0.1"),
            "{:?}",
            cache.ignored()
        );

        let rebuilt = Stamp {
            executable: (1, 2),
            ..Stamp::current()
        };
        save(dir.path(), &manifest(rebuilt));
        let cache = BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW);
        assert!(cache.ignored().unwrap().contains("another build"));

        let format = Stamp {
            format: FORMAT + 1,
            ..Stamp::current()
        };
        save(dir.path(), &manifest(format));
        assert!(
            BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW)
                .ignored()
                .is_some()
        );
    }

    #[test]
    fn a_cache_for_another_dossier_or_other_options_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &manifest(Stamp::current()));
        let other = BuildCache::open(dir.path(), Path::new("/elsewhere"), 7, RACY_WINDOW);
        assert!(other.ignored().unwrap().contains("/d"));
        let options = BuildCache::open(dir.path(), Path::new("/d"), 8, RACY_WINDOW);
        assert!(options.ignored().unwrap().contains("options"));
    }

    #[test]
    fn a_damaged_cache_is_ignored_whatever_the_damage() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &manifest(Stamp::current()));
        let path = dir.path().join(MANIFEST);
        let good = fs::read(&path).unwrap();
        // Every single-byte change, and every truncation.
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x20;
            fs::write(&path, &bad).unwrap();
            let cache = BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW);
            assert!(
                cache.ignored().is_some(),
                "byte {i} changed and not noticed"
            );
            fs::write(&path, &good[..i]).unwrap();
            let cache = BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW);
            assert!(cache.ignored().is_some(), "cut at {i} and not noticed");
        }
        fs::write(&path, &good).unwrap();
        assert!(
            BuildCache::open(dir.path(), Path::new("/d"), 7, RACY_WINDOW)
                .ignored()
                .is_none()
        );
    }
}
