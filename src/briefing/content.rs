//! Markdown bodies → a tree of plain data for the briefing templates.
//!
//! The PDF template must never see clipped text as Typst markup: a `#`, `$`
//! or `[` in an article would otherwise run as code. So a body is not turned
//! into Typst source at all; pulldown-cmark's events become a tree of
//! [`Block`]s and [`Inline`]s whose text is plain strings, serialised to JSON
//! and walked by the template, which prints every string as text. The HTML
//! twin walks the same tree (see `html.rs`), so both looks say the same.
//!
//! While walking, external links get a note number (a printed link cannot be
//! clicked: the note gives the URL), links to other articles become
//! in-document references, and actor mentions are marked for the index.

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Parser, Tag};
use serde::Serialize;

use crate::model::{Site, Target};
use crate::render::markdown::{join, options, percent_decode};
use crate::render::mentions::MentionMatcher;

/// A block of a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub(crate) enum Block {
    /// A paragraph.
    P { c: Vec<Inline> },
    /// A section heading inside a body (1–6 as written).
    H { level: u8, c: Vec<Inline> },
    /// A blockquote.
    Quote { c: Vec<Block> },
    /// A GitHub alert (`> [!NOTE]`), with its kind as a label.
    Alert { kind: &'static str, c: Vec<Block> },
    /// A list; `start` is the first number of an ordered list.
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// Preformatted text (tagged `pre`: `code` is inline code).
    #[serde(rename = "pre")]
    Code { v: String },
    /// A table: column alignments, the header row, the body rows.
    Table {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A photo: caption and credit; `src` is the content path of a kept
    /// image file, `None` when the clipping kept only the caption.
    Figure {
        caption: String,
        credit: String,
        src: Option<String>,
    },
    /// A thematic break.
    Rule,
    /// A definition list.
    Terms { items: Vec<Term> },
}

/// One term of a definition list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Term {
    pub(crate) term: Vec<Inline>,
    pub(crate) defs: Vec<Vec<Block>>,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub(crate) enum Inline {
    /// Text.
    S { v: String },
    /// A mention of an actor (its slug), marked for the index.
    Mention { v: String, actor: String },
    /// Emphasis.
    Em { c: Vec<Inline> },
    /// Strong emphasis.
    Strong { c: Vec<Inline> },
    /// Strikethrough.
    Del { c: Vec<Inline> },
    /// Inline code.
    Code { v: String },
    /// A link: `note` numbers it in the notes (an external URL, or an
    /// article of the briefing); `target` is the label of the article it
    /// points to.
    Link {
        c: Vec<Inline>,
        url: String,
        note: Option<usize>,
        target: Option<String>,
    },
    /// An image; alone in its paragraph it becomes a [`Block::Figure`],
    /// inside running text it prints as its caption and credit.
    Img {
        alt: String,
        credit: String,
        #[serde(skip)]
        src: Option<String>,
    },
    /// A hard line break.
    Br,
    /// A footnote reference, by label (see [`Converted::footnotes`]).
    Fn { label: String },
    /// A task-list checkbox.
    Task { done: bool },
}

/// A link as listed in the notes: the full URL, or the article of the
/// briefing it points to (the print look gives that article's page there,
/// so no paragraph of running text depends on where pages break).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Note {
    /// Its number, unique in the briefing.
    pub(crate) n: usize,
    /// The full URL, or the destination as written for an article.
    pub(crate) url: String,
    /// The label of the article it points to.
    pub(crate) target: Option<String>,
    /// That article's title.
    pub(crate) title: Option<String>,
}

/// A converted body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Converted {
    /// The blocks, in order.
    pub(crate) blocks: Vec<Block>,
    /// Footnote definitions by label.
    pub(crate) footnotes: BTreeMap<String, Vec<Block>>,
    /// The URLs of external links, by note number.
    pub(crate) notes: Vec<Note>,
}

impl Converted {
    /// Moves every note number up by `by`: bodies are converted in
    /// parallel, each numbering its notes from 1, and then placed after the
    /// notes of the bodies before them.
    pub(crate) fn offset_notes(&mut self, by: usize) {
        if by == 0 || self.notes.is_empty() {
            return;
        }
        for note in &mut self.notes {
            note.n += by;
        }
        offset_blocks(&mut self.blocks, by);
        for blocks in self.footnotes.values_mut() {
            offset_blocks(blocks, by);
        }
    }
}

