//! A content file's decoded text: held, or read from the dossier the first
//! time something needs it.
//!
//! A build through the build cache does not read the files the cache
//! vouches for (same size, times and inode as when the last build read
//! them): their front matter comes from the cache, and their text is read
//! only if a page or a warning needs it. Such a read checks the bytes
//! against the fingerprint the cache recorded; bytes that changed since
//! (an edit during the build) are not used: the text reads as blank
//! placeholder, and the [`Unread`] record of the build says so, for the
//! build to be done again without trusting the cache.
//!
//! A text's identity ([`Text::print`], which is also what hashing it
//! hashes) is the fingerprint of the file's bytes, known without reading
//! them, so that keys made of texts are the same whether a file was read
//! or vouched for.

use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::fingerprint::Fingerprint;

/// A content file's text (see the module documentation). Cloning shares
/// it, and a text read through one clone is read for all.
#[derive(Clone)]
pub struct Text(Arc<Inner>);

struct Inner {
    text: OnceLock<Box<str>>,
    /// The fingerprint of the file's bytes (of the text itself for a text
    /// that has no file).
    print: u64,
    /// Where to read it from, for a text not read yet.
    unread: Option<Pending>,
}

/// What a text not read yet needs to be read.
struct Pending {
    path: String,
    /// Byte length of the front matter: the placeholder of a file that
    /// changed keeps it, so that every offset into the text stays valid.
    front_len: usize,
    record: Arc<Unread>,
}

/// The texts of one build left unread, and what reading them found.
#[derive(Debug)]
pub struct Unread {
    root: PathBuf,
    /// Texts read since (they were needed after all).
    read: AtomicUsize,
    /// Files whose bytes were no longer the ones the cache vouched for.
    changed: Mutex<Vec<String>>,
}

impl Unread {
    /// A record for the texts of the dossier at `root`.
    pub(crate) fn new(root: PathBuf) -> Arc<Unread> {
        Arc::new(Unread {
            root,
            read: AtomicUsize::new(0),
            changed: Mutex::new(Vec::new()),
        })
    }

    /// How many of the texts were read after all.
    pub(crate) fn read(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }

    /// The files found changed when their text was read: a build that used
    /// any must not be published.
    pub(crate) fn changed(&self) -> Vec<String> {
        // A poisoned lock still holds every path recorded: none is lost.
        self.changed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Text {
    /// The text of a file just read, whose bytes fingerprint as `print`.
    pub(crate) fn read(text: String, print: u64) -> Text {
        Text(Arc::new(Inner {
            text: OnceLock::from(text.into_boxed_str()),
            print,
            unread: None,
        }))
    }

    /// The text of the file at `path` (relative to the record's root),
    /// not read yet, whose bytes the build cache says fingerprint as
    /// `print`, and whose front matter is `front_len` bytes long.
    pub(crate) fn unread(path: &str, print: u64, front_len: usize, record: &Arc<Unread>) -> Text {
        Text(Arc::new(Inner {
            text: OnceLock::new(),
            print,
            unread: Some(Pending {
                path: path.to_string(),
                front_len,
                record: record.clone(),
            }),
        }))
    }

    /// The identity of the text: the fingerprint of its file's bytes.
    pub fn print(&self) -> u64 {
        self.0.print
    }

    /// Do both share one text (one file read once)?
    pub fn same(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    fn get(&self) -> &str {
        self.0.text.get_or_init(|| match &self.0.unread {
            Some(pending) => pending.load(self.0.print),
            None => Box::default(),
        })
    }
}

impl Pending {
    fn load(&self, print: u64) -> Box<str> {
        let record = &self.record;
        record.read.fetch_add(1, Ordering::Relaxed);
        let root = super::inside::Beneath::new(&record.root);
        let text = super::read_bytes(&root, &self.path)
            .ok()
            .filter(|bytes| bytes.fingerprint() == print)
            .and_then(|bytes| super::decode(&self.path, bytes).ok())
            .filter(|text| text.is_char_boundary(self.front_len));
        match text {
            Some(text) => text.into_boxed_str(),
            None => {
                log::debug!("{} changed during the build", self.path);
                record
                    .changed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(self.path.clone());
                " ".repeat(self.front_len).into_boxed_str()
            }
        }
    }
}

impl From<String> for Text {
    /// A text with no file behind it (tests, actors made from front
    /// matter): its identity is the text's own fingerprint.
    fn from(text: String) -> Text {
        let print = text.fingerprint();
        Text::read(text, print)
    }
}

impl Default for Text {
    /// The empty text.
    fn default() -> Text {
        Text::from(String::new())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_string())
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.get()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.get()
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.print.hash(state);
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Debug output (tests compare documents by it) shows the text,
        // reading it if need be, as the field it replaces did.
        std::fmt::Debug::fmt(self.get(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier_with(text: &str) -> (tempfile::TempDir, Arc<Unread>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), text).unwrap();
        let record = Unread::new(dir.path().to_path_buf());
        (dir, record)
    }

    #[test]
    fn an_unread_text_is_read_once_when_needed() {
        let bytes = "---\ntitle: A\n---\n\nBody.\n";
        let (_dir, record) = dossier_with(bytes);
        let text = Text::unread("content/a.md", bytes.as_bytes().fingerprint(), 17, &record);
        let shared = text.clone();
        assert_eq!(record.read(), 0, "nothing is read before it is needed");
        assert_eq!(&*text, bytes);
        assert_eq!(&*shared, bytes);
        assert_eq!(record.read(), 1, "clones share one read");
        assert!(record.changed().is_empty());
    }

    #[test]
    fn a_file_changed_since_the_cache_vouched_for_it_is_not_used_and_is_recorded() {
        let (dir, record) = dossier_with("---\ntitle: A\n---\n\nBody.\n");
        let text = Text::unread("content/a.md", 42, 17, &record);
        assert_eq!(&*text, " ".repeat(17), "a blank placeholder");
        assert_eq!(record.changed(), vec!["content/a.md".to_string()]);
        drop(dir);
    }
}
