//! The print briefing: the dossier (or a selection of it) as one document,
//! built once as plain data and handed to two templates of the theme.
//!
//! [`Briefing::build`] computes everything a reader gets, in order: cover
//! facts, summary figures, the chronology, the articles with their
//! attribution and bodies (as a data tree, see `content`), the actors
//! appendix, notes and publications, the index. [`pdf`] feeds it as JSON to
//! the theme's Typst template (`briefing.typ`) and returns the PDF bytes;
//! [`html()`] feeds it to the theme's `briefing.html`, the same briefing as a
//! printable web page. Neither template ever receives clipped text as markup.

pub(crate) mod content;
#[cfg(feature = "pdf")]
mod engine;
mod html;
#[cfg(feature = "pdf")]
mod parts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Paper;
use crate::error::{Error, Result};
use crate::model::{ActorId, PartialDate, Precision, Site};
use crate::pipeline::Compiled;
use crate::render::mentions::MentionMatcher;
use content::{Block, Converted, Converter, Note, article_label};

pub use html::html;

/// Which articles a briefing covers. The default is the whole dossier.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Articles involving any of these actors (names, aliases or slugs).
    pub actors: Vec<String>,
    /// Articles with this tag (any case).
    pub tag: Option<String>,
    /// Articles that may be dated on or after this date.
    pub from: Option<String>,
    /// Articles that may be dated on or before this date.
    pub to: Option<String>,
}

impl Selection {
    fn is_all(&self) -> bool {
        self.actors.is_empty() && self.tag.is_none() && self.from.is_none() && self.to.is_none()
    }
}

/// The briefing as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    title: String,
    subtitle: Option<String>,
    description: Option<String>,
    organisation: Option<String>,
    compiler: Option<String>,
    /// The "as of" date in words, and as `YYYY-MM-DD` at its precision.
    as_of: String,
    as_of_iso: String,
    edition: Option<String>,
    classification: Option<String>,
    /// `a4` or `us-letter` (Typst's paper names).
    paper: &'static str,
    /// How the PDF breaks paragraphs into lines: `optimized` or `simple`
    /// (Typst's names; see `briefing.optimal_line_breaks`).
    linebreaks: &'static str,
    /// The digits of the PDF's page count as estimated beforehand: page
    /// numbers are padded to it so that they take the same room before
    /// the layout knows them as after.
    page_digits: usize,
    language: String,
    /// What part of the dossier this is, in words (`None`: all of it).
    selection: Option<String>,
    /// Set when the articles come without their texts and details (the
    /// briefing page of a dossier with more articles than
    /// `briefing.page_full_text`, which this holds): the page lists them.
    abridged: Option<usize>,
    /// For the PDF metadata.
    subject: String,
    keywords: Vec<String>,
    generator: String,
    figures: Figures,
    chronology: Vec<ChronologyItem>,
    articles: Vec<ArticleData>,
    actors: Vec<ActorData>,
    /// Notes of links in actor profiles (article notes stay with articles).
    profile_notes: Vec<Note>,
    publications: Vec<PublicationData>,
    index: Vec<IndexEntry>,
    /// Set only in the data of one part of a briefing laid out in parts
    /// (`briefing.articles_per_part`); the template reads `none` as "the
    /// whole briefing at once".
    layout: Option<Layout>,
}

/// Which part of a briefing laid out in parts the data is for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
struct Layout {
    part: Part,
    /// The page of every article and part label of the whole briefing
    /// (empty while the front and back are laid out to be measured).
    pages: BTreeMap<String, usize>,
    /// Does this articles part open the articles (with their heading)?
    articles_heading: bool,
    /// The whole briefing's page count, for the footers part.
    total_pages: usize,
}

/// A part of a briefing laid out in parts (see `briefing.typ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
enum Part {
    /// The cover, contents, summary and chronology.
    Front,
    /// Some of the articles.
    Articles,
    /// The actors appendix, notes, publications and index.
    Back,
    /// Blank pages with the footers of the whole briefing.
    Footers,
}

#[derive(Debug, Clone, Serialize)]
struct Figures {
    articles: usize,
    publications: usize,
    /// With thousands separators.
    words: String,
    first: String,
    last: String,
    by_ownership: Vec<Count>,
    top_actors: Vec<Count>,
    events: usize,
}

