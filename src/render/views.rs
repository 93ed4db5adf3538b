//! Template contexts: the model seen from a page.
//!
//! Templates get plain serialisable structs, never the model itself, so the
//! theme contract is explicit (documented in the README) and stable while the
//! model changes. Every field is always present (`null` when unknown), because
//! Tera 2 treats an undefined field as an error; dates arrive pre-formatted
//! at their own precision; all text is escaped by the template engine except
//! the fields named `*_html`, which we produced and sanitised ourselves.

use serde::Serialize;

use super::urls::Urls;
use crate::model::graph::{Graph, Heading, TimelineItem};
use crate::model::{
    Actor, ActorId, Article, ArticleId, Credit, Event, PartialDate, Precision, Site, Source,
};

/// A date, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2017-01-25`, `2016-11` or `2015` (for `datetime` attributes).
    pub iso: String,
    /// `25 January 2017`.
    pub long: String,
    /// `25 Jan 2017`.
    pub short: String,
    /// `day`, `month` or `year`.
    pub precision: Precision,
    /// Is this less precise than a day?
    pub inexact: bool,
    /// The year.
    pub year: i16,
}

impl From<PartialDate> for DateView {
    fn from(date: PartialDate) -> DateView {
        DateView {
            iso: date.iso(),
            long: date.long(),
            short: date.short(),
            precision: date.precision(),
            inexact: date.precision() != Precision::Day,
            year: date.year(),
        }
    }
}

/// A link to an actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorRef {
    /// Page URL.
    pub url: String,
    /// Slug (for filtering).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Kind label, if known.
    pub kind: Option<&'static str>,
    /// Role.
    pub role: Option<String>,
}

/// A link to a publication, with what a reader must know about it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Page URL.
    pub url: String,
    /// Name.
    pub name: String,
    /// Kind label.
    pub kind: Option<&'static str>,
    /// Ownership badge text.
    pub ownership: Option<&'static str>,
    /// Is it state media?
    pub state_media: bool,
    /// Country.
    pub country: Option<String>,
    /// Has a registry entry?
    pub registered: bool,
}

/// A link to an article, with what a list needs.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    /// Page URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: DateView,
    /// How the date was inferred.
    pub date_note: Option<String>,
    /// Publication.
    pub source: SourceRef,
    /// Kind label.
    pub kind: Option<&'static str>,
    /// Summary.
    pub summary: Option<String>,
    /// Byline.
    pub author: Option<String>,
}

/// An event, ready to list.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// When.
    pub date: DateView,
    /// How the date was worked out.
    pub date_note: Option<String>,
    /// What happened.
    pub title: String,
    /// Who.
    pub actors: Vec<ActorRef>,
    /// The article reporting it.
    pub article: ArticleRef,
}

/// A quote, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    /// The words.
    pub text: String,
    /// Who said it.
    pub by: ActorRef,
    /// Where or when.
    pub context: Option<String>,
    /// The article quoting it.
    pub article: ArticleRef,
}

/// Builds views from the model.
#[derive(Debug, Clone, Copy)]
pub struct Views<'a> {
    /// The model.
    pub site: &'a Site,
    /// Cross-references.
    pub graph: &'a Graph,
    /// URLs.
    pub urls: &'a Urls,
}

impl Views<'_> {
    /// An actor link.
    pub fn actor(&self, id: ActorId) -> ActorRef {
        let actor: &Actor = &self.site.actors[id.index()];
        ActorRef {
            url: self.urls.actor(actor),
            slug: actor.slug.to_string(),
            name: actor.name.clone(),
            kind: actor.kind.map(|k| k.label()),
            role: actor.role.clone(),
        }
    }

    /// A publication link.
    pub fn source(&self, source: &Source) -> SourceRef {
        SourceRef {
            url: self.urls.source(source),
            name: source.name.clone(),
            kind: source.kind.map(|k| k.label()),
            ownership: source.ownership.map(|o| o.label()),
            state_media: source.ownership.is_some_and(|o| o.is_state()),
            country: source.country.clone(),
            registered: source.path.is_some(),
        }
    }

    /// An article link.
    pub fn article(&self, id: ArticleId) -> ArticleRef {
        let article: &Article = &self.site.articles[id.index()];
        ArticleRef {
            url: self.urls.article(article),
            title: article.title.clone(),
            date: article.date.into(),
            date_note: article.date_note.clone(),
            source: self.source(&self.site.sources[article.source.index()]),
            kind: article.kind.map(|k| k.label()),
            summary: article.summary.clone(),
            author: article.author.clone(),
        }
    }

    /// An event.
    pub fn event(&self, event: &Event) -> EventView {
        EventView {
            date: event.date.into(),
            date_note: event.date_note.clone(),
            title: event.title.clone(),
            actors: event.actors.iter().map(|&a| self.actor(a)).collect(),
            article: self.article(event.article),
        }
    }

    /// A quote by index into the graph's quotes.
    pub fn quote(&self, index: usize) -> QuoteView {
        let quote = &self.graph.quotes[index];
        QuoteView {
            text: quote.text.clone(),
            by: self.actor(quote.by),
            context: quote.context.clone(),
            article: self.article(quote.article),
        }
    }
}

