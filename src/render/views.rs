//! Template contexts shared between pages (article, actor and publication
//! references, events, quotes, the timeline), and their cache across
//! builds. Each page's own view is in its page module.
//!
//! Templates get plain serialisable structs, never the model itself, so the
//! theme contract is explicit (documented in the README) and stable while the
//! model changes. Every field is always present (`null` when unknown), because
//! Tera 2 treats an undefined field as an error; dates arrive pre-formatted
//! at their own precision; all text is escaped by the template engine except
//! the fields named `*_html`, which we produced and sanitised ourselves.

use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::theme::Theme;
use super::urls::Urls;
use crate::engine::deps::Prints;
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::model::graph::{Graph, TimelineItem};
use crate::model::{
    Actor, ActorId, Article, ArticleId, EventId, PartialDate, Precision, Site, Source,
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

/// An actor an article names, with how often its body mentions the actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorMention {
    /// The actor.
    pub actor: Shared<ActorRef>,
    /// Mentions in the body (0: named only in the front matter).
    pub mentions: u32,
    /// The theme's `actor_mention` component for this actor and count,
    /// rendered once and shared by every article page that shows the pair
    /// (empty when the theme has no `actor_mention(m)`).
    pub html: String,
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
    pub date: Shared<DateView>,
    /// How the date was inferred.
    pub date_note: Option<String>,
    /// Publication.
    pub source: Shared<SourceRef>,
    /// Kind label.
    pub kind: Option<&'static str>,
    /// Summary.
    pub summary: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// The theme's `article_item` component for this article, rendered once.
    pub item_html: String,
}

/// A compact link to an article, for long lists.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLink {
    /// Page URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Shared<DateView>,
    /// Publication name.
    pub source: String,
    /// Is the publication state media?
    pub state_media: bool,
    /// The publication's ownership label (`State-owned media`), if known.
    pub ownership: Option<&'static str>,
    /// The theme's `compact_item` component for this article, rendered once.
    pub row_html: String,
}

/// Articles of one year, for long lists.
#[derive(Debug, Clone, Serialize)]
pub struct YearOfArticles {
    /// The year.
    pub year: i16,
    /// Its articles, newest first.
    pub items: Vec<Shared<ArticleLink>>,
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
    pub actors: Vec<Shared<ActorRef>>,
    /// The article reporting it.
    pub article: Shared<ArticleRef>,
}

/// A quote, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    /// The words.
    pub text: String,
    /// Who said it.
    pub by: Shared<ActorRef>,
    /// Where or when.
    pub context: Option<String>,
    /// The article quoting it.
    pub article: Shared<ArticleRef>,
}

/// A view serialised once and shared by every page that shows it.
///
/// Pages list the same articles and actors over and over (related articles,
/// actor pages, the timeline). Each view is converted to a template value
/// once per build; a page then holds a reference-counted handle, which Tera
/// passes through without serialising again. `T` documents what the value
/// holds for theme authors.
pub struct Shared<T> {
    value: tera::Value,
    /// A fingerprint of `value`, standing in for it in page signatures.
    fingerprint: u64,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    /// Serialises `view` once.
    pub fn new(view: &T) -> Shared<T> {
        Shared {
            // From the view, not the template value (whose maps iterate in
            // no fixed order), with nested shared views by fingerprint.
            fingerprint: signature(view),
            value: tera::Value::from_serializable(view),
            of: PhantomData,
        }
    }
}

impl<T> Shared<T> {
    /// The view with its field `field` (a string, empty until now) set to
    /// `text`. The fingerprint stays the view's: `text` is what a theme
    /// component made of the view, and views are compared only under one
    /// theme.
    fn with_field(self, field: &'static str, text: String) -> Shared<T> {
        // The only handle left: the map is taken, not copied.
        let mut map = self
            .value
            .into_map()
            .expect("invariant: a view with a component is a struct");
        map.insert(field.into(), tera::Value::from(text));
        Shared {
            value: tera::Value::from(map),
            fingerprint: self.fingerprint,
            of: PhantomData,
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            value: self.value.clone(),
            fingerprint: self.fingerprint,
            of: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared(..)")
    }
}

thread_local! {
    /// Set while a page signature is computed: shared views then serialise
    /// as their fingerprint, so a signature costs a few bytes per listed
    /// article instead of its whole HTML.
    static SIGNING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if SIGNING.get() {
            serializer.serialize_u64(self.fingerprint)
        } else {
            self.value.serialize(serializer)
        }
    }
}

