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
//! blank numbers (beside the articles, on the core those leave idle), they
//! fix where every article and part begins; then they are laid out with
//! their numbers, side by side. The parts look no page up (they are
//! given the pages), so each settles in one or two layout passes.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::time::Instant;

use typst::introspection::{Introspector as _, Location, Tag};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::Document as _;
use typst_layout::{Page, PagedDocument};

use super::engine::{Typesetter, finish_trace, start_trace};
use super::{Briefing, Layout, Part, ms};
use crate::background::free_in_background;
use crate::error::{Error, Result};

/// How many times at most the front and back are laid out with their
/// numbers (again when the numbers need more digits than estimated, or a
/// length or place moved).
const ROUNDS: usize = 3;

/// What to do when laying out in parts fails where laying out at once
/// would not.
const AT_ONCE: &str =
    "lay the briefing out at once with `briefing.articles_per_part: 0` in site.yaml";

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
    let digits = briefing.page_digits;
    // The front and back take the same room whatever numbers they print:
    // laid out with blanks beside the articles (on the core the articles
    // leave idle between their paragraphs), they give their lengths and
    // where their own labels are.
    let (articles, blanks) = std::thread::scope(|scope| {
        let blanks = scope.spawn(|| lay_out_blanks(typesetter, briefing, digits));
        let articles = lay_out_articles(typesetter, briefing, per_part.max(1));
        (articles, blanks.join())
    });
    let blanks = blanks.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let Some(Articles { mut pages, labels }) = articles? else {
        log::debug!(
            "the briefing template does not lay out in parts (`b.layout`): laid out at once"
        );
        finish_trace(trace);
        return Ok(None);
    };
    let mut blanks = blanks?;
    log::debug!(
        "  articles      {:>8.1} ms ({} pages in parts of {per_part}; front and back beside)",
        ms(clock.elapsed()),
        pages.len(),
    );

    let clock = Instant::now();
    let mut settled = None;
    for _ in 0..ROUNDS {
        let [front_length, back_length] = [&blanks.front, &blanks.back].map(|b| b.length);
        let before_back = front_length + pages.len();
        let total = before_back + back_length;
        if total.to_string().len() > blanks.digits {
            // Numbers wider than their padding would change the lengths.
            blanks = lay_out_blanks(typesetter, briefing, total.to_string().len())?;
            continue;
        }
        let mut known: BTreeMap<String, usize> = blanks.front.labels.iter().cloned().collect();
        known.extend(label_pages(&labels, front_length));
        known.extend(label_pages(&blanks.back.labels, before_back));
        let [front, back] = side_by_side([Part::Front, Part::Back].map(|part| {
            let data = layout(part, known.clone(), false, 0);
            move || {
                compile(
                    typesetter,
                    briefing,
                    data,
                    0..briefing.articles.len(),
                    blanks.digits,
                )
            }
        }));
        let (front, back) = (front?, back?);
        let (laid_front, laid_back) = (Laid::of(&front), Laid::of(&back));
        if laid_front == blanks.front && laid_back == blanks.back {
            settled = Some((front, back, total));
            break;
        }
        // Not expected: the padded numbers keep every length and place.
        blanks.front = laid_front;
        blanks.back = laid_back;
    }
    let Some((front, back, total)) = settled else {
        return Err(Error::Template(format!(
            "the briefing's page numbers did not settle: its front or back changed length each time it was laid out; {AT_ONCE}"
        )));
    };
    let info = front.info().clone();
    let mut all: Vec<Page> = front.pages().to_vec();
    all.append(&mut pages);
    all.extend(back.pages().iter().cloned());
    drop((front, back));
    typst::comemo::evict(0);
    log::debug!("  front, back   {:>8.1} ms", ms(clock.elapsed()));

    let clock = Instant::now();
    let footers = compile(
        typesetter,
        briefing,
        layout(Part::Footers, BTreeMap::new(), false, total),
        0..0,
        blanks.digits,
    )?;
    if footers.pages().len() != all.len() {
        return Err(Error::Template(format!(
            "the footers part laid out {} pages for a briefing of {}; {AT_ONCE}",
            footers.pages().len(),
            all.len()
        )));
    }
    for (number, (page, footer)) in all.iter_mut().zip(footers.pages()).enumerate() {
        // A footer page is blank but for its footer, at its place.
        page.frame.push_frame(Point::zero(), footer.frame.clone());
        page.number = number as u64 + 1;
    }
    drop(footers);
    typst::comemo::evict(0);
    log::debug!("  footers       {:>8.1} ms", ms(clock.elapsed()));

    if let Some(place) = shared_location(&all) {
        return Err(Error::Template(format!(
            "laid out in parts, two elements of the briefing got the same place ({place:?}): \
             its links and tags could point to the wrong one; {AT_ONCE}"
        )));
    }
    let clock = Instant::now();
    let document = PagedDocument::new(all.into(), info);
    let pdf = typesetter.export(&document, &briefing.title);
    log::debug!("  export        {:>8.1} ms", ms(clock.elapsed()));
    free_in_background("free the briefing's pages", move || drop(document));
    finish_trace(trace);
    pdf.map(Some)
}

