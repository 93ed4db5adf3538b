//! A large briefing laid out in parts, one Typst compilation each, whose
//! pages are joined into one PDF.
//!
//! Typst keeps every layout of a compilation (each paragraph's lines, and
//! the pages holding copies of them) until the compilation ends: laid out
//! at once, a 1,000-article briefing held 3.2 GB. Here the articles are
//! laid out some at a time (`briefing.articles_per_part`), Typst's memo is
//! dropped after each part, and only the finished pages are kept. What
//! one compilation found by itself, the parts are told: the front (cover,
//! contents, summary, chronology) and the back (actors appendix, notes,
//! index) get the page of every article and part as data, and the footers
//! ("page N of M") are laid out by a part of their own once the page count
//! is known, then set on the pages.
//!
//! Page numbers are padded to a fixed number of digits, so the front and
//! back take the same room whatever numbers they print: laid out once with
//! blanks, the front's length fixes where every article begins.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Instant;

use typst::introspection::Introspector as _;
use typst::layout::Point;
use typst::model::Document as _;
use typst_layout::{Page, PagedDocument};

use super::engine::{Typesetter, finish_trace, start_trace};
use super::{Briefing, Layout, ms};
use crate::background::free_in_background;
use crate::error::{Error, Result};

/// How many times the front and back are laid out again when their
/// numbers need more digits than estimated, or the front's length moved.
const ROUNDS: usize = 3;

/// The PDF of `briefing`, laid out `per_part` articles at a time; `None`
/// when the template does not lay out in parts (a theme's template written
/// before `b.layout`, which prints the whole briefing whatever part it is
/// asked for).
///
/// # Errors
/// [`Error::Template`] when the template fails in any part.
pub(super) fn render(
    typesetter: &Typesetter,
    briefing: &Briefing,
    per_part: usize,
) -> Result<Option<Vec<u8>>> {
    let trace = start_trace();
    let clock = Instant::now();
    let count = briefing.articles.len();
    let per_part = per_part.max(1);
    let mut digits = briefing.page_digits;

    // The articles first: their pages depend on no other part.
    let mut articles: Vec<Page> = Vec::new();
    // Article labels and their pages, counted from the first article page.
    let mut article_labels: Vec<(String, usize)> = Vec::new();
    for start in (0..count).step_by(per_part) {
        let range = start..(start + per_part).min(count);
        let part = layout("articles", BTreeMap::new(), start == 0, 0);
        let document = compile(typesetter, briefing, part, range, digits)?;
        if start == 0 && !only_articles(&document) {
            log::debug!(
                "the briefing template does not lay out in parts (`b.layout`): laid out at once"
            );
            finish_trace(trace);
            return Ok(None);
        }
        let offset = articles.len();
        article_labels.extend(
            labelled_pages(&document)
                .into_iter()
                .map(|(label, page)| (label, offset + page)),
        );
        articles.extend(document.pages().iter().cloned());
        drop(document);
        typst::comemo::evict(0);
    }
    log::debug!(
        "  articles      {:>8.1} ms ({} pages, {} parts)",
        ms(clock.elapsed()),
        articles.len(),
        count.div_ceil(per_part)
    );

    let clock = Instant::now();
    let all = 0..count;
    // Laid out with blank numbers, the front says how long it is, and
    // where its own labels are.
    let blank_front = |digits| -> Result<(usize, Vec<(String, usize)>)> {
        let front = layout("front", BTreeMap::new(), false, 0);
        let blank = compile(typesetter, briefing, front, all.clone(), digits)?;
        Ok((blank.pages().len(), labelled_pages(&blank)))
    };
    let (mut front_length, mut known) = blank_front(digits)?;
    let mut settled = None;
    for _ in 0..ROUNDS {
        let mut pages: BTreeMap<String, usize> = known.iter().cloned().collect();
        pages.extend(
            article_labels
                .iter()
                .map(|(label, page)| (label.clone(), front_length + page)),
        );
        let back = compile(
            typesetter,
            briefing,
            layout("back", pages.clone(), false, 0),
            all.clone(),
            digits,
        )?;
        let before_back = front_length + articles.len();
        pages.extend(
            labelled_pages(&back)
                .into_iter()
                .map(|(label, page)| (label, before_back + page)),
        );
        let total = before_back + back.pages().len();
        let needed = total.to_string().len();
        if needed > digits {
            // Numbers wider than their padding would change the lengths.
            digits = needed;
            (front_length, known) = blank_front(digits)?;
            continue;
        }
        let front = compile(
            typesetter,
            briefing,
            layout("front", pages, false, 0),
            all.clone(),
            digits,
        )?;
        if front.pages().len() == front_length {
            settled = Some((front, back, total));
            break;
        }
        front_length = front.pages().len();
        known = labelled_pages(&front);
    }
    let Some((front, back, total)) = settled else {
        return Err(Error::Template(
            "the briefing's page numbers did not settle: its front part changed length each time it was laid out"
                .to_string(),
        ));
    };
    let info = front.info().clone();
    let mut pages: Vec<Page> = front.pages().to_vec();
    pages.append(&mut articles);
    pages.extend(back.pages().iter().cloned());
    drop((front, back));
    typst::comemo::evict(0);
    log::debug!("  front, back   {:>8.1} ms", ms(clock.elapsed()));

    let clock = Instant::now();
    let footers = compile(
        typesetter,
        briefing,
        layout("footers", BTreeMap::new(), false, total),
        0..0,
        digits,
    )?;
    if footers.pages().len() != pages.len() {
        return Err(Error::Template(format!(
            "the footers part laid out {} pages for a briefing of {}",
            footers.pages().len(),
            pages.len()
        )));
    }
    for (number, (page, footer)) in pages.iter_mut().zip(footers.pages()).enumerate() {
        // A footer page is blank but for its footer, at its place.
        page.frame.push_frame(Point::zero(), footer.frame.clone());
        page.number = number as u64 + 1;
    }
    drop(footers);
    typst::comemo::evict(0);
    log::debug!("  footers       {:>8.1} ms", ms(clock.elapsed()));

    let clock = Instant::now();
    let document = PagedDocument::new(pages.into(), info);
    let pdf = typesetter.export(&document, &briefing.title);
    log::debug!("  export        {:>8.1} ms", ms(clock.elapsed()));
    free_in_background("free the briefing's pages", move || drop(document));
    finish_trace(trace);
    pdf.map(Some)
}

