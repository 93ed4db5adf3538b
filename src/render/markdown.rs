//! Markdown bodies → safe HTML, plus the facts the graph needs.
//!
//! One pass over pulldown-cmark's event stream does everything a body needs,
//! so each article is parsed exactly once:
//! - actor mentions are found in running text (never in code, links, image
//!   text or headings), counted, and linked (first, all or none, per
//!   `site.yaml`), with the sentence of the first mention kept as a snippet;
//! - links to other content files (`other-article.md`, `../actors/x.md`)
//!   become page URLs; a link to a missing file is a located error;
//!   `javascript:`, `data:` and other active URLs are removed with a warning;
//! - raw HTML is shown as text unless `markdown.allow_raw_html` is set;
//! - headings get unique ids and anchor links, and feed the table of contents;
//! - an image alone in a paragraph becomes a figure with its caption (the alt
//!   text) and credit (the title); with an empty destination, `![caption](<>
//!   "credit")`, it records a photo the clipping did not keep;
//! - a blockquote whose last paragraph starts with an em dash is a quote
//!   attributed to the actor that line names;
//! - fenced code is highlighted with CSS classes.
//!
//! The walker's core (text, mentions, code, footnotes) is here; its parts
//! for `links`, `figures`, `quotes` and `headings` are submodules.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::highlight;
use super::mentions::{MentionMatcher, sentence_at, sentence_breaks};
use super::urls::Urls;
use crate::config::MentionLinks;
use crate::diagnostic::{Code, Diagnostic, Location, MAX_PER_FILE, closest, closest_by};
use crate::fingerprint::{FastMap, FastSet};
use crate::model::graph::{BodyFacts, BodyQuote, Heading, Mention};
use crate::model::{ActorId, ArticleId, Credit, Site, Target};

mod figures;
mod headings;
mod links;
mod quotes;

use headings::footnote_id;
pub use links::check_fragments;
use links::link_destination;
pub(crate) use links::{join, percent_decode};

/// Everything body rendering needs to know about the site.
#[derive(Debug, Clone, Copy)]
pub struct BodyContext<'a> {
    /// The model (for link targets and actor pages).
    pub site: &'a Site,
    /// URL builder.
    pub urls: &'a Urls,
    /// Actor name finder.
    pub matcher: &'a MentionMatcher,
}

/// One Markdown body to render.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The content file, relative to the root (for links and diagnostics).
    pub path: &'a str,
    /// The whole file.
    pub text: &'a str,
    /// Where the body starts in `text`.
    pub body_start: usize,
    /// The actor whose profile this is: never linked to itself.
    pub self_actor: Option<ActorId>,
}

/// A `#fragment` link to check once every body's anchors are known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FragmentLink {
    /// The article linked to; `None` for the same page.
    pub target: Option<ArticleId>,
    /// The fragment, without `#`.
    pub fragment: String,
    /// Where the link is.
    pub location: Location,
}

/// A rendered body.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct RenderedBody {
    /// The HTML.
    pub html: crate::render::views::Html,
    /// What the body says, for the graph.
    pub facts: BodyFacts,
    /// The fingerprint of `facts.mentions` (whom the body names, how
    /// often, and the sentence that first does), which the pages of those
    /// actors show: worked out once, when the body is rendered, not in
    /// every build that reuses it.
    pub mentions_print: u64,
    /// Fragment links to validate.
    pub fragment_links: Vec<FragmentLink>,
    /// External links and their byte ranges in the file (for `check`; the
    /// line and column are worked out only there).
    pub external_links: Vec<(String, Range<usize>)>,
}

pub(crate) fn options(site: &Site) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM;
    if site.config.markdown.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Renders one body.