#[derive(Debug, Clone, Serialize)]
struct Count {
    label: String,
    count: usize,
}

#[derive(Debug, Clone, Serialize)]
struct ChronologyItem {
    date: String,
    date_note: Option<String>,
    /// `event` or `article`.
    kind: &'static str,
    title: String,
    /// The article reporting it (its label) and that article's title.
    article: String,
    article_title: String,
}

/// An article of the briefing: what every list of them shows, and the rest.
#[derive(Debug, Clone, Serialize)]
struct ArticleData {
    label: String,
    /// The URL of the article's page on the site.
    page: String,
    title: String,
    date: String,
    date_iso: String,
    publication: String,
    /// Everything else, printed with the article's text: `None` on the
    /// abridged page, which only lists the articles (at 10,000 articles,
    /// making and handing the template two dozen more fields each took
    /// most of that page's time, in every build).
    #[serde(flatten)]
    details: Option<ArticleDetails>,
}

/// What a briefing printing an article's text shows besides its title,
/// date and publication.
#[derive(Debug, Clone, Serialize)]
struct ArticleDetails {
    /// The title as the running head shows it (shortened when long).
    running: String,
    title_note: Option<String>,
    precision: &'static str,
    date_note: Option<String>,
    publication_kind: Option<&'static str>,
    ownership: Option<&'static str>,
    state: bool,
    source_note: Option<String>,
    author: Option<String>,
    url: Option<String>,
    retrieved: Option<String>,
    kind: Option<&'static str>,
    summary: Option<String>,
    tags: Vec<String>,
    /// Actors (front matter first, then by mentions), for the attribution
    /// block: name and slug.
    actors: Vec<ActorRef>,
    /// Photo credits from front matter and figures.
    credits: Vec<crate::model::Credit>,
    /// Shared: each part of a briefing laid out in parts gets its own
    /// copy of the articles, and only one part prints their texts.
    body: Arc<Vec<Block>>,
    footnotes: Arc<BTreeMap<String, Vec<Block>>>,
    notes: Vec<Note>,
}

#[derive(Debug, Clone, Serialize)]
struct ActorRef {
    name: String,
    slug: String,
}

#[derive(Debug, Clone, Serialize)]
struct ActorData {
    slug: String,
    name: String,
    kind: Option<&'static str>,
    role: Option<String>,
    aliases: Vec<String>,
    affiliation: Option<String>,
    born: Option<String>,
    founded: Option<String>,
    profile: Vec<Block>,
    /// Labels of the articles of the briefing involving it.
    articles: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct PublicationData {
    name: String,
    kind: Option<&'static str>,
    ownership: String,
    state: bool,
    owner: Option<String>,
    country: Option<String>,
    url: Option<String>,
    articles: usize,
}

#[derive(Debug, Clone, Serialize)]
struct IndexEntry {
    /// The name as listed.
    name: String,
    /// The letter it is filed under (`the Kremlin` under K).
    letter: String,
    /// The actor's slug (its mentions are marked with it).
    actor: String,
    /// For an alias: the name it points to.
    see: Option<String>,
}

/// How many actors the summary names as most mentioned.
const TOP_ACTORS: usize = 8;
/// The longest running head, in characters, that fits one line.
const RUNNING_HEAD: usize = 64;

impl Briefing {
    /// Computes the briefing of `compiled` for `selection`.
    ///
    /// # Errors
    /// [`Error::Content`] when the dossier has content errors (no briefing
    /// is made from a broken dossier); [`Error::Usage`] for a selection that
    /// names an unknown actor, has a bad date or matches nothing.
    pub fn build(compiled: &Compiled, selection: &Selection) -> Result<Briefing> {
        Briefing::make(compiled, selection, usize::MAX)
    }

    /// The briefing of the whole dossier for the briefing page: abridged
    /// (articles without their texts) when the dossier has more articles
    /// than `briefing.page_full_text`.
    ///
    /// # Errors
    /// As [`Briefing::build`].
    pub fn for_page(compiled: &Compiled) -> Result<Briefing> {
        let limit = compiled.site.config.briefing.page_full_text;
        Briefing::make(compiled, &Selection::default(), limit)
    }

