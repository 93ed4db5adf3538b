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

pub mod date;
pub mod graph;
pub mod registry;
pub mod slug;

use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::meta::{ActorKind, ArticleKind, DateText, Ownership, SourceKind};
use crate::load::{ActorMeta, ArticleMeta, Doc, Loaded, SourceMeta};
pub use date::{PartialDate, Precision};
use registry::{Added, NameIndex};
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
    pub text: Arc<str>,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
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
    pub text: Arc<str>,
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
    pub text: Arc<str>,
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

/// Front-matter values whose text a diagnostic can underline.
trait ValueText {
    fn text(&self) -> &str;
}

impl ValueText for String {
    fn text(&self) -> &str {
        self
    }
}

impl ValueText for DateText {
    fn text(&self) -> &str {
        &self.0
    }
}

/// Builds diagnostics for one document.
struct Reporter<'a, M> {
    doc: &'a Doc<M>,
    out: &'a mut Diagnostics,
    /// How many findings were located so far.
    located: std::cell::Cell<usize>,
}

impl<'a, M> Reporter<'a, M> {
    fn new(doc: &'a Doc<M>, out: &'a mut Diagnostics) -> Self {
        Reporter {
            doc,
            out,
            located: std::cell::Cell::new(0),
        }
    }

    /// The location of a value, underlining the whole value as written
    /// (`[Vladimir Puttin]` marks both words, a quoted value its quotes).
    /// Past [`crate::diagnostic::MAX_PER_FILE`] findings only the file is
    /// named: locating one scans its line, so thousands of findings on one
    /// long line (`actors: [x1, x2, …]`) would be quadratic.
    fn at<T: ValueText>(&self, spanned: &Spanned<T>) -> Option<Location> {
        if self.located.get() >= crate::diagnostic::MAX_PER_FILE {
            return None;
        }
        self.located.set(self.located.get() + 1);
        let mut location = self.doc.locate(&spanned.referenced)?;
        let value = spanned.value.text().trim();
        let at = location
            .line_text
            .char_indices()
            .nth((location.column - 1).saturating_sub(location.cut) as usize)
            .map_or(location.line_text.len(), |(i, _)| i);
        let written = &location.line_text[at..];
        let quoted = written.starts_with(['"', '\'']);
        if !value.is_empty() && written[usize::from(quoted)..].starts_with(value) {
            location.width = (value.chars().count() + 2 * usize::from(quoted)) as u32;
        }
        Some(location)
    }

    fn error<T: ValueText>(
        &mut self,
        code: Code,
        spanned: &Spanned<T>,
        message: String,
    ) -> &mut Diagnostic {
        let location = self.at(spanned);
        self.out
            .push(Diagnostic::error(code, &self.doc.path, message).at_opt(location));
        self.out.last_mut().expect("invariant: just pushed")
    }

    fn warning<T: ValueText>(
        &mut self,
        code: Code,
        spanned: &Spanned<T>,
        message: String,
    ) -> &mut Diagnostic {
        let location = self.at(spanned);
        self.out
            .push(Diagnostic::warning(code, &self.doc.path, message).at_opt(location));
        self.out.last_mut().expect("invariant: just pushed")
    }

    fn date(&mut self, spanned: &Spanned<DateText>) -> Option<PartialDate> {
        match PartialDate::parse(&spanned.value.0) {
            Ok(date) => Some(date),
            Err(err) => {
                self.error(Code::BadDate, spanned, err.0)
                    .help = Some("write `2017-01-25` for a day, `2016-11` for a month, `2015` for a year; add `date_note:` to say how an inexact date was inferred".to_string());
                None
            }
        }
    }

    fn url(&mut self, spanned: &Spanned<String>) -> Option<String> {
        match check_url(&spanned.value) {
            Ok(()) => Some(spanned.value.trim().to_string()),
            Err(message) => {
                self.error(Code::BadUrl, spanned, message).help = Some(
                    "write the full web address, starting with https:// or http://".to_string(),
                );
                None
            }
        }
    }

    fn text(&mut self, spanned: &Spanned<String>, what: &str) -> Option<String> {
        let text = spanned.value.trim();
        if text.is_empty() {
            self.error(Code::Empty, spanned, format!("the {what} is empty"))
                .help = Some(format!(
                "give the {what} a value, or remove the line if it is optional"
            ));
            None
        } else {
            Some(text.to_string())
        }
    }
}