/// HTML made once and shown as it is (a rendered Markdown body): shared
/// between builds rather than copied, and counted in page signatures by
/// its fingerprint rather than hashed again for every page.
///
/// An article body read back from the build cache has none
/// (`Html::left_out`): the cache keeps what a body says, not its HTML, and
/// the few pages a cached build renders again render their body again.
#[derive(Debug, Clone)]
pub struct Html {
    /// The text as the string templates are given: made once, then shared
    /// by every page and build that shows it instead of copied into each
    /// page's template values. An ordinary string, not one marked safe:
    /// templates write it with `| safe`, like every other HTML they are
    /// given, and without it see it escaped.
    text: Option<tera::Value>,
    fingerprint: u64,
}

impl Html {
    /// Takes `text`, fingerprinting it once.
    pub fn new(text: String) -> Html {
        Html {
            fingerprint: crate::fingerprint::of_serialized(&text),
            text: Some(tera::Value::normal_string(&text)),
        }
    }

    /// HTML that was not kept: it must be rendered again before it is shown.
    pub(crate) fn left_out() -> Html {
        Html {
            text: None,
            fingerprint: 0,
        }
    }

    /// Was this HTML left out of the build cache?
    pub(crate) fn is_left_out(&self) -> bool {
        self.text.is_none()
    }

    fn value(&self) -> &tera::Value {
        self.text
            .as_ref()
            .expect("invariant: HTML left out of the build cache is rendered before it is shown")
    }

    fn text(&self) -> &str {
        self.value()
            .as_str()
            .expect("invariant: made from a string")
    }
}

impl Default for Html {
    fn default() -> Html {
        Html::new(String::new())
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.text()
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if SIGNING.get() {
            debug_assert!(!self.is_left_out(), "a page is signed with its body's HTML");
            serializer.serialize_u64(self.fingerprint)
        } else {
            // Into template values, the shared string itself; into any
            // other format, its text.
            self.value().serialize(serializer)
        }
    }
}

/// Read back from the build cache: the fingerprint is worked out again, not
/// trusted from the file.
impl<'de> serde::Deserialize<'de> for Html {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Html, D::Error> {
        String::deserialize(deserializer).map(Html::new)
    }
}

/// The signature of what a template is given: a fingerprint in which every
/// shared view counts by its own fingerprint. Equal signatures (with the
/// same theme and globals) mean byte-identical pages.
pub fn signature<T: Serialize>(context: &T) -> u64 {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SIGNING.set(self.0);
        }
    }
    let _restore = Restore(SIGNING.replace(true));
    crate::fingerprint::of_serialized(context)
}

/// Shared views made by an earlier build, by a key naming what each was
/// made from (the entity's inputs, see the engine's `deps`): a rebuild
/// makes again (and renders the theme component of) only the views whose
/// input changed, and reuses the others' template values without making
/// them. Valid for one theme (the engine drops it when the theme changes).
/// A component may also read the `site` global (an `@site` argument):
/// everything that global shows (the settings, the counts, the actors and
/// publications) is among the inputs every key names (`Prints::shared`).
#[derive(Debug, Default)]
pub struct ViewMemo {
    views: crate::fingerprint::FastMap<u64, (tera::Value, u64)>,
}

/// Makes shared views through a [`ViewMemo`].
struct Memo<'a> {
    theme: &'a Theme,
    prior: &'a ViewMemo,
    /// Components that failed (their views are made without the HTML and
    /// never kept for a later build; this one fails with these).
    failures: Mutex<Vec<Error>>,
}

/// A shared view with its memo key (`None`: its component failed, and it
/// must not be reused).
type Keyed<T> = (Option<u64>, Shared<T>);