    /// Does the briefing page of `site` print the articles' texts (read
    /// from their Markdown), or is it abridged to a list?
    pub(crate) fn page_prints_texts(site: &Site) -> bool {
        // As `make` decides for the whole dossier.
        site.articles.len() <= site.config.briefing.page_full_text
    }

    /// The briefing of `selection`, with full texts up to `full_text`
    /// articles.
    fn make(compiled: &Compiled, selection: &Selection, full_text: usize) -> Result<Briefing> {
        if compiled.diagnostics.has_errors() {
            return Err(Error::Content(compiled.diagnostics.clone()));
        }
        let site = &compiled.site;
        let graph = &compiled.graph;
        let config = &site.config;
        let chosen = select(site, &compiled.graph, selection)?;
        let mut labels: Vec<Option<String>> = vec![None; site.articles.len()];
        for &i in &chosen {
            labels[i] = Some(article_label(site.articles[i].slug.as_str()));
        }
        let abridged = (chosen.len() > full_text).then_some(full_text);
        // An abridged briefing converts no text (no bodies, no profiles),
        // and does without the mention search made for it.
        let matcher = abridged.is_none().then(|| MentionMatcher::new(site));
        let converter = matcher.as_ref().map(|matcher| Converter {
            site,
            matcher,
            labels: &labels,
        });

        // Bodies convert independently (in parallel), each numbering its
        // notes from 1; then each moves after the notes before it.
        let mut converted: Vec<Converted> = chosen
            .par_iter()
            .map(|&i| {
                let article = &site.articles[i];
                match &converter {
                    None => Converted::default(),
                    Some(c) => c.convert(&article.path, article.body(), &mut 1),
                }
            })
            .collect();
        let mut next_note = 1;
        for body in &mut converted {
            body.offset_notes(next_note - 1);
            next_note += body.notes.len();
        }
        // Each article's data on every core.
        let articles: Vec<ArticleData> = chosen
            .par_iter()
            .zip(converted)
            .map(|(&i, converted)| {
                let article = &site.articles[i];
                let Converted {
                    blocks,
                    footnotes,
                    notes,
                } = converted;
                let source = &site.sources[article.source.index()];
                let details = abridged.is_none().then(|| {
                    let mut credits = article.credits.clone();
                    // Figures print with their caption in the text: the
                    // attribution lists only who took them.
                    credits.extend(
                        compiled.bodies[i]
                            .facts
                            .figures
                            .iter()
                            .filter(|f| !f.credit.is_empty())
                            .map(|f| crate::model::Credit {
                                caption: None,
                                credit: f.credit.clone(),
                            }),
                    );
                    ArticleDetails {
                        running: shorten(&article.title, RUNNING_HEAD),
                        title_note: article.title_note.clone(),
                        precision: precision(article.date),
                        date_note: article.date_note.clone(),
                        publication_kind: source.kind.map(|k| k.label()),
                        ownership: source.ownership.map(|o| o.label()),
                        state: source.ownership.is_some_and(|o| o.is_state()),
                        source_note: article.source_note.clone(),
                        author: article.author.clone(),
                        url: article.url.clone(),
                        retrieved: article.retrieved.map(|d| d.long()),
                        kind: article.kind.map(|k| k.label()),
                        summary: article.summary.clone(),
                        tags: article.tags.clone(),
                        actors: graph.article_actors[i]
                            .iter()
                            .map(|&a| actor_ref(site, a))
                            .collect(),
                        credits,
                        body: Arc::new(blocks),
                        footnotes: Arc::new(footnotes),
                        notes,
                    }
                });
                ArticleData {
                    label: labels[i].clone().expect("invariant: chosen"),
                    page: compiled.urls.article(article),
                    title: article.title.clone(),
                    date: article.date.long(),
                    date_iso: article.date.iso(),
                    publication: source.name.clone(),
                    details,
                }
            })
            .collect();

        // How many of the chosen articles each actor is in.
        let mut article_counts = vec![0usize; site.actors.len()];
        for &i in &chosen {
            for &actor in &graph.article_actors[i] {
                article_counts[actor.index()] += 1;
            }
        }
        // Actors involved in the chosen articles, with the articles (by
        // index: a label is made only for an actor printed with them). The
        // abridged page has no actors appendix (and so no index): its
        // dossier is the large one, where this map would be most of the
        // making.
        let mut involved: BTreeMap<ActorId, Vec<usize>> = BTreeMap::new();
        if abridged.is_none() {
            for &i in &chosen {
                for &actor in &graph.article_actors[i] {
                    involved.entry(actor).or_default().push(i);
                }
            }
        }
        let mut profile_notes = Vec::new();
        let mut actors: Vec<ActorData> = involved
            .iter()
            .map(|(&id, articles)| {
                let actor = &site.actors[id.index()];
                let profile = match (&actor.path, &converter) {
                    (Some(path), Some(converter)) => {
                        let converted = converter.convert(path, actor.body(), &mut next_note);
                        profile_notes.extend(converted.notes);
                        converted.blocks
                    }
                    _ => Vec::new(),
                };
                ActorData {
                    slug: actor.slug.to_string(),
                    name: actor.name.clone(),
                    kind: actor.kind.map(|k| k.label()),
                    role: actor.role.clone(),
                    aliases: actor.aliases.clone(),
                    affiliation: actor
                        .affiliation
                        .map(|a| site.actors[a.index()].name.clone()),
                    born: actor.born.map(|d| d.long()),
                    founded: actor.founded.map(|d| d.long()),
                    profile,
                    articles: articles
                        .iter()
                        .map(|&i| labels[i].clone().expect("invariant: chosen"))
                        .collect(),
                }
            })
            .collect();
        actors.sort_by_key(|a| sort_key(&a.name));

        let mut index: Vec<IndexEntry> = Vec::new();
        for actor in &actors {
            index.push(IndexEntry {
                letter: letter(&actor.name),
                name: actor.name.clone(),
                actor: actor.slug.clone(),
                see: None,
            });
            for alias in &actor.aliases {
                index.push(IndexEntry {
                    letter: letter(alias),
                    name: alias.clone(),
                    actor: actor.slug.clone(),
                    see: Some(actor.name.clone()),
                });
            }
        }
        index.sort_by_key(|e| sort_key(&e.name));

        let mut per_source: BTreeMap<usize, usize> = BTreeMap::new();
        for &i in &chosen {
            *per_source
                .entry(site.articles[i].source.index())
                .or_default() += 1;
        }
        let publications: Vec<PublicationData> = per_source
            .iter()
            .map(|(&s, &count)| {
                let source = &site.sources[s];
                PublicationData {
                    name: source.name.clone(),
                    kind: source.kind.map(|k| k.label()),
                    ownership: source
                        .ownership
                        .map_or("Ownership not recorded", |o| o.label())
                        .to_string(),
                    state: source.ownership.is_some_and(|o| o.is_state()),
                    owner: source.owner.clone(),
                    country: source.country.clone(),
                    url: source.url.clone(),
                    articles: count,
                }
            })
            .collect();

        let mut chronology = Vec::new();
        let mut events = 0;
        for &i in &chosen {
            let article = &site.articles[i];
            if abridged.is_some() {
                // No chronology on the abridged page; the figures count events.
                events += article.events.len();
                continue;
            }
            let label = labels[i].clone().expect("invariant: chosen");
            chronology.push((
                article.date,
                ChronologyItem {
                    date: article.date.short(),
                    date_note: None,
                    kind: "article",
                    title: format!(
                        "{} publishes “{}”",
                        site.sources[article.source.index()].name,
                        article.title
                    ),
                    article: label.clone(),
                    article_title: article.title.clone(),
                },
            ));
            for &e in &article.events {
                let event = &site.events[e.index()];
                events += 1;
                chronology.push((
                    event.date,
                    ChronologyItem {
                        date: event.date.short(),
                        date_note: event.date_note.clone(),
                        kind: "event",
                        title: event.title.clone(),
                        article: label.clone(),
                        article_title: article.title.clone(),
                    },
                ));
            }
        }
        // Stable: an event and the article reporting it on the same day
        // keep the event first only if it came first in the dossier.
        chronology.sort_by_key(|(date, item)| (*date, item.kind == "article"));

        let mut ownership: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &chosen {
            let source = &site.sources[site.articles[i].source.index()];
            *ownership
                .entry(
                    source
                        .ownership
                        .map_or("Ownership not recorded", |o| o.label())
                        .to_string(),
                )
                .or_default() += 1;
        }
        let mut top: Vec<Count> = article_counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0)
            .map(|(actor, &count)| Count {
                label: site.actors[actor].name.clone(),
                count,
            })
            .collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        top.truncate(TOP_ACTORS);
        let figures = Figures {
            articles: chosen.len(),
            publications: publications.len(),
            words: thousands(chosen.iter().map(|&i| compiled.bodies[i].facts.words).sum()),
            first: site.articles[chosen[0]].date.long(),
            last: site.articles[*chosen.last().expect("invariant: not empty")]
                .date
                .long(),
            by_ownership: ownership
                .into_iter()
                .map(|(label, count)| Count { label, count })
                .collect(),
            top_actors: top,
            events,
        };

