//! YAML parsing with located, actionable errors.
//!
//! Both `site.yaml` and front matter go through [`parse`], so every YAML
//! mistake is reported the same way: the file, the line and column in that
//! file (front matter starts below the opening `---`, so its line numbers are
//! shifted), the offending line, and a hint ("did you mean `title`?").
//!
//! Why serde-saphyr: serde_yaml is archived upstream and its forks either keep
//! the archived C-translated libyaml or are unmaintained. serde-saphyr is pure
//! Rust with `forbid(unsafe)`, is fuzzed, enforces budgets against alias
//! bombs ("billion laughs") and deep nesting, reports the real line of a
//! duplicate key, and gives every error a location. We switch on strict
//! booleans so `no`, `on` and `yes` stay strings (the "Norway problem").

use serde::de::DeserializeOwned;
use serde_saphyr::{DefaultMessageFormatter, MessageFormatter, Options};

use crate::diagnostic::{Code, Diagnostic, Location, closest};

/// Where a YAML block sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    /// The whole file, to show the offending line.
    pub file_text: &'a str,
    /// The file's path relative to the dossier root.
    pub path: &'a str,
    /// How many lines of the file come before the YAML block.
    pub line_offset: u32,
}

impl Placement<'_> {
    /// The file location of a position that serde-saphyr reports relative to
    /// the YAML block (line 0: unknown).
    pub fn locate(&self, line: u64, column: u64) -> Option<Location> {
        if line == 0 {
            return None;
        }
        Some(Location::of_line_col(
            self.file_text,
            line as u32 + self.line_offset,
            column as u32,
        ))
    }
}

fn options() -> Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Parses `yaml` into `T`, turning any failure into a located diagnostic.
///
/// # Errors
/// One diagnostic describing the first problem serde-saphyr found.
pub fn parse<T: DeserializeOwned>(yaml: &str, placement: Placement<'_>) -> Result<T, Diagnostic> {
    parse_all(yaml, placement).map_err(|mut problems| problems.swap_remove(0))
}

/// Parses `yaml` into `T`, reporting every problem the parser can get past
/// rather than only the first: after each error, the top-level entry that
/// holds it is blanked out (its lines kept, so later lines keep their
/// numbers) and the rest is parsed again. A "missing field" that only the
/// blanking caused, or that is the misspelt field already reported, is not
/// reported.
///
/// # Errors
/// Every problem found, in file order, at most [`MAX_PROBLEMS`].
pub fn parse_all<T: DeserializeOwned>(
    yaml: &str,
    placement: Placement<'_>,
) -> Result<T, Vec<Diagnostic>> {
    let mut text = yaml.to_string();
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut blanked: Vec<String> = Vec::new();
    while found.len() < MAX_PROBLEMS {
        if !found.is_empty() && text.trim().is_empty() {
            // Everything was blanked out: what the parser would say of
            // nothing follows only from the problems already found.
            break;
        }
        let err = match serde_saphyr::from_str_with_options::<T>(&text, options()) {
            Ok(value) if found.is_empty() => return Ok(value),
            Ok(_) => break,
            Err(err) => err,
        };
        let raw = DefaultMessageFormatter.format_message(&err).into_owned();
        if let Some(field) = raw
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(field, _)| field)
        {
            // Not when it was blanked out by us, nor when an unknown field
            // was already reported as its misspelling.
            let suggested = format!("did you mean `{field}`?");
            let explained = found
                .iter()
                .any(|d| d.help.as_deref().is_some_and(|h| h.starts_with(&suggested)));
            if !explained && !blanked.iter().any(|key| key == field) {
                found.push(to_diagnostic(&err, placement));
            }
            break;
        }
        let Some(line) = err.location().map(|l| l.line() as usize).filter(|&l| l > 0) else {
            found.push(to_diagnostic(&err, placement));
            break;
        };
        let column = err.location().map_or(0, |l| l.column() as usize);
        if let Some(open) = unclosed_quote(&raw, &text, line, column) {
            // Report the quote left open, not what the parser stumbled on
            // lines later, and go on after the lines it swallowed.
            found.push(
                Diagnostic::error(Code::Yaml, placement.path, "unclosed quote")
                    .at(Location::of_line_col(
                        placement.file_text,
                        open.0 as u32 + placement.line_offset,
                        open.1 as u32,
                    ))
                    .help(UNCLOSED_QUOTE_HELP),
            );
            match blank_entries(&text, open.0, line) {
                Some((next, keys)) => {
                    text = next;
                    blanked.extend(keys);
                    continue;
                }
                None => break,
            }
        }
        found.push(to_diagnostic(&err, placement));
        match blank_entries(&text, line, line) {
            Some((next, keys)) => {
                text = next;
                blanked.extend(keys);
            }
            None => break,
        }
    }
    Err(found)
}

