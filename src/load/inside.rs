//! The one rule for every file `dossier` reads from a dossier: it must be
//! inside the dossier root, reached without following a symbolic link.
//!
//! Checking only the entries a folder walk finds is not enough: a symlinked
//! top folder (`content -> /etc`, `themes/evil/static -> /etc`) is followed
//! by the walk itself. So every read of dossier input goes through here,
//! which refuses a symbolic link at *every* level of the path below the
//! root. Where the kernel can (`openat2`, Linux 5.6 and later), the open
//! itself refuses any link on the way, so a link swapped in at any level
//! is never followed; elsewhere each folder is checked and the file opened
//! with `O_NOFOLLOW`, so a link swapped in after the check at the last
//! level is refused rather than followed. The root itself is the user's
//! choice and may be a link.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why a path under the root may not be read.
fn refused(rel: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("`{}` {why}", rel.display()),
    )
}

/// Joins `rel` (relative to the dossier root) under `root`, checking that
/// it names no parent folder and that no part of it below the root is a
/// symbolic link. Returns `Ok(None)` when the path does not exist.
///
/// # Errors
/// An [`io::ErrorKind::InvalidInput`] error naming the offending part when
/// the path is absolute, climbs with `..`, or passes through a link; other
/// I/O errors as they come.
pub fn resolve(root: &Path, rel: impl AsRef<Path>) -> io::Result<Option<PathBuf>> {
    let rel = rel.as_ref();
    plain(rel)?;
    let mut path = root.to_path_buf();
    let mut shown = PathBuf::new();
    for component in rel.components() {
        let Component::Normal(name) = component else {
            continue;
        };
        path.push(name);
        shown.push(name);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refused(
                    &shown,
                    "is a symbolic link; links are never followed, so nothing outside the dossier is read",
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    Ok(Some(path))
}

/// A folder under the root, if it exists and is reached without links.
///
/// # Errors
/// As [`resolve`]; a path that exists but is not a folder is refused too.
pub fn dir(root: &Path, rel: impl AsRef<Path>) -> io::Result<Option<PathBuf>> {
    match resolve(root, rel.as_ref())? {
        Some(path) if path.is_dir() => Ok(Some(path)),
        Some(_) => Err(refused(rel.as_ref(), "is not a folder")),
        None => Ok(None),
    }
}

/// Opens a file without following a link in its last component: the kernel
/// refuses it (`ELOOP`) even if it was swapped in after a check. Opening is
/// non-blocking, so a named pipe planted in place of a file cannot hang the
/// build (it is then refused as not a regular file).
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
        .open(path)
}

/// Reads a whole file under the root, refusing links at every level and
/// files larger than `limit` bytes (`Ok(Err(size))` then, so the caller can
/// say how large it is without reading it).
///
/// # Errors
/// As [`resolve`], and [`io::ErrorKind::NotFound`] when it does not exist.
pub fn read(root: &Path, rel: impl AsRef<Path>, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
    Beneath::new(root).read(rel, limit)
}

/// The dossier root, opened once for reading many files beneath it: each
/// file is then one `openat2` from the open folder, instead of opening the
/// root again first.
#[derive(Debug)]
pub struct Beneath<'a> {
    root: &'a Path,
    /// `None` when the root could not be opened as a folder: every read
    /// then takes the checked path of [`resolve`], which says why.
    dir: Option<rustix::fd::OwnedFd>,
}

impl<'a> Beneath<'a> {
    /// Opens `root` (the user's choice: it may be a link, and is followed).
    pub fn new(root: &'a Path) -> Beneath<'a> {
        use rustix::fs::{Mode, OFlags};
        let dir = rustix::fs::open(
            root,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok();
        Beneath { root, dir }
    }

    /// Reads a whole file under the root, as [`read`] does.
    ///
    /// # Errors
    /// As [`read`].
    pub fn read(&self, rel: impl AsRef<Path>, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
        let rel = rel.as_ref();
        if let Some(dir) = &self.dir
            && let Some(file) = open_beneath(dir, rel)?
        {
            return read_open(file, limit);
        }
        let path = resolve(self.root, rel)?.ok_or_else(not_found)?;
        read_file(&path, limit)
    }
}

/// Refuses a path that is absolute or names a parent folder: only plain
/// paths below the root are read.
fn plain(rel: &Path) -> io::Result<()> {
    if rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        Ok(())
    } else {
        Err(refused(rel, "is not a plain path inside the dossier"))
    }
}

fn not_found() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "no such file")
}