        let as_of = match &config.briefing.edition_date {
            Some(text) => PartialDate::parse(text)
                .map_err(|e| Error::Usage(format!("briefing.edition_date: {}", e.0)))?,
            None => crate::model::date::today(),
        };
        // Tags once each, ignoring case, in order of first use.
        // Most tags are written in lower case already: only the others are
        // copied to be compared.
        let mut keywords: Vec<String> = Vec::new();
        let mut seen_keywords = crate::fingerprint::FastSet::default();
        for &i in &chosen {
            for tag in &site.articles[i].tags {
                let key = if lower_case_already(tag) {
                    std::borrow::Cow::Borrowed(tag.as_str())
                } else {
                    std::borrow::Cow::Owned(tag.to_lowercase())
                };
                if seen_keywords.insert(key) {
                    keywords.push(tag.clone());
                }
            }
        }
        let selection_text = describe(site, selection);
        let subject = match (&selection_text, &config.subtitle) {
            (Some(selected), _) => format!("Briefing: {selected}"),
            (None, Some(subtitle)) => subtitle.clone(),
            (None, None) => format!("Briefing: {}", config.title),
        };
        Ok(Briefing {
            title: config.title.clone(),
            subtitle: config.subtitle.clone(),
            description: config.description.clone(),
            organisation: config.organisation.clone(),
            compiler: config.author.clone(),
            as_of: as_of.long(),
            as_of_iso: as_of.iso(),
            edition: config.briefing.edition.clone(),
            classification: config.briefing.classification.clone(),
            paper: match config.briefing.paper {
                Paper::A4 => "a4",
                Paper::UsLetter => "us-letter",
            },
            page_digits: estimated_pages(
                chosen.len(),
                chosen.iter().map(|&i| compiled.bodies[i].facts.words).sum(),
            )
            .to_string()
            .len(),
            linebreaks: if articles.len() <= config.briefing.optimal_line_breaks {
                "optimized"
            } else {
                "simple"
            },
            language: config.language.clone(),
            selection: selection_text,
            abridged,
            subject,
            keywords,
            generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
            figures,
            chronology: chronology.into_iter().map(|(_, item)| item).collect(),
            articles,
            actors,
            profile_notes,
            publications,
            index,
            layout: None,
        })
    }