/// The article page.
#[derive(Debug, Serialize)]
pub struct ArticlePage {
    /// Link data.
    #[serde(flatten)]
    pub link: ArticleRef,
    /// How the title was chosen, when the clipping has no headline.
    pub title_note: Option<String>,
    /// How the publication was identified.
    pub source_note: Option<String>,
    /// Original URL.
    pub original_url: Option<String>,
    /// Retrieval date.
    pub retrieved: Option<DateView>,
    /// The rendered body.
    pub body_html: String,
    /// Words in the body.
    pub words: usize,
    /// Minutes to read, at 230 words a minute.
    pub reading_minutes: usize,
    /// Actors with how often the body mentions them.
    pub actors: Vec<ActorMention>,
    /// Events reported.
    pub events: Vec<EventView>,
    /// Quotes attributed in this article.
    pub quotes: Vec<QuoteView>,
    /// Photo credits (figures and front matter).
    pub credits: Vec<Credit>,
    /// Topics.
    pub tags: Vec<String>,
    /// Table of contents.
    pub toc: Vec<Heading>,
    /// Related articles.
    pub related: Vec<ArticleRef>,
    /// Articles linking here.
    pub backlinks: Vec<ArticleRef>,
    /// Previous article in time.
    pub previous: Option<ArticleRef>,
    /// Next article in time.
    pub next: Option<ArticleRef>,
    /// Is it a draft?
    pub draft: bool,
}

/// An actor with a mention count.
#[derive(Debug, Serialize)]
pub struct ActorMention {
    /// The actor.
    #[serde(flatten)]
    pub actor: ActorRef,
    /// Mentions in the body.
    pub mentions: u32,
}

/// An entry of an actor's article list.
#[derive(Debug, Serialize)]
pub struct Appearance {
    /// The article.
    pub article: ArticleRef,
    /// Mentions.
    pub mentions: u32,
    /// Sentence of the first mention.
    pub snippet: Option<String>,
}

/// An actor with a count.
#[derive(Debug, Serialize)]
pub struct ActorCount {
    /// The actor.
    #[serde(flatten)]
    pub actor: ActorRef,
    /// How many (articles, or shared articles).
    pub count: u32,
}

/// The actor page.
#[derive(Debug, Serialize)]
pub struct ActorPage {
    /// Link data.
    #[serde(flatten)]
    pub link: ActorRef,
    /// Other names.
    pub aliases: Vec<String>,
    /// The country or organisation it belongs to.
    pub affiliation: Option<ActorRef>,
    /// Actors affiliated with it.
    pub members: Vec<ActorRef>,
    /// Birth date.
    pub born: Option<DateView>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// Further reading.
    pub links: Vec<LinkView>,
    /// The rendered profile.
    pub profile_html: String,
    /// Has a registry entry?
    pub registered: bool,
    /// Articles, newest first.
    pub articles: Vec<Appearance>,
    /// Events, in date order.
    pub events: Vec<EventView>,
    /// Quotes.
    pub quotes: Vec<QuoteView>,
    /// Actors it appears with.
    pub co_actors: Vec<ActorCount>,
    /// Its own timeline (articles and events).
    pub timeline: Vec<TimelineYear>,
}

/// An external link.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Text.
    pub title: String,
    /// Target.
    pub url: String,
}

/// A publication page.
#[derive(Debug, Serialize)]
pub struct SourcePage {
    /// Link data.
    #[serde(flatten)]
    pub link: SourceRef,
    /// Home page.
    pub homepage: Option<String>,
    /// Owner in words.
    pub owner: Option<String>,
    /// Affiliation in words.
    pub affiliation: Option<String>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// The rendered note.
    pub note_html: String,
    /// Articles, newest first.
    pub articles: Vec<ArticleRef>,
}

