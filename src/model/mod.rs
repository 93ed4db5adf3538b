//! Model stage: loaded documents → the dossier's entities, validated.
//!
//! Input: [`crate::load::Loaded`] and the [`SiteConfig`]. Output: a [`Site`],
//! immutable once built, in which every reference is resolved to a typed id
//! (never a path or a string): articles with parsed dates and their
//! publication, actors with aliases and affiliations, publications, events
//! and quotes. Problems are reported as located diagnostics against the
//! front matter that caused them, all of them in one pass.
//!
//! This module does not render anything and does not look inside Markdown
//! bodies; what bodies say (mentions, links, quotes) arrives later as
//! [`graph::BodyFacts`] and is folded into the cross-reference [`graph::Graph`].
//!
//! This file holds the entities; `build` makes them from documents, one
//! step per kind of entity, and `report` locates its findings in the front
//! matter.

mod build;
pub mod date;
pub mod graph;
pub mod registry;
mod report;
pub mod slug;

use std::sync::Arc;

use crate::config::SiteConfig;
use crate::load::Text;
use crate::load::meta::{ActorKind, ArticleKind, Ownership, SourceKind};
pub use build::build;
pub use date::{PartialDate, Precision};
use registry::NameIndex;
pub use slug::Slug;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),*) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub u32);
        impl $name {
            /// The index into the site's list of this kind.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

id_type!(
    /// Index of an article in [`Site::articles`].
    ArticleId,
    /// Index of an actor in [`Site::actors`].
    ActorId,
    /// Index of a publication in [`Site::sources`].
    SourceId,
    /// Index of an event in [`Site::events`].
    EventId
);

/// Where a front-matter value is written in its file (1-based line and
/// column), kept so that later checks point at it without reading the
/// file again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct At {
    /// Line in the file.
    pub line: u32,
    /// Column, in characters.
    pub column: u32,
}

impl At {
    /// The location of this place in `text` (the file it was found in).
    pub fn location(self, text: &str) -> crate::diagnostic::Location {
        crate::diagnostic::Location::of_line_col(text, self.line, self.column)
    }
}

/// Where an entry's values are written, by front-matter key: one entry per
/// value kept in the model (a list key has one per item, in order), with
/// its place when the parser gave one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Written(Vec<(&'static str, Option<At>)>);

impl Written {
    /// Records where the next value of `key` is written.
    pub(crate) fn add(&mut self, key: &'static str, at: Option<At>) {
        self.0.push((key, at));
    }

    /// Where the values of `key` are written, in order.
    pub fn of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = Option<At>> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| *k == key)
            .map(|(_, at)| *at)
    }
}

/// A clipped article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Its id (its index in chronological order).
    pub id: ArticleId,
    /// URL segment: `articles/<slug>/`.
    pub slug: Slug,
    /// The file it came from, relative to the root.
    pub path: String,
    /// The file's text; the body starts at `body_start`.
    pub text: Text,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// The fingerprint of the text before the body (see
    /// [`crate::load::Doc::front_print`]).
    pub front_print: u64,
    /// Headline.
    pub title: String,
    /// How the title was chosen, when the clipping has none.
    pub title_note: Option<String>,
    /// Publication date, at its precision.
    pub date: PartialDate,
    /// How the date was inferred.
    pub date_note: Option<String>,
    /// The publication.
    pub source: SourceId,
    /// How the publication was identified.
    pub source_note: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// Original URL.
    pub url: Option<String>,
    /// When the text was retrieved.
    pub retrieved: Option<PartialDate>,
    /// What sort of piece.
    pub kind: Option<ArticleKind>,
    /// Short summary.
    pub summary: Option<String>,
    /// Actors named in the front matter.
    pub actors: Vec<ActorId>,
    /// Events the article reports.
    pub events: Vec<EventId>,
    /// Photo credits from the front matter.
    pub credits: Vec<Credit>,
    /// Topics.
    pub tags: Vec<String>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Where its checked values (title, url, summary, author, tags) are
    /// written.
    pub written: Written,
}

