//! Fingerprints: 64-bit hashes that tell whether an input or an output
//! changed between two builds of one engine.
//!
//! They never leave the process, so a fast keyed-at-zero hasher is enough;
//! a collision would only keep an unchanged-looking file stale until the
//! next edit, and at 64 bits that is not a practical concern.

use std::hash::{Hash, Hasher};

/// The hasher behind every fingerprint.
pub(crate) fn hasher() -> std::hash::DefaultHasher {
    std::hash::DefaultHasher::new()
}

/// Something with a fingerprint.
pub(crate) trait Fingerprint {
    /// A hash of the value's content.
    fn fingerprint(&self) -> u64;
}

impl<T: Hash + ?Sized> Fingerprint for T {
    fn fingerprint(&self) -> u64 {
        let mut hasher = hasher();
        self.hash(&mut hasher);
        hasher.finish()
    }
}

/// Feeds serialised JSON into a hasher, so that any view can be
/// fingerprinted without building the string.
pub(crate) struct HashWriter<'a, H: Hasher>(pub(crate) &'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of a serialisable value.
pub(crate) fn of_serialized<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = hasher();
    serde_json::to_writer(HashWriter(&mut hasher), value)
        .expect("invariant: views serialise to JSON");
    hasher.finish()
}