pub fn render_body(ctx: BodyContext<'_>, body: Body<'_>) -> (RenderedBody, Vec<Diagnostic>) {
    let markdown = &body.text[body.body_start..];
    if let Some((offset, depth)) = too_deep(markdown) {
        let location = Location::of_byte(body.text, body.body_start + offset, 1);
        let diagnostic = Diagnostic::error(
            Code::TooDeep,
            body.path,
            format!(
                "lists or quotes are nested {depth} deep here; at most {MAX_NESTING} are allowed"
            ),
        )
        .at(location)
        .help("no article nests this deep: is this line `- - - …` or `> > > …` by mistake?");
        return (RenderedBody::default(), vec![diagnostic]);
    }
    let allow_raw = ctx.site.config.markdown.allow_raw_html;
    // Merge adjacent text events (smart punctuation and entities split them),
    // so a name is never cut in two; show raw HTML as text unless allowed.
    // A run of pieces is gathered in one growing buffer: copying the text
    // so far for every piece would be quadratic (`'a` × 200,000 is 400,000
    // pieces).
    // Sized for a dense text (see `EVENTS_EVERY`): growing the list event
    // by event copied it a dozen times.
    let mut events: Vec<(Event<'_>, Range<usize>)> =
        Vec::with_capacity((markdown.len() / EVENTS_EVERY).min(MAX_EVENTS_RESERVED) + 16);
    let mut run: Option<(String, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(markdown, options(ctx.site)).into_offset_iter() {
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !allow_raw => Event::Text(html),
            other => other,
        };
        match (event, &mut run) {
            (Event::Text(text), Some((buffer, run_range))) => {
                buffer.push_str(&text);
                run_range.end = range.end;
            }
            (Event::Text(text), None) => match events.pop() {
                Some((Event::Text(previous), previous_range)) => {
                    let mut buffer = previous.into_string();
                    buffer.push_str(&text);
                    run = Some((buffer, previous_range.start..range.end));
                }
                other => {
                    events.extend(other);
                    events.push((Event::Text(text), range));
                }
            },
            (event, _) => {
                if let Some((buffer, run_range)) = run.take() {
                    events.push((Event::Text(CowStr::from(buffer)), run_range));
                }
                events.push((event, range));
            }
        }
    }
    if let Some((buffer, run_range)) = run.take() {
        events.push((Event::Text(CowStr::from(buffer)), run_range));
    }
    let mut walker = Walker::new(ctx, body);
    // Mentions linked add three events each.
    walker.out.reserve(events.len() + events.len() / 4);
    walker.walk(events);
    walker.finish()
}

/// Part of a text event: borrowed from the Markdown when the event is (the
/// pieces between linked mentions are most of a body's text), copied only
/// when the event was made by merging.
fn piece<'e>(text: &CowStr<'e>, range: Range<usize>) -> CowStr<'e> {
    match text {
        CowStr::Borrowed(whole) => CowStr::Borrowed(&whole[range]),
        other => CowStr::from(other[range].to_string()),
    }
}

/// Bytes of Markdown per parser event in a dense text, for sizing the
/// event list once: the sample's articles have one event per 82 bytes, the
/// generated ones (more emphasis, links and quotes) one per 45.
const EVENTS_EVERY: usize = 32;

/// The most events reserved up front (an event is ~100 bytes): a body of
/// several megabytes grows its list as it goes rather than reserving
/// three bytes for each of its own on every core.
const MAX_EVENTS_RESERVED: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    PlainQuote,
    Other,
}

struct QuoteState {
    out_start: usize,
    paragraphs: Vec<(usize, usize, String)>,
}

struct HeadingState {
    out_index: usize,
    range: Range<usize>,
    level: u8,
    explicit_id: Option<String>,
    classes: Vec<String>,
    text: String,
}

/// How a link or image was emitted, so its end tag matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emitted {
    Kept,
    Dropped,
}

struct Walker<'c, 'e> {
    ctx: BodyContext<'c>,
    body: Body<'c>,
    out: Vec<Event<'e>>,
    facts: BodyFacts,
    rendered: RenderedBody,
    diagnostics: Vec<Diagnostic>,
    block_text: String,
    pending_snippets: Vec<(usize, usize)>,
    mention_index: FastMap<ActorId, usize>,
    linked: FastSet<ActorId>,
    links: Vec<Emitted>,
    images: Vec<Emitted>,
    heading: Option<HeadingState>,
    code: Option<(String, String)>,
    containers: Vec<Container>,
    quotes: Vec<QuoteState>,
    used_ids: FastSet<String>,
    /// For each wanted heading id, the next number to try after it: makes
    /// uniquing linear (20,000 identical headings would otherwise try
    /// 1, 2, 3 … for each one).
    next_suffix: FastMap<String, usize>,
    paragraph_start: Option<usize>,
    /// (byte offset, its line's start, line, column) of the last location.
    last_location: std::cell::Cell<(usize, usize, u32, u32)>,
    /// Findings past the cap: how many, and whether any was an error.
    suppressed: (usize, bool),
}

impl<'c, 'e> Walker<'c, 'e> {
    fn new(ctx: BodyContext<'c>, body: Body<'c>) -> Self {
        Walker {
            ctx,
            body,
            out: Vec::new(),
            facts: BodyFacts::default(),
            rendered: RenderedBody::default(),
            diagnostics: Vec::new(),
            block_text: String::new(),
            pending_snippets: Vec::new(),
            mention_index: FastMap::default(),
            linked: FastSet::default(),
            links: Vec::new(),
            images: Vec::new(),
            heading: None,
            code: None,
            containers: Vec::new(),
            quotes: Vec::new(),
            used_ids: FastSet::default(),
            next_suffix: FastMap::default(),
            paragraph_start: None,
            last_location: std::cell::Cell::new((0, 0, 1, 1)),
            suppressed: (0, false),
        }
    }