/// Does an articles part hold articles only (none of the parts' labels)?
fn only_articles(document: &PagedDocument) -> bool {
    labelled_pages(document)
        .iter()
        .all(|(label, _)| !label.starts_with("part-"))
}

/// The data of a part: which, and the pages known.
fn layout(
    part: &'static str,
    pages: BTreeMap<String, usize>,
    articles_heading: bool,
    total_pages: usize,
) -> Layout {
    Layout {
        part,
        pages,
        articles_heading,
        total_pages,
    }
}

/// Lays out one part of `briefing`.
fn compile(
    typesetter: &Typesetter,
    briefing: &Briefing,
    layout: Layout,
    articles: Range<usize>,
    digits: usize,
) -> Result<PagedDocument> {
    let clock = Instant::now();
    let part = layout.part;
    let document = typesetter.compile(briefing.part_json(layout, articles, digits))?;
    log::trace!(
        "  part {part:<9} {:>8.1} ms ({} pages)",
        ms(clock.elapsed()),
        document.pages().len()
    );
    Ok(document)
}

/// Every label of `document` with the page it is on (from 1).
fn labelled_pages(document: &PagedDocument) -> Vec<(String, usize)> {
    let introspector = document.introspector();
    introspector
        .query_labelled()
        .iter()
        .filter_map(|element| {
            let label = element.label()?;
            let page = introspector.page(element.location()?)?;
            Some((label.resolve().to_string(), page.get()))
        })
        .collect()
}
