//! The HTML twin: the briefing as one printable web page.
//!
//! The same [`Briefing`] data the PDF is made from goes to the theme's
//! `briefing.html`; only the bodies are turned into HTML here, from the same
//! data tree, with every id prefixed by the article's label (a heading id
//! or footnote in one article cannot collide with another's on one page)
//! and links between articles of the briefing pointing inside the page.

use std::collections::{HashMap, HashSet};

use pulldown_cmark_escape::{escape_href, escape_html};
use rayon::prelude::*;
use serde::Serialize;

use super::Briefing;
use super::content::{Block, Inline};
use crate::error::Result;
use crate::model::{Site, Target};
use crate::render::theme::Theme;
use crate::render::urls::Urls;

/// What `briefing.html` receives besides the data.
#[derive(Serialize)]
struct View<'a> {
    /// What `base.html` needs on every page.
    section: &'static str,
    title: &'static str,
    canonical: String,
    briefing: &'a Briefing,
    /// The URL of the PDF, when there is one beside this page.
    pdf: Option<String>,
    /// Article label → its body as HTML (footnotes at the end).
    bodies: HashMap<String, String>,
    /// Actor slug → its profile as HTML.
    profiles: HashMap<String, String>,
}

/// Renders `briefing/index.html` with the theme's `briefing.html`;
/// `with_pdf` says whether `briefing.pdf` is served beside it (written by
/// `build --pdf`, or generated on request by a server).
///
/// # Errors
/// [`crate::Error::Content`] locating the template's failure.
pub fn html(
    mut briefing: Briefing,
    site: &Site,
    urls: &Urls,
    theme: &Theme,
    with_pdf: bool,
) -> Result<Vec<u8>> {
    let writer = |prefix: &str| Writer {
        site,
        urls,
        prefix: prefix.to_string(),
        mentioned: HashSet::new(),
        out: String::new(),
    };
    // An abridged briefing has no texts to show (its articles come without
    // their details).
    let bodies = briefing
        .articles
        .par_iter()
        .filter_map(|article| Some((&article.label, article.details.as_ref()?)))
        .map(|(label, article)| {
            let mut w = writer(label);
            w.blocks(&article.body);
            if !article.footnotes.is_empty() {
                w.out.push_str("<ol class=\"footnotes\">\n");
                for (label, blocks) in article.footnotes.iter() {
                    w.out.push_str("<li id=\"");
                    w.id(&format!("fn-{label}"));
                    w.out.push_str("\">");
                    w.blocks(blocks);
                    w.out.push_str("</li>\n");
                }
                w.out.push_str("</ol>\n");
            }
            (label.clone(), w.out)
        })
        .collect();
    let profiles = briefing
        .actors
        .par_iter()
        .map(|actor| {
            let mut w = writer(&format!("actor-{}", actor.slug));
            w.blocks(&actor.profile);
            (actor.slug.clone(), w.out)
        })
        .collect();
    // The template gets the bodies as HTML: their data trees (the PDF's
    // input) would only cost time to turn into template values.
    for article in briefing
        .articles
        .iter_mut()
        .filter_map(|a| a.details.as_mut())
    {
        article.body = Default::default();
        article.footnotes = Default::default();
    }
    for actor in &mut briefing.actors {
        actor.profile = Vec::new();
    }
    let mut out = Vec::new();
    theme.render_to(
        "briefing.html",
        &View {
            section: "briefing",
            title: "Briefing",
            canonical: urls.absolute("briefing/"),
            briefing: &briefing,
            pdf: with_pdf.then(|| urls.link("briefing.pdf")),
            bodies,
            profiles,
        },
        &mut out,
    )?;
    Ok(out)
}

struct Writer<'a> {
    site: &'a Site,
    urls: &'a Urls,
    prefix: String,
    /// Actors already linked in this body (the first mention links to the
    /// actor's entry in the appendix).
    mentioned: HashSet<String>,
    out: String,
}