impl Memo<'_> {
    fn reuse<T>(&self, key: u64) -> Option<Keyed<T>> {
        let (value, fingerprint) = self.prior.views.get(&key)?;
        let shared = Shared {
            value: value.clone(),
            fingerprint: *fingerprint,
            of: PhantomData,
        };
        Some((Some(key), shared))
    }

    /// The shared view kept under `key`, or `view()` (which has no
    /// component).
    fn plain<T: Serialize>(&self, key: u64, view: impl FnOnce() -> T) -> Keyed<T> {
        self.reuse(key)
            .unwrap_or_else(|| (Some(key), Shared::new(&view())))
    }

    /// The shared view kept under `key`, or `view()` with the theme
    /// component `name` rendered (given `{arg: view}`) into its field
    /// `field`.
    fn with_component<T: Serialize>(
        &self,
        key: u64,
        component: (&'static str, &'static str),
        view: impl FnOnce() -> T,
        field: &'static str,
    ) -> Keyed<T> {
        if let Some(kept) = self.reuse(key) {
            return kept;
        }
        let (rendered, shared) = self.render(component, &view(), field);
        (rendered.then_some(key), shared)
    }

    /// `view` shared, with the theme component `name` (given `{arg: view}`)
    /// rendered into its field `field`. The view is made a template value
    /// once, and the component is given that value. A failure is kept for
    /// the build to report, and leaves the field empty: also returns
    /// whether it rendered.
    fn render<T: Serialize>(
        &self,
        (name, arg): (&'static str, &'static str),
        view: &T,
        field: &'static str,
    ) -> (bool, Shared<T>) {
        let shared = Shared::new(view);
        match self.theme.render_component(name, arg, shared.value.clone()) {
            Ok(rendered) => (true, shared.with_field(field, rendered)),
            Err(e) => {
                let mut failures = self.failures.lock().expect("invariant: no poisoned lock");
                failures.push(e);
                (false, shared)
            }
        }
    }
}

/// One shared view per entity, made when a page first asks for it.
type Slots<T> = Vec<OnceLock<Keyed<T>>>;

fn slots<T>(count: usize) -> Slots<T> {
    (0..count).map(|_| OnceLock::new()).collect()
}

/// Every view that pages share: each made (or taken from the
/// [`ViewMemo`]) when a page first asks for it, then shared by every page
/// that shows it. A build that renders a few pages makes only theirs.
pub struct ViewCache<'a> {
    site: &'a Site,
    graph: &'a Graph,
    urls: &'a Urls,
    keys: Keys<'a>,
    memo: Memo<'a>,
    /// Each publication's link (every article of it shows one); few, and
    /// cheaper to make than to key, so made at once and never kept.
    sources: Vec<Shared<SourceRef>>,
    /// Each article's date (its link, its row and its timeline entry show it).
    dates: Vec<OnceLock<Shared<DateView>>>,
    actors: Slots<ActorRef>,
    articles: Slots<ArticleRef>,
    links: Slots<ArticleLink>,
    article_entries: Slots<TimelineEntry>,
    event_entries: Slots<TimelineEntry>,
    /// Each actor's mentions on article pages, by count: an article page
    /// lists twenty-odd actors, and each pair's component is rendered
    /// once. Made per build and never kept: they are small, and a
    /// rebuild renders few article pages.
    mentions: Vec<Mutex<crate::fingerprint::FastMap<u32, Shared<ActorMention>>>>,
    /// Does the theme have an `actor_mention(m)` component? One whose
    /// `components.html` is from before it need not (`article.html` then
    /// writes the list itself), nor one that uses the name for another
    /// component.
    mention_component: bool,
}

impl std::fmt::Debug for ViewCache<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewCache")
            .field("articles", &self.articles.len())
            .finish_non_exhaustive()
    }
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
    /// Shared views.
    pub cache: &'a ViewCache<'a>,
}

/// How many actor chips a timeline entry shows.
const ENTRY_ACTORS: usize = 8;

/// What names each shared view's input: the inputs every view shares, and
/// the entity's own (see `Prints`).
#[derive(Clone, Copy)]
struct Keys<'a> {
    site: &'a Site,
    prints: &'a Prints,
}

