//! Reporting for the model stage: findings located in the front matter
//! that caused them, underlining the value as written.

use crate::load::meta::Spanned;

use super::{PartialDate, Slug, check_url};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::Doc;
use crate::load::meta::DateText;

/// Front-matter values whose text a diagnostic can underline.
pub(super) trait ValueText {
    fn text(&self) -> &str;
}

impl ValueText for String {
    fn text(&self) -> &str {
        self
    }
}

impl ValueText for DateText {
    fn text(&self) -> &str {
        &self.0
    }
}

/// Builds diagnostics for one document.
pub(super) struct Reporter<'a, M> {
    doc: &'a Doc<M>,
    pub(super) out: &'a mut Diagnostics,
    /// How many findings were located so far.
    located: std::cell::Cell<usize>,
}

impl<'a, M> Reporter<'a, M> {
    pub(super) fn new(doc: &'a Doc<M>, out: &'a mut Diagnostics) -> Self {
        Reporter::continuing(doc, out, 0)
    }

    /// A reporter for a document that already has `located` located
    /// findings (made by another reporter, in another pass).
    pub(super) fn continuing(doc: &'a Doc<M>, out: &'a mut Diagnostics, located: usize) -> Self {
        Reporter {
            doc,
            out,
            located: std::cell::Cell::new(located),
        }
    }

    /// How many findings were located so far.
    pub(super) fn located(&self) -> usize {
        self.located.get()
    }

    /// The location of a value, underlining the whole value as written
    /// (`[Vladimir Puttin]` marks both words, a quoted value its quotes).
    /// Past [`crate::diagnostic::MAX_PER_FILE`] findings only the file is
    /// named: locating one scans its line, so thousands of findings on one
    /// long line (`actors: [x1, x2, …]`) would be quadratic.
    fn at<T: ValueText>(&self, spanned: &Spanned<T>) -> Option<Location> {
        if self.located.get() >= crate::diagnostic::MAX_PER_FILE {
            return None;
        }
        self.located.set(self.located.get() + 1);
        let mut location = self.doc.locate(spanned.referenced)?;
        let value = spanned.value.text().trim();
        let at = location
            .line_text
            .char_indices()
            .nth((location.column - 1).saturating_sub(location.cut) as usize)
            .map_or(location.line_text.len(), |(i, _)| i);
        let written = &location.line_text[at..];
        let quoted = written.starts_with(['"', '\'']);
        if !value.is_empty() && written[usize::from(quoted)..].starts_with(value) {
            location.width = (value.chars().count() + 2 * usize::from(quoted)) as u32;
        }
        Some(location)
    }

    pub(super) fn error<T: ValueText>(
        &mut self,
        code: Code,
        spanned: &Spanned<T>,
        message: String,
    ) -> &mut Diagnostic {
        let diagnostic = Diagnostic::error(code, &self.doc.path, message);
        self.push_at(diagnostic, spanned)
    }

    pub(super) fn warning<T: ValueText>(
        &mut self,
        code: Code,
        spanned: &Spanned<T>,
        message: String,
    ) -> &mut Diagnostic {
        let diagnostic = Diagnostic::warning(code, &self.doc.path, message);
        self.push_at(diagnostic, spanned)
    }

    /// Adds `diagnostic`, located at `spanned`, for the caller to amend.
    fn push_at<T: ValueText>(
        &mut self,
        diagnostic: Diagnostic,
        spanned: &Spanned<T>,
    ) -> &mut Diagnostic {
        let location = self.at(spanned);
        self.out.push(diagnostic.at_opt(location));
        self.out.last_mut().expect("invariant: just pushed")
    }

    pub(super) fn date(&mut self, spanned: &Spanned<DateText>) -> Option<PartialDate> {
        match PartialDate::parse(&spanned.value.0) {
            Ok(date) => Some(date),
            Err(err) => {
                self.error(Code::BadDate, spanned, err.0)
                    .help = Some("write `2017-01-25` for a day, `2016-11` for a month, `2015` for a year; add `date_note:` to say how an inexact date was inferred".to_string());
                None
            }
        }
    }

    pub(super) fn url(&mut self, spanned: &Spanned<String>) -> Option<String> {
        match check_url(&spanned.value) {
            Ok(()) => Some(spanned.value.trim().to_string()),
            Err(message) => {
                self.error(Code::BadUrl, spanned, message).help = Some(
                    "write the full web address, starting with https:// or http://".to_string(),
                );
                None
            }
        }
    }

    pub(super) fn text(&mut self, spanned: &Spanned<String>, what: &str) -> Option<String> {
        let text = spanned.value.trim();
        if text.is_empty() {
            self.error(Code::Empty, spanned, format!("the {what} is empty"))
                .help = Some(format!(
                "give the {what} a value, or remove the line if it is optional"
            ));
            None
        } else {
            Some(text.to_string())
        }
    }
}

pub(super) fn suggestion(best: Option<&str>) -> String {
    best.map(|b| format!("did you mean `{b}`? Otherwise "))
        .unwrap_or_default()
}

pub(super) fn slug_hint(name: &str) -> String {
    Slug::from_text(name).map_or_else(|| "name".to_string(), |s| s.to_string())
}