    /// The location of a range of the body. Findings come in file order,
    /// so lines and columns are counted on from the previous one: a body
    /// with thousands of findings on one line costs one pass, not one pass
    /// per finding.
    fn location(&self, range: &Range<usize>) -> Location {
        let text = self.body.text;
        let mut offset = (self.body.body_start + range.start).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (last, line_start, line, column) = self.last_location.get();
        if offset < last {
            return Location::of_byte(text, offset, range.len());
        }
        let between = &text[last..offset];
        let (line_start, line, column) = match between.rfind('\n') {
            Some(newline) => (
                last + newline + 1,
                line + between.matches('\n').count() as u32,
                text[last + newline + 1..offset].chars().count() as u32 + 1,
            ),
            None => (line_start, line, column + between.chars().count() as u32),
        };
        self.last_location.set((offset, line_start, line, column));
        Location::of_known(text, offset, range.len(), line_start, line, column)
    }

    /// Whether another finding may be added; past [`MAX_PER_FILE`] it is
    /// only counted (making it, with its hint, would be the costly part).
    fn room(&mut self, error: bool) -> bool {
        if self.diagnostics.len() < MAX_PER_FILE {
            return true;
        }
        self.suppressed.0 += 1;
        self.suppressed.1 |= error;
        false
    }

    fn walk(&mut self, mut events: Vec<(Event<'e>, Range<usize>)>) {
        let mut i = 0;
        while i < events.len() {
            if matches!(events[i].0, Event::Start(Tag::Paragraph))
                && let Some(end) = self.try_figure(&events, i)
            {
                i = end + 1;
                continue;
            }
            let (event, range) = std::mem::replace(&mut events[i], (Event::SoftBreak, 0..0));
            self.event(event, range);
            i += 1;
        }
    }

    fn event(&mut self, event: Event<'e>, range: Range<usize>) {
        match event {
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.note_text(&code);
                self.out.push(Event::Code(code));
            }
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::FootnoteReference(label) => {
                self.out
                    .push(Event::FootnoteReference(CowStr::from(footnote_id(&label))));
            }
            other => self.out.push(other),
        }
    }