impl Keys<'_> {
    fn of(self, kind: &str, own: u64, place: usize) -> u64 {
        (kind, self.prints.shared, own, place).fingerprint()
    }

    fn actor(self, index: usize) -> u64 {
        self.of("actor", 0, index)
    }

    /// A view of what an article's front matter says (its listings).
    fn listed(self, kind: &str, index: usize) -> u64 {
        self.of(kind, self.prints.listings[index], 0)
    }

    fn article_item(self, index: usize) -> u64 {
        self.listed("article_item", index)
    }

    fn compact_item(self, index: usize) -> u64 {
        self.listed("compact_item", index)
    }

    /// An article's timeline entry also shows the actors its body mentions:
    /// named by its whole file.
    fn article_entry(self, index: usize) -> u64 {
        self.of("article_entry", self.prints.articles[index], 0)
    }

    fn event_entry(self, index: usize) -> u64 {
        let event = &self.site.events[index];
        let article = &self.site.articles[event.article.index()];
        let place = article.events.iter().position(|&e| e == event.id);
        // Events are written in the article's front matter.
        self.of(
            "event_entry",
            self.prints.listings[article.id.index()],
            place.map_or(0, |p| p + 1),
        )
    }
}

/// What a [`ViewCache`] leaves when the pages are rendered.
pub(crate) struct Finished {
    /// The views a later build with the same theme can reuse.
    pub(crate) memo: ViewMemo,
    /// The theme components that failed.
    pub(crate) failures: Vec<Error>,
}

/// Moves the views in `slots` into `memo` (not those whose component
/// failed), with the ones of `prior` still current (by `key_of` each index)
/// that were not asked for.
fn keep_views<T>(
    slots: Slots<T>,
    key_of: impl Fn(usize) -> u64,
    prior: &ViewMemo,
    memo: &mut ViewMemo,
) {
    for (index, slot) in slots.into_iter().enumerate() {
        let kept = match slot.into_inner() {
            Some((Some(key), shared)) => Some((key, (shared.value, shared.fingerprint))),
            Some((None, _)) => None,
            None => {
                let key = key_of(index);
                prior.views.get(&key).map(|view| (key, view.clone()))
            }
        };
        if let Some((key, view)) = kept {
            memo.views.insert(key, view);
        }
    }
}