fn offset_blocks(blocks: &mut [Block], by: usize) {
    for block in blocks {
        match block {
            Block::P { c } | Block::H { c, .. } => offset_inlines(c, by),
            Block::Quote { c } | Block::Alert { c, .. } => offset_blocks(c, by),
            Block::List { items, .. } => items.iter_mut().for_each(|b| offset_blocks(b, by)),
            Block::Table { head, rows, .. } => head
                .iter_mut()
                .chain(rows.iter_mut().flatten())
                .for_each(|cell| offset_inlines(cell, by)),
            Block::Terms { items } => {
                for term in items {
                    offset_inlines(&mut term.term, by);
                    term.defs.iter_mut().for_each(|b| offset_blocks(b, by));
                }
            }
            Block::Code { .. } | Block::Figure { .. } | Block::Rule => {}
        }
    }
}

fn offset_inlines(inlines: &mut [Inline], by: usize) {
    for inline in inlines {
        match inline {
            Inline::Link { c, note, .. } => {
                if let Some(n) = note {
                    *n += by;
                }
                offset_inlines(c, by);
            }
            Inline::Em { c } | Inline::Strong { c } | Inline::Del { c } => offset_inlines(c, by),
            Inline::S { .. }
            | Inline::Mention { .. }
            | Inline::Code { .. }
            | Inline::Img { .. }
            | Inline::Br
            | Inline::Fn { .. }
            | Inline::Task { .. } => {}
        }
    }
}

/// What the converter needs to know about the dossier.
pub(crate) struct Converter<'a> {
    pub(crate) site: &'a Site,
    pub(crate) matcher: &'a MentionMatcher,
    /// Labels of the articles in the briefing, by article index (`None`
    /// for an article the selection left out: links to it stay plain).
    pub(crate) labels: &'a [Option<String>],
}

/// The label of an article in both looks (a Typst label, an HTML id).
pub(crate) fn article_label(slug: &str) -> String {
    format!("article-{slug}")
}