    fn note_text(&mut self, text: &str) {
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        } else if let Some((_, code)) = &mut self.code {
            code.push_str(text);
        } else {
            self.block_text.push_str(text);
            self.facts.words += count_words(text);
        }
    }

    fn text(&mut self, text: CowStr<'e>) {
        let searchable = self.heading.is_none()
            && self.code.is_none()
            && self.links.is_empty()
            && self.images.is_empty();
        if !searchable {
            self.note_text(&text);
            if self.code.is_none() {
                self.out.push(Event::Text(text));
            }
            return;
        }
        let found = self.ctx.matcher.find(&text);
        let base = self.block_text.len();
        self.note_text(&text);
        if found.is_empty() {
            self.out.push(Event::Text(text));
            return;
        }
        let mode = self.ctx.site.config.actors.link_mentions;
        let mut cursor = 0;
        for (range, actor) in found {
            if Some(actor) == self.body.self_actor {
                continue;
            }
            let index = match self.mention_index.get(&actor) {
                Some(&index) => index,
                None => {
                    self.mention_index.insert(actor, self.facts.mentions.len());
                    self.facts.mentions.push(Mention {
                        actor,
                        count: 0,
                        snippet: "".into(),
                    });
                    self.pending_snippets
                        .push((self.facts.mentions.len() - 1, base + range.start));
                    self.facts.mentions.len() - 1
                }
            };
            self.facts.mentions[index].count += 1;
            let link = match mode {
                MentionLinks::All => true,
                MentionLinks::First => self.linked.insert(actor),
                MentionLinks::Off => false,
            };
            if !link {
                continue;
            }
            if range.start > cursor {
                self.out
                    .push(Event::Text(piece(&text, cursor..range.start)));
            }
            let actor = &self.ctx.site.actors[actor.index()];
            let mut open = String::from("<a class=\"mention\" href=\"");
            escape_href(&mut open, &self.ctx.urls.actor(actor)).expect("invariant: String writes");
            open.push_str("\">");
            self.out.push(Event::InlineHtml(CowStr::from(open)));
            self.out.push(Event::Text(piece(&text, range.clone())));
            self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            cursor = range.end;
        }
        if cursor == 0 {
            self.out.push(Event::Text(text));
        } else if cursor < text.len() {
            self.out.push(Event::Text(piece(&text, cursor..text.len())));
        }
    }

    fn flush_block(&mut self) {
        if !self.pending_snippets.is_empty() {
            let breaks = sentence_breaks(&self.block_text);
            for (index, offset) in self.pending_snippets.drain(..) {
                self.facts.mentions[index].snippet =
                    sentence_at(&self.block_text, &breaks, offset).into();
            }
        }
        self.block_text.clear();
    }

    fn start(&mut self, tag: Tag<'e>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush_block();
                self.paragraph_start = Some(self.out.len());
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::Item
            | Tag::TableCell
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.flush_block();
                if tag == Tag::Item {
                    self.containers.push(Container::Other);
                }
                self.out.push(Event::Start(tag));
            }
            Tag::Heading {
                level, id, classes, ..
            } => {
                self.flush_block();
                self.heading = Some(HeadingState {
                    out_index: self.out.len(),
                    range: range.clone(),
                    level: level as u8,
                    explicit_id: id.map(|id| id.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    text: String::new(),
                });
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::BlockQuote(None) => {
                self.flush_block();
                self.quotes.push(QuoteState {
                    out_start: self.out.len(),
                    paragraphs: Vec::new(),
                });
                self.containers.push(Container::PlainQuote);
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Tag::BlockQuote(kind) => {
                self.containers.push(Container::Other);
                self.out.push(Event::Start(Tag::BlockQuote(kind)));
            }
            Tag::List(_) | Tag::Table(_) | Tag::DefinitionList => {
                self.containers.push(Container::Other);
                self.out.push(Event::Start(tag));
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_block();
                let id = footnote_id(&label);
                if !self.used_ids.insert(id.clone()) && self.room(false) {
                    let location = self.location(&range);
                    self.diagnostics.push(
                        Diagnostic::warning(
                            Code::DuplicateId,
                            self.body.path,
                            format!("the footnote `[^{label}]` is defined twice"),
                        )
                        .at(location)
                        .help("give each footnote its own label, or merge the two notes"),
                    );
                }
                self.facts.anchors.push(id.clone());
                self.containers.push(Container::Other);
                self.out
                    .push(Event::Start(Tag::FootnoteDefinition(CowStr::from(id))));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => match self.resolve(&link_destination(link_type, dest_url), &range, "link") {
                Some(url) => {
                    self.links.push(Emitted::Kept);
                    self.out.push(Event::Start(Tag::Link {
                        // The URL now carries its `mailto:`; pulldown-cmark
                        // would add another to an `Email` link.
                        link_type: match link_type {
                            LinkType::Email => LinkType::Autolink,
                            other => other,
                        },
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }));
                }
                None => self.links.push(Emitted::Dropped),
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let resolved = if dest_url.trim().is_empty() {
                    None
                } else {
                    self.resolve(&dest_url, &range, "image")
                };
                match resolved {
                    Some(url) => {
                        self.images.push(Emitted::Kept);
                        self.out.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url: CowStr::from(url),
                            title,
                            id,
                        }));
                    }
                    None => self.images.push(Emitted::Dropped),
                }
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.out.push(Event::End(TagEnd::Paragraph));
                let start = self.paragraph_start.take();
                if self.containers.last() == Some(&Container::PlainQuote)
                    && let (Some(start), Some(quote)) = (start, self.quotes.last_mut())
                {
                    quote
                        .paragraphs
                        .push((start, self.out.len() - 1, self.block_text.clone()));
                }
                self.flush_block();
            }
            TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.flush_block();
                if tag == TagEnd::Item {
                    self.containers.pop();
                }
                self.out.push(Event::End(tag));
            }
            TagEnd::Heading(level) => self.end_heading(level as u8),
            TagEnd::CodeBlock => self.end_code(),
            TagEnd::BlockQuote(None) => self.end_quote(),
            TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::DefinitionList
            | TagEnd::FootnoteDefinition => {
                self.flush_block();
                self.containers.pop();
                self.out.push(Event::End(tag));
            }
            TagEnd::Link => {
                if self.links.pop() == Some(Emitted::Kept) {
                    self.out.push(Event::End(TagEnd::Link));
                }
            }
            TagEnd::Image => {
                if self.images.pop() == Some(Emitted::Kept) {
                    self.out.push(Event::End(TagEnd::Image));
                }
            }
            other => self.out.push(Event::End(other)),
        }
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let highlighted = (self.ctx.site.config.markdown.highlight_code && !lang.is_empty())
            .then(|| highlight::highlight(&code, &lang))
            .flatten();
        let mut html = String::from("<pre class=\"code\"");
        if !lang.is_empty() {
            html.push_str(" data-lang=\"");
            escape_html(&mut html, &lang).expect("invariant: String writes");
            html.push('"');
        }
        html.push_str("><code>");
        match highlighted {
            Some(h) => html.push_str(&h),
            None => escape_html(&mut html, &code).expect("invariant: String writes"),
        }
        html.push_str("</code></pre>\n");
        self.out.push(Event::Html(CowStr::from(html)));
    }

    fn finish(mut self) -> (RenderedBody, Vec<Diagnostic>) {
        self.flush_block();
        let (more, any_error) = self.suppressed;
        if more > 0 {
            self.diagnostics.push(Diagnostic::too_many(
                self.body.path,
                more,
                "problems",
                any_error,
            ));
        }
        let mut html = String::with_capacity(self.body.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        self.rendered.html = crate::render::views::Html::new(html);
        self.rendered.mentions_print = crate::fingerprint::of_serialized(&self.facts.mentions);
        self.rendered.facts = self.facts;
        (self.rendered, self.diagnostics)
    }
}