    /// The data as JSON, as the Typst template reads it.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("invariant: plain data serialises")
    }

    /// The data of one part of the briefing laid out in parts, as JSON:
    /// the articles part gets the texts of `articles`; the front and back
    /// get every article without its text, and the lists they print.
    #[cfg(feature = "pdf")]
    fn part_json(
        &self,
        layout: Layout,
        articles: std::ops::Range<usize>,
        digits: usize,
    ) -> Vec<u8> {
        let part = layout.part;
        let (front, back) = (part == Part::Front, part == Part::Back);
        fn or_none<T: Clone>(shown: bool, list: &[T]) -> Vec<T> {
            if shown { list.to_vec() } else { Vec::new() }
        }
        let data = Briefing {
            articles: match part {
                Part::Articles => self.articles[articles].to_vec(),
                Part::Footers => Vec::new(),
                Part::Front | Part::Back => self
                    .articles
                    .iter()
                    .map(|a| ArticleData {
                        details: a.details.as_ref().map(|d| ArticleDetails {
                            body: Arc::default(),
                            footnotes: Arc::default(),
                            ..d.clone()
                        }),
                        ..a.clone()
                    })
                    .collect(),
            },
            chronology: or_none(front, &self.chronology),
            actors: or_none(back, &self.actors),
            profile_notes: or_none(back, &self.profile_notes),
            publications: or_none(front || back, &self.publications),
            index: or_none(back, &self.index),
            page_digits: digits,
            layout: Some(layout),
            // The rest is small: the cover's facts and the figures. (The
            // lists cloned here are dropped; the texts are shared.)
            ..self.clone()
        };
        data.to_json()
    }

    /// Content paths of the image files the bodies show (the only files the
    /// PDF engine may read besides the template and the data).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    fn images(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut visit = |blocks: &[Block]| collect_images(blocks, &mut out);
        for article in self.articles.iter().filter_map(|a| a.details.as_ref()) {
            visit(&article.body);
            for blocks in article.footnotes.values() {
                visit(blocks);
            }
        }
        for actor in &self.actors {
            visit(&actor.profile);
        }
        out
    }
}