enum Frame {
    Blocks {
        blocks: Vec<Block>,
        kind: BlocksKind,
        /// The last block is a paragraph opened by loose inline content
        /// (a tight list item has no paragraph events).
        implicit: bool,
    },
    Inlines {
        inlines: Vec<Inline>,
        kind: InlinesKind,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Table {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A table's head row or a body row, collecting its cells.
    Row {
        head: bool,
        cells: Vec<Vec<Inline>>,
    },
    Terms(Vec<Term>),
    Code(String),
}

enum BlocksKind {
    Root,
    Quote,
    Alert(&'static str),
    Item,
    Footnote(String),
    Definition,
}

enum InlinesKind {
    Paragraph,
    Heading(u8),
    Em,
    Strong,
    Del,
    Link {
        url: String,
        note: Option<usize>,
        target: Option<String>,
    },
    Image {
        src: Option<String>,
        credit: String,
    },
    Cell,
    TermTitle,
    Html,
}

impl Converter<'_> {
    /// Converts one Markdown body. `path` is its content file (for relative
    /// links); `next_note` is the next free note number, advanced.
    pub(crate) fn convert(&self, path: &str, markdown: &str, next_note: &mut usize) -> Converted {
        let mut walk = Walk {
            conv: self,
            path,
            stack: vec![Frame::Blocks {
                blocks: Vec::new(),
                kind: BlocksKind::Root,
                implicit: false,
            }],
            out: Converted::default(),
            next_note,
            quiet: 0,
            referenced: HashSet::new(),
        };
        for event in Parser::new_ext(markdown, options(self.site)) {
            walk.event(event);
        }
        while walk.stack.len() > 1 {
            walk.close();
        }
        let Some(Frame::Blocks { mut blocks, .. }) = walk.stack.pop() else {
            unreachable!("invariant: the root frame holds blocks")
        };
        // A footnote nobody refers to would vanish from print: keep its
        // words at the end of the article, marked with its label.
        let orphans: Vec<String> = walk
            .out
            .footnotes
            .keys()
            .filter(|label| !walk.referenced.contains(*label))
            .cloned()
            .collect();
        for label in orphans {
            if let Some(mut content) = walk.out.footnotes.remove(&label) {
                let mark = format!("[{label}] ");
                match content.first_mut() {
                    Some(Block::P { c }) => match c.first_mut() {
                        Some(Inline::S { v }) => v.insert_str(0, &mark),
                        _ => c.insert(0, Inline::S { v: mark }),
                    },
                    _ => content.insert(
                        0,
                        Block::P {
                            c: vec![Inline::S { v: mark }],
                        },
                    ),
                }
                blocks.extend(content);
            }
        }
        walk.out.blocks = blocks;
        walk.out
    }
}

struct Walk<'c, 'n> {
    conv: &'c Converter<'c>,
    path: &'c str,
    stack: Vec<Frame>,
    out: Converted,
    next_note: &'n mut usize,
    /// Inside headings, links, images, code: no mentions are marked there
    /// (the same rule the web pages follow).
    quiet: usize,
    referenced: HashSet<String>,
}

impl Walk<'_, '_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => self.close(),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline(Inline::Code {
                v: code.to_string(),
            }),
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(Frame::Code(buffer)) = self.stack.last_mut() {
                    buffer.push_str(&html);
                } else {
                    self.inline(Inline::S {
                        v: html.to_string(),
                    });
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::Br),
            Event::Rule => self.block(Block::Rule),
            Event::FootnoteReference(label) => {
                self.referenced.insert(label.to_string());
                self.inline(Inline::Fn {
                    label: label.to_string(),
                });
            }
            Event::TaskListMarker(done) => self.inline(Inline::Task { done }),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let frame = match tag {
            Tag::Paragraph => inlines(InlinesKind::Paragraph),
            Tag::Heading { level, .. } => {
                self.quiet += 1;
                inlines(InlinesKind::Heading(level as u8))
            }
            Tag::BlockQuote(kind) => blocks(match kind {
                None => BlocksKind::Quote,
                Some(kind) => BlocksKind::Alert(match kind {
                    BlockQuoteKind::Note => "Note",
                    BlockQuoteKind::Tip => "Tip",
                    BlockQuoteKind::Important => "Important",
                    BlockQuoteKind::Warning => "Warning",
                    BlockQuoteKind::Caution => "Caution",
                }),
            }),
            Tag::CodeBlock(_) | Tag::HtmlBlock => {
                if matches!(
                    tag,
                    Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented)
                ) {
                    self.quiet += 1;
                    Frame::Code(String::new())
                } else {
                    inlines(InlinesKind::Html)
                }
            }
            Tag::List(start) => Frame::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
                items: Vec::new(),
            },
            Tag::Item => blocks(BlocksKind::Item),
            Tag::FootnoteDefinition(label) => blocks(BlocksKind::Footnote(label.to_string())),
            Tag::DefinitionList => Frame::Terms(Vec::new()),
            Tag::DefinitionListTitle => inlines(InlinesKind::TermTitle),
            Tag::DefinitionListDefinition => blocks(BlocksKind::Definition),
            Tag::Table(align) => Frame::Table {
                align: align
                    .iter()
                    .map(|a| match a {
                        Alignment::None | Alignment::Left => "left",
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                    })
                    .collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead | Tag::TableRow => Frame::Row {
                head: tag == Tag::TableHead,
                cells: Vec::new(),
            },
            Tag::TableCell => inlines(InlinesKind::Cell),
            Tag::Emphasis => inlines(InlinesKind::Em),
            Tag::Strong => inlines(InlinesKind::Strong),
            Tag::Strikethrough | Tag::Subscript | Tag::Superscript => inlines(InlinesKind::Del),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.quiet += 1;
                let (note, target) = self.link(&dest_url, link_type);
                inlines(InlinesKind::Link {
                    url: dest_url.to_string(),
                    note,
                    target,
                })
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.quiet += 1;
                inlines(InlinesKind::Image {
                    src: self.image(&dest_url),
                    credit: title.trim().to_string(),
                })
            }
            Tag::MetadataBlock(_) => Frame::Code(String::new()),
        };
        self.stack.push(frame);
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Row {
                head: is_head,
                cells,
            } => {
                if let Some(Frame::Table { head, rows, .. }) = self.stack.last_mut() {
                    if is_head {
                        *head = cells;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Frame::Terms(items) => self.block(Block::Terms { items }),
            Frame::Table { align, head, rows } => self.block(Block::Table { align, head, rows }),
            Frame::List {
                ordered,
                start,
                items,
            } => self.block(Block::List {
                ordered,
                start,
                items,
            }),
            Frame::Code(text) => {
                self.quiet = self.quiet.saturating_sub(1);
                self.block(Block::Code { v: text });
            }
            Frame::Blocks { blocks, kind, .. } => match kind {
                BlocksKind::Root => self.stack.push(Frame::Blocks {
                    blocks,
                    kind,
                    implicit: false,
                }),
                BlocksKind::Quote => self.block(Block::Quote { c: blocks }),
                BlocksKind::Alert(kind) => self.block(Block::Alert { kind, c: blocks }),
                BlocksKind::Item => {
                    if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                        items.push(blocks);
                    }
                }
                BlocksKind::Footnote(label) => {
                    self.out.footnotes.insert(label, blocks);
                }
                BlocksKind::Definition => {
                    if let Some(Frame::Terms(items)) = self.stack.last_mut() {
                        match items.last_mut() {
                            Some(term) => term.defs.push(blocks),
                            None => items.push(Term {
                                term: Vec::new(),
                                defs: vec![blocks],
                            }),
                        }
                    }
                }
            },
            Frame::Inlines { inlines, kind } => match kind {
                InlinesKind::Paragraph => self.paragraph(inlines),
                InlinesKind::Html => self.block(Block::P { c: inlines }),
                InlinesKind::Heading(level) => {
                    self.quiet = self.quiet.saturating_sub(1);
                    self.block(Block::H { level, c: inlines });
                }
                InlinesKind::Em => self.inline(Inline::Em { c: inlines }),
                InlinesKind::Strong => self.inline(Inline::Strong { c: inlines }),
                InlinesKind::Del => self.inline(Inline::Del { c: inlines }),
                InlinesKind::Link { url, note, target } => {
                    self.quiet = self.quiet.saturating_sub(1);
                    self.inline(Inline::Link {
                        c: inlines,
                        url,
                        note,
                        target,
                    });
                }
                InlinesKind::Image { src, credit } => {
                    self.quiet = self.quiet.saturating_sub(1);
                    let alt = plain(&inlines);
                    self.inline(Inline::Img { alt, credit, src });
                }
                InlinesKind::Cell => {
                    if let Some(Frame::Row { cells, .. }) = self.stack.last_mut() {
                        cells.push(inlines);
                    }
                }
                InlinesKind::TermTitle => {
                    if let Some(Frame::Terms(items)) = self.stack.last_mut() {
                        items.push(Term {
                            term: inlines,
                            defs: Vec::new(),
                        });
                    }
                }
            },
        }
    }

    /// A paragraph that holds only an image is a figure; an image inside
    /// running text prints as its caption and credit.
    fn paragraph(&mut self, inlines: Vec<Inline>) {
        let mut meaningful = inlines
            .iter()
            .filter(|i| !matches!(i, Inline::S { v } if v.trim().is_empty()));
        if let (Some(Inline::Img { alt, credit, src }), None) =
            (meaningful.next(), meaningful.next())
        {
            let figure = Block::Figure {
                caption: alt.trim().to_string(),
                credit: credit.clone(),
                src: src.clone(),
            };
            return self.block(figure);
        }
        self.block(Block::P { c: inlines });
    }

    fn block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Blocks {
                blocks, implicit, ..
            }) => {
                *implicit = false;
                blocks.push(block);
            }
            // A block inside inline content cannot happen in CommonMark; keep
            // its words anyway.
            Some(Frame::Inlines { inlines, .. }) => inlines.push(Inline::S {
                v: plain_blocks(std::slice::from_ref(&block)),
            }),
            _ => {}
        }
    }

    fn inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Inlines { inlines, .. }) => push_inline(inlines, inline),
            Some(Frame::Blocks {
                blocks, implicit, ..
            }) => {
                if *implicit && let Some(Block::P { c }) = blocks.last_mut() {
                    push_inline(c, inline);
                } else {
                    blocks.push(Block::P { c: vec![inline] });
                    *implicit = true;
                }
            }
            Some(Frame::Code(buffer)) => {
                if let Inline::S { v } | Inline::Code { v } = inline {
                    buffer.push_str(&v);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Frame::Code(buffer)) = self.stack.last_mut() {
            buffer.push_str(text);
            return;
        }
        if self.quiet > 0 {
            return self.inline(Inline::S {
                v: text.to_string(),
            });
        }
        let mut cursor = 0;
        for (range, actor) in self.conv.matcher.find(text) {
            if range.start > cursor {
                self.inline(Inline::S {
                    v: text[cursor..range.start].to_string(),
                });
            }
            self.inline(Inline::Mention {
                v: text[range.clone()].to_string(),
                actor: self.conv.site.actors[actor.index()].slug.to_string(),
            });
            cursor = range.end;
        }
        if cursor < text.len() {
            self.inline(Inline::S {
                v: text[cursor..].to_string(),
            });
        }
    }

    /// A link's note number (external URLs) or in-document target (another
    /// article of the briefing).
    fn link(&mut self, dest: &str, link_type: LinkType) -> (Option<usize>, Option<String>) {
        let dest = dest.trim();
        let lower = dest.to_ascii_lowercase();
        if ["http://", "https://", "mailto:"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            // An autolink already prints its URL.
            if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                return (None, None);
            }
            return (Some(self.note(dest, None, None)), None);
        }
        match self.target(dest) {
            Some(Target::Article(id)) => match &self.conv.labels[id.index()] {
                Some(label) => {
                    let title = self.conv.site.articles[id.index()].title.clone();
                    let n = self.note(dest, Some(label.clone()), Some(title));
                    (Some(n), Some(label.clone()))
                }
                None => (None, None),
            },
            _ => (None, None),
        }
    }

    /// Numbers a link in the notes.
    fn note(&mut self, url: &str, target: Option<String>, title: Option<String>) -> usize {
        let n = *self.next_note;
        *self.next_note += 1;
        self.out.notes.push(Note {
            n,
            url: url.to_string(),
            target,
            title,
        });
        n
    }

    /// The content path of a kept image file, if the destination is one.
    fn image(&self, dest: &str) -> Option<String> {
        match self.target(dest.trim())? {
            Target::Asset(index) => {
                let path = &self.conv.site.assets[index].path;
                let lower = path.to_ascii_lowercase();
                [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"]
                    .iter()
                    .any(|ext| lower.ends_with(ext))
                    .then(|| path.clone())
            }
            _ => None,
        }
    }

    fn target(&self, dest: &str) -> Option<Target> {
        if dest.is_empty() || dest.starts_with('#') || dest.contains("://") {
            return None;
        }
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        let resolved = join(self.path, &percent_decode(path))?;
        self.conv.site.by_path.get(&resolved).copied()
    }
}