/// The deepest lists and block quotes may nest on one line. Parsing
/// `- - - … a` or `> > > … a` is linear, but every level costs hundreds of
/// bytes in the parser's tree, our events and the HTML: three million levels
/// took gigabytes. No text nests more than a handful deep.
const MAX_NESTING: usize = 100;

/// The byte offset of the first line whose list and quote markers nest
/// deeper than [`MAX_NESTING`], and how deep it goes. One pass, no parsing.
fn too_deep(markdown: &str) -> Option<(usize, usize)> {
    let mut line_start = 0;
    // Lines found with `memchr` (several bytes at a time), not by decoding
    // every character of the body.
    let line_ends = memchr::memchr_iter(b'\n', markdown.as_bytes())
        .map(|newline| newline + 1)
        .chain(std::iter::once(markdown.len()));
    for end in line_ends {
        if end == line_start {
            break;
        }
        let line = &markdown[line_start..end];
        let bytes = line.as_bytes();
        let (mut i, mut depth) = (0, 0);
        loop {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
            let marker_end = match bytes.get(i) {
                Some(b'>') => i + 1,
                Some(b'-' | b'*' | b'+') if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => i + 1,
                Some(b'0'..=b'9') => {
                    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    match (bytes.get(i + digits), bytes.get(i + digits + 1)) {
                        (Some(b'.' | b')'), Some(b' ' | b'\t')) if digits <= 9 => i + digits + 1,
                        _ => break,
                    }
                }
                _ => break,
            };
            i = marker_end;
            depth += 1;
        }
        // `- - - -` alone is a thematic break, not nesting.
        let only_bullets = line[i..].trim().is_empty()
            && bytes
                .iter()
                .all(|b| matches!(b, b'-' | b'*' | b' ' | b'\t' | b'\n'));
        if depth > MAX_NESTING && !only_bullets {
            return Some((line_start, depth));
        }
        line_start = end;
    }
    None
}

/// Counts words as runs of non-space bytes. Reading time is all this feeds,
/// so ASCII spacing is enough. Every byte of every text passes through
/// here: eight bytes are tested at a time in a `u64` (a word starts at a
/// byte that is not a space after one that is), about half the
/// instructions of a byte loop, which is itself several times faster than
/// `split_whitespace`.
fn count_words(text: &str) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = 0;
    // Whether the byte before the next one is a space (or the text starts).
    let mut after_space = true;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let bytes = u64::from_le_bytes(chunk.try_into().expect("invariant: 8 bytes"));
        let spaces = space_bytes(bytes);
        // Each byte's high bit: the byte before it (one byte lower, in
        // little-endian order) is a space.
        let before = (spaces << 8) | if after_space { 0x80 } else { 0 };
        words += (!spaces & before & HIGH).count_ones() as usize;
        after_space = spaces >> 63 == 1;
    }
    for &byte in chunks.remainder() {
        let space = is_space(byte);
        words += usize::from(!space && after_space);
        after_space = space;
    }
    words
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

/// The high bit of each byte of `bytes` that is a space (`is_space`), and
/// no other bit.
fn space_bytes(bytes: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // A byte is zero exactly when adding 0x7F to its low seven bits leaves
    // its high bit clear and its own high bit is clear too; no byte carries
    // into the next.
    let zero = |x: u64| !(((x & LOW) + LOW) | x | LOW);
    let equal = |c: u8| zero(bytes ^ (u64::from(c) * 0x0101_0101_0101_0101));
    equal(b' ') | equal(b'\n') | equal(b'\t') | equal(b'\r')
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests;
