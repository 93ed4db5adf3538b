//! Diagnostics: located findings about the user's content.
//!
//! Every stage reports problems with the dossier's *content* (bad YAML, an
//! unknown actor, a broken link) as a [`Diagnostic`] instead of failing fast,
//! so that one build reports every problem at once. A diagnostic always names
//! the file; where the input has a position it also carries line and column
//! (1-based, columns counted in characters) and the offending source line, so
//! the terminal shows the line with a caret and editors can jump to it.
//!
//! Environment failures (I/O, a refused output directory) are not diagnostics:
//! they are [`crate::Error`]s and stop the run at once.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but the site can still be built.
    Warning,
    /// The site cannot be built correctly until this is fixed.
    Error,
}

/// A position in a source file, with the text of its line for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Location {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// The source line (without its newline); for a very long line, only a
    /// window around the finding, starting `cut` characters into the line.
    pub line_text: String,
    /// How many characters from `column` the finding covers (at least 1).
    pub width: u32,
    /// Characters of the line left out before `line_text` (0 unless the
    /// line is longer than [`LINE_WINDOW`]).
    pub cut: u32,
}

/// The code of the line that sums up the findings of a file past the cap.
pub const TOO_MANY: Code = Code::TooMany;

/// The most findings of one kind a file reports; the rest are counted in
/// one [`Diagnostic::too_many`] line. Thousands of copies of one mistake
/// help no one, and making each (with its hint) is the costly part.
pub const MAX_PER_FILE: usize = 50;

/// The longest part of a source line a diagnostic keeps and shows, in
/// bytes. A minified or generated line can be megabytes long; copying it
/// into each of thousands of findings would take gigabytes.
pub const LINE_WINDOW: usize = 240;

impl Location {
    /// The location of byte `offset` in `text`, covering `len` bytes.
    ///
    /// Offsets past the end or inside a character are clamped, so a location
    /// can always be built from whatever offset a parser reports.
    pub fn of_byte(text: &str, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..line_start].matches('\n').count() as u32 + 1;
        let column = text[line_start..offset].chars().count() as u32 + 1;
        Location::of_known(text, offset, len, line_start, line, column)
    }

    /// [`Location::of_byte`] when the line and column of `offset` are known
    /// already (a caller reporting many findings in order counts them
    /// incrementally instead of from the start of the file each time).
    pub fn of_known(
        text: &str,
        offset: usize,
        len: usize,
        line_start: usize,
        line: u32,
        column: u32,
    ) -> Location {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let end = floor_char_boundary(text, (offset + len).min(line_end));
        let width = text[offset..end].chars().count().max(1) as u32;
        let (from, to) = if line_end - line_start <= LINE_WINDOW {
            (line_start, line_end)
        } else {
            // A window that starts a little before the finding.
            let from =
                floor_char_boundary(text, offset.saturating_sub(LINE_WINDOW / 4)).max(line_start);
            let to = floor_char_boundary(text, (from + LINE_WINDOW).min(line_end));
            (from, to)
        };
        Location {
            line,
            column,
            line_text: text[from..to].to_string(),
            width,
            cut: text[line_start..from].chars().count() as u32,
        }
    }

    /// The location of a 1-based `line` and character `column` in `text`.
    pub fn of_line_col(text: &str, line: u32, column: u32) -> Location {
        let line_start = if line <= 1 {
            0
        } else {
            text.match_indices('\n')
                .nth(line as usize - 2)
                .map_or(text.len(), |(i, _)| i + 1)
        };
        let line_text = text[line_start..].split('\n').next().unwrap_or("");
        let byte_in_line = line_text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(line_text.len(), |(i, _)| i);
        let rest = &line_text[byte_in_line..];
        // Underline a quoted value whole, anything else up to the next
        // separator.
        let width = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..]
                .find(quote)
                .map_or(rest.chars().count(), |end| rest[..end + 2].chars().count()),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                .next()
                .map_or(1, |word| word.trim_end_matches(':').chars().count()),
        }
        .max(1);
        let width_bytes = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        let mut location = Location::of_known(
            text,
            line_start + byte_in_line,
            width_bytes,
            line_start,
            line,
            column.max(1),
        );
        location.width = width as u32;
        location
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The kind of a finding: a short stable name (`front-matter`,
/// `unknown-actor`, `broken-link`, …) for JSON consumers, tests and the
/// README's table, which lists every one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `ambiguous-alias`.
    AmbiguousAlias,
    /// `bad-date`.
    BadDate,
    /// `bad-file-name`.
    BadFileName,
    /// `bad-slug`.
    BadSlug,
    /// `bad-url`.
    BadUrl,
    /// `bad-value`.
    BadValue,
    /// `broken-fragment`.
    BrokenFragment,
    /// `broken-link`.
    BrokenLink,
    /// `build`.
    Build,
    /// `config`.
    Config,
    /// `control-char`.
    ControlChar,
    /// `dead-link`.
    DeadLink,
    /// `duplicate-article`.
    DuplicateArticle,
    /// `duplicate-id`.
    DuplicateId,
    /// `duplicate-name`.
    DuplicateName,
    /// `duplicate-slug`.
    DuplicateSlug,
    /// `empty`.
    Empty,
    /// `encoding`.
    Encoding,
    /// `event-after-article`.
    EventAfterArticle,
    /// `front-matter`.
    FrontMatter,
    /// `io`.
    Io,
    /// `missing-field`.
    MissingField,
    /// `no-content`.
    NoContent,
    /// `relative-base-url`.
    RelativeBaseUrl,
    /// `stray-file`.
    StrayFile,
    /// `suspicious-name`.
    SuspiciousName,
    /// `symlink`.
    Symlink,
    /// `template`.
    Template,
    /// `theme`.
    Theme,
    /// `too-deep`.
    TooDeep,
    /// `too-large`.
    TooLarge,
    /// `too-many`.
    TooMany,
    /// `unknown-actor`.
    UnknownActor,
    /// `unknown-key`.
    UnknownKey,
    /// `unknown-source`.
    UnknownSource,
    /// `unsafe-url`.
    UnsafeUrl,
    /// `unused-actor`.
    UnusedActor,
    /// `unused-source`.
    UnusedSource,
    /// `yaml`.
    Yaml,
}

