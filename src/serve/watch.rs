//! Watching the dossier: file-system events in, one list of changed input
//! paths per editor save out.
//!
//! notify reports every step of a save (a swap file created, the original
//! renamed to `x~`, the new text written, the swap file removed, a close).
//! `notify-debouncer-full` folds a burst into one batch per path and joins
//! the two halves of a rename; this module then decides which paths are the
//! dossier's inputs (`site.yaml`, anything under `content/` or `themes/`
//! that is not an editor's scratch file) and holds a batch back while a file
//! is still being written, so that a rebuild never reads half a file.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::load::{CONTENT_DIR, is_scratch_name};

/// How long the debouncer waits after an event before passing it on.
///
/// This counts against the edit-to-browser latency, so it is a few
/// milliseconds, not the second some generators use: what makes a save
/// whole is the rules below (close-after-write, removal followed by
/// re-creation), not a long wait.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(6);

/// The longest a batch is held back for a file that is still open for
/// writing, or removed and maybe about to come back. A tool that keeps a
/// file open is not waited for forever.
const SETTLE_LIMIT: Duration = Duration::from_millis(400);

/// How long a removal waits for the file to be written again (an editor
/// that saves by deleting and re-creating, or renaming the old file away
/// first). Only removals pay this; ordinary saves do not. On a busy
/// machine the steps of one save can be scheduled tens of milliseconds
/// apart (40 ms left the test's vim-style save one pause away from
/// showing the article deleted and back), and a removal that stands
/// reaching the browser 150 ms later is not noticed.
const REMOVAL_GRACE: Duration = Duration::from_millis(150);

/// The theme folder, watched recursively when it exists.
const THEMES_DIR: &str = "themes";

/// One debounced batch of file-system events, or the watcher's errors.
pub(crate) type Batch = DebounceEventResult;

/// The running watcher; dropping it stops watching.
pub(crate) struct Watch {
    _debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
}

/// Starts watching `content/`, `themes/` and `site.yaml` under `root` (an
/// absolute path), sending each debounced batch to `tx`.
///
/// # Errors
/// The watcher could not start (for example, inotify's watch limit).
pub(crate) fn watch(root: &Path, tx: Sender<Batch>) -> Result<Watch> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |batch: Batch| {
        // The receiver is gone only when serve is shutting down.
        let _ = tx.send(batch);
    })
    .map_err(|e| watch_error(root, e))?;
    // The root itself, not recursively: `site.yaml`, and `content/` or
    // `themes/` appearing. `output/` and build staging folders live here
    // too; their events are ignored by `input_path`.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, e))?;
    for dir in [CONTENT_DIR, THEMES_DIR] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, e))?;
        }
    }
    Ok(Watch {
        _debouncer: debouncer,
    })
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    let hint = match e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            " (raise the limit: sysctl fs.inotify.max_user_watches=524288)"
        }
        _ => "",
    };
    Error::Usage(format!("cannot watch `{}`: {e}{hint}", path.display()))
}

/// The dossier input a path names, relative to `root`, or `None` for
/// anything serve must not rebuild for: the output folder, staging
/// folders, hidden files, editor swap and backup files.
pub(crate) fn input_path(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    if rel == Path::new(CONFIG_FILE) {
        return Some(rel.to_path_buf());
    }
    let mut parts = rel.components();
    let first = match parts.next()? {
        Component::Normal(first) => first,
        _ => return None,
    };
    if first != CONTENT_DIR && first != THEMES_DIR {
        return None;
    }
    for part in rel.components() {
        match part {
            Component::Normal(name) if !is_scratch_name(&name.to_string_lossy()) => {}
            _ => return None,
        }
    }
    Some(rel.to_path_buf())
}

/// What one batch says, once sorted out.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Input paths that changed, appeared or disappeared, relative.
    pub(crate) paths: BTreeSet<PathBuf>,
    /// Inputs written to and not closed yet: reading them now could see
    /// half a file.
    pub(crate) writing: BTreeSet<PathBuf>,
    /// Inputs removed and not (yet) created again.
    pub(crate) removed: BTreeSet<PathBuf>,
    /// When the first event of the save happened (to report how long
    /// debouncing and settling took).
    pub(crate) first: Option<Instant>,
}