impl<'a> ViewCache<'a> {
    /// A cache that makes each view the first time a page asks for it,
    /// rendering the theme's fragment components (`article_item`,
    /// `compact_item`, `timeline_entry`) once per article and event, so
    /// that long lists cost no template work. `prior` holds the views of an
    /// earlier build with this theme, by what they were made from.
    pub(crate) fn new(
        site: &'a Site,
        graph: &'a Graph,
        urls: &'a Urls,
        theme: &'a Theme,
        (prior, prints): (&'a ViewMemo, &'a Prints),
    ) -> ViewCache<'a> {
        ViewCache {
            site,
            graph,
            urls,
            keys: Keys { site, prints },
            memo: Memo {
                theme,
                prior,
                failures: Mutex::new(Vec::new()),
            },
            sources: site
                .sources
                .iter()
                .map(|source| Shared::new(&source_ref(urls, source)))
                .collect(),
            dates: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            actors: slots(site.actors.len()),
            articles: slots(site.articles.len()),
            links: slots(site.articles.len()),
            article_entries: slots(site.articles.len()),
            event_entries: slots(site.events.len()),
            mentions: site.actors.iter().map(|_| Mutex::default()).collect(),
            mention_component: theme.has_component(MENTION_COMPONENT.0, MENTION_COMPONENT.1),
        }
    }

    /// Ends the build's use of the cache. With `keep`, the memo holds every
    /// view made or reused now, and the earlier ones still current (their
    /// inputs unchanged) that no page asked for this time; without, the
    /// views are let go of on another thread.
    pub(crate) fn finish(self, keep: bool) -> Finished {
        let ViewCache {
            keys,
            memo: Memo {
                prior, failures, ..
            },
            actors,
            articles,
            links,
            article_entries,
            event_entries,
            mentions,
            ..
        } = self;
        let failures = failures.into_inner().expect("invariant: no poisoned lock");
        let mut memo = ViewMemo::default();
        if keep {
            keep_views(actors, |i| keys.actor(i), prior, &mut memo);
            keep_views(articles, |i| keys.article_item(i), prior, &mut memo);
            keep_views(links, |i| keys.compact_item(i), prior, &mut memo);
            keep_views(article_entries, |i| keys.article_entry(i), prior, &mut memo);
            keep_views(event_entries, |i| keys.event_entry(i), prior, &mut memo);
        } else {
            // Freeing a large site's views takes a noticeable fraction of
            // a build, on one thread.
            let views = (actors, articles, links, article_entries, event_entries);
            std::thread::spawn(move || drop((views, mentions)));
        }
        Finished { memo, failures }
    }

    /// Makes every view at once, on every core: for a build that renders
    /// most pages, cheaper than making each as the first page asks (a page
    /// listing every article would make them all on one core).
    pub(crate) fn make_all(&self) {
        use rayon::prelude::*;
        let site = self.site;
        site.actors.par_iter().for_each(|a| drop(self.actor(a.id)));
        site.articles.par_iter().for_each(|a| {
            self.article(a.id);
            self.link(a.id);
            self.article_entry(a.id);
        });
        site.events
            .par_iter()
            .for_each(|e| drop(self.event_entry(e.id)));
    }

    /// An article's date.
    fn date(&self, id: ArticleId) -> Shared<DateView> {
        self.dates[id.index()]
            .get_or_init(|| Shared::new(&DateView::from(self.site.articles[id.index()].date)))
            .clone()
    }

    /// An actor's link.
    fn actor(&self, id: ActorId) -> Shared<ActorRef> {
        let index = id.index();
        let (_, shared) = self.actors[index].get_or_init(|| {
            self.memo.plain(self.keys.actor(index), || {
                actor_ref(self.site, self.urls, id)
            })
        });
        shared.clone()
    }

    /// `id` with `mentions`, with the theme's `actor_mention` component.
    fn actor_mention(&self, id: ActorId, mentions: u32) -> Shared<ActorMention> {
        let kept = &self.mentions[id.index()];
        let lock = || kept.lock().expect("invariant: no poisoned lock");
        if let Some(shared) = lock().get(&mentions) {
            return shared.clone();
        }
        // Made without the lock: the other core may make the same pair
        // meanwhile, and the first one kept is the one shared.
        let view = ActorMention {
            actor: self.actor(id),
            mentions,
            html: String::new(),
        };
        let shared = if self.mention_component {
            self.memo.render(MENTION_COMPONENT, &view, "html").1
        } else {
            Shared::new(&view)
        };
        lock().entry(mentions).or_insert(shared).clone()
    }

    /// An article's view, with its publication's link and its date shared.
    fn article_ref(&self, article: &Article) -> ArticleRef {
        ArticleRef {
            url: self.urls.article(article),
            title: article.title.clone(),
            date: self.date(article.id),
            date_note: article.date_note.clone(),
            source: self.sources[article.source.index()].clone(),
            kind: article.kind.map(|k| k.label()),
            summary: article.summary.clone(),
            author: article.author.clone(),
            item_html: String::new(),
        }
    }

    /// An article's link, with its `article_item` component.
    fn article(&self, id: ArticleId) -> Shared<ArticleRef> {
        let index = id.index();
        let (_, shared) = self.articles[index].get_or_init(|| {
            self.memo.with_component(
                self.keys.article_item(index),
                ("article_item", "a"),
                || self.article_ref(&self.site.articles[index]),
                "item_html",
            )
        });
        shared.clone()
    }

    /// An article's compact link, with its `compact_item` component.
    fn link(&self, id: ArticleId) -> Shared<ArticleLink> {
        let index = id.index();
        let (_, shared) = self.links[index].get_or_init(|| {
            let view = || {
                let article = &self.site.articles[index];
                let source = &self.site.sources[article.source.index()];
                ArticleLink {
                    url: self.urls.article(article),
                    title: article.title.clone(),
                    date: self.date(id),
                    source: source.name.clone(),
                    state_media: source.ownership.is_some_and(|o| o.is_state()),
                    ownership: source.ownership.map(|o| o.label()),
                    row_html: String::new(),
                }
            };
            self.memo.with_component(
                self.keys.compact_item(index),
                ("compact_item", "a"),
                view,
                "row_html",
            )
        });
        shared.clone()
    }

    /// An article's own timeline entry.
    fn article_entry(&self, id: ArticleId) -> Shared<TimelineEntry> {
        let index = id.index();
        let (_, shared) = self.article_entries[index].get_or_init(|| {
            let article = &self.site.articles[index];
            self.entry(
                self.keys.article_entry(index),
                Entry {
                    kind: "article",
                    id: &|| article_entry_id(article),
                    date: &|| self.date(id),
                    date_note: &article.date_note,
                    title: &article.title,
                    article: id,
                    who: &self.graph.article_actors[index],
                },
            )
        });
        shared.clone()
    }

    /// An event's timeline entry.
    fn event_entry(&self, id: EventId) -> Shared<TimelineEntry> {
        let index = id.index();
        let (_, shared) = self.event_entries[index].get_or_init(|| {
            let event = &self.site.events[index];
            self.entry(
                self.keys.event_entry(index),
                Entry {
                    kind: "event",
                    id: &|| event_entry_id(self.site, event),
                    date: &|| Shared::new(&DateView::from(event.date)),
                    date_note: &event.date_note,
                    title: &event.title,
                    article: event.article,
                    who: &event.actors,
                },
            )
        });
        shared.clone()
    }

    /// A timeline entry, with its `timeline_entry` component.
    fn entry(&self, key: u64, entry: Entry<'_>) -> Keyed<TimelineEntry> {
        let who = entry.who;
        let view = || TimelineEntry {
            kind: entry.kind,
            id: (entry.id)(),
            date: (entry.date)(),
            date_note: entry.date_note.clone(),
            title: entry.title.to_string(),
            article: self.article(entry.article),
            actor_slugs: who
                .iter()
                .map(|a| self.site.actors[a.index()].slug.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            more_actors: who.len().saturating_sub(ENTRY_ACTORS),
            actors: who
                .iter()
                .take(ENTRY_ACTORS)
                .map(|&a| self.actor(a))
                .collect(),
            html: String::new(),
        };
        self.memo
            .with_component(key, ("timeline_entry", "e"), view, "html")
    }
}

