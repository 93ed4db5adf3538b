//! Headings and ids in a body: unique ids that never take one the theme
//! or a footnote uses, anchor links, and the table of contents.

use super::*;

impl<'c, 'e> Walker<'c, 'e> {
    pub(super) fn end_heading(&mut self, level: u8) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = heading.text.trim().to_string();
        let wanted = heading
            .explicit_id
            .clone()
            .unwrap_or_else(|| match slug::slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            });
        let id = if !is_reserved_id(&wanted) && self.used_ids.insert(wanted.clone()) {
            wanted
        } else {
            let mut n = self.next_suffix.get(&wanted).copied().unwrap_or(1);
            let id = loop {
                let mut candidate = format!("{wanted}-{n}");
                if is_reserved_id(&candidate) {
                    // `e-1`, `y2016-1`: a suffix alone stays in the theme's
                    // namespace; `h-` takes it out.
                    candidate = format!("h-{candidate}");
                }
                n += 1;
                if self.used_ids.insert(candidate.clone()) {
                    break candidate;
                }
            };
            if heading.explicit_id.is_some() && self.room(false) {
                // The author chose this id (and may link to it): say that
                // the page could not keep it.
                self.diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateId,
                        self.body.path,
                        format!(
                            "the heading id `{wanted}` is already used on the page; this heading gets `{id}`"
                        ),
                    )
                    .at(self.location(&heading.range))
                    .help("choose another `{#id}` for one of the headings"),
                );
            }
            self.next_suffix.insert(wanted, n);
            id
        };
        let mut open = format!("<h{level} id=\"");
        escape_html(&mut open, &id).expect("invariant: String writes");
        open.push('"');
        if !heading.classes.is_empty() {
            open.push_str(" class=\"");
            escape_html(&mut open, &heading.classes.join(" ")).expect("invariant: String writes");
            open.push('"');
        }
        open.push('>');
        self.out[heading.out_index] = Event::Html(CowStr::from(open));
        let mut close = String::from(" <a class=\"anchor\" href=\"#");
        escape_href(&mut close, &id).expect("invariant: String writes");
        close.push_str("\" aria-label=\"Link to this section\">#</a>");
        close.push_str(&format!("</h{level}>\n"));
        self.out.push(Event::Html(CowStr::from(close)));
        self.facts.anchors.push(id.clone());
        self.facts.headings.push(Heading {
            level: heading.level,
            id,
            text,
        });
    }
}

/// The ids the theme gives elements of the pages a body appears on (article,
/// actor and publication pages, and the layout around them). A heading with
/// one of these names gets a suffix instead, so that `## Main` does not take
/// `<main id="main">`'s id.
pub(super) const THEME_IDS: &[&str] = &[
    "main",
    "article-title",
    "actor-filter",
    "actor-h",
    "actors-h",
    "articles-h",
    "attribution-h",
    "backlinks-h",
    "chart-desc",
    "chart-title",
    "events-h",
    "latest-h",
    "members-h",
    "quotes-h",
    "related-h",
    "source-h",
    "sources-h",
    "timeline",
    "timeline-h",
    "toc-h",
    "with-h",
    "years-h",
];

/// Is `id` one the theme uses or makes from data: the fixed ones above,
/// timeline ids (`e-12`, `y2016`, `y2016-h`, `m2016-03`) and footnotes.
pub(super) fn is_reserved_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let data_made = id.strip_prefix("e-").is_some_and(digits)
        || id
            .strip_prefix('y')
            .is_some_and(|rest| digits(rest.strip_suffix("-h").unwrap_or(rest)))
        || id
            .strip_prefix('m')
            .is_some_and(|rest| match rest.split_once('-') {
                Some((year, month)) => digits(year) && digits(month),
                None => digits(rest),
            });
    data_made || THEME_IDS.contains(&id) || id.starts_with(FOOTNOTE_PREFIX)
}

/// Footnotes get ids of their own (`fn:notes`), which heading slugs can
/// never produce, so `[^notes]` and `## Notes` do not share `notes`.
pub(super) const FOOTNOTE_PREFIX: &str = "fn:";

pub(super) fn footnote_id(label: &str) -> String {
    format!("{FOOTNOTE_PREFIX}{label}")
}