/// The most problems reported for one YAML block.
pub const MAX_PROBLEMS: usize = 20;

/// `yaml` with the top-level entries holding 1-based lines `first` to
/// `last` replaced by empty lines (so later lines keep their numbers), and
/// their keys; `None` when there is nothing left to blank.
fn blank_entries(yaml: &str, first: usize, last: usize) -> Option<(String, Vec<String>)> {
    let lines: Vec<&str> = yaml.split('\n').collect();
    let index = first.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let last = last.checked_sub(1)?.clamp(index, lines.len() - 1);
    let starts_entry =
        |l: &str| l.starts_with(|c: char| !c.is_whitespace() && c != '#') && l.trim() != "---";
    let start = (0..=index).rev().find(|&i| starts_entry(lines[i]))?;
    let end = (last + 1..lines.len())
        .find(|&i| starts_entry(lines[i]))
        .unwrap_or(lines.len());
    let keys = lines[start..end]
        .iter()
        .filter(|l| starts_entry(l))
        .map(|l| {
            l.split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        })
        .collect();
    let mut out = Vec::with_capacity(lines.len());
    out.extend_from_slice(&lines[..start]);
    out.extend(std::iter::repeat_n("", end - start));
    out.extend_from_slice(&lines[end..]);
    Some((out.join("\n"), keys))
}

/// Whether the parser's message is about a tab where YAML wants spaces
/// (its messages name "tab" or "tabs"; a bare substring would also match
/// "acceptable" or a key such as `table`).
fn is_tab_error(raw: &str) -> bool {
    raw.split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "tab" || word == "tabs")
        && !raw.starts_with("duplicate")
        && !raw.starts_with("unknown field")
}

/// The key serde-saphyr's "duplicate mapping key: title, set
/// DuplicateKeyPolicy in Options if acceptable" names (its advice is about
/// its own options, not the writer's to change).
fn duplicated_key(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix("duplicate mapping key: ")?;
    Some(rest.split(", set ").next().unwrap_or(rest))
}

