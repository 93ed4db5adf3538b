//! Name lookup for registries (actors, publications).
//!
//! Front matter refers to actors and publications the way a writer would:
//! by name, by alias or by slug, in any letter case. A [`NameIndex`] answers
//! those lookups and, when nothing matches, proposes the closest registered
//! name for a "did you mean" hint.

use crate::fingerprint::FastMap;

use crate::diagnostic::closest;

/// Maps every name, alias and slug of a registry to its entry.
#[derive(Debug, Clone)]
pub struct NameIndex<Id> {
    exact: FastMap<String, Id>,
    folded: FastMap<String, Option<Id>>,
    display: Vec<String>,
}

impl<Id> Default for NameIndex<Id> {
    fn default() -> Self {
        NameIndex {
            exact: FastMap::default(),
            folded: FastMap::default(),
            display: Vec::new(),
        }
    }
}

/// What became of adding a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added<Id> {
    /// The name is now known.
    New,
    /// The same entry already had it.
    Repeat,
    /// Another entry already has exactly this name.
    Taken(Id),
}

impl<Id: Copy + PartialEq> NameIndex<Id> {
    /// Registers `name` for `id`; `display` names (not slugs) are offered as
    /// suggestions.
    pub fn add(&mut self, name: &str, id: Id, display: bool) -> Added<Id> {
        let name = name.trim();
        if name.is_empty() {
            return Added::Repeat;
        }
        if let Some(&other) = self.exact.get(name) {
            return if other == id {
                Added::Repeat
            } else {
                Added::Taken(other)
            };
        }
        self.exact.insert(name.to_string(), id);
        // Case-insensitive lookups only work for names that fold to one entry.
        self.folded
            .entry(name.to_lowercase())
            .and_modify(|e| {
                if *e != Some(id) {
                    *e = None;
                }
            })
            .or_insert(Some(id));
        if display {
            self.display.push(name.to_string());
        }
        Added::New
    }

    /// Finds an entry by exact name, then by name in any letter case.
    pub fn get(&self, name: &str) -> Option<Id> {
        let name = name.trim();
        self.exact
            .get(name)
            .copied()
            .or_else(|| self.folded.get(&name.to_lowercase()).copied().flatten())
    }

    /// The registered name closest to `name`, for a "did you mean" hint.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        closest(name, self.display.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_name_alias_or_case() {
        let mut index = NameIndex::default();
        index.add("Vladimir Putin", 1, true);
        index.add("Putin", 1, true);
        index.add("vladimir-putin", 1, false);
        assert_eq!(index.get("Vladimir Putin"), Some(1));
        assert_eq!(index.get("putin"), Some(1));
        assert_eq!(index.get("vladimir-putin"), Some(1));
        assert_eq!(index.get("Putin "), Some(1));
        assert_eq!(index.get("Medvedev"), None);
        assert_eq!(index.suggest("Vladimir Puttin"), Some("Vladimir Putin"));
    }

    #[test]
    fn conflicting_names_are_reported() {
        let mut index = NameIndex::default();
        assert_eq!(index.add("Assad", 1, true), Added::New);
        assert_eq!(index.add("Assad", 1, true), Added::Repeat);
        assert_eq!(index.add("Assad", 2, true), Added::Taken(1));
        // Case-folded lookup is dropped when two entries fold together.
        index.add("US", 3, true);
        index.add("us", 4, true);
        assert_eq!(index.get("Us"), None);
        assert_eq!(index.get("US"), Some(3));
    }
}