impl Changes {
    /// Adds one batch of events, in the order they happened.
    pub(crate) fn add(&mut self, root: &Path, events: &[DebouncedEvent]) {
        for event in events {
            let inputs: Vec<PathBuf> = event
                .paths
                .iter()
                .filter_map(|p| input_path(root, p))
                .collect();
            let changes_input = !matches!(
                event.kind,
                EventKind::Access(_)
                    | EventKind::Modify(ModifyKind::Metadata(_))
                    | EventKind::Other
            );
            if changes_input && !inputs.is_empty() {
                self.first = Some(self.first.map_or(event.time, |t| t.min(event.time)));
            }
            match event.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                    for p in &inputs {
                        self.writing.remove(p);
                    }
                }
                // Reads and permission changes change no input.
                EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => {}
                EventKind::Other => {}
                EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                    for p in inputs {
                        self.removed.remove(&p);
                        self.writing.insert(p.clone());
                        self.paths.insert(p);
                    }
                }
                EventKind::Remove(_) => {
                    for p in inputs {
                        self.writing.remove(&p);
                        self.removed.insert(p.clone());
                        self.paths.insert(p);
                    }
                }
                EventKind::Modify(ModifyKind::Name(mode)) => {
                    // A rename: the old name is gone, the new one is whole.
                    // Paired halves come as `Both` with the old name first.
                    for (i, path) in event.paths.iter().enumerate() {
                        let Some(p) = input_path(root, path) else {
                            continue;
                        };
                        let gone = match mode {
                            RenameMode::From => true,
                            RenameMode::Both => i == 0,
                            RenameMode::To => false,
                            RenameMode::Any | RenameMode::Other => !path.exists(),
                        };
                        if gone {
                            self.writing.remove(&p);
                            self.removed.insert(p.clone());
                        } else {
                            self.removed.remove(&p);
                            self.writing.remove(&p);
                        }
                        self.paths.insert(p);
                    }
                }
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Other) | EventKind::Any => {
                    for p in inputs {
                        self.removed.remove(&p);
                        self.paths.insert(p);
                    }
                }
            }
        }
    }

    /// Is every change complete enough to rebuild from?
    fn settled(&self, root: &Path) -> bool {
        // A removed file that is back on disk was re-created by a step the
        // batch split off; one that is still missing may be about to be.
        self.writing.is_empty() && self.removed.iter().all(|p| root.join(p).exists())
    }
}