/// The article pages, and each article label with its page counted from
/// the first article page.
struct Articles {
    pages: Vec<Page>,
    labels: Vec<(String, usize)>,
}

/// Lays out the articles `per_part` at a time, dropping Typst's memo after
/// each part; `None` when the template prints more than articles in an
/// articles part (it ignores `b.layout`).
fn lay_out_articles(
    typesetter: &Typesetter,
    briefing: &Briefing,
    per_part: usize,
) -> Result<Option<Articles>> {
    let count = briefing.articles.len();
    let mut out = Articles {
        pages: Vec::new(),
        labels: Vec::new(),
    };
    for start in (0..count).step_by(per_part) {
        let range = start..(start + per_part).min(count);
        let part = layout(Part::Articles, BTreeMap::new(), start == 0, 0);
        let document = compile(
            typesetter,
            briefing,
            part,
            range.clone(),
            briefing.page_digits,
        )?;
        if start == 0 && !lays_out_only(&document, &briefing.articles[range.clone()]) {
            return Ok(None);
        }
        out.labels
            .extend(label_pages(&labelled_pages(&document), out.pages.len()));
        out.pages.extend(document.pages().iter().cloned());
        drop(document);
        // What Typst memoised for this part is of no use to the next, nor
        // to the front and back laid out beside it.
        typst::comemo::evict(0);
    }
    Ok(Some(out))
}

/// A part laid out: its length, and its labels with their pages in it.
#[derive(PartialEq)]
struct Laid {
    length: usize,
    labels: Vec<(String, usize)>,
}

impl Laid {
    fn of(document: &PagedDocument) -> Laid {
        Laid {
            length: document.pages().len(),
            labels: labelled_pages(document),
        }
    }
}

/// The front and back laid out with blank page numbers of `digits` digits.
struct Blanks {
    front: Laid,
    back: Laid,
    digits: usize,
}

/// Lays out the front and back, side by side, with blank page numbers of
/// `digits` digits.
fn lay_out_blanks(typesetter: &Typesetter, briefing: &Briefing, digits: usize) -> Result<Blanks> {
    let [front, back] = side_by_side([Part::Front, Part::Back].map(|part| {
        move || {
            let data = layout(part, BTreeMap::new(), false, 0);
            compile(
                typesetter,
                briefing,
                data,
                0..briefing.articles.len(),
                digits,
            )
            .map(|document| Laid::of(&document))
        }
    }));
    Ok(Blanks {
        front: front?,
        back: back?,
        digits,
    })
}

/// Runs two jobs at once, each on its own thread.
fn side_by_side<T: Send>(jobs: [impl FnOnce() -> T + Send; 2]) -> [T; 2] {
    let [first, second] = jobs;
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        [
            first,
            second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        ]
    })
}

/// `labels` with their pages moved `offset` pages on.
fn label_pages(
    labels: &[(String, usize)],
    offset: usize,
) -> impl Iterator<Item = (String, usize)> + '_ {
    labels
        .iter()
        .map(move |(label, page)| (label.clone(), offset + page))
}

/// The data of a part: which, and the pages known.
fn layout(
    part: Part,
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
    // Each part's template has a path of its own (see `compile_as`).
    let path = format!("/{part:?}-{}-{}/briefing.typ", articles.start, digits);
    let document = typesetter.compile_as(&path, briefing.part_json(layout, articles, digits))?;
    log::trace!(
        "  part {part:<9?} {:>8.1} ms ({} pages)",
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

/// Does an articles part hold exactly its articles (their labels, and no
/// other)? A template that ignores `b.layout` prints more, or no labels.
fn lays_out_only(document: &PagedDocument, articles: &[super::ArticleData]) -> bool {
    let found: HashSet<String> = labelled_pages(document)
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    let expected: HashSet<String> = articles.iter().map(|a| a.label.clone()).collect();
    found == expected
}

/// A location two elements of `pages` share, if any. Typst gives each
/// element a location unique in its compilation; pages joined from
/// several compilations must keep them unique, or a link or a tag of one
/// element would find another.
fn shared_location(pages: &[Page]) -> Option<Location> {
    fn walk(frame: &Frame, seen: &mut HashSet<Location>) -> Option<Location> {
        frame.items().find_map(|(_, item)| match item {
            FrameItem::Group(group) => walk(&group.frame, seen),
            FrameItem::Tag(Tag::Start(element, _)) => element
                .location()
                .filter(|location| !seen.insert(*location)),
            _ => None,
        })
    }
    let mut seen = HashSet::new();
    pages.iter().find_map(|page| walk(&page.frame, &mut seen))
}
