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

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::highlight;
use super::mentions::{MentionMatcher, sentence_at, sentence_breaks};
use super::urls::Urls;
use crate::config::MentionLinks;
use crate::diagnostic::{Diagnostic, Location, closest};
use crate::model::graph::{BodyFacts, BodyQuote, Heading, Mention};
use crate::model::{ActorId, ArticleId, Credit, Site, Target};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    /// The article linked to; `None` for the same page.
    pub target: Option<ArticleId>,
    /// The fragment, without `#`.
    pub fragment: String,
    /// Where the link is.
    pub location: Location,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// The HTML.
    pub html: String,
    /// What the body says, for the graph.
    pub facts: BodyFacts,
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
    let allow_raw = ctx.site.config.markdown.allow_raw_html;
    // Merge adjacent text events (smart punctuation and entities split them),
    // so a name is never cut in two; show raw HTML as text unless allowed.
    let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options(ctx.site)).into_offset_iter() {
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !allow_raw => Event::Text(html),
            other => other,
        };
        if let (Event::Text(text), Some((Event::Text(previous), previous_range))) =
            (&event, events.last_mut())
        {
            *previous = CowStr::from(format!("{previous}{text}"));
            previous_range.end = range.end;
            continue;
        }
        events.push((event, range));
    }
    let mut walker = Walker::new(ctx, body);
    walker.walk(events);
    walker.finish()
}

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
    mention_index: HashMap<ActorId, usize>,
    linked: HashSet<ActorId>,
    links: Vec<Emitted>,
    images: Vec<Emitted>,
    heading: Option<HeadingState>,
    code: Option<(String, String)>,
    containers: Vec<Container>,
    quotes: Vec<QuoteState>,
    used_ids: HashSet<String>,
    paragraph_start: Option<usize>,
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
            mention_index: HashMap::new(),
            linked: HashSet::new(),
            links: Vec::new(),
            images: Vec::new(),
            heading: None,
            code: None,
            containers: Vec::new(),
            quotes: Vec::new(),
            used_ids: HashSet::new(),
            paragraph_start: None,
        }
    }

    fn location(&self, range: &Range<usize>) -> Location {
        Location::of_byte(
            self.body.text,
            self.body.body_start + range.start,
            range.len(),
        )
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
                self.out.push(Event::FootnoteReference(label));
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
                self.out.push(Event::Text(CowStr::from(
                    text[cursor..range.start].to_string(),
                )));
            }
            let actor = &self.ctx.site.actors[actor.index()];
            let mut open = String::from("<a class=\"mention\" href=\"");
            escape_href(&mut open, &self.ctx.urls.actor(actor)).expect("invariant: String writes");
            open.push_str("\">");
            self.out.push(Event::InlineHtml(CowStr::from(open)));
            self.out
                .push(Event::Text(CowStr::from(text[range.clone()].to_string())));
            self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            cursor = range.end;
        }
        if cursor == 0 {
            self.out.push(Event::Text(text));
        } else if cursor < text.len() {
            self.out
                .push(Event::Text(CowStr::from(text[cursor..].to_string())));
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
                self.facts.anchors.push(label.to_string());
                self.containers.push(Container::Other);
                self.out.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => match self.resolve(&dest_url, &range, "link") {
                Some(url) => {
                    self.links.push(Emitted::Kept);
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
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

    fn end_heading(&mut self, level: u8) {
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
        let mut id = wanted.clone();
        let mut n = 1;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
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

    fn end_quote(&mut self) {
        self.flush_block();
        self.containers.pop();
        let Some(quote) = self.quotes.pop() else {
            return;
        };
        let attribution = quote.paragraphs.last().and_then(|(_, _, text)| {
            let text = text.trim_start();
            ["—", "―", "--", "– "]
                .iter()
                .find_map(|dash| text.strip_prefix(dash))
                .map(|rest| rest.trim().to_string())
        });
        match attribution {
            Some(attribution) if quote.paragraphs.len() >= 2 && !attribution.is_empty() => {
                let (start, end, _) = quote.paragraphs[quote.paragraphs.len() - 1];
                self.out[start] =
                    Event::Html(CowStr::Borrowed("<footer class=\"quote-attribution\">"));
                self.out[end] = Event::Html(CowStr::Borrowed("</footer>\n"));
                self.out[quote.out_start] =
                    Event::Html(CowStr::Borrowed("<blockquote class=\"quote\">\n"));
                let by = self
                    .ctx
                    .matcher
                    .find(&attribution)
                    .first()
                    .map(|(_, actor)| *actor)
                    .filter(|actor| Some(*actor) != self.body.self_actor);
                let text = quote.paragraphs[..quote.paragraphs.len() - 1]
                    .iter()
                    .map(|(_, _, t)| t.trim())
                    .collect::<Vec<_>>()
                    .join("\n\n");
                self.facts.quotes.push(BodyQuote {
                    by,
                    attribution,
                    text,
                });
            }
            _ => self.out[quote.out_start] = Event::Start(Tag::BlockQuote(None)),
        }
        self.out.push(Event::End(TagEnd::BlockQuote(None)));
    }

    /// A paragraph holding only an image becomes a `<figure>`. Returns the
    /// index of the paragraph's end event when it did.
    fn try_figure(&mut self, events: &[(Event<'e>, Range<usize>)], start: usize) -> Option<usize> {
        let is_blank = |e: &Event<'_>| {
            matches!(e, Event::Text(t) if t.trim().is_empty()) || matches!(e, Event::SoftBreak)
        };
        let mut i = start + 1;
        while events.get(i).is_some_and(|(e, _)| is_blank(e)) {
            i += 1;
        }
        let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        ) = events.get(i)?
        else {
            return None;
        };
        let mut depth = 0;
        let mut caption = String::new();
        let mut j = i + 1;
        loop {
            match &events.get(j)?.0 {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => caption.push_str(t),
                _ => {}
            }
            j += 1;
        }
        let mut k = j + 1;
        while events.get(k).is_some_and(|(e, _)| is_blank(e)) {
            k += 1;
        }
        if !matches!(events.get(k)?.0, Event::End(TagEnd::Paragraph)) {
            return None;
        }
        self.flush_block();
        let missing = dest_url.trim().is_empty();
        let src = if missing {
            None
        } else {
            self.resolve(dest_url, range, "image")
        };
        let caption = caption.trim().to_string();
        let credit = title.trim().to_string();
        let mut html = String::from(if src.is_some() {
            "<figure class=\"figure\">\n"
        } else {
            "<figure class=\"figure figure-missing\">\n<div class=\"figure-placeholder\" aria-hidden=\"true\">Photo not included in the clipping</div>\n"
        });
        if let Some(src) = &src {
            html.push_str("<img src=\"");
            escape_href(&mut html, src).expect("invariant: String writes");
            html.push_str("\" alt=\"");
            escape_html(&mut html, &caption).expect("invariant: String writes");
            html.push_str("\" loading=\"lazy\">\n");
        }
        if !caption.is_empty() || !credit.is_empty() {
            html.push_str("<figcaption>");
            escape_html(&mut html, &caption).expect("invariant: String writes");
            if !credit.is_empty() {
                html.push_str(" <span class=\"credit\">");
                escape_html(&mut html, &credit).expect("invariant: String writes");
                html.push_str("</span>");
            }
            html.push_str("</figcaption>\n");
        }
        html.push_str("</figure>\n");
        self.out.push(Event::Html(CowStr::from(html)));
        if !credit.is_empty() || !caption.is_empty() {
            self.facts.figures.push(Credit {
                caption: (!caption.is_empty()).then_some(caption),
                credit,
            });
        }
        Some(k)
    }

    /// Resolves a link or image destination to the URL to emit, or `None`
    /// when it must be dropped (unsafe, or broken: reported either way).
    fn resolve(&mut self, dest: &str, range: &Range<usize>, what: &str) -> Option<String> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Some(String::new());
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            let location = self.location(range);
            self.rendered.fragment_links.push(FragmentLink {
                target: None,
                fragment: fragment.to_string(),
                location,
            });
            return Some(dest.to_string());
        }
        if let Some(scheme) = scheme_of(dest) {
            if matches!(scheme.as_str(), "http" | "https" | "mailto") {
                if scheme != "mailto" {
                    let start = self.body.body_start + range.start;
                    self.rendered
                        .external_links
                        .push((dest.to_string(), start..start + range.len()));
                }
                return Some(dest.to_string());
            }
            let location = self.location(range);
            self.diagnostics.push(
                Diagnostic::warning(
                    "unsafe-url",
                    self.body.path,
                    format!(
                        "{what} to `{}` removed: `{scheme}:` URLs are not allowed",
                        truncate(dest, 60)
                    ),
                )
                .at(location)
                .help("only http, https and mailto links are kept; the text stays"),
            );
            return None;
        }
        if dest.starts_with('/') || dest.starts_with("//") {
            return Some(dest.to_string());
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let decoded = percent_decode(path_part);
        let resolved = join(self.body.path, &decoded);
        let target = resolved
            .as_deref()
            .and_then(|p| self.ctx.site.by_path.get(p))
            .copied();
        let site = self.ctx.site;
        let urls = self.ctx.urls;
        let url = match target {
            Some(Target::Article(id)) => {
                if !self.facts.links.contains(&id) {
                    self.facts.links.push(id);
                }
                if let Some(fragment) = fragment {
                    let location = self.location(range);
                    self.rendered.fragment_links.push(FragmentLink {
                        target: Some(id),
                        fragment: fragment.to_string(),
                        location,
                    });
                }
                urls.article(&site.articles[id.index()])
            }
            Some(Target::Actor(id)) => urls.actor(&site.actors[id.index()]),
            Some(Target::Source(id)) => urls.source(&site.sources[id.index()]),
            Some(Target::Asset(index)) => urls.link(&site.assets[index].output),
            None => {
                let location = self.location(range);
                let file_name = decoded.rsplit('/').next().unwrap_or(&decoded);
                let hint = closest(
                    file_name,
                    site.by_path
                        .keys()
                        .map(|k| k.rsplit('/').next().unwrap_or(k)),
                )
                .map(|best| format!("did you mean `{best}`? "))
                .unwrap_or_default();
                let message = match resolved {
                    Some(path) => {
                        format!("broken {what}: `{dest}` points to {path}, which does not exist")
                    }
                    None => format!("broken {what}: `{dest}` points outside the dossier"),
                };
                self.diagnostics.push(
                    Diagnostic::error("broken-link", self.body.path, message)
                        .at(location)
                        .help(format!("{hint}links to other content use the file's path relative to this file, e.g. `other-article.md` or `../actors/name.md`")),
                );
                return None;
            }
        };
        Some(match fragment {
            Some(fragment) => format!("{url}#{fragment}"),
            None => url,
        })
    }

    fn finish(mut self) -> (RenderedBody, Vec<Diagnostic>) {
        self.flush_block();
        let mut html = String::with_capacity(self.body.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        self.rendered.html = html;
        self.rendered.facts = self.facts;
        (self.rendered, self.diagnostics)
    }
}

/// Counts words as runs of non-space bytes. Reading time is all this feeds,
/// so ASCII spacing is enough, and a byte loop is several times faster than
/// `split_whitespace` over a whole dossier.
fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &byte in text.as_bytes() {
        let space = matches!(byte, b' ' | b'\n' | b'\t' | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// The lowercased URL scheme, if `dest` has one (`JavaScript:x` → `javascript`).
/// Control characters and spaces that browsers ignore are skipped first, so
/// `java\tscript:` is caught too.
fn scheme_of(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(40)
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a slash is part of a path, not a scheme.
    let slash_first = cleaned.find('/').is_some_and(|s| s < colon);
    (valid && !slash_first).then(|| scheme.to_ascii_lowercase())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

pub(crate) fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative link to the folder of `from` (a root-relative file
/// path), resolving `.` and `..` lexically. `None` if it climbs out of the
/// dossier root.
pub(crate) fn join(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Reports `#fragment` links that point at no heading or footnote.
pub fn check_fragments(
    site: &Site,
    path: &str,
    own_anchors: &[String],
    links: &[FragmentLink],
    anchors_of: impl Fn(ArticleId) -> Vec<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        if link.fragment.is_empty() {
            continue;
        }
        let (anchors, name) = match link.target {
            None => (own_anchors.to_vec(), "this page".to_string()),
            Some(id) => (anchors_of(id), site.articles[id.index()].path.clone()),
        };
        if !anchors.iter().any(|a| a == &link.fragment) {
            let hint = closest(&link.fragment, anchors.iter().map(String::as_str))
                .map(|b| format!("did you mean `#{b}`? "))
                .unwrap_or_default();
            out.push(
                Diagnostic::error(
                    "broken-fragment",
                    path,
                    format!(
                        "`#{}` is not a heading or footnote in {name}",
                        link.fragment
                    ),
                )
                .at(link.location.clone())
                .help(format!(
                    "{hint}fragments are heading ids: the heading text in lowercase, with hyphens"
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