fn collect_images(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Figure { src: Some(src), .. } => out.push(src.clone()),
            Block::Quote { c } | Block::Alert { c, .. } => collect_images(c, out),
            Block::List { items, .. } => items.iter().for_each(|b| collect_images(b, out)),
            Block::Terms { items } => items
                .iter()
                .flat_map(|t| &t.defs)
                .for_each(|b| collect_images(b, out)),
            _ => {}
        }
    }
}

fn actor_ref(site: &Site, id: ActorId) -> ActorRef {
    let actor = &site.actors[id.index()];
    ActorRef {
        name: actor.name.clone(),
        slug: actor.slug.to_string(),
    }
}

fn precision(date: PartialDate) -> &'static str {
    match date.precision() {
        Precision::Day => "day",
        Precision::Month => "month",
        Precision::Year => "year",
    }
}

/// Sorts names as a reader expects in an index: ignoring case and a
/// leading "the".
fn sort_key(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .strip_prefix("the ")
        .map_or(lower.clone(), str::to_string)
}

/// The index letter of a name: the first letter of its sort key.
fn letter(name: &str) -> String {
    sort_key(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "#".to_string(), |c| c.to_uppercase().collect())
}

/// `text` cut at a word boundary to at most `max` characters, with an
/// ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(max - 1).collect();
    }
    format!("{}…", out.trim_end_matches([',', ';', ':', '.']))
}

/// `4454` → `4,454`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn parse_bound(flag: &str, text: &Option<String>) -> Result<Option<PartialDate>> {
    text.as_deref()
        .map(|t| PartialDate::parse(t).map_err(|e| Error::Usage(format!("{flag}: {}", e.0))))
        .transpose()
}

/// The indexes of the chosen articles, in chronological order.
fn select(
    site: &Site,
    graph: &crate::model::graph::Graph,
    selection: &Selection,
) -> Result<Vec<usize>> {
    let mut wanted = Vec::new();
    for name in &selection.actors {
        match site.actor_names.get(name.trim()) {
            Some(id) => wanted.push(id),
            None => {
                let hint = site
                    .actor_names
                    .suggest(name.trim())
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "--actor: `{name}` is not a registered actor{hint}"
                )));
            }
        }
    }
    let from = parse_bound("--from", &selection.from)?;
    let to = parse_bound("--to", &selection.to)?;
    if let (Some(from), Some(to)) = (from, to)
        && from.earliest() > to.latest()
    {
        return Err(Error::Usage(format!(
            "--from {from} comes after --to {to}: swap them"
        )));
    }
    let chosen: Vec<usize> = site
        .articles
        .iter()
        .filter(|a| {
            let i = a.id.index();
            (wanted.is_empty() || graph.article_actors[i].iter().any(|x| wanted.contains(x)))
                && selection
                    .tag
                    .as_ref()
                    .is_none_or(|t| a.tags.iter().any(|x| x.eq_ignore_ascii_case(t.trim())))
                && from.is_none_or(|f| a.date.latest() >= f.earliest())
                && to.is_none_or(|t| a.date.earliest() <= t.latest())
        })
        .map(|a| a.id.index())
        .collect();
    if chosen.is_empty() {
        return Err(Error::Usage(if site.articles.is_empty() {
            "the dossier has no articles: there is nothing to brief".to_string()
        } else {
            format!(
                "no article matches the selection ({})",
                describe(site, selection).unwrap_or_default()
            )
        }));
    }
    Ok(chosen)
}