impl Article {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A photo caption and credit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Credit {
    /// What the photo shows.
    pub caption: Option<String>,
    /// Who took or supplied it.
    pub credit: String,
}

/// A person, country or organisation the dossier follows.
#[derive(Debug, Clone, Hash)]
pub struct Actor {
    /// Its id.
    pub id: ActorId,
    /// URL segment: `actors/<slug>/`.
    pub slug: Slug,
    /// The registry file, or `None` for an actor created from front matter
    /// because `actors.auto_create` is on.
    pub path: Option<String>,
    /// The registry file's text (empty for auto-created actors).
    pub text: Text,
    /// Byte offset of the profile in `text`.
    pub body_start: usize,
    /// Display name.
    pub name: String,
    /// Kind; `None` for auto-created actors.
    pub kind: Option<ActorKind>,
    /// Other names matched in text.
    pub aliases: Vec<String>,
    /// Position or function.
    pub role: Option<String>,
    /// The country or organisation it belongs to.
    pub affiliation: Option<ActorId>,
    /// Birth date.
    pub born: Option<PartialDate>,
    /// Founding date.
    pub founded: Option<PartialDate>,
    /// Further reading: (title, url).
    pub links: Vec<(String, String)>,
    /// Where its name and kept aliases are written.
    pub written: Written,
}

impl Actor {
    /// The Markdown profile.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A publication articles come from.
#[derive(Debug, Clone, Hash)]
pub struct Source {
    /// Its id.
    pub id: SourceId,
    /// URL segment: `sources/<slug>/`.
    pub slug: Slug,
    /// The registry file, or `None` for a publication only named by articles.
    pub path: Option<String>,
    /// The registry file's text (empty if unregistered).
    pub text: Text,
    /// Byte offset of the note in `text`.
    pub body_start: usize,
    /// Name as cited.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
    /// Where it is based.
    pub country: Option<String>,
    /// Newspaper, news agency, …
    pub kind: Option<SourceKind>,
    /// State-owned, private, …
    pub ownership: Option<Ownership>,
    /// Owner in words.
    pub owner: Option<String>,
    /// Affiliation in words.
    pub affiliation: Option<String>,
    /// Founding date.
    pub founded: Option<PartialDate>,
    /// Where its name is written.
    pub written: Written,
}

impl Source {
    /// The Markdown note.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A dated event reported by an article.
#[derive(Debug, Clone)]
pub struct Event {
    /// Its id.
    pub id: EventId,
    /// The article that reports it.
    pub article: ArticleId,
    /// When, at the precision known.
    pub date: PartialDate,
    /// How the date was worked out.
    pub date_note: Option<String>,
    /// What happened.
    pub title: String,
    /// Who was involved.
    pub actors: Vec<ActorId>,
}

/// A quote attributed to an actor in front matter.
#[derive(Debug, Clone)]
pub struct Quote {
    /// Who said it.
    pub by: ActorId,
    /// The words.
    pub text: String,
    /// Where or when.
    pub context: Option<String>,
    /// The article that quotes it.
    pub article: ArticleId,
}

/// A file under `content/` copied to the site as is.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path relative to the root (`content/media/map.png`).
    pub path: String,
    /// Path in the output (`media/map.png`).
    pub output: String,
    /// Where it is on disk.
    pub file: std::path::PathBuf,
}

/// The whole dossier, resolved and validated. Immutable once built.
///
/// Cheap to clone: its collections are shared, each article on its own, so
/// that an edit to one article's body makes a new model by replacing that
/// article alone (see `engine`).
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings.
    pub config: SiteConfig,
    /// Articles in chronological order (oldest first, then by slug).
    pub articles: Vec<Arc<Article>>,
    /// Actors, by slug.
    pub actors: Arc<Vec<Actor>>,
    /// Publications, by slug.
    pub sources: Arc<Vec<Source>>,
    /// Events, in chronological order.
    pub events: Arc<Vec<Event>>,
    /// Quotes from front matter.
    pub quotes: Arc<Vec<Quote>>,
    /// Files copied as they are.
    pub assets: Arc<Vec<AssetFile>>,
    /// Actor names, aliases and slugs.
    pub actor_names: Arc<NameIndex<ActorId>>,
    /// Content path of each article, actor and source → what it is.
    pub by_path: Arc<crate::fingerprint::FastMap<String, Target>>,
    /// How many content files were left out for their errors (including
    /// those that failed to load): while any are, what only they refer to
    /// looks unused.
    pub left_out: usize,
}

impl Site {
    /// Drops the source text of every article (empty bodies from then on).
    ///
    /// For a build that is not followed by another: once the bodies are
    /// rendered and the briefing made, pages need only the model and the
    /// HTML, and a large dossier's texts are tens of megabytes. An article
    /// another model still shares is copied first, so that one keeps its
    /// text.
    pub(crate) fn release_texts(&mut self) {
        let empty = Text::default();
        for article in &mut self.articles {
            let article = Arc::make_mut(article);
            article.text = empty.clone();
            article.body_start = 0;
        }
    }
}

/// Something a relative Markdown link can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An article page.
    Article(ArticleId),
    /// An actor page.
    Actor(ActorId),
    /// A publication page.
    Source(SourceId),
    /// A copied file (index into [`Site::assets`]).
    Asset(usize),
}

/// Options that change what the model contains.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    /// Include articles marked `draft: true`.
    pub include_drafts: bool,
}

/// Is `url` an absolute http(s) URL we are willing to put in an `href`?
///
/// # Errors
/// A message quoting the URL and saying what is wrong with it.
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        None => Err(format!(
            "`{url}` is not a web address: it must start with https:// or http://"
        )),
        Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with('.') => {
            Err(format!("`{url}` has no host name"))
        }
        Some(_)
            if url.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`')
            }) =>
        {
            Err(format!(
                "`{url}` contains spaces or characters that are not allowed in a URL"
            ))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests;
