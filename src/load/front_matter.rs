//! Splitting a content file into its YAML front matter and Markdown body.
//!
//! Kept apart from YAML parsing so that the exact line of every YAML
//! position can be recovered: the parser sees only the block between the
//! fences, and [`Split::yaml_line_offset`] says how far down the file it
//! starts.

/// A content file cut into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (without them).
    pub yaml: &'a str,
    /// Lines of the file before the first YAML line.
    pub yaml_line_offset: u32,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` (at this 1-based line) is never closed.
    Unclosed {
        /// Line of the opening fence.
        line: u32,
    },
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the front matter: a `---` line at the top of the file (blank lines
/// before it are allowed), then YAML, then a closing `---` or `...` line.
///
/// # Errors
/// [`SplitError::Missing`] or [`SplitError::Unclosed`].
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut offset = 0;
    let mut line_no = 0u32;
    let mut lines = text.split_inclusive('\n');
    // Skip blank lines before the opening fence.
    let open_line = loop {
        let Some(line) = lines.next() else {
            return Err(SplitError::Missing);
        };
        line_no += 1;
        offset += line.len();
        if is_fence(line) {
            break line_no;
        }
        if !line.trim().is_empty() {
            return Err(SplitError::Missing);
        }
    };
    let yaml_start = offset;
    for line in lines {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..line_start],
                yaml_line_offset: open_line,
                body_start: offset,
            });
        }
    }
    Err(SplitError::Unclosed { line: open_line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let text = "---\ntitle: A\n---\n\nBody\n";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.yaml_line_offset, 1);
        assert_eq!(&text[split.body_start..], "\nBody\n");
    }

    #[test]
    fn leading_blank_lines_shift_the_offset() {
        let text = "\n\n---\ntitle: A\n...\nBody";
        let split = split(text).unwrap();
        assert_eq!(split.yaml_line_offset, 3);
        assert_eq!(&text[split.body_start..], "Body");
    }

    #[test]
    fn empty_front_matter_and_empty_body_are_fine() {
        let split = split("---\n---\n").unwrap();
        assert_eq!(split.yaml, "");
        assert_eq!(split.body_start, 8);
        let split2 = split_at_eof();
        assert_eq!(split2.yaml, "a: 1\n");
    }

    fn split_at_eof() -> Split<'static> {
        split("---\na: 1\n---").unwrap()
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(
            split("\n---\ntitle: A\n"),
            Err(SplitError::Unclosed { line: 2 })
        );
        // A horizontal rule in the body is not a fence once the front matter is closed.
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.yaml, "a: 1\n");
    }
}
