//! Building the model from loaded documents: one step per kind of entity,
//! in the order their references need. Publications first (articles name
//! them), then actors and their affiliations (articles, events and quotes
//! name them), then articles with their events and quotes, numbered in
//! date order once all are known, then the files copied as they are.
//!
//! Every problem is reported; entries with errors are left out so the rest
//! can still be checked. The caller decides whether errors stop the build.

use std::sync::Arc;

use crate::load::meta::Spanned;

use super::registry::{Added, NameIndex};
use super::report::{Reporter, slug_hint, suggestion};
use super::{
    Actor, ActorId, Article, ArticleId, AssetFile, At, Credit, Event, EventId, ModelOptions,
    PartialDate, Quote, Site, Slug, Source, SourceId, Target, Written,
};
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::fingerprint::{FastMap, FastSet};
use crate::load::{ActorMeta, ArticleMeta, Asset, Doc, Loaded, SourceMeta, Text};

/// Builds the model from loaded documents, with every finding.
pub fn build(loaded: Loaded, config: SiteConfig, options: ModelOptions) -> (Site, Diagnostics) {
    let given = loaded.failed.len()
        + loaded.sources.len()
        + loaded.actors.len()
        + loaded
            .articles
            .iter()
            .filter(|doc| options.include_drafts || !doc.meta.draft)
            .count();
    let mut builder = Builder::default();
    builder.sources(loaded.sources);
    builder.actors_left_out.extend(
        loaded
            .failed
            .iter()
            .filter_map(|path| path.strip_prefix("content/actors/"))
            .filter_map(|name| std::path::Path::new(name).file_stem()?.to_str())
            .map(str::to_string),
    );
    builder.actors(loaded.actors);
    let unnumbered = builder.articles(loaded.articles, &config, options);
    let (articles, events, quotes) = builder.number(unnumbered);
    let assets = builder.assets(loaded.assets);
    let Builder {
        out,
        by_path,
        sources,
        actors,
        actor_names,
        ..
    } = builder;
    let kept = articles.len()
        + actors.iter().filter(|actor| actor.path.is_some()).count()
        + sources
            .iter()
            .filter(|source| source.path.is_some())
            .count();
    let site = Site {
        left_out: given - kept,
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

/// The model so far, and its findings.
#[derive(Default)]
struct Builder {
    out: Diagnostics,
    by_path: FastMap<String, Target>,
    slugs: Slugs,
    sources: Vec<Source>,
    source_names: NameIndex<SourceId>,
    actors: Vec<Actor>,
    actor_names: NameIndex<ActorId>,
    /// The file names (without `.md`) of actor files left out for their
    /// errors: a name they would register is not reported unknown, as the
    /// file's own errors say why (and fail the build).
    actors_left_out: FastSet<String>,
}

/// An article before date order gives it its id, with its events and
/// quotes (which are numbered with it).
struct Unnumbered {
    article: Article,
    events: Vec<(PartialDate, Option<String>, String, Vec<ActorId>)>,
    quotes: Vec<(ActorId, String, Option<String>)>,
}

/// What one article's front matter says on its own, checked without
/// looking at any other file, each finding kept until the article is taken
/// in file order (a file whose page address is taken reports no more).
/// Its events are checked later, in the file-order pass, between its actors
/// and quotes: which findings get a position depends on their order (see
/// [`Reporter`]).
struct Checked {
    /// Its page address, and what was wrong with it.
    slug: Option<Slug>,
    slug_found: Diagnostics,
    /// `None` when the title, date or publication is missing.
    values: Option<Values>,
    /// Findings about those values.
    values_found: Diagnostics,
    /// How many findings were located (see [`Reporter`]).
    located: usize,
    /// Where its values are written.
    written: Written,
}

/// An article's checked values, and the rest of what its page shows as
/// the file says it (copied here, on every core, rather than in the
/// file-order pass).
struct Values {
    title: String,
    date: PartialDate,
    retrieved: Option<PartialDate>,
    url: Option<String>,
    source_name: String,
    author: Option<String>,
    summary: Option<String>,
    credits: Vec<Credit>,
    tags: Vec<String>,
}

impl Checked {
    fn new(doc: &Doc<ArticleMeta>) -> Checked {
        let meta = &doc.meta;
        let mut slug_found = Diagnostics::new();
        let slug = slug_for(doc, meta.slug.as_ref(), &mut slug_found);
        let mut values_found = Diagnostics::new();
        let mut report = Reporter::new(doc, &mut values_found);
        let title = report.text(&meta.title, "title");
        let date = report.date(&meta.date);
        let retrieved = meta.retrieved.as_ref().and_then(|d| report.date(d));
        let url = meta.url.as_ref().and_then(|u| report.url(u));
        let source_name = report.text(&meta.source, "source");
        let located = report.located();
        let values = match (title, date, source_name) {
            (Some(title), Some(date), Some(source_name)) => Some(Values {
                title,
                date,
                retrieved,
                url,
                source_name,
                author: meta
                    .author
                    .as_ref()
                    .map(|a| a.value.trim().to_string())
                    .filter(|a| !a.is_empty()),
                summary: meta.summary.as_ref().map(|s| s.value.clone()),
                credits: meta
                    .credits
                    .iter()
                    .map(|c| Credit {
                        caption: c.caption.clone(),
                        credit: c.credit.clone(),
                    })
                    .collect(),
                tags: meta.tags.iter().map(|t| t.value.clone()).collect(),
            }),
            _ => None,
        };
        Checked {
            slug,
            slug_found,
            values,
            values_found,
            located,
            written: article_written(doc),
        }
    }
}

/// Who claimed each page address first (section, slug → file).
#[derive(Default)]
struct Slugs {
    seen: FastMap<(&'static str, Slug), String>,
}

impl Slugs {
    /// Claims the page `section/slug/` for the file at `path`; false (and
    /// an error in `out`) when another file has it.
    fn claim(
        &mut self,
        section: &'static str,
        slug: &Slug,
        path: &str,
        out: &mut Diagnostics,
    ) -> bool {
        match self.seen.get(&(section, slug.clone())) {
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
                self.seen.insert((section, slug.clone()), path.to_string());
                true
            }
        }
    }
}

impl Builder {
    /// Publications: each with its names, which articles use to name it.
    fn sources(&mut self, docs: Vec<Arc<Doc<SourceMeta>>>) {
        for doc in docs {
            let Some(slug) = slug_for(&doc, None, &mut self.out) else {
                continue;
            };
            if !self.slugs.claim("sources", &slug, &doc.path, &mut self.out) {
                continue;
            }
            let id = SourceId(self.sources.len() as u32);
            let mut report = Reporter::new(&doc, &mut self.out);
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
                if let Added::Taken(other) = self.source_names.add(&alias.value, id, display_name) {
                    let other_path = self.sources[other.index()].path.clone().unwrap_or_default();
                    report
                        .error(
                            Code::DuplicateName,
                            alias,
                            format!(
                                "`{}` is already the name of {other_path}",
                                alias.value.trim()
                            ),
                        )
                        .help = Some(
                        "two entries cannot share a name: merge them, or rename one".to_string(),
                    );
                }
            }
            self.source_names.add(slug.as_str(), id, false);
            let url = url.as_ref().and_then(|u| report.url(u));
            let founded = founded.as_ref().and_then(|d| report.date(d));
            self.by_path.insert(doc.path.clone(), Target::Source(id));
            self.sources.push(Source {
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
                written: {
                    let mut written = Written::default();
                    written.add("name", at(&doc, name));
                    written
                },
            });
        }
    }

    /// Actors: names first, affiliations once every name is known.
    fn actors(&mut self, docs: Vec<Arc<Doc<ActorMeta>>>) {
        let mut pending_affiliations: Vec<(ActorId, usize)> = Vec::new();
        let mut actor_docs: Vec<Arc<Doc<ActorMeta>>> = Vec::new();
        let files: Vec<(String, String)> = docs
            .iter()
            .map(|doc| (doc.path.clone(), doc.stem.clone()))
            .collect();
        for doc in docs {
            let Some(slug) = slug_for(&doc, None, &mut self.out) else {
                continue;
            };
            if !self.slugs.claim("actors", &slug, &doc.path, &mut self.out) {
                continue;
            }
            let id = ActorId(self.actors.len() as u32);
            let mut report = Reporter::new(&doc, &mut self.out);
            let meta = &doc.meta;
            let Some(name) = report.text(&meta.name, "name") else {
                continue;
            };
            if let Added::Taken(other) = self.actor_names.add(&name, id, true) {
                let other_path = self.actors[other.index()].path.clone().unwrap_or_default();
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
            let mut written = Written::default();
            written.add("name", at(&doc, &meta.name));
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
                match self.actor_names.add(text, id, true) {
                    Added::New => {
                        aliases.push(text.to_string());
                        written.add("aliases", at(&doc, alias));
                    }
                    Added::Repeat => {}
                    Added::Taken(other) => {
                        let other_name = self.actors[other.index()].name.clone();
                        report
                            .warning(
                                Code::AmbiguousAlias,
                                alias,
                                format!(
                                    "`{text}` is already a name of {other_name}; it is ignored here"
                                ),
                            )
                            .help = Some(
                            "an alias must point to one actor; use a longer alias".to_string(),
                        );
                    }
                }
            }
            self.actor_names.add(slug.as_str(), id, false);
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
            self.by_path.insert(doc.path.clone(), Target::Actor(id));
            self.actors.push(Actor {
                id,
                slug,
                path: Some(doc.path.clone()),
                text: Text::default(),
                body_start: doc.body_start,
                name,
                kind: Some(meta.kind),
                aliases,
                role: meta.role.clone(),
                affiliation: None,
                born,
                founded,
                links,
                written,
            });
            actor_docs.push(doc);
        }
        // An entry with errors was left out before it was registered.
        self.actors_left_out.extend(
            files
                .into_iter()
                .filter(|(path, _)| !self.by_path.contains_key(path))
                .map(|(_, stem)| stem),
        );
        for (id, doc_index) in pending_affiliations {
            let doc = &actor_docs[doc_index];
            let spanned = doc
                .meta
                .affiliation
                .as_ref()
                .expect("invariant: only pending when set");
            match self.actor_names.get(&spanned.value) {
                Some(other) if other != id => self.actors[id.index()].affiliation = Some(other),
                Some(_) => {}
                None if self.actors_left_out.contains(&slug_hint(&spanned.value)) => {}
                None => {
                    let hint = suggestion(self.actor_names.suggest(&spanned.value));
                    Reporter::new(doc, &mut self.out)
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
        for (actor, doc) in self.actors.iter_mut().zip(actor_docs) {
            actor.text = doc.text.clone();
        }
    }

    /// Articles, with their events and quotes, in file order.
    fn articles(
        &mut self,
        docs: Vec<Arc<Doc<ArticleMeta>>>,
        config: &SiteConfig,
        options: ModelOptions,
    ) -> Vec<Unnumbered> {
        use rayon::prelude::*;
        let docs: Vec<Arc<Doc<ArticleMeta>>> = docs
            .into_iter()
            .filter(|doc| options.include_drafts || !doc.meta.draft)
            .collect();
        // What each file says on its own is checked on every core; what
        // depends on the files before it (its page address, its
        // publication, its actors) is then taken in file order.
        let checked: Vec<Checked> = docs
            .par_iter()
            .with_max_len(crate::MOST_PER_PIECE)
            .map(|doc| Checked::new(doc))
            .collect();
        let mut unnumbered: Vec<Unnumbered> = Vec::with_capacity(docs.len());
        let mut resolver = ActorResolver {
            names: &mut self.actor_names,
            actors: &mut self.actors,
            auto_create: config.actors.auto_create,
            left_out: &self.actors_left_out,
        };
        for (doc, checked) in docs.into_iter().zip(checked) {
            let Checked {
                slug,
                slug_found,
                values,
                values_found,
                located,
                written,
            } = checked;
            self.out.extend(slug_found);
            let Some(slug) = slug else {
                continue;
            };
            if !self
                .slugs
                .claim("articles", &slug, &doc.path, &mut self.out)
            {
                continue;
            }
            self.out.extend(values_found);
            let mut report = Reporter::continuing(&doc, &mut self.out, located);
            let meta: &ArticleMeta = &doc.meta;
            // An article whose title, date or publication is wrong is left
            // out, but what it names is still looked up: every problem of
            // a front matter is reported in one run, not one fix at a time.
            let source_name = match &values {
                Some(values) => values.source_name.as_str(),
                None => meta.source.value.trim(),
            };
            let source = match self.source_names.get(source_name) {
                Some(id) => Some(id),
                // Reported where it was found empty.
                None if source_name.is_empty() => None,
                None => {
                    let hint = suggestion(self.source_names.suggest(source_name));
                    report
                        .warning(
                            Code::UnknownSource,
                            &meta.source,
                            format!("publication `{source_name}` is not in content/sources/"),
                        )
                        .help = Some(format!(
                        "{hint}add content/sources/{}.md with its name, country and ownership",
                        slug_hint(source_name)
                    ));
                    if values.is_none() {
                        // No page for the publication of an article left out.
                        None
                    } else {
                        let id = SourceId(self.sources.len() as u32);
                        let base = Slug::from_text(source_name).unwrap_or_else(|| {
                            Slug::parse("unnamed").expect("invariant: valid slug")
                        });
                        let mut slug = base.clone();
                        let mut n = id.0;
                        while self.sources.iter().any(|s| s.slug == slug) {
                            slug = base.with_suffix(n);
                            n += 1;
                        }
                        self.source_names.add(source_name, id, true);
                        self.sources.push(Source {
                            id,
                            slug,
                            path: None,
                            text: Text::default(),
                            body_start: 0,
                            name: source_name.to_string(),
                            url: None,
                            country: None,
                            kind: None,
                            ownership: None,
                            owner: None,
                            affiliation: None,
                            founded: None,
                            written: Written::default(),
                        });
                        Some(id)
                    }
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
            // Events stay in this pass, in their place among the findings
            // that are located (a file with very many has only the first
            // located).
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
                    if let Some(date) = values.as_ref().map(|values| values.date)
                        && event_date.earliest() > date.latest()
                    {
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
            let (
                Some(Values {
                    title,
                    date,
                    retrieved,
                    url,
                    source_name: _,
                    author,
                    summary,
                    credits,
                    tags,
                }),
                Some(source),
            ) = (values, source)
            else {
                continue;
            };
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
                    author,
                    url,
                    retrieved,
                    kind: meta.kind,
                    summary,
                    actors: article_actors,
                    events: Vec::new(),
                    credits,
                    tags,
                    draft: meta.draft,
                    text: Text::default(),
                    front_print: doc.front_print,
                    written,
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
    }

    /// Gives articles their ids in date order (then by slug), and events
    /// theirs in date order.
    fn number(&mut self, unnumbered: Vec<Unnumbered>) -> (Vec<Article>, Vec<Event>, Vec<Quote>) {
        // Sorted by place, not moved while sorting: an article is 432 bytes,
        // and sorting 10,000 of them in place spent most of its time
        // copying them.
        let count = unnumbered.len();
        let mut order: Vec<u32> = (0..count as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (
                &unnumbered[a as usize].article,
                &unnumbered[b as usize].article,
            );
            (a.date, &a.slug).cmp(&(b.date, &b.slug))
        });
        let mut unnumbered: Vec<Option<Unnumbered>> = unnumbered.into_iter().map(Some).collect();
        let sorted = order.into_iter().map(|i| {
            unnumbered[i as usize]
                .take()
                .expect("invariant: each place is taken once")
        });

        let mut articles = Vec::with_capacity(count);
        let mut events = Vec::new();
        let mut quotes = Vec::new();
        for (index, pending) in sorted.enumerate() {
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
            self.by_path
                .insert(article.path.clone(), Target::Article(id));
            articles.push(article);
        }
        events.sort_by(|a, b| (a.date, a.article, &a.title).cmp(&(b.date, b.article, &b.title)));
        for (index, event) in events.iter_mut().enumerate() {
            event.id = EventId(index as u32);
            articles[event.article.index()].events.push(event.id);
        }
        (articles, events, quotes)
    }

    /// Files copied as they are.
    fn assets(&mut self, assets: Vec<Asset>) -> Vec<AssetFile> {
        assets
            .into_iter()
            .enumerate()
            .map(|(index, asset)| {
                self.by_path
                    .insert(asset.path.clone(), Target::Asset(index));
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
            .collect()
    }
}

/// Where `spanned` is written in `doc`.
fn at<M, T>(doc: &Doc<M>, spanned: &Spanned<T>) -> Option<At> {
    let line = spanned.referenced.line();
    (line > 0).then(|| At {
        line: line as u32 + doc.yaml_line_offset,
        column: spanned.referenced.column() as u32,
    })
}

/// Where an article's checked values are written.
fn article_written(doc: &Doc<ArticleMeta>) -> Written {
    let meta = &doc.meta;
    let mut written = Written::default();
    written.add("title", at(doc, &meta.title));
    for (key, value) in [
        ("url", &meta.url),
        ("summary", &meta.summary),
        ("author", &meta.author),
    ] {
        if let Some(value) = value {
            written.add(key, at(doc, value));
        }
    }
    for tag in &meta.tags {
        written.add("tags", at(doc, tag));
    }
    written
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

/// Resolves actor names in front matter, warning about unknown ones (or
/// creating them when `actors.auto_create` is on).
struct ActorResolver<'a> {
    names: &'a mut NameIndex<ActorId>,
    actors: &'a mut Vec<Actor>,
    auto_create: bool,
    /// See [`Builder::actors_left_out`].
    left_out: &'a FastSet<String>,
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
        if self.left_out.contains(&slug_hint(text)) {
            // Its file's own errors say why it is not known.
            return None;
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
                text: Text::default(),
                body_start: 0,
                name: text.to_string(),
                kind: None,
                aliases: Vec::new(),
                role: None,
                affiliation: None,
                born: None,
                founded: None,
                links: Vec::new(),
                written: Written::default(),
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