/// The slug of a registry or article file: its `slug:` if given, else its
/// file name, made URL-safe.
fn slug_for<M>(
    doc: &Doc<M>,
    explicit: Option<&Spanned<String>>,
    out: &mut Diagnostics,
) -> Option<Slug> {
    let mut report = Reporter::new(doc, out);
    if let Some(spanned) = explicit {
        return match Slug::parse(spanned.value.trim()) {
            Ok(slug) => Some(slug),
            Err(message) => {
                report.error(Code::BadSlug, spanned, message).help = Some(
                    "a slug is the last part of the page address: lowercase letters, digits and hyphens"
                        .to_string(),
                );
                None
            }
        };
    }
    Slug::parse(&doc.stem)
        .ok()
        .or_else(|| Slug::from_text(&doc.stem))
        .or_else(|| {
            report.out.push(
                Diagnostic::error(
                    Code::BadSlug,
                    &doc.path,
                    format!("cannot make a URL from the file name `{}`", doc.stem),
                )
                .help("rename the file using letters and digits, or add a `slug:` field"),
            );
            None
        })
}

/// Builds the model from loaded documents.
///
/// Every problem is reported; entries with errors are left out so the rest
/// can still be checked. The caller decides whether errors stop the build.
pub fn build(loaded: Loaded, config: SiteConfig, options: ModelOptions) -> (Site, Diagnostics) {
    let mut out = Diagnostics::new();
    let mut by_path = crate::fingerprint::FastMap::default();
    let mut slugs_seen: crate::fingerprint::FastMap<(&'static str, Slug), String> =
        crate::fingerprint::FastMap::default();
    let mut claim_slug =
        |section: &'static str, slug: &Slug, path: &str, out: &mut Diagnostics| -> bool {
            match slugs_seen.get(&(section, slug.clone())) {
                Some(first) => {
                    out.push(
                    Diagnostic::error(
                        Code::DuplicateSlug,
                        path,
                        format!("`{section}/{slug}/` is also the page of {first}"),
                    )
                    .help(
                        "two files cannot share one URL: rename one of them or give it a `slug:`",
                    ),
                );
                    false
                }
                None => {
                    slugs_seen.insert((section, slug.clone()), path.to_string());
                    true
                }
            }
        };

    // Publications.
    let mut sources: Vec<Source> = Vec::new();
    let mut source_names: NameIndex<SourceId> = NameIndex::default();
    for doc in loaded.sources {
        let Some(slug) = slug_for(&doc, None, &mut out) else {
            continue;
        };
        if !claim_slug("sources", &slug, &doc.path, &mut out) {
            continue;
        }
        let id = SourceId(sources.len() as u32);
        let mut report = Reporter::new(&doc, &mut out);
        let SourceMeta {
            name,
            aliases,
            url,
            country,
            kind,
            ownership,
            owner,
            affiliation,
            founded,
        } = &doc.meta;
        let Some(display) = report.text(name, "name") else {
            continue;
        };
        for (alias, display_name) in
            std::iter::once((name, true)).chain(aliases.iter().map(|a| (a, true)))
        {
            if let Added::Taken(other) = source_names.add(&alias.value, id, display_name) {
                let other_path = sources[other.index()].path.clone().unwrap_or_default();
                report
                    .error(
                        Code::DuplicateName,
                        alias,
                        format!(
                            "`{}` is already the name of {other_path}",
                            alias.value.trim()
                        ),
                    )
                    .help =
                    Some("two entries cannot share a name: merge them, or rename one".to_string());
            }
        }
        source_names.add(slug.as_str(), id, false);
        let url = url.as_ref().and_then(|u| report.url(u));
        let founded = founded.as_ref().and_then(|d| report.date(d));
        by_path.insert(doc.path.clone(), Target::Source(id));
        sources.push(Source {
            id,
            slug,
            path: Some(doc.path.clone()),
            name: display,
            url,
            country: country.clone(),
            kind: *kind,
            ownership: *ownership,
            owner: owner.clone(),
            affiliation: affiliation.clone(),
            founded,
            body_start: doc.body_start,
            text: doc.text.clone(),
        });
    }

    // Actors: names first, affiliations once every name is known.
    let mut actors: Vec<Actor> = Vec::new();
    let mut actor_names: NameIndex<ActorId> = NameIndex::default();
    let mut pending_affiliations: Vec<(ActorId, usize)> = Vec::new();
    let mut actor_docs: Vec<Arc<Doc<ActorMeta>>> = Vec::new();
    for doc in loaded.actors {
        let Some(slug) = slug_for(&doc, None, &mut out) else {
            continue;
        };
        if !claim_slug("actors", &slug, &doc.path, &mut out) {
            continue;
        }
        let id = ActorId(actors.len() as u32);
        let mut report = Reporter::new(&doc, &mut out);
        let meta = &doc.meta;
        let Some(name) = report.text(&meta.name, "name") else {
            continue;
        };
        if let Added::Taken(other) = actor_names.add(&name, id, true) {
            let other_path = actors[other.index()].path.clone().unwrap_or_default();
            report
                .error(
                    Code::DuplicateName,
                    &meta.name,
                    format!("`{name}` is already the name of {other_path}"),
                )
                .help =
                Some("two entries cannot share a name: merge them, or rename one".to_string());
        }
        let mut aliases = Vec::new();
        for alias in &meta.aliases {
            let text = alias.value.trim();
            if text.is_empty() {
                report
                    .warning(
                        Code::SuspiciousName,
                        alias,
                        "an empty alias matches nothing".into(),
                    )
                    .help = Some("remove it, or write the other name".to_string());
                continue;
            }
            match actor_names.add(text, id, true) {
                Added::New => aliases.push(text.to_string()),
                Added::Repeat => {}
                Added::Taken(other) => {
                    let other_name = actors[other.index()].name.clone();
                    report
                        .warning(
                            Code::AmbiguousAlias,
                            alias,
                            format!(
                                "`{text}` is already a name of {other_name}; it is ignored here"
                            ),
                        )
                        .help =
                        Some("an alias must point to one actor; use a longer alias".to_string());
                }
            }
        }
        actor_names.add(slug.as_str(), id, false);
        let born = meta.born.as_ref().and_then(|d| report.date(d));
        let founded = meta.founded.as_ref().and_then(|d| report.date(d));
        let links = meta
            .links
            .iter()
            .filter_map(|l| report.url(&l.url).map(|u| (l.title.clone(), u)))
            .collect();
        if meta.affiliation.is_some() {
            pending_affiliations.push((id, actor_docs.len()));
        }
        by_path.insert(doc.path.clone(), Target::Actor(id));
        actors.push(Actor {
            id,
            slug,
            path: Some(doc.path.clone()),
            text: Arc::from(""),
            body_start: doc.body_start,
            name,
            kind: Some(meta.kind),
            aliases,
            role: meta.role.clone(),
            affiliation: None,
            born,
            founded,
            links,
        });
        actor_docs.push(doc);
    }
    for (id, doc_index) in pending_affiliations {
        let doc = &actor_docs[doc_index];
        let spanned = doc
            .meta
            .affiliation
            .as_ref()
            .expect("invariant: only pending when set");
        match actor_names.get(&spanned.value) {
            Some(other) if other != id => actors[id.index()].affiliation = Some(other),
            Some(_) => {}
            None => {
                let hint = suggestion(actor_names.suggest(&spanned.value));
                Reporter::new(doc, &mut out)
                    .warning(
                        Code::UnknownActor,
                        spanned,
                        format!(
                            "affiliation `{}` is not a registered actor",
                            spanned.value.trim()
                        ),
                    )
                    .help = Some(format!(
                    "{hint}add content/actors/{}.md to register it",
                    slug_hint(&spanned.value)
                ));
            }
        }
    }
    // Keep the registry text for profiles (moved now that lookups are done).
    for (actor, doc) in actors.iter_mut().zip(actor_docs) {
        actor.text = doc.text.clone();
    }

    // Articles, collected before sorting gives them their chronological ids.
    struct Unnumbered {
        article: Article,
        events: Vec<(PartialDate, Option<String>, String, Vec<ActorId>)>,
        quotes: Vec<(ActorId, String, Option<String>)>,
    }
    let mut unnumbered: Vec<Unnumbered> = Vec::new();
    let mut resolver = ActorResolver {
        names: &mut actor_names,
        actors: &mut actors,
        auto_create: config.actors.auto_create,
    };
    for doc in loaded.articles {
        if doc.meta.draft && !options.include_drafts {
            continue;
        }
        let Some(slug) = slug_for(&doc, doc.meta.slug.as_ref(), &mut out) else {
            continue;
        };
        if !claim_slug("articles", &slug, &doc.path, &mut out) {
            continue;
        }
        let mut report = Reporter::new(&doc, &mut out);
        let meta: &ArticleMeta = &doc.meta;
        let title = report.text(&meta.title, "title");
        let date = report.date(&meta.date);
        let retrieved = meta.retrieved.as_ref().and_then(|d| report.date(d));
        let url = meta.url.as_ref().and_then(|u| report.url(u));
        let source_name = report.text(&meta.source, "source");
        let (Some(title), Some(date), Some(source_name)) = (title, date, source_name) else {
            continue;
        };
        let source = match source_names.get(&source_name) {
            Some(id) => id,
            None => {
                let hint = suggestion(source_names.suggest(&source_name));
                report
                    .warning(
                        Code::UnknownSource,
                        &meta.source,
                        format!("publication `{source_name}` is not in content/sources/"),
                    )
                    .help = Some(format!(
                    "{hint}add content/sources/{}.md with its name, country and ownership",
                    slug_hint(&source_name)
                ));
                let id = SourceId(sources.len() as u32);
                let base = Slug::from_text(&source_name)
                    .unwrap_or_else(|| Slug::parse("unnamed").expect("invariant: valid slug"));
                let mut slug = base.clone();
                let mut n = id.0;
                while sources.iter().any(|s| s.slug == slug) {
                    slug = base.with_suffix(n);
                    n += 1;
                }
                source_names.add(&source_name, id, true);
                sources.push(Source {
                    id,
                    slug,
                    path: None,
                    text: Arc::from(""),
                    body_start: 0,
                    name: source_name.clone(),
                    url: None,
                    country: None,
                    kind: None,
                    ownership: None,
                    owner: None,
                    affiliation: None,
                    founded: None,
                });
                id
            }
        };
        let mut article_actors = Vec::new();
        for name in &meta.actors {
            if let Some(id) = resolver.resolve(name, &mut report)
                && !article_actors.contains(&id)
            {
                article_actors.push(id);
            }
        }
        let mut events = Vec::new();
        for event in &meta.events {
            let parsed_date = report.date(&event.date);
            let title = report.text(&event.title, "event title");
            let actors_of_event: Vec<ActorId> = event
                .actors
                .iter()
                .filter_map(|name| resolver.resolve(name, &mut report))
                .collect();
            if let (Some(event_date), Some(title)) = (parsed_date, title) {
                if event_date.earliest() > date.latest() {
                    report
                        .warning(Code::EventAfterArticle, &event.date, format!("this event ({}) is dated after the article ({})", event_date.long(), date.long()))
                        .help = Some("an article can only report what happened before it was published; check the year".to_string());
                }
                events.push((event_date, event.date_note.clone(), title, actors_of_event));
            }
        }
        let mut quotes = Vec::new();
        for quote in &meta.quotes {
            if let Some(by) = resolver.resolve(&quote.by, &mut report) {
                quotes.push((by, quote.text.trim().to_string(), quote.context.clone()));
            }
        }
        unnumbered.push(Unnumbered {
            article: Article {
                id: ArticleId(0),
                slug,
                path: doc.path.clone(),
                body_start: doc.body_start,
                title,
                title_note: meta.title_note.clone(),
                date,
                date_note: meta.date_note.clone(),
                source,
                source_note: meta.source_note.clone(),
                author: meta
                    .author
                    .as_ref()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
                url,
                retrieved,
                kind: meta.kind,
                summary: meta.summary.clone(),
                actors: article_actors,
                events: Vec::new(),
                credits: meta
                    .credits
                    .iter()
                    .map(|c| Credit {
                        caption: c.caption.clone(),
                        credit: c.credit.clone(),
                    })
                    .collect(),
                tags: meta.tags.clone(),
                draft: meta.draft,
                text: Arc::from(""),
            },
            events,
            quotes,
        });
        unnumbered
            .last_mut()
            .expect("invariant: just pushed")
            .article
            .text = doc.text.clone();
    }
    unnumbered
        .sort_by(|a, b| (a.article.date, &a.article.slug).cmp(&(b.article.date, &b.article.slug)));

    let mut articles = Vec::with_capacity(unnumbered.len());
    let mut events = Vec::new();
    let mut quotes = Vec::new();
    for (index, pending) in unnumbered.into_iter().enumerate() {
        let id = ArticleId(index as u32);
        let mut article = pending.article;
        article.id = id;
        for (date, date_note, title, actors) in pending.events {
            events.push(Event {
                id: EventId(0),
                article: id,
                date,
                date_note,
                title,
                actors,
            });
        }
        for (by, text, context) in pending.quotes {
            quotes.push(Quote {
                by,
                text,
                context,
                article: id,
            });
        }
        by_path.insert(article.path.clone(), Target::Article(id));
        articles.push(article);
    }
    events.sort_by(|a, b| (a.date, a.article, &a.title).cmp(&(b.date, b.article, &b.title)));
    for (index, event) in events.iter_mut().enumerate() {
        event.id = EventId(index as u32);
        articles[event.article.index()].events.push(event.id);
    }

    let assets = loaded
        .assets
        .into_iter()
        .enumerate()
        .map(|(index, asset)| {
            by_path.insert(asset.path.clone(), Target::Asset(index));
            let output = asset
                .path
                .strip_prefix("content/")
                .unwrap_or(&asset.path)
                .to_string();
            AssetFile {
                path: asset.path,
                output,
                file: asset.file,
            }
        })
        .collect();

    let site = Site {
        config,
        articles: articles.into_iter().map(Arc::new).collect(),
        actors: Arc::new(actors),
        sources: Arc::new(sources),
        events: Arc::new(events),
        quotes: Arc::new(quotes),
        assets: Arc::new(assets),
        actor_names: Arc::new(actor_names),
        by_path: Arc::new(by_path),
    };
    (site, out)
}