/// A group of actors on the index.
#[derive(Debug, Serialize)]
pub struct ActorGroup {
    /// Heading.
    pub label: &'static str,
    /// Anchor id.
    pub id: String,
    /// Actors with their article counts.
    pub actors: Vec<ActorCount>,
}

/// A publication on the index.
#[derive(Debug, Serialize)]
pub struct SourceCount {
    /// The publication.
    #[serde(flatten)]
    pub source: SourceRef,
    /// Its articles.
    pub count: usize,
}

/// One entry of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// `article` or `event`.
    pub kind: &'static str,
    /// Anchor id.
    pub id: String,
    /// When.
    pub date: DateView,
    /// How the date was inferred or worked out.
    pub date_note: Option<String>,
    /// Headline or what happened.
    pub title: String,
    /// For an article its page; for an event the reporting article.
    pub article: ArticleRef,
    /// Who (the first few; `more_actors` says how many are left out).
    pub actors: Vec<ActorRef>,
    /// How many more actors the entry involves.
    pub more_actors: usize,
    /// Every actor's slug, space-separated (for client-side filtering).
    pub actor_slugs: String,
}

/// How many actor chips a timeline entry shows.
const ENTRY_ACTORS: usize = 8;

/// A month of a timeline (`label` is empty for entries known only to the year).
#[derive(Debug, Clone, Serialize)]
pub struct TimelineMonth {
    /// `September 2016`, or `2016, month not known`.
    pub label: String,
    /// Anchor id (`2016-09`).
    pub id: String,
    /// Entries.
    pub entries: Vec<TimelineEntry>,
}

/// A year of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYear {
    /// The year.
    pub year: i16,
    /// Months in order (year-only entries first).
    pub months: Vec<TimelineMonth>,
    /// Articles this year.
    pub articles: usize,
    /// Events this year.
    pub events: usize,
}

impl Views<'_> {
    /// Timeline entries for items, grouped by year and month.
    pub fn timeline(&self, items: &[TimelineItem]) -> Vec<TimelineYear> {
        let mut years: Vec<TimelineYear> = Vec::new();
        for item in items {
            let entry = match *item {
                TimelineItem::Article(id) => {
                    let article = &self.site.articles[id.index()];
                    let actors: Vec<ActorRef> = self.graph.article_actors[id.index()]
                        .iter()
                        .map(|&a| self.actor(a))
                        .collect();
                    TimelineEntry {
                        kind: "article",
                        id: format!("a-{}", article.slug),
                        date: article.date.into(),
                        date_note: article.date_note.clone(),
                        title: article.title.clone(),
                        article: self.article(id),
                        actor_slugs: slugs(&actors),
                        more_actors: actors.len().saturating_sub(ENTRY_ACTORS),
                        actors: actors.into_iter().take(ENTRY_ACTORS).collect(),
                    }
                }
                TimelineItem::Event(id) => {
                    let event = &self.site.events[id.index()];
                    let view = self.event(event);
                    TimelineEntry {
                        kind: "event",
                        id: format!("e-{}", id.0),
                        date: view.date,
                        date_note: view.date_note,
                        title: view.title,
                        article: view.article,
                        actor_slugs: slugs(&view.actors),
                        more_actors: view.actors.len().saturating_sub(ENTRY_ACTORS),
                        actors: view.actors.into_iter().take(ENTRY_ACTORS).collect(),
                    }
                }
            };
            let date = match *item {
                TimelineItem::Article(id) => self.site.articles[id.index()].date,
                TimelineItem::Event(id) => self.site.events[id.index()].date,
            };
            if years.last().is_none_or(|y| y.year != date.year()) {
                years.push(TimelineYear {
                    year: date.year(),
                    months: Vec::new(),
                    articles: 0,
                    events: 0,
                });
            }
            let year = years.last_mut().expect("invariant: just pushed");
            let (label, id) = match date.month_name() {
                Some(name) => (
                    format!("{name} {}", date.year()),
                    format!("{}-{:02}", date.year(), date.month().unwrap_or(0)),
                ),
                None => (
                    format!("{}, month not known", date.year()),
                    format!("{}", date.year()),
                ),
            };
            if year.months.last().is_none_or(|m| m.id != id) {
                year.months.push(TimelineMonth {
                    label,
                    id,
                    entries: Vec::new(),
                });
            }
            if entry.kind == "article" {
                year.articles += 1;
            } else {
                year.events += 1;
            }
            year.months
                .last_mut()
                .expect("invariant: just pushed")
                .entries
                .push(entry);
        }
        years
    }
}

fn slugs(actors: &[ActorRef]) -> String {
    actors
        .iter()
        .map(|a| a.slug.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