impl Code {
    /// Every code the tool can emit.
    pub const ALL: &[Code] = &[
        Code::AmbiguousAlias,
        Code::BadDate,
        Code::BadFileName,
        Code::BadSlug,
        Code::BadUrl,
        Code::BadValue,
        Code::BrokenFragment,
        Code::BrokenLink,
        Code::Build,
        Code::Config,
        Code::ControlChar,
        Code::DeadLink,
        Code::DuplicateArticle,
        Code::DuplicateId,
        Code::DuplicateName,
        Code::DuplicateSlug,
        Code::Empty,
        Code::Encoding,
        Code::EventAfterArticle,
        Code::FrontMatter,
        Code::Io,
        Code::MissingField,
        Code::NoContent,
        Code::RelativeBaseUrl,
        Code::StrayFile,
        Code::SuspiciousName,
        Code::Symlink,
        Code::Template,
        Code::Theme,
        Code::TooDeep,
        Code::TooLarge,
        Code::TooMany,
        Code::UnknownActor,
        Code::UnknownKey,
        Code::UnknownSource,
        Code::UnsafeUrl,
        Code::UnusedActor,
        Code::UnusedSource,
        Code::Yaml,
    ];

    /// The code as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AmbiguousAlias => "ambiguous-alias",
            Code::BadDate => "bad-date",
            Code::BadFileName => "bad-file-name",
            Code::BadSlug => "bad-slug",
            Code::BadUrl => "bad-url",
            Code::BadValue => "bad-value",
            Code::BrokenFragment => "broken-fragment",
            Code::BrokenLink => "broken-link",
            Code::Build => "build",
            Code::Config => "config",
            Code::ControlChar => "control-char",
            Code::DeadLink => "dead-link",
            Code::DuplicateArticle => "duplicate-article",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateName => "duplicate-name",
            Code::DuplicateSlug => "duplicate-slug",
            Code::Empty => "empty",
            Code::Encoding => "encoding",
            Code::EventAfterArticle => "event-after-article",
            Code::FrontMatter => "front-matter",
            Code::Io => "io",
            Code::MissingField => "missing-field",
            Code::NoContent => "no-content",
            Code::RelativeBaseUrl => "relative-base-url",
            Code::StrayFile => "stray-file",
            Code::SuspiciousName => "suspicious-name",
            Code::Symlink => "symlink",
            Code::Template => "template",
            Code::Theme => "theme",
            Code::TooDeep => "too-deep",
            Code::TooLarge => "too-large",
            Code::TooMany => "too-many",
            Code::UnknownActor => "unknown-actor",
            Code::UnknownKey => "unknown-key",
            Code::UnknownSource => "unknown-source",
            Code::UnsafeUrl => "unsafe-url",
            Code::UnusedActor => "unused-actor",
            Code::UnusedSource => "unused-source",
            Code::Yaml => "yaml",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One finding about the dossier's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of finding.
    pub code: Code,
    /// The file, relative to the dossier root, with `/` separators.
    pub path: String,
    /// Where in the file, when the input has a position (boxed: most
    /// diagnostics travel in `Result`s, which should stay small).
    pub location: Option<Box<Location>>,
    /// What is wrong, quoting the user's input.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about `path`.
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    /// A warning about `path`.
    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// The line that closes a file's findings once [`MAX_PER_FILE`] are
    /// shown: "and 19950 more broken links in this file". An error if any
    /// of those left out is one.
    pub fn too_many(path: &str, more: usize, what: &str, error: bool) -> Self {
        let message = format!("and {more} more {what} in this file");
        let help = "fix the ones shown and run again to see the rest";
        if error {
            Diagnostic::error(TOO_MANY, path, message).help(help)
        } else {
            Diagnostic::warning(TOO_MANY, path, message).help(help)
        }
    }

