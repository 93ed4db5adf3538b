//! Slugs: the only way a user-supplied name becomes part of an output path.
//!
//! Every URL segment that comes from content (an article's file name or
//! `slug:`, an actor's or source's file name) passes through [`Slug`], which
//! accepts only `[a-z0-9]` words joined by single hyphens. That makes `..`,
//! `/`, `\`, absolute paths, drive letters, control characters and Windows
//! device names impossible in output paths by construction, which is the
//! first half of the guarantee that nothing is written outside the output
//! directory (the second half is the containment check in `write`).

use std::fmt;

use serde::Serialize;

/// Longest slug accepted; long enough for any headline.
const MAX_LEN: usize = 120;

/// Names that are devices on Windows: a site copied there must not break.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A validated URL segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts `text` only if it already is a valid slug.
    ///
    /// # Errors
    /// Says what is wrong and suggests the slugified form.
    pub fn parse(text: &str) -> Result<Slug, String> {
        let valid_chars = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let valid_shape = !text.starts_with('-') && !text.ends_with('-') && !text.contains("--");
        if !valid_chars || !valid_shape {
            let suggestion = slug::slugify(text);
            let hint = if suggestion.is_empty() {
                String::new()
            } else {
                format!(" (for example `{suggestion}`)")
            };
            return Err(format!(
                "`{text}` is not a valid slug: use lowercase letters, digits and single hyphens{hint}"
            ));
        }
        if text.len() > MAX_LEN {
            return Err(format!("slug `{text}` is longer than {MAX_LEN} characters"));
        }
        if RESERVED.contains(&text) {
            return Err(format!(
                "`{text}` is a reserved name (a device name on Windows); choose another slug"
            ));
        }
        Ok(Slug(text.to_string()))
    }

    /// Makes a slug from any text (a file name, a title), transliterating
    /// non-Latin scripts (`Владимир Путин` → `vladimir-putin`). Returns `None`
    /// when nothing usable remains (a name of only punctuation).
    pub fn from_text(text: &str) -> Option<Slug> {
        let mut slug = slug::slugify(text);
        if slug.len() > MAX_LEN {
            let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
            slug.truncate(cut);
        }
        if RESERVED.contains(&slug.as_str()) {
            slug.push_str("-1");
        }
        Slug::parse(&slug).ok()
    }

    /// This slug with `-n` appended, shortened first where needed so that
    /// the result stays within the length limit (two long names that
    /// collide still get two valid slugs).
    pub fn with_suffix(&self, n: u32) -> Slug {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        if base.len() + suffix.len() > MAX_LEN {
            base.truncate(MAX_LEN - suffix.len());
            let trimmed = base.trim_end_matches('-').len();
            base.truncate(trimmed);
        }
        base.push_str(&suffix);
        Slug(base)
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for good in ["russia", "vladimir-putin", "2017-01-25-astana", "a"] {
            assert_eq!(Slug::parse(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn refuses_anything_that_could_escape_a_directory() {
        for bad in [
            "..", "../etc", "a/b", "/abs", "a\\b", "C:", "Russia", "a--b", "-a", "a-", "", "a b",
            "nul", "con", "a\0b", "é",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_suffix_keeps_a_long_slug_valid() {
        let long = Slug::from_text(&"Ministry of Foreign Affairs ".repeat(10)).unwrap();
        for n in [1, 42, 4_000_000_000] {
            let suffixed = long.with_suffix(n);
            assert!(Slug::parse(suffixed.as_str()).is_ok(), "{suffixed}");
            assert!(suffixed.as_str().ends_with(&format!("-{n}")));
        }
    }

    #[test]
    fn from_text_transliterates_and_stays_valid() {
        assert_eq!(
            Slug::from_text("Владимир Путин").unwrap().as_str(),
            "vladimir-putin"
        );
        assert_eq!(
            Slug::from_text("Recep Tayyip Erdoğan").unwrap().as_str(),
            "recep-tayyip-erdogan"
        );
        assert_eq!(
            Slug::from_text("../../etc/passwd").unwrap().as_str(),
            "etc-passwd"
        );
        assert!(Slug::from_text("«»—…").is_none());
        assert_eq!(Slug::from_text("NUL").unwrap().as_str(), "nul-1");
        // Right-to-left and combining text become readable ASCII.
        let arabic = Slug::from_text("بشار الأسد").unwrap();
        assert!(
            arabic
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        );
        let combining = Slug::from_text("Cafe\u{301} Noir").unwrap();
        assert_eq!(combining.as_str(), "cafe-noir");
    }
}
