//! Page dependencies: for every page about one article, actor or
//! publication, a fingerprint of the inputs its view is made from, cheap
//! enough to work out for every page on every rebuild. A page whose key is
//! unchanged would be given the same view, so the engine keeps it without
//! building that view at all; an edit then costs the pages it touches, not
//! one view per page of the site.
//!
//! The keys rest on one fact about the model: with the same *shared*
//! inputs (settings, every actor and publication, the Markdown context
//! that fixes every link target's URL, the options, the number of
//! articles), an article's model, rendered body and shared views are a
//! function of its own file's bytes. An article is then named in a key by
//! its path and that file's fingerprint (its [`Prints::articles`] entry),
//! never by its id, which is only its place in date order: one article
//! moving in time does not change the keys of pages that merely list
//! others. A page's key adds, in order, every article, event and quote it
//! lists (through the graph), so a page whose related articles, neighbours
//! or appearances change is made again.
//!
//! A page that lists an article shows what its front matter says (title,
//! date, publication, summary, its events), never its body: such an
//! article counts in the key by its path and front matter alone (its
//! [`Prints::listings`] entry). An actor's page also shows, for each
//! article, how often the body mentions the actor and the sentence that
//! first does, and the quotes bodies attribute: those count by what the
//! body says of them ([`Prints::mentioned`], the quote's own words). An
//! edit to a body's text that changes no mention and no quote then makes
//! again only the article's own page, not every page that lists it (an
//! actor in most articles lists thousands).
//!
//! Pages about the whole dossier (home, indexes, timeline, feed, sitemap)
//! read every article, but none of them shows its body: only what its
//! front matter says and the actors it involves (named there or mentioned
//! in the body, which the graph counts). Their key is one print of every
//! article's path, front matter and actors, in date order (see
//! [`Prints::listings`]), so an edit to a body that mentions no new actor
//! does not make them again.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::fingerprint::{self, Fingerprint};
use crate::model::graph::Graph;
use crate::model::{ActorId, ArticleId, EventId, ModelOptions, Site, SourceId};
use crate::render::Page;
use crate::render::markdown::RenderedBody;

/// What identifies the inputs of one build, entity by entity.
#[derive(Debug, Default)]
pub(crate) struct Prints {
    /// Everything besides an article's own file that any article, actor or
    /// publication page may read.
    pub(crate) shared: u64,
    /// Per article (by index): its path and its file's fingerprint.
    pub(crate) articles: Vec<u64>,
    /// Per article (by index): its path and its front matter's
    /// fingerprint, all that a page listing it reads of its file (a page
    /// about the whole dossier also reads the actors it mentions).
    pub(crate) listings: Vec<u64>,
    /// Per article (by index): what its body says of actors, as an actor's
    /// page shows it (each mention's count and first sentence).
    pub(crate) mentioned: Vec<u64>,
    /// The key every page about the whole dossier shares, worked out the
    /// first time one asks.
    whole: std::sync::OnceLock<u64>,
}

impl Prints {
    /// The prints of `site`, whose articles' rendered bodies are `bodies`
    /// (by article index). `body_context` is the fingerprint of what
    /// rendering Markdown reads outside a body's own file; `file_print`
    /// gives the fingerprint of a content file's bytes.
    pub(crate) fn new(
        site: &Site,
        bodies: &[Arc<RenderedBody>],
        options: ModelOptions,
        body_context: u64,
        file_print: impl Fn(&str) -> Option<u64>,
    ) -> Prints {
        let mut shared = fingerprint::hasher();
        fingerprint::of_serialized(&site.config).hash(&mut shared);
        (&site.actors, &site.sources).hash(&mut shared);
        (
            body_context,
            options.include_drafts,
            site.articles.len(),
            site.events.len(),
        )
            .hash(&mut shared);
        Prints {
            shared: shared.finish(),
            articles: site
                .articles
                .iter()
                .map(|a| (a.path.as_str(), file_print(&a.path)).fingerprint())
                .collect(),
            listings: site
                .articles
                .iter()
                .map(|a| (a.path.as_str(), a.front_print).fingerprint())
                .collect(),
            mentioned: bodies.iter().map(|body| body.mentions_print).collect(),
            whole: std::sync::OnceLock::new(),
        }
    }