    /// Attaches a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Attaches a location if there is one.
    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new);
        self
    }

    /// Attaches advice on what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Is this an error (as opposed to a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or just `path` when there is no location.
    pub fn position(&self) -> String {
        match &self.location {
            Some(loc) => format!("{}:{}:{}", self.path, loc.line, loc.column),
            None => self.path.clone(),
        }
    }

    /// Renders the diagnostic for a terminal: a rustc-style report with the
    /// file position, the offending line with a caret, and the help.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let mut group: Group<'_> = match &self.location {
            Some(loc) => {
                let start = loc
                    .line_text
                    .char_indices()
                    .nth((loc.column - 1).saturating_sub(loc.cut) as usize)
                    .map_or(loc.line_text.len(), |(i, _)| i);
                let end = loc.line_text[start..]
                    .char_indices()
                    .nth(loc.width as usize)
                    .map_or(loc.line_text.len(), |(i, _)| start + i);
                let snippet = Snippet::source(loc.line_text.as_str())
                    .line_start(loc.line as usize)
                    .annotation(AnnotationKind::Primary.span(start..end));
                if loc.cut == 0 {
                    title.element(snippet.path(self.path.as_str()))
                } else {
                    // The snippet is a window of the line: name the real
                    // column, which annotate-snippets cannot know.
                    title
                        .element(
                            Origin::path(self.path.as_str())
                                .line(loc.line as usize)
                                .char_column(loc.column as usize),
                        )
                        .element(snippet)
                }
            }
            None => title.element(Origin::path(self.path.as_str())),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    /// The diagnostic as a JSON object (for `--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "line": self.location.as_ref().map(|l| l.line),
            "column": self.location.as_ref().map(|l| l.column),
            "message": self.message,
            "help": self.help,
        })
    }
}