fn suggestion(best: Option<&str>) -> String {
    best.map(|b| format!("did you mean `{b}`? Otherwise "))
        .unwrap_or_default()
}

fn slug_hint(name: &str) -> String {
    Slug::from_text(name).map_or_else(|| "name".to_string(), |s| s.to_string())
}

/// Resolves actor names in front matter, warning about unknown ones (or
/// creating them when `actors.auto_create` is on).
struct ActorResolver<'a> {
    names: &'a mut NameIndex<ActorId>,
    actors: &'a mut Vec<Actor>,
    auto_create: bool,
}

impl ActorResolver<'_> {
    fn resolve<M>(
        &mut self,
        name: &Spanned<String>,
        report: &mut Reporter<'_, M>,
    ) -> Option<ActorId> {
        let text = name.value.trim();
        if text.is_empty() {
            report
                .error(Code::Empty, name, "the actor name is empty".to_string())
                .help = Some("remove the empty entry from the list".to_string());
            return None;
        }
        if let Some(id) = self.names.get(text) {
            return Some(id);
        }
        if self.auto_create {
            let id = ActorId(self.actors.len() as u32);
            let Some(base) = Slug::from_text(text) else {
                report
                    .warning(
                        Code::UnknownActor,
                        name,
                        format!(
                            "`{text}` is not a registered actor, and no page can be named after it"
                        ),
                    )
                    .help = Some(
                    "write the name in letters, or add it to content/actors/ with a `slug:`"
                        .to_string(),
                );
                return None;
            };
            let mut slug = base.clone();
            let mut n = id.0;
            while self.names.get(slug.as_str()).is_some() {
                slug = base.with_suffix(n);
                n += 1;
            }
            self.names.add(text, id, true);
            self.names.add(slug.as_str(), id, false);
            self.actors.push(Actor {
                id,
                slug,
                path: None,
                text: Arc::from(""),
                body_start: 0,
                name: text.to_string(),
                kind: None,
                aliases: Vec::new(),
                role: None,
                affiliation: None,
                born: None,
                founded: None,
                links: Vec::new(),
            });
            return Some(id);
        }
        let hint = suggestion(self.names.suggest(text));
        report
            .warning(
                Code::UnknownActor,
                name,
                format!("`{text}` is not a registered actor"),
            )
            .help = Some(format!(
            "{hint}add content/actors/{}.md (or set `actors: {{auto_create: true}}` in site.yaml)",
            slug_hint(text)
        ));
        None
    }
}

#[cfg(test)]
mod tests;