/// Opens `rel` under the root folder `dir` in one system call that the
/// kernel refuses if any part of the path below the root is a symbolic link
/// or leads out of it (`openat2` with `RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS`, Linux 5.6 and later): no window between a check
/// and the open, and one call per file instead of one per folder of its
/// path. `Ok(None)` when the kernel
/// has no `openat2` or met a link: [`resolve`] then decides, and names the
/// part that is a link.
fn open_beneath(dir: &rustix::fd::OwnedFd, rel: &Path) -> io::Result<Option<File>> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;
    plain(rel)?;
    let opened = rustix::fs::openat2(
        dir,
        rel,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
    );
    match opened {
        Ok(fd) => Ok(Some(File::from(fd))),
        Err(Errno::NOENT) => Err(not_found()),
        // A link on the way (ELOOP, or EXDEV for one that leads out), or a
        // kernel without `openat2` (ENOSYS, or EPERM under some sandboxes).
        Err(Errno::LOOP | Errno::XDEV | Errno::NOSYS | Errno::PERM | Errno::INVAL) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Reads a file already checked by [`resolve`] (or found by a walk that
/// does not follow links), still refusing a link at its last component.
///
/// # Errors
/// I/O errors; a link is refused with `ELOOP`.
pub fn read_file(path: &Path, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
    read_open(open_no_follow(path)?, limit)
}

/// Reads an opened file whole, if it is a regular file of at most `limit`
/// bytes.
fn read_open(mut file: File, limit: u64) -> io::Result<Result<Vec<u8>, u64>> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > limit {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // To the end, not to the size `metadata` gave: a file system may give
    // a size that is not the content's (one last read of nothing costs
    // less than a file cut short without a word). One byte past the limit
    // tells a file that grew past it since `metadata`.
    file.by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_refused_at_every_level() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "s").unwrap();
        fs::create_dir_all(root.path().join("a/b")).unwrap();
        fs::write(root.path().join("a/b/ok"), "ok").unwrap();
        symlink(outside.path(), root.path().join("top")).unwrap();
        symlink(outside.path(), root.path().join("a/mid")).unwrap();
        symlink(outside.path().join("secret"), root.path().join("a/b/leaf")).unwrap();
        assert_eq!(read(root.path(), "a/b/ok", 10).unwrap().unwrap(), b"ok");
        for bad in [
            "top/secret",
            "a/mid/secret",
            "a/b/leaf",
            "../x",
            "/etc/passwd",
        ] {
            let err = read(root.path(), bad, 10).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad}: {err}");
        }
        assert!(dir(root.path(), "top").is_err());
        assert!(dir(root.path(), "missing").unwrap().is_none());
        // Even without the check, the last component is never followed.
        assert!(read_file(&root.path().join("a/b/leaf"), 10).is_err());
    }

    #[test]
    fn the_root_itself_may_be_a_link() {
        let real = tempfile::tempdir().unwrap();
        let links = tempfile::tempdir().unwrap();
        fs::create_dir(real.path().join("a")).unwrap();
        fs::write(real.path().join("a/ok"), "ok").unwrap();
        let root = links.path().join("dossier");
        symlink(real.path(), &root).unwrap();
        assert_eq!(read(&root, "a/ok", 10).unwrap().unwrap(), b"ok");
    }

    #[test]
    fn a_missing_file_or_folder_is_not_found() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("a")).unwrap();
        for missing in ["a/none", "none/x", "none"] {
            let err = read(root.path(), missing, 10).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::NotFound, "{missing}: {err}");
        }
    }

    #[test]
    fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
        let root = tempfile::tempdir().unwrap();
        let fifo = root.path().join("site.yaml");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let err = read(root.path(), "site.yaml", 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn the_size_limit_is_enforced_without_reading() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("big"), "0123456789").unwrap();
        assert_eq!(read(root.path(), "big", 4).unwrap(), Err(10));
    }
}