impl Writer<'_> {
    fn text(&mut self, text: &str) {
        escape_html(&mut self.out, text).expect("invariant: String writes");
    }

    fn id(&mut self, local: &str) {
        let id = format!("{}-{local}", self.prefix);
        escape_html(&mut self.out, &id).expect("invariant: String writes");
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::P { c } => {
                self.out.push_str("<p>");
                self.inlines(c);
                self.out.push_str("</p>\n");
            }
            Block::H { level, c } => {
                // Article titles are h2 on this page: body headings start
                // at h3.
                let level = (level + 1).min(6);
                self.out.push_str(&format!("<h{level}>"));
                self.inlines(c);
                self.out.push_str(&format!("</h{level}>\n"));
            }
            Block::Quote { c } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(c);
                self.out.push_str("</blockquote>\n");
            }
            Block::Alert { kind, c } => {
                self.out
                    .push_str("<div class=\"alert\"><p class=\"alert-title\">");
                self.text(kind);
                self.out.push_str("</p>\n");
                self.blocks(c);
                self.out.push_str("</div>\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                if *ordered {
                    self.out.push_str(&format!("<ol start=\"{start}\">\n"));
                } else {
                    self.out.push_str("<ul>\n");
                }
                for item in items {
                    self.out.push_str("<li>");
                    // A tight item is one paragraph: no <p> around it.
                    match item.as_slice() {
                        [Block::P { c }] => self.inlines(c),
                        _ => self.blocks(item),
                    }
                    self.out.push_str("</li>\n");
                }
                self.out
                    .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Code { v } => {
                self.out.push_str("<pre><code>");
                self.text(v);
                self.out.push_str("</code></pre>\n");
            }
            Block::Table { align, head, rows } => {
                self.out.push_str("<table>\n<thead><tr>");
                for (i, cell) in head.iter().enumerate() {
                    self.cell("th", align.get(i).copied(), cell);
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    self.out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        self.cell("td", align.get(i).copied(), cell);
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            Block::Figure {
                caption,
                credit,
                src,
            } => {
                let asset = src
                    .as_ref()
                    .and_then(|src| match self.site.by_path.get(src) {
                        Some(Target::Asset(i)) => {
                            Some(self.urls.link(&self.site.assets[*i].output))
                        }
                        _ => None,
                    });
                self.out.push_str(if asset.is_some() {
                    "<figure class=\"figure\">\n"
                } else {
                    "<figure class=\"figure figure-missing\">\n"
                });
                if let Some(url) = asset {
                    self.out.push_str("<img src=\"");
                    escape_href(&mut self.out, &url).expect("invariant: String writes");
                    self.out.push_str("\" alt=\"");
                    self.text(caption);
                    self.out.push_str("\">\n");
                }
                self.out.push_str("<figcaption>");
                if src.is_none() {
                    self.out
                        .push_str("<span class=\"figure-note\">Photo not kept:</span> ");
                }
                self.text(caption);
                if !credit.is_empty() {
                    self.out.push_str(" <span class=\"credit\">");
                    self.text(credit);
                    self.out.push_str("</span>");
                }
                self.out.push_str("</figcaption>\n</figure>\n");
            }
            Block::Rule => self.out.push_str("<hr>\n"),
            Block::Terms { items } => {
                self.out.push_str("<dl>\n");
                for term in items {
                    self.out.push_str("<dt>");
                    self.inlines(&term.term);
                    self.out.push_str("</dt>\n");
                    for def in &term.defs {
                        self.out.push_str("<dd>");
                        self.blocks(def);
                        self.out.push_str("</dd>\n");
                    }
                }
                self.out.push_str("</dl>\n");
            }
        }
    }

    fn cell(&mut self, tag: &str, align: Option<&str>, content: &[Inline]) {
        match align {
            Some(align @ ("center" | "right")) => self
                .out
                .push_str(&format!("<{tag} style=\"text-align: {align}\">")),
            _ => self.out.push_str(&format!("<{tag}>")),
        }
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::S { v } => self.text(v),
            Inline::Mention { v, actor } => {
                if self.mentioned.insert(actor.clone()) {
                    self.out.push_str("<a class=\"mention\" href=\"#actor-");
                    escape_href(&mut self.out, actor).expect("invariant: String writes");
                    self.out.push_str("\">");
                    self.text(v);
                    self.out.push_str("</a>");
                } else {
                    self.text(v);
                }
            }
            Inline::Em { c } => self.wrap("em", c),
            Inline::Strong { c } => self.wrap("strong", c),
            Inline::Del { c } => self.wrap("del", c),
            Inline::Code { v } => {
                self.out.push_str("<code>");
                self.text(v);
                self.out.push_str("</code>");
            }
            Inline::Link {
                c,
                url,
                note,
                target,
            } => {
                let href = match (target, note) {
                    (Some(label), _) => Some(format!("#{label}")),
                    (None, Some(_)) => Some(url.clone()),
                    (None, None) if url.contains("://") || url.starts_with("mailto:") => {
                        Some(url.clone())
                    }
                    (None, None) => None,
                };
                match href {
                    Some(href) => {
                        self.out.push_str("<a href=\"");
                        escape_href(&mut self.out, &href).expect("invariant: String writes");
                        self.out.push_str("\">");
                        self.inlines(c);
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(c),
                }
                if let Some(n) = note {
                    self.out
                        .push_str(&format!("<sup class=\"note-ref\">[{n}]</sup>"));
                }
            }
            Inline::Img { alt, credit, .. } => {
                self.out.push_str("<span class=\"figure-inline\">[Photo: ");
                self.text(alt);
                if !credit.is_empty() {
                    self.out.push_str(" — ");
                    self.text(credit);
                }
                self.out.push_str("]</span>");
            }
            Inline::Br => self.out.push_str("<br>"),
            Inline::Fn { label } => {
                self.out.push_str("<sup class=\"footnote-ref\"><a href=\"#");
                self.id(&format!("fn-{label}"));
                self.out.push_str("\">");
                self.text(label);
                self.out.push_str("</a></sup>");
            }
            Inline::Task { done } => self.out.push_str(if *done { "☑ " } else { "☐ " }),
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }
}