/// Waits for the next change to the dossier's inputs and returns it, once
/// no file among them is still being written. Batches that arrive
/// meanwhile are merged in. `None` when the watcher stopped.
pub(crate) fn next_changes(
    root: &Path,
    rx: &Receiver<Batch>,
    mut on_error: impl FnMut(Vec<notify::Error>),
) -> Option<Changes> {
    let mut changes = Changes::default();
    // Wait for the first batch that names an input.
    while changes.paths.is_empty() {
        match rx.recv().ok()? {
            Ok(events) => changes.add(root, &events),
            Err(errors) => on_error(errors),
        }
    }
    let start = Instant::now();
    loop {
        // Everything already queued belongs to the same save.
        while let Ok(batch) = rx.try_recv() {
            match batch {
                Ok(events) => changes.add(root, &events),
                Err(errors) => on_error(errors),
            }
        }
        let settled = changes.settled(root);
        let limit = if changes.writing.is_empty() {
            REMOVAL_GRACE
        } else {
            SETTLE_LIMIT
        };
        if settled || start.elapsed() >= limit {
            return Some(changes);
        }
        match rx.recv_timeout(limit.saturating_sub(start.elapsed())) {
            Ok(Ok(events)) => changes.add(root, &events),
            Ok(Err(errors)) => on_error(errors),
            Err(RecvTimeoutError::Timeout) => return Some(changes),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// Watches `dir` (under `root`) if it appeared after serve started, so that
/// a `themes/` folder created while serving is picked up.
pub(crate) fn watch_new_folders(watch: &mut Watch, root: &Path, changed: &BTreeSet<PathBuf>) {
    for dir in [CONTENT_DIR, THEMES_DIR] {
        if changed.contains(Path::new(dir)) && root.join(dir).is_dir() {
            let _ = watch
                ._debouncer
                .watch(root.join(dir), RecursiveMode::Recursive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::Event;
    use notify::event::{CreateKind, DataChange, RemoveKind};
    use std::time::Instant;

    fn root() -> PathBuf {
        PathBuf::from("/d")
    }

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut event = Event::new(kind);
        for p in paths {
            event = event.add_path(root().join(p));
        }
        DebouncedEvent::new(event, Instant::now())
    }

    fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
        paths.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn inputs_are_content_themes_and_settings_only() {
        let r = root();
        for (path, want) in [
            ("site.yaml", true),
            ("content/articles/a.md", true),
            ("content/media/map.png", true),
            ("themes/default/static/style.css", true),
            ("content", true),
            ("output/index.html", false),
            (".output.staging/index.html", false),
            ("output", false),
            ("README.md", false),
            ("content/articles/.a.md.swp", false),
            ("content/articles/a.md~", false),
            ("content/articles/4913", false),
            ("content/articles/#a.md#", false),
            ("content/articles/.#a.md", false),
            ("content/articles/a.md.tmp", false),
            ("content/articles/a.md___jb_tmp___", false),
            ("content/.git/HEAD", false),
            ("themes/.hidden/x.html", false),
        ] {
            assert_eq!(
                input_path(&r, &r.join(path)).is_some(),
                want,
                "{path} should {}be an input",
                if want { "" } else { "not " }
            );
        }
        assert_eq!(input_path(&r, Path::new("/elsewhere/site.yaml")), None);
    }

    #[test]
    fn a_vim_save_is_one_change_to_the_article() {
        // What debouncer-full hands over for vim's default save: the swap
        // file, the backup rename, the new file written and closed.
        let mut changes = Changes::default();
        changes.add(
            &root(),
            &[
                ev(
                    EventKind::Create(CreateKind::File),
                    &["content/articles/.a.md.swp"],
                ),
                ev(
                    EventKind::Create(CreateKind::File),
                    &["content/articles/4913"],
                ),
                ev(
                    EventKind::Remove(RemoveKind::File),
                    &["content/articles/4913"],
                ),
                ev(
                    EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                    &["content/articles/a.md", "content/articles/a.md~"],
                ),
                ev(
                    EventKind::Create(CreateKind::File),
                    &["content/articles/a.md"],
                ),
                ev(
                    EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                    &["content/articles/a.md"],
                ),
                ev(
                    EventKind::Access(AccessKind::Close(AccessMode::Write)),
                    &["content/articles/a.md"],
                ),
                ev(
                    EventKind::Remove(RemoveKind::File),
                    &["content/articles/a.md~"],
                ),
            ],
        );
        assert_eq!(changes.paths, set(&["content/articles/a.md"]));
        assert!(changes.writing.is_empty());
        assert!(changes.removed.is_empty());
    }

    #[test]
    fn an_atomic_save_is_one_change_to_the_target() {
        let mut changes = Changes::default();
        changes.add(
            &root(),
            &[
                ev(
                    EventKind::Create(CreateKind::File),
                    &["content/articles/.a.md.tmp123"],
                ),
                ev(
                    EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                    &["content/articles/.a.md.tmp123", "content/articles/a.md"],
                ),
            ],
        );
        assert_eq!(changes.paths, set(&["content/articles/a.md"]));
        assert!(changes.writing.is_empty() && changes.removed.is_empty());
    }

    #[test]
    fn a_write_without_its_close_is_not_settled() {
        let mut changes = Changes::default();
        let write = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["content/articles/a.md"],
        );
        changes.add(&root(), std::slice::from_ref(&write));
        assert_eq!(changes.writing, set(&["content/articles/a.md"]));
        assert!(!changes.settled(&root()));
        changes.add(
            &root(),
            &[ev(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &["content/articles/a.md"],
            )],
        );
        assert!(changes.writing.is_empty());
    }

    #[test]
    fn output_and_reads_are_no_change() {
        let mut changes = Changes::default();
        changes.add(
            &root(),
            &[
                ev(EventKind::Create(CreateKind::Folder), &[".output.staging"]),
                ev(
                    EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                    &["output/index.html"],
                ),
                ev(
                    EventKind::Access(AccessKind::Read),
                    &["content/articles/a.md"],
                ),
                ev(
                    EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)),
                    &["content/articles/a.md"],
                ),
            ],
        );
        assert!(changes.paths.is_empty() && changes.writing.is_empty());
        assert!(changes.removed.is_empty() && changes.first.is_none());
    }
}