/// The selection in words, for the cover (`None` for the whole dossier).
fn describe(site: &Site, selection: &Selection) -> Option<String> {
    if selection.is_all() {
        return None;
    }
    let mut parts = Vec::new();
    if !selection.actors.is_empty() {
        let names: Vec<String> = selection
            .actors
            .iter()
            .map(|n| match site.actor_names.get(n.trim()) {
                Some(id) => site.actors[id.index()].name.clone(),
                None => n.trim().to_string(),
            })
            .collect();
        parts.push(format!("involving {}", names.join(" or ")));
    }
    if let Some(tag) = &selection.tag {
        parts.push(format!("tagged “{}”", tag.trim()));
    }
    let date = |t: &Option<String>| {
        t.as_deref()
            .map(|t| PartialDate::parse(t).map_or_else(|_| t.to_string(), |d| d.long()))
    };
    match (date(&selection.from), date(&selection.to)) {
        (Some(from), Some(to)) => parts.push(format!("from {from} to {to}")),
        (Some(from), None) => parts.push(format!("from {from}")),
        (None, Some(to)) => parts.push(format!("up to {to}")),
        (None, None) => {}
    }
    Some(format!("Articles {}", parts.join(", ")))
}

/// The theme's Typst template: `themes/<theme>/templates/briefing.typ` if
/// the dossier has one, else the built-in one (the rule every template
/// follows). Returns the text and the name to show in errors.
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
fn typst_template(root: &Path, theme: &str) -> Result<(String, String)> {
    const NAME: &str = "templates/briefing.typ";
    let path = root.join("themes").join(theme).join(NAME);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let shown = format!("themes/{theme}/{NAME}");
            let text = crate::load::decode(&shown, bytes)
                .map_err(|d| Error::Content(std::iter::once(d).collect()))?;
            Ok((text, shown))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let text = crate::render::theme::DEFAULT_THEME
                .iter()
                .find(|(name, _)| *name == NAME)
                .map(|(_, text)| text.to_string())
                .expect("invariant: the built-in theme has briefing.typ");
            Ok((text, format!("{NAME} (built-in default theme)")))
        }
        Err(err) => Err(Error::io("read", path)(err)),
    }
}

/// Makes the briefing PDF of `compiled` (a dossier at `root`) for
/// `selection`: what a server answers for `/briefing.pdf`. Typst's memo is
/// kept for the next request: a PDF remade after an edit lays out again
/// only what changed.
///
/// # Errors
/// As [`Briefing::build`]; [`Error::Template`] when the Typst template
/// fails, naming the template file, line and column.
pub fn pdf(root: &Path, compiled: &Compiled, selection: &Selection) -> Result<Vec<u8>> {
    let briefing = Briefing::build(compiled, selection)?;
    typeset(root, &compiled.site, &briefing, true)
}

/// Makes the PDF of an already computed briefing, once: what Typst
/// memoised is freed while the export runs, which lowers the peak memory.
///
/// # Errors
/// [`Error::Template`] when the Typst template fails; [`Error::Io`] when
/// the template or an image cannot be read.
pub fn pdf_of(root: &Path, site: &Site, briefing: &Briefing) -> Result<Vec<u8>> {
    typeset(root, site, briefing, false)
}

#[cfg(feature = "pdf")]
fn typeset(root: &Path, site: &Site, briefing: &Briefing, keep_memo: bool) -> Result<Vec<u8>> {
    let (template, shown) = typst_template(root, &site.config.theme)?;
    let images = briefing
        .images()
        .into_iter()
        .filter_map(|path| {
            site.assets
                .iter()
                .find(|a| a.path == path)
                .map(|a| (path, a.file.clone()))
        })
        .collect();
    let typesetter = engine::Typesetter::new(template, shown, images);
    let per_part = site.config.briefing.articles_per_part;
    // A server keeps Typst's memo between requests, so that a PDF remade
    // after an edit lays out only what changed: it lays out at once.
    if !keep_memo
        && per_part > 0
        && briefing.articles.len() > per_part
        && let Some(pdf) = parts::render(&typesetter, briefing, per_part)?
    {
        return Ok(pdf);
    }
    let clock = Instant::now();
    let json = briefing.to_json();
    log::debug!("  json          {:>8.1} ms", ms(clock.elapsed()));
    engine::render(&typesetter, json, &briefing.title, keep_memo)
}