fn blocks(kind: BlocksKind) -> Frame {
    Frame::Blocks {
        blocks: Vec::new(),
        kind,
        implicit: false,
    }
}

fn inlines(kind: InlinesKind) -> Frame {
    Frame::Inlines {
        inlines: Vec::new(),
        kind,
    }
}

/// Appends, merging adjacent text so the templates see whole runs.
fn push_inline(list: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::S { v: previous }), Inline::S { v }) = (list.last_mut(), &inline) {
        previous.push_str(v);
        return;
    }
    list.push(inline);
}

/// The words of inline content.
pub(crate) fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::S { v } | Inline::Mention { v, .. } | Inline::Code { v } => out.push_str(v),
            Inline::Em { c }
            | Inline::Strong { c }
            | Inline::Del { c }
            | Inline::Link { c, .. } => {
                out.push_str(&plain(c));
            }
            Inline::Img { alt, .. } => out.push_str(alt),
            Inline::Br => out.push(' '),
            Inline::Fn { .. } | Inline::Task { .. } => {}
        }
    }
    out
}

fn plain_blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::P { c } | Block::H { c, .. } => out.push_str(&plain(c)),
            Block::Quote { c } | Block::Alert { c, .. } => out.push_str(&plain_blocks(c)),
            Block::Code { v } => out.push_str(v),
            _ => {}
        }
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{PUTIN, RUSSIA, TASS, site};

    fn convert(body: &str) -> Converted {
        let article = format!("---\ntitle: T\ndate: 2017-01-25\nsource: TASS\n---\n{body}");
        let other = "---\ntitle: Other\ndate: 2016\nsource: TASS\n---\nText.\n";
        let (site, _) = site(
            &[
                ("content/articles/a.md", &article),
                ("content/articles/other.md", other),
            ],
            &[PUTIN, RUSSIA],
            &[TASS],
        );
        let matcher = MentionMatcher::new(&site);
        let labels: Vec<Option<String>> = site
            .articles
            .iter()
            .map(|a| Some(article_label(a.slug.as_str())))
            .collect();
        let converter = Converter {
            site: &site,
            matcher: &matcher,
            labels: &labels,
        };
        let article = site.articles.iter().find(|a| a.title == "T").unwrap();
        let mut next = 1;
        converter.convert(&article.path, article.body(), &mut next)
    }

    fn s(v: &str) -> Inline {
        Inline::S { v: v.to_string() }
    }

    #[test]
    fn typst_and_markdown_syntax_stays_plain_text() {
        let hostile = r#"#set page(width: 1cm) $x^2$ @ref <x> // not a comment \[ ] \* \_ \\ #{panic("boom")}"#;
        let out = convert(hostile);
        assert_eq!(
            out.blocks,
            vec![Block::P {
                c: vec![s(
                    r#"#set page(width: 1cm) $x^2$ @ref <x> // not a comment [ ] * _ \ #{panic(“boom”)}"#
                )]
            }]
        );
    }

    #[test]
    fn links_get_numbered_notes_and_article_links_a_target() {
        let out = convert(
            "See [the report](https://example.org/r?a=1) and [this](other.md); <https://auto.example>.",
        );
        assert_eq!(
            out.notes,
            vec![
                Note {
                    n: 1,
                    url: "https://example.org/r?a=1".to_string(),
                    target: None,
                    title: None,
                },
                Note {
                    n: 2,
                    url: "other.md".to_string(),
                    target: Some("article-other".to_string()),
                    title: Some("Other".to_string()),
                }
            ]
        );
        let Block::P { c } = &out.blocks[0] else {
            panic!("{:?}", out.blocks)
        };
        assert!(matches!(
            &c[1],
            Inline::Link {
                note: Some(1),
                target: None,
                ..
            }
        ));
        assert!(
            matches!(&c[3], Inline::Link { note: Some(2), target: Some(t), .. } if t == "article-other"),
            "{c:?}"
        );
        // An autolink prints its URL already: no note.
        assert!(matches!(
            &c[5],
            Inline::Link {
                note: None,
                target: None,
                ..
            }
        ));
    }

    #[test]
    fn mentions_are_marked_outside_headings_and_links() {
        let out = convert("## Putin\n\nPutin met [Putin](https://x.org) in Moscow.\n");
        let Block::H { c, .. } = &out.blocks[0] else {
            panic!()
        };
        assert_eq!(c, &vec![s("Putin")]);
        let Block::P { c } = &out.blocks[1] else {
            panic!()
        };
        let marked: Vec<&str> = c
            .iter()
            .filter_map(|i| match i {
                Inline::Mention { actor, .. } => Some(actor.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(marked, ["vladimir-putin", "russia"]);
    }

    #[test]
    fn footnotes_lists_tables_and_photos() {
        let out = convert(
            "Claim.[^1]\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n![Tanks in a street](<> \"Photo: AP\")\n\n[^1]: The source.\n\n[^2]: Never cited.\n",
        );
        assert_eq!(
            out.footnotes.get("1"),
            Some(&vec![Block::P {
                c: vec![s("The source.")]
            }])
        );
        assert!(
            matches!(&out.blocks[1], Block::List { ordered: false, items, .. } if items.len() == 2)
        );
        assert!(
            matches!(&out.blocks[2], Block::Table { align, head, rows } if align == &["left", "right"] && head.len() == 2 && rows.len() == 1)
        );
        assert_eq!(
            out.blocks[3],
            Block::Figure {
                caption: "Tanks in a street".to_string(),
                credit: "Photo: AP".to_string(),
                src: None
            }
        );
        // A footnote nobody cites keeps its words, at the end.
        assert_eq!(
            out.blocks.last(),
            Some(&Block::P {
                c: vec![s("[2] Never cited.")]
            })
        );
    }
}