/// The 1-based line of `file` that first sets `key` at the indentation of
/// 1-based line `again` (which sets it again), within the same YAML block.
fn first_setting(file: &str, again: usize, key: &str) -> Option<usize> {
    let lines: Vec<&str> = file.split('\n').collect();
    let line = lines.get(again.checked_sub(1)?)?;
    let indent = line.len() - line.trim_start().len();
    let sets_key = |l: &str| {
        l.len() - l.trim_start().len() == indent && {
            let entry = l.trim_start();
            [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .any(|k| {
                    entry
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
        }
    };
    // Back to the start of the mapping that holds it: a line indented
    // less (or a `- ` item's first line, at the same depth) belongs to
    // the parent, and the same key above it to another mapping.
    let parent = |l: &str| {
        let trimmed = l.trim_start();
        let depth = l.len() - trimmed.len();
        !trimmed.is_empty()
            && !trimmed.starts_with('#')
            && (depth < indent || (depth == indent && trimmed.starts_with("- ")))
    };
    (0..again - 1)
        .rev()
        .take_while(|&i| lines[i].trim_end() != "---")
        .take_while(|&i| !parent(lines[i]) || sets_key(lines[i]))
        .filter(|&i| sets_key(lines[i]))
        .last()
        .map(|i| i + 1)
}

const UNCLOSED_QUOTE_HELP: &str =
    "close the quote on the same line, or use a block scalar (`key: >`) for long text";

/// Where the quote opened (1-based line and column of the YAML block) when
/// the parser's complaint is text after a quoted value that began on an
/// earlier line: YAML lets a quoted value run on over lines, so a quote
/// left open swallows the lines below it up to the next quote mark, and the
/// parser stumbles on what follows that one, lines from the mistake.
fn unclosed_quote(raw: &str, yaml: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let quote = if raw.starts_with("invalid trailing content after double-quoted scalar") {
        '"'
    } else if raw.starts_with("invalid trailing content after single-quoted scalar") {
        '\''
    } else {
        return None;
    };
    let line_start: usize = yaml.split('\n').take(line - 1).map(|l| l.len() + 1).sum();
    let line_text = yaml.get(line_start..)?.split('\n').next()?;
    // The closing quote is the last one before the reported column, with
    // at most spaces between ("the workers' union").
    let at = line_start + line_text.char_indices().nth(column.checked_sub(1)?)?.0;
    let close = yaml[..at]
        .trim_end_matches([' ', '\t'])
        .len()
        .checked_sub(1)?;
    if !yaml[close..].starts_with(quote) {
        return None;
    }
    let mut open = yaml[..close].rfind(quote)?;
    loop {
        if quote == '"' && yaml[..open].ends_with('\\') {
            // `\"` inside a double-quoted value is not its end.
            open = yaml[..open].rfind(quote)?;
        } else if quote == '\'' && yaml[..open].ends_with('\'') {
            // Nor is `''` inside a single-quoted one.
            open = yaml[..open - 1].rfind(quote)?;
        } else {
            break;
        }
    }
    let open_line = yaml[..open].matches('\n').count() + 1;
    let open_column = yaml[..open].rsplit('\n').next()?.chars().count() + 1;
    (open_line < line).then_some((open_line, open_column))
}

/// What to do where a single value was expected and something else found.
const ONE_VALUE_HELP: &str =
    "write one value on the same line as its key; quote it if it starts with [ or {";

fn to_diagnostic(err: &serde_saphyr::Error, placement: Placement<'_>) -> Diagnostic {
    let raw = DefaultMessageFormatter.format_message(err).into_owned();
    // A missing field has no place of its own: point at the opening fence
    // (or the first line of a settings file), not wherever the mapping ended.
    let mut location = if raw.starts_with("missing field") {
        Some(Location::of_line_col(
            placement.file_text,
            placement.line_offset.max(1),
            1,
        ))
    } else {
        err.location()
            .and_then(|loc| placement.locate(loc.line(), loc.column()))
    };
    // Point at the tab itself, not at what follows it. The parser may
    // report the value before the line that holds the tab.
    if let Some(loc) = location.as_mut().filter(|_| is_tab_error(&raw)) {
        let tab = placement
            .file_text
            .split('\n')
            .enumerate()
            .skip(loc.line as usize - 1)
            .take_while(|(_, line)| line.trim_end() != "---")
            .find_map(|(i, line)| Some((i + 1, line.chars().position(|c| c == '\t')?)));
        if let Some((line, column)) = tab {
            *loc = Location::of_line_col(placement.file_text, line as u32, column as u32 + 1);
            loc.width = 1;
        }
    }
    // A list was expected where a plain value is: underline the value,
    // not only its first word.
    if let Some(loc) = location
        .as_mut()
        .filter(|_| raw == "expected sequence start")
    {
        let from = (loc.column - loc.cut).saturating_sub(1) as usize;
        let rest: String = loc.line_text.chars().skip(from).collect();
        let value = rest.split(" #").next().unwrap_or(&rest);
        loc.width = (value.trim_end().chars().count() as u32).max(1);
    }
    let (code, message, mut help) = explain(&raw);
    if let (Some(key), Some(loc)) = (duplicated_key(&raw), &location)
        && let Some(first) = first_setting(placement.file_text, loc.line as usize, key)
    {
        help = Some(format!(
            "the first `{key}` is on line {first}: keep one of the two, or merge them"
        ));
    }
    let mut diagnostic = Diagnostic::error(code, placement.path, message).at_opt(location);
    if let Some(help) = help {
        diagnostic = diagnostic.help(help);
    }
    diagnostic
}

/// Rewrites serde's terse messages into something a writer can act on,
/// with the code of the kind of mistake (`yaml` for the YAML itself).
fn explain(raw: &str) -> (Code, String, Option<String>) {
    let raw = raw.trim();
    // serde: "unknown field `titel`, expected one of title, tags, kind"
    for (prefix, what) in [("unknown field `", "field"), ("unknown variant `", "value")] {
        let Some((given, rest)) = raw.strip_prefix(prefix).and_then(|r| r.split_once('`')) else {
            continue;
        };
        let valid: Vec<&str> = rest
            .split_once("expected one of ")
            .or_else(|| rest.split_once("expected "))
            .map(|(_, list)| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        let list = valid.join(", ");
        let message = if what == "field" {
            format!("unknown field `{given}`")
        } else {
            format!("`{given}` is not an allowed value here")
        };
        let help = match closest(given, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? Valid {what}s: {list}"),
            None if list.is_empty() => format!("remove this {what}"),
            None => format!("valid {what}s: {list}"),
        };
        let code = if what == "field" {
            Code::UnknownKey
        } else {
            Code::BadValue
        };
        return (code, message, Some(help));
    }
    if let Some(field) = raw
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field)
    {
        return (
            Code::MissingField,
            format!("required field `{field}` is missing"),
            Some(format!("add a `{field}:` line")),
        );
    }
    if let Some(key) = duplicated_key(raw) {
        return (
            Code::Yaml,
            format!("`{key}` is given twice"),
            Some("each key may appear once: remove or merge the repeated one".to_string()),
        );
    }
    let help = if raw.contains("duplicate") {
        "each key may appear once: remove or merge the repeated one"
    } else if raw.starts_with("invalid boolean") {
        return (
            Code::BadValue,
            "expected `true` or `false` here".to_string(),
            Some(
                "write `true` or `false`; `yes`, `no`, `on` and `off` are not accepted".to_string(),
            ),
        );
    } else if is_tab_error(raw) {
        "YAML indentation must use spaces, not tabs"
    } else if raw.contains("budget") || raw.contains("limit") || raw.contains("depth") {
        "the YAML expands too much (anchors, aliases or nesting); write the values out"
    } else if raw.contains("null") {
        return (
            Code::BadValue,
            "this field has no value".to_string(),
            Some("give it a value, or remove the line".to_string()),
        );
    } else if raw == "expected string scalar" {
        return (
            Code::BadValue,
            "expected a single text value here".to_string(),
            Some(ONE_VALUE_HELP.to_string()),
        );
    } else if raw == "expected sequence start" {
        return (
            Code::BadValue,
            "expected a list here".to_string(),
            Some("write one `- item` per line below the key, or `[a, b]`".to_string()),
        );
    } else if raw.contains("externally tagged enum") {
        // serde's words for a list or block where one of a set of words
        // (`kind: [op-ed`) goes.
        return (
            Code::BadValue,
            "expected one word here, not a list or a block".to_string(),
            Some(ONE_VALUE_HELP.to_string()),
        );
    } else if let Some((found, expected)) = raw
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        let shape = match found {
            "sequence" => Some("a list"),
            "map" => Some("a block of `key: value` lines"),
            _ => None,
        };
        return match shape {
            Some(shape) => (
                Code::BadValue,
                format!("expected {expected} here, not {shape}"),
                Some(ONE_VALUE_HELP.to_string()),
            ),
            // serde names a scalar by its type and shows it (`boolean
            // \`true\``, `floating point \`2016.5\``): the value is enough.
            None => (
                Code::BadValue,
                format!(
                    "expected {expected} here, not {}",
                    found.find(['`', '"']).map_or(found, |at| &found[at..])
                ),
                Some(
                    "write the value in the form expected; quote it (\"…\") if YAML takes it \
                     for a number or for true or false"
                        .to_string(),
                ),
            ),
        };
    } else if raw.contains("unclosed quote") {
        UNCLOSED_QUOTE_HELP
    } else if raw.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted"
    } else {
        return (Code::Yaml, raw.to_string(), None);
    };
    (Code::Yaml, raw.to_string(), Some(help.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        draft: bool,
    }

    fn parse_meta(yaml: &str) -> Result<Meta, Diagnostic> {
        let file = format!("---\n{yaml}---\nbody\n");
        parse(
            yaml,
            Placement {
                file_text: &file,
                path: "content/articles/a.md",
                line_offset: 1,
            },
        )
    }

    #[test]
    fn unknown_field_is_located_and_suggests_the_closest() {
        let err = parse_meta("title: x\ntitel: y\n").unwrap_err();
        assert_eq!(err.message, "unknown field `titel`");
        let loc = err.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
        assert!(err.help.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn missing_field_says_what_to_add() {
        let err = parse_meta("tags: [a]\n").unwrap_err();
        assert_eq!(err.message, "required field `title` is missing");
    }

    #[test]
    fn duplicate_key_points_at_the_repeat_and_names_the_first() {
        let err = parse_meta("title: x\ndraft: true\ntitle: y\n").unwrap_err();
        assert_eq!(err.message, "`title` is given twice");
        assert_eq!(err.location.unwrap().line, 4);
        let help = err.help.unwrap();
        assert!(help.starts_with("the first `title` is on line 2"), "{help}");
        assert!(!help.contains("DuplicateKeyPolicy"), "{help}");
    }

    fn parse_all_meta(yaml: &str) -> Vec<Diagnostic> {
        let file = format!("---\n{yaml}---\nbody\n");
        parse_all::<Meta>(
            yaml,
            Placement {
                file_text: &file,
                path: "content/articles/a.md",
                line_offset: 1,
            },
        )
        .unwrap_err()
    }

    /// (line, column, message) of each problem.
    fn located(problems: &[Diagnostic]) -> Vec<(u32, u32, &str)> {
        problems
            .iter()
            .map(|d| {
                let loc = d.location.as_ref().unwrap();
                (loc.line, loc.column, d.message.as_str())
            })
            .collect()
    }

    #[test]
    fn an_unclosed_quote_is_one_problem_at_the_quote() {
        // The open quote runs on to the next quote mark, and the parser
        // complains about the lines after it: one problem, where it is.
        let problems = parse_all_meta("title: \"Unclosed\ntags: [\"a\"]\ndraft: true\n");
        assert_eq!(
            located(&problems),
            [(2, 8, "unclosed quote")],
            "{problems:?}"
        );
        // A quoted value may run on over lines when that is meant.
        let file = "---\ntitle: \"A long\n  title\"\n---\n";
        let meta: Meta = parse(
            "title: \"A long\n  title\"\n",
            Placement {
                file_text: file,
                path: "a.md",
                line_offset: 1,
            },
        )
        .unwrap();
        assert_eq!(meta.title, "A long title");
    }

    #[test]
    fn a_duplicate_key_stays_where_it_is_and_its_first_is_in_the_same_mapping() {
        // serde-saphyr's message says "acceptable", which holds "tab": a
        // tab further down must not take the error there.
        let problems = parse_all_meta("title: x\ntitle: y\ntags: [\"a\tb\"]\n");
        let loc = problems[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 1), "{problems:?}");
        // The first `title` of the second event, not of the first.
        let file = "---\nevents:\n  - date: 2016\n    title: A\n  - date: 2017\n    title: B\n    title: C\n---\n";
        assert_eq!(first_setting(file, 7, "title"), Some(6));
        assert_eq!(first_setting(file, 6, "title"), None);
    }

    #[test]
    fn an_unclosed_quote_is_found_past_spaces_and_escaped_quotes() {
        for yaml in [
            // The quote that closes it is followed by a space and a word.
            "title: 'Unclosed\ntags: [a]\ndraft: the workers' union\n",
            // `''` is a quote inside a single-quoted value, not its start.
            "title: 'it''s\ntags: ['a']\n",
        ] {
            let problems = parse_all_meta(yaml);
            assert_eq!(
                located(&problems),
                [(2, 8, "unclosed quote")],
                "{yaml:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_tab_is_pointed_at_on_its_own_line() {
        let err = parse_meta("title: x\n\ttags: [a]\n").unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 1), "{}", err.message);
    }

    #[test]
    fn a_value_where_a_list_belongs_is_underlined_whole() {
        let err = parse_meta("title: x\ntags: Example Ministry # the ministry\n").unwrap_err();
        assert_eq!(err.message, "expected a list here");
        let loc = err.location.unwrap();
        assert_eq!(
            (loc.line, loc.column, loc.width),
            (3, 7, 16),
            "not the comment"
        );
    }

    #[test]
    fn yes_is_not_a_boolean_and_the_message_says_what_is() {
        let err = parse_meta("title: x\ndraft: yes\n").unwrap_err();
        assert_eq!(err.message, "expected `true` or `false` here");
        assert_eq!(err.location.unwrap().line, 3);
    }

    #[test]
    fn wrong_type_is_located() {
        let err = parse_meta("title: x\ntags: just-a-string\n").unwrap_err();
        assert_eq!(err.location.unwrap().line, 3, "{}", err.message);
    }

    #[test]
    fn norway_stays_a_string() {
        #[derive(Deserialize)]
        struct T {
            title: String,
        }
        let t: T = parse(
            "title: no\n",
            Placement {
                file_text: "",
                path: "x",
                line_offset: 0,
            },
        )
        .unwrap();
        assert_eq!(t.title, "no");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        yaml.push_str("title: x\n");
        let result: Result<serde_json::Value, _> = parse(
            &yaml,
            Placement {
                file_text: &yaml,
                path: "x",
                line_offset: 0,
            },
        );
        assert!(result.is_err());
    }
}