/// Without the engine (cargo feature `pdf` off) there is no PDF to make.
///
/// # Errors
/// Always [`Error::Usage`], saying how to get the engine.
#[cfg(not(feature = "pdf"))]
fn typeset(_root: &Path, _site: &Site, _briefing: &Briefing, _keep_memo: bool) -> Result<Vec<u8>> {
    Err(Error::Usage(
        "this dossier was built without PDF support: rebuild it with the default features (cargo feature `pdf`)"
            .to_string(),
    ))
}

/// What `dossier pdf` was asked for.
#[derive(Debug, Clone, Default)]
pub struct PdfRequest {
    /// The dossier folder.
    pub root: PathBuf,
    /// The file to write (relative to the root); default
    /// `<output folder>/briefing.pdf`.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Which articles.
    pub selection: Selection,
}

/// What `dossier pdf` did.
#[derive(Debug, Clone)]
pub struct PdfReport {
    /// The file written.
    pub path: PathBuf,
    /// Its size.
    pub bytes: usize,
    /// Articles in the briefing.
    pub articles: usize,
    /// Warnings about the content (the briefing was made despite them).
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// Time taken, all stages.
    pub elapsed: Duration,
}

/// Compiles the dossier and writes its PDF briefing (`dossier pdf`). The
/// file is replaced atomically: a failed run leaves the previous one.
///
/// # Errors
/// As [`pdf`]; [`Error::UnsafePdf`] for a file that must not be replaced
/// (see `write::PdfFile`), [`Error::UnsafeOutput`] for an output folder a
/// build would refuse too, [`Error::Io`] when the file cannot be written.
pub fn write_pdf(request: &PdfRequest) -> Result<PdfReport> {
    let start = Instant::now();
    let config = crate::pipeline::configure(&request.root, None)?;
    let file = match &request.output {
        Some(requested) => crate::write::PdfFile::new(&request.root, requested)?,
        None => crate::write::PdfFile::in_output(&request.root, Path::new(&config.output))?,
    };
    let compiled = crate::pipeline::compile(
        &request.root,
        config,
        crate::model::ModelOptions {
            include_drafts: request.drafts,
        },
        false,
    )?;
    log::debug!("  dossier       {:>8.1} ms", ms(start.elapsed()));
    let clock = Instant::now();
    let briefing = Briefing::build(&compiled, &request.selection)?;
    log::debug!("  briefing      {:>8.1} ms", ms(clock.elapsed()));
    let bytes = pdf_of(&request.root, &compiled.site, &briefing)?;
    let clock = Instant::now();
    file.write(&bytes)?;
    log::debug!("  write         {:>8.1} ms", ms(clock.elapsed()));
    Ok(PdfReport {
        path: request.root.join(file.requested()),
        bytes: bytes.len(),
        articles: briefing.articles.len(),
        // The PDF has no feed or sitemap, and prints no address of the
        // site: where the site will be published is not its concern.
        warnings: compiled
            .diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.code != crate::diagnostic::Code::RelativeBaseUrl)
            .collect(),
        elapsed: start.elapsed(),
    })
}

/// About how many pages the PDF of `articles` articles and `words` words
/// has: each article starts on a new page, under its attribution block
/// (about a third of a page), a page holds about 600 words, and the parts
/// around the articles take a few pages per hundred articles. Only its
/// digits are used, and a wrong count costs one more layout pass, not a
/// wrong page.
fn estimated_pages(articles: usize, words: usize) -> usize {
    10 + articles * 13 / 10 + words / 600
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// Does `text` come out of `str::to_lowercase` as it went in?
fn lower_case_already(text: &str) -> bool {
    text.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::lower_case_already;

    #[test]
    fn a_text_is_lower_case_already_exactly_when_lowercasing_keeps_it() {
        for text in [
            "sanctions",
            "Sanctions",
            "supply chains",
            "ǅ",
            "ǆ",
            "ΟΔΟΣ",
            "οδος",
            "İstanbul",
            "straße",
            "ẞ",
            "",
            "日本",
        ] {
            assert_eq!(
                lower_case_already(text),
                text.to_lowercase() == text,
                "{text}"
            );
        }
    }
}
