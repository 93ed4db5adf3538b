//! Fingerprints: 64-bit hashes that tell whether an input or an output
//! changed between two builds of one engine.
//!
//! They leave the process only in the build cache, which is tied to the
//! exact executable that wrote it, so any fast hasher with fixed keys will
//! do; a collision would only keep an unchanged-looking page stale until
//! the next edit, and at 64 bits that is not a practical concern. Values
//! are fed to the hasher through serde, field by field, without building
//! any text.

use std::hash::{BuildHasher, Hash, Hasher};

use serde::ser::{self, Serialize};

/// The hasher behind every fingerprint: foldhash's quality variant (in the
/// tree already, through `hashbrown`) with a fixed seed. Most of what is
/// fingerprinted is long (every page written, every content file read,
/// every rendered body): foldhash takes long input two to three times
/// faster than aHash without AES instructions (measured: 26 against
/// 11 GB/s on 20 KB): a cold 1,000-article build takes 1 % fewer
/// instructions with it. Its output may change with its version, which
/// only invalidates a cache the new executable would not trust anyway.
pub(crate) fn hasher() -> FingerprintHasher {
    foldhash::quality::FixedState::with_seed(0x6b64_6f73_7369_6572).build_hasher()
}

/// What [`hasher`] gives.
pub(crate) type FingerprintHasher = foldhash::quality::FoldHasher<'static>;

/// A hash map with aHash: the maps a rebuild fills again every time (paths,
/// names, views) cost a noticeable share of it with the standard SipHash.
/// Their keys come from the dossier itself, whose author gains nothing by
/// colliding them.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, ProcessState>;

/// A hash set with aHash (see [`FastMap`]).
pub(crate) type FastSet<T> = std::collections::HashSet<T, ProcessState>;

/// aHash with random keys drawn once per process: a map made per Markdown
/// text or per page does not ask for keys of its own (aHash's default
/// state does, for each map), and the keys are still not known in advance
/// to someone crafting colliding names for a dossier built by others.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessState;

impl BuildHasher for ProcessState {
    type Hasher = ahash::AHasher;

    fn build_hasher(&self) -> ahash::AHasher {
        static KEYS: std::sync::OnceLock<ahash::RandomState> = std::sync::OnceLock::new();
        KEYS.get_or_init(ahash::RandomState::new).build_hasher()
    }
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

/// The fingerprint of a serialisable value: every field, in order, with
/// enough structure (lengths, variant indices) that different values do not
/// run together.
pub(crate) fn of_serialized<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut serializer = HashSerializer(hasher());
    value
        .serialize(&mut serializer)
        .expect("invariant: hashing cannot fail");
    serializer.0.finish()
}

/// A serde serializer that writes into a hasher.
struct HashSerializer<H: Hasher>(H);

/// Never produced: hashing cannot fail.
#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreachable")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Never {
        Never
    }
}

/// Feeds a primitive with a tag byte, so that `1u8` and `true` differ.
macro_rules! tagged {
    ($($method:ident($ty:ty) => $tag:literal, $write:ident;)*) => {$(
        fn $method(self, v: $ty) -> Result<(), Never> {
            self.0.write_u8($tag);
            self.0.$write(v as _);
            Ok(())
        }
    )*};
}

impl<H: Hasher> ser::Serializer for &mut HashSerializer<H> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    tagged! {
        serialize_bool(bool) => 1, write_u8;
        serialize_i8(i8) => 2, write_i64;
        serialize_i16(i16) => 2, write_i64;
        serialize_i32(i32) => 2, write_i64;
        serialize_i64(i64) => 2, write_i64;
        serialize_u8(u8) => 3, write_u64;
        serialize_u16(u16) => 3, write_u64;
        serialize_u32(u32) => 3, write_u64;
        serialize_u64(u64) => 3, write_u64;
        serialize_char(char) => 5, write_u32;
    }

    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.0.write_u8(4);
        self.0.write_u64(v.to_bits());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.serialize_bytes(v.as_bytes())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.0.write_u8(6);
        self.0.write_usize(v.len());
        self.0.write(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Never> {
        self.0.write_u8(7);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        self.0.write_u8(8);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        self.0.write_u8(9);
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Never> {
        self.0.write_u8(10);
        self.0.write_u32(index);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.0.write_u8(11);
        self.0.write_u32(index);
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Never> {
        self.0.write_u8(12);
        self.0.write_usize(len.unwrap_or(usize::MAX));
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        self.0.write_u32(index);
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self, Never> {
        self.0.write_u8(13);
        self.0.write_usize(len.unwrap_or(usize::MAX));
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        self.0.write_u32(index);
        self.serialize_map(Some(len))
    }
}

/// Every compound type hashes its elements in order, then an end marker
/// (so that lengths unknown up front still delimit).
macro_rules! compound {
    ($($trait:ident :: $method:ident $(, $key:ident)?;)*) => {$(
        impl<H: Hasher> ser::$trait for &mut HashSerializer<H> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, $($key: &'static str,)? value: &T) -> Result<(), Never> {
                $(self.0.write($key.as_bytes());)?
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.0.write_u8(14);
                Ok(())
            }
        }
    )*};
}

compound! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
    SerializeStruct::serialize_field, key;
    SerializeStructVariant::serialize_field, key;
}

impl<H: Hasher> ser::SerializeMap for &mut HashSerializer<H> {
    type Ok = ();
    type Error = Never;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Never> {
        self.0.write_u8(14);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct View {
        title: String,
        tags: Vec<String>,
        note: Option<String>,
    }

    fn view(title: &str, tags: &[&str], note: Option<&str>) -> u64 {
        of_serialized(&View {
            title: title.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            note: note.map(Into::into),
        })
    }

    #[test]
    fn equal_values_have_equal_fingerprints() {
        assert_eq!(view("A", &["x"], None), view("A", &["x"], None));
    }

    #[test]
    fn values_that_differ_anywhere_differ() {
        let base = view("A", &["x", "y"], None);
        assert_ne!(base, view("B", &["x", "y"], None));
        assert_ne!(base, view("A", &["xy"], None));
        assert_ne!(base, view("A", &["x"], Some("y")));
        assert_ne!(base, view("A", &["x", "y"], Some("")));
        assert_ne!(view("", &["a"], None), view("a", &[], None));
    }
}