/// The component an article page's actors are shown with, and its
/// argument's name.
const MENTION_COMPONENT: (&str, &str) = ("actor_mention", "m");

/// What a timeline entry is made from.
struct Entry<'a> {
    kind: &'static str,
    id: &'a dyn Fn() -> String,
    date: &'a dyn Fn() -> Shared<DateView>,
    date_note: &'a Option<String>,
    title: &'a str,
    article: ArticleId,
    who: &'a [ActorId],
}

fn actor_ref(site: &Site, urls: &Urls, id: ActorId) -> ActorRef {
    let actor: &Actor = &site.actors[id.index()];
    ActorRef {
        url: urls.actor(actor),
        slug: actor.slug.to_string(),
        name: actor.name.clone(),
        kind: actor.kind.map(|k| k.label()),
        role: actor.role.clone(),
    }
}

/// The anchor id of an article's timeline entry (also named by the chart).
pub(crate) fn article_entry_id(article: &Article) -> String {
    format!("a-{}", article.slug)
}

/// The anchor id of an event's timeline entry (also named by the chart).
/// Named after its article, not its place in date order, so that other
/// events' anchors stay put when one article's dates change.
pub(crate) fn event_entry_id(site: &Site, event: &crate::model::Event) -> String {
    let article = &site.articles[event.article.index()];
    let n = article.events.iter().position(|&id| id == event.id);
    format!("e-{}-{}", article.slug, n.map_or(0, |n| n + 1))
}

fn source_ref(urls: &Urls, source: &Source) -> SourceRef {
    SourceRef {
        url: urls.source(source),
        name: source.name.clone(),
        kind: source.kind.map(|k| k.label()),
        ownership: source.ownership.map(|o| o.label()),
        state_media: source.ownership.is_some_and(|o| o.is_state()),
        country: source.country.clone(),
        registered: source.path.is_some(),
    }
}