    /// What every page about the whole dossier reads: the shared inputs,
    /// then each article in date order by its listing and its actors.
    fn whole(&self, graph: &Graph) -> u64 {
        *self.whole.get_or_init(|| {
            let mut hasher = fingerprint::hasher();
            self.shared.hash(&mut hasher);
            self.listings.hash(&mut hasher);
            graph.article_actors.hash(&mut hasher);
            hasher.finish()
        })
    }

    /// The dependency key of `page`, or `None` for the not-found page
    /// (which is small and reads only the settings).
    pub(crate) fn key(&self, site: &Site, graph: &Graph, page: Page) -> Option<u64> {
        let mut key = Key {
            hasher: fingerprint::hasher(),
            site,
            graph,
            prints: self,
        };
        self.shared.hash(&mut key.hasher);
        match page {
            Page::Article(id) => key.article_page(id),
            Page::Actor(id) => key.actor_page(id),
            Page::Source(id) => key.source_page(id),
            Page::Home
            | Page::Articles
            | Page::Actors
            | Page::Sources
            | Page::Timeline
            | Page::TimelineYear(_)
            | Page::Feed
            | Page::Sitemap => {
                self.whole(graph).hash(&mut key.hasher);
                // Two pages of the same kind differ only by their year.
                std::mem::discriminant(&page).hash(&mut key.hasher);
                if let Page::TimelineYear(year) = page {
                    year.hash(&mut key.hasher);
                }
            }
            Page::NotFound => return None,
        }
        Some(key.hasher.finish())
    }
}

/// One page's key, being worked out.
struct Key<'a> {
    hasher: fingerprint::FingerprintHasher,
    site: &'a Site,
    graph: &'a Graph,
    prints: &'a Prints,
}

impl Key<'_> {
    /// An article whose whole file the page reads (its own page).
    fn article(&mut self, id: ArticleId) {
        self.prints.articles[id.index()].hash(&mut self.hasher);
    }

    /// An article the page lists: its front matter is all it reads.
    fn listed(&mut self, id: ArticleId) {
        self.prints.listings[id.index()].hash(&mut self.hasher);
    }

    /// A list of articles: its length, then each one.
    fn articles(&mut self, ids: impl ExactSizeIterator<Item = ArticleId>) {
        ids.len().hash(&mut self.hasher);
        for id in ids {
            self.listed(id);
        }
    }

    /// An event, by its article and its place among that article's events.
    fn event(&mut self, id: EventId) {
        let article = self.site.events[id.index()].article;
        let place = self.site.articles[article.index()]
            .events
            .iter()
            .position(|&e| e == id);
        // Events are written in the article's front matter.
        self.listed(article);
        place.hash(&mut self.hasher);
    }

    /// A quote, by its words and its article (a quote may come from the
    /// front matter or the body).
    fn quote(&mut self, index: usize) {
        let quote = &self.graph.quotes[index];
        (quote.by, &quote.text, &quote.context).hash(&mut self.hasher);
        self.listed(quote.article);
    }

    /// The article itself (its actors, events and quotes come from its own
    /// file), and the articles it shows: related, linking to it, before and
    /// after it in time.
    fn article_page(&mut self, id: ArticleId) {
        self.article(id);
        let graph = self.graph;
        self.articles(graph.related[id.index()].iter().copied());
        self.articles(graph.backlinks[id.index()].iter().copied());
        self.articles(graph.previous(id).into_iter());
        self.articles(graph.next(id).into_iter());
    }

    /// The actor itself (shared), and every article, event, quote and
    /// fellow actor its page lists.
    fn actor_page(&mut self, id: ActorId) {
        id.hash(&mut self.hasher);
        let graph = self.graph;
        let i = id.index();
        graph.actor_articles[i].len().hash(&mut self.hasher);
        for appearance in &graph.actor_articles[i] {
            // Mentions and snippet come from the article's body.
            self.listed(appearance.article);
            self.prints.mentioned[appearance.article.index()].hash(&mut self.hasher);
        }
        graph.actor_events[i].len().hash(&mut self.hasher);
        for &event in &graph.actor_events[i] {
            self.event(event);
        }
        graph.actor_quotes[i].len().hash(&mut self.hasher);
        for &quote in &graph.actor_quotes[i] {
            self.quote(quote);
        }
        graph.co_actors[i].hash(&mut self.hasher);
    }

    /// The publication itself (shared) and its articles.
    fn source_page(&mut self, id: SourceId) {
        id.hash(&mut self.hasher);
        self.articles(self.graph.source_articles[id.index()].iter().copied());
    }
}