/// The findings of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No findings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one finding.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// The finding added last, to amend it.
    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items.last_mut()
    }

    /// Adds many findings.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Are there any error-severity findings?
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Are there no findings at all?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The findings, sorted by file, position and message so that output is
    /// the same whatever order the parallel stages finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let pos = |d: &Diagnostic| d.location.as_ref().map(|l| (l.line, l.column));
            // "and N more problems" closes its file's list.
            let more = |d: &Diagnostic| d.code == TOO_MANY;
            (&a.path, more(a), pos(a), &a.message).cmp(&(&b.path, more(b), pos(b), &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Iterates over the findings in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// A one-line count such as `2 errors and 1 warning`.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let errors = self.error_count();
        let warnings = self.warning_count();
        if errors > 0 {
            let _ = write!(out, "{errors} error{}", plural(errors));
        }
        if warnings > 0 {
            if !out.is_empty() {
                out.push_str(" and ");
            }
            let _ = write!(out, "{warnings} warning{}", plural(warnings));
        }
        if out.is_empty() {
            out.push_str("no problems");
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// `"s"` unless `n` is one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The registered name closest to `input`, if any is close enough to be a
/// plausible typo. Used for "did you mean …?" hints everywhere.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_by(input, candidates, |c| c, |c| *c)
}

/// [`closest`] for candidates compared by a part of them (`name`); of
/// equally close ones, the least by `tie`, so that the hint is the same
/// whatever order the candidates come in (often a hash map's).
pub(crate) fn closest_by<T, K: Ord>(
    input: &str,
    candidates: impl IntoIterator<Item = T>,
    name: impl Fn(&T) -> &str,
    tie: impl Fn(&T) -> K,
) -> Option<T> {
    let wanted = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &name(&c).to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|(a, a_c), (b, b_c)| a.total_cmp(b).then_with(|| tie(b_c).cmp(&tie(a_c))))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equally close candidates (hash maps hand them over in any order)
    /// give one answer: the least by the tie key.
    #[test]
    fn the_closest_of_equals_is_the_same_in_any_order() {
        let paths = [
            "content/sources/tass.md",
            "content/actors/tass.md",
            "content/articles/tas.md",
        ];
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let candidates = order.map(|i| paths[i]);
            assert_eq!(
                closest_by(
                    "tass",
                    candidates,
                    |p| p.rsplit('/').next().unwrap().trim_end_matches(".md"),
                    |p| *p
                ),
                Some("content/actors/tass.md")
            );
            assert_eq!(
                closest_by(
                    "tass",
                    candidates,
                    |p| p.rsplit('/').next().unwrap().trim_end_matches(".md"),
                    |p| (!p.contains("sources"), *p)
                ),
                Some("content/sources/tass.md")
            );
        }
    }

    /// The README's table of codes lists every code the tool can emit,
    /// and nothing else.
    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../README.md");
        let table = readme
            .split_once("| code | severity | what |")
            .expect("README has the table of codes")
            .1;
        let mut listed: Vec<&str> = table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .flat_map(|line| {
                let first = line.split('|').nth(1).unwrap_or_default();
                // The first column names codes in backticks, sometimes with
                // a word on where they apply (`` `symlink` (for `content/`) ``).
                first
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            })
            .collect();
        listed.sort_unstable();
        listed.dedup();
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(listed, codes);
        for code in Code::ALL {
            let json = serde_json::to_string(code).expect("serialises");
            assert_eq!(json, format!("\"{code}\""));
        }
    }

    #[test]
    fn location_of_byte_counts_lines_and_characters() {
        let text = "one\ntwo «три»\nfour";
        let offset = text.find("три").unwrap();
        let loc = Location::of_byte(text, offset, "три".len());
        assert_eq!((loc.line, loc.column, loc.width), (2, 6, 3));
        assert_eq!(loc.line_text, "two «три»");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_its_real_column() {
        let text = format!(
            "head\n{}[x](gone.md){}\n",
            "é".repeat(100_000),
            "z".repeat(100_000)
        );
        let offset = text.find("[x]").unwrap();
        let loc = Location::of_byte(&text, offset, "[x](gone.md)".len());
        assert_eq!((loc.line, loc.column), (2, 100_001));
        assert!(
            loc.line_text.len() <= LINE_WINDOW,
            "{}",
            loc.line_text.len()
        );
        let d = Diagnostic::error(Code::BrokenLink, "a.md", "broken").at(loc);
        let shown = d.render(false);
        assert!(shown.contains("a.md:2:100001"), "{shown}");
        assert!(shown.contains("[x](gone.md)"), "{shown}");
        assert!(shown.len() < 2 * LINE_WINDOW + 200, "{shown}");
    }

    #[test]
    fn a_long_yaml_line_is_windowed_too() {
        let text = format!("---\ntitle: {}\n---\n", "x".repeat(1_000_000));
        let loc = Location::of_line_col(&text, 2, 900_000);
        assert_eq!((loc.line, loc.column), (2, 900_000));
        assert!(loc.line_text.len() <= LINE_WINDOW);
        let shown = Diagnostic::error(Code::Yaml, "a.md", "bad")
            .at(loc)
            .render(false);
        assert!(shown.contains("a.md:2:900000"), "{shown}");
    }

    #[test]
    fn location_of_line_col_finds_the_line() {
        let loc = Location::of_line_col("a: 1\ntitel: x\n", 2, 1);
        assert_eq!(loc.line_text, "titel: x");
        assert_eq!(loc.width, 5, "the key, without its colon");
    }

    #[test]
    fn quoted_values_are_underlined_whole() {
        let loc = Location::of_line_col("source: \"Publication name\"  # x\n", 1, 9);
        assert_eq!(loc.width, 18);
        let loc = Location::of_line_col("source: \"unclosed\n", 1, 9);
        assert_eq!(loc.width, 9);
    }

    #[test]
    fn rendered_diagnostic_names_file_line_and_column() {
        let text = "---\ntitel: x\n---\n";
        let d = Diagnostic::error(
            Code::FrontMatter,
            "content/articles/a.md",
            "unknown field `titel`",
        )
        .at(Location::of_byte(text, 4, 5))
        .help("did you mean `title`?");
        let out = d.render(false);
        assert!(out.contains("content/articles/a.md:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
        assert_eq!(d.position(), "content/articles/a.md:2:1");
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        let names = ["Vladimir Putin", "Bashar al-Assad", "Sergei Lavrov"];
        assert_eq!(closest("Vladimir Puttin", names), Some("Vladimir Putin"));
        assert_eq!(closest("sergei lavrov", names), Some("Sergei Lavrov"));
        assert_eq!(closest("Angela Merkel", names), None);
    }
}