impl Views<'_> {
    /// An actor link, typed (for pages that add fields to it).
    pub fn actor_ref(&self, id: ActorId) -> ActorRef {
        actor_ref(self.site, self.urls, id)
    }

    /// An actor link, shared.
    pub fn actor(&self, id: ActorId) -> Shared<ActorRef> {
        self.cache.actor(id)
    }

    /// An actor an article names, with how often its body mentions it.
    pub fn actor_mention(&self, id: ActorId, mentions: u32) -> Shared<ActorMention> {
        self.cache.actor_mention(id, mentions)
    }

    /// A publication link.
    pub fn source(&self, source: &Source) -> SourceRef {
        source_ref(self.urls, source)
    }

    /// An article link, typed (for the article's own page).
    pub fn article_ref(&self, id: ArticleId) -> ArticleRef {
        self.cache.article_ref(&self.site.articles[id.index()])
    }

    /// An article link, shared.
    pub fn article(&self, id: ArticleId) -> Shared<ArticleRef> {
        self.cache.article(id)
    }

    /// A compact article link, shared.
    pub fn article_link(&self, id: ArticleId) -> Shared<ArticleLink> {
        self.cache.link(id)
    }

    /// Articles grouped by year, in the order given.
    pub fn by_year(&self, ids: impl IntoIterator<Item = ArticleId>) -> Vec<YearOfArticles> {
        let ids: Vec<ArticleId> = ids.into_iter().collect();
        let links = made_on_every_core(&ids, |id| self.article_link(id));
        let mut years: Vec<YearOfArticles> = Vec::new();
        for (id, link) in ids.into_iter().zip(links) {
            let year = self.site.articles[id.index()].date.year();
            if years.last().is_none_or(|y| y.year != year) {
                years.push(YearOfArticles {
                    year,
                    items: Vec::new(),
                });
            }
            years
                .last_mut()
                .expect("invariant: just pushed")
                .items
                .push(link);
        }
        years
    }

    /// An event. Made for the one page that lists it (its article's), not
    /// kept: what it shares with other pages (its article and actors) is
    /// shared.
    pub fn event(&self, id: EventId) -> EventView {
        let event = &self.site.events[id.index()];
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

/// One entry of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// `article` or `event`.
    pub kind: &'static str,
    /// Anchor id.
    pub id: String,
    /// When.
    pub date: Shared<DateView>,
    /// How the date was inferred or worked out.
    pub date_note: Option<String>,
    /// Headline or what happened.
    pub title: String,
    /// For an article its page; for an event the reporting article.
    pub article: Shared<ArticleRef>,
    /// Who (the first few; `more_actors` says how many are left out).
    pub actors: Vec<Shared<ActorRef>>,
    /// How many more actors the entry involves.
    pub more_actors: usize,
    /// Every actor's slug, space-separated (for client-side filtering).
    pub actor_slugs: String,
    /// The theme's `timeline_entry` component for this entry, rendered once.
    pub html: String,
}

/// A month of a timeline (`label` is empty for entries known only to the year).
#[derive(Debug, Clone, Serialize)]
pub struct TimelineMonth {
    /// `September 2016`, or `Month not known` (under the year's heading).
    pub label: String,
    /// Anchor id (`2016-09`).
    pub id: String,
    /// Entries.
    pub entries: Vec<Shared<TimelineEntry>>,
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
        let entries = made_on_every_core(items, |item| match item {
            TimelineItem::Article(id) => self.cache.article_entry(id),
            TimelineItem::Event(id) => self.cache.event_entry(id),
        });
        let mut years: Vec<TimelineYear> = Vec::new();
        for (item, entry) in items.iter().zip(entries) {
            let (kind, date) = match *item {
                TimelineItem::Article(id) => ("article", self.site.articles[id.index()].date),
                TimelineItem::Event(id) => ("event", self.site.events[id.index()].date),
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
                // The year is in the heading above: say only what is missing.
                None => ("Month not known".to_string(), format!("{}", date.year())),
            };
            if year.months.last().is_none_or(|m| m.id != id) {
                year.months.push(TimelineMonth {
                    label,
                    id,
                    entries: Vec::new(),
                });
            }
            if kind == "article" {
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

/// `make` of each item, in order: on every core when there are many
/// (a page listing thousands of articles whose shared views a build has
/// not made yet would otherwise make them all on one).
fn made_on_every_core<I: Copy + Sync, T: Send>(
    items: &[I],
    make: impl Fn(I) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    if items.len() < 64 {
        items.iter().map(|&item| make(item)).collect()
    } else {
        items.par_iter().map(|&item| make(item)).collect()
    }
}
