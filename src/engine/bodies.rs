//! The engine's rendered Markdown: article bodies, actor profiles and
//! publication notes, each kept until its file or what it reads from the
//! rest of the site changes.
//!
//! Rendering a body reads its own file and, from the rest of the site, the
//! actors' names, aliases and pages (mention search and links), the URL of
//! every link target, and the Markdown settings. All of that outside the
//! file is summed up in one *context* fingerprint; a cached body is reused
//! when its file's fingerprint and the context are both unchanged.
//!
//! The build cache keeps each body's facts but not an article's HTML (most
//! of the bytes): a build through the cache renders few article pages, and
//! renders their Markdown again ([`BodyCache::html_of`]) instead of reading
//! and writing every article's HTML on every build. Profiles and notes keep
//! theirs: every actor and publication page shows one.
//!
//! The facts a body yields name articles by id (`links`, fragment links),
//! and article ids are positions in date order, which an edit elsewhere can
//! shift. The cache therefore remembers those targets by path and resolves
//! them again on reuse, so a date edit renumbers nothing that is reused.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fingerprint::{self, FastMap, Fingerprint};
use crate::load::Text;
use crate::model::{ActorId, Article, ArticleId, Site, Target};
use crate::progress::Progress;
use crate::render::markdown::{self, Body, BodyContext, RenderedBody};
use crate::render::mentions::MentionMatcher;
use crate::render::urls::Urls;
use crate::render::views::Html;

/// A rendered body and what it needs to be reused.
#[derive(Debug)]
struct Cached {
    /// The file's fingerprint and the actor whose profile it is.
    key: u64,
    body: Arc<RenderedBody>,
    /// Paths of `body.facts.links`, in order.
    links: Vec<String>,
    /// Paths of the targets of `body.fragment_links`, in order.
    fragments: Vec<Option<String>>,
    /// An article's body (whose HTML the build cache leaves out).
    article: bool,
}

/// A [`Cached`] body as the build cache stores it, borrowed for writing.
#[derive(Debug, serde::Serialize)]
struct StoredRef<'a> {
    key: u64,
    links: &'a [String],
    fragments: &'a [Option<String>],
    /// `None` for an article.
    html: Option<&'a str>,
    facts: &'a crate::model::graph::BodyFacts,
    mentions_print: u64,
    fragment_links: &'a [markdown::FragmentLink],
    external_links: &'a [(String, std::ops::Range<usize>)],
}

/// A [`StoredRef`] read back.
#[derive(Debug, serde::Deserialize)]
struct Stored {
    key: u64,
    links: Vec<String>,
    fragments: Vec<Option<String>>,
    html: Option<String>,
    facts: crate::model::graph::BodyFacts,
    mentions_print: u64,
    fragment_links: Vec<markdown::FragmentLink>,
    external_links: Vec<(String, std::ops::Range<usize>)>,
}

impl Cached {
    fn stored(&self) -> StoredRef<'_> {
        let body = &*self.body;
        StoredRef {
            key: self.key,
            links: &self.links,
            fragments: &self.fragments,
            html: (!self.article).then(|| &*body.html),
            facts: &body.facts,
            mentions_print: body.mentions_print,
            fragment_links: &body.fragment_links,
            external_links: &body.external_links,
        }
    }
}

impl From<Stored> for Cached {
    fn from(stored: Stored) -> Cached {
        Cached {
            key: stored.key,
            links: stored.links,
            fragments: stored.fragments,
            article: stored.html.is_none(),
            body: Arc::new(RenderedBody {
                html: stored.html.map_or_else(Html::left_out, Html::new),
                facts: stored.facts,
                mentions_print: stored.mentions_print,
                fragment_links: stored.fragment_links,
                external_links: stored.external_links,
            }),
        }
    }
}

/// Rendered bodies by content path.
#[derive(Debug, Default)]
pub(crate) struct BodyCache {
    context: u64,
    matcher: Option<MentionMatcher>,
    entries: FastMap<String, Cached>,
    /// How many bodies the last run rendered (the rest were reused).
    pub(crate) rendered: usize,
}

/// One part of a [`BodyCache`], borrowed for writing into the build cache.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ShardRef<'a> {
    entries: Vec<(&'a str, StoredRef<'a>)>,
}

/// One part of a [`BodyCache`] read back from the build cache.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Shard {
    entries: Vec<(String, Stored)>,
}

impl BodyCache {
    /// The context fingerprint (kept in the build cache beside the shards).
    pub(crate) fn context(&self) -> u64 {
        self.context
    }

    /// The cached bodies in parts (see [`super::parts_by_path`]), each with
    /// a signature of what it holds: the same signature means the same
    /// bodies, since a body is a function of its key and the context.
    pub(crate) fn shards(&self) -> Vec<(u64, ShardRef<'_>)> {
        let entries = self.entries.iter().map(|(path, c)| (path.as_str(), c));
        super::parts_by_path(entries.collect())
            .into_iter()
            .map(|entries| {
                let keys: Vec<(&str, u64)> = entries.iter().map(|(p, c)| (*p, c.key)).collect();
                let entries = entries.into_iter().map(|(p, c)| (p, c.stored())).collect();
                ((self.context, keys).fingerprint(), ShardRef { entries })
            })
            .collect()
    }

    /// A cache made of parts read back from the build cache.
    pub(crate) fn from_shards(context: u64, shards: Vec<Shard>) -> BodyCache {
        BodyCache {
            context,
            entries: shards
                .into_iter()
                .flat_map(|s| s.entries)
                .map(|(path, stored)| (path, stored.into()))
                .collect(),
            ..BodyCache::default()
        }
    }
}

/// Every body of one build.
#[derive(Debug)]
pub(crate) struct Rendered {
    /// Article bodies, by article index.
    pub(crate) bodies: Vec<Arc<RenderedBody>>,
    /// Actor profiles, by actor index.
    pub(crate) profiles: Vec<String>,
    /// Publication notes, by source index.
    pub(crate) notes: Vec<String>,
}

/// One Markdown text to render, or to reuse without reading its text.
struct Job<'a> {
    path: &'a str,
    text: &'a Text,
    body_start: usize,
    self_actor: Option<ActorId>,
    /// An article's body (whose HTML the build cache leaves out).
    article: bool,
}

impl<'a> Job<'a> {
    /// The Markdown to render (reading the file, if its text was left
    /// unread).
    fn body(&self) -> Body<'a> {
        Body {
            path: self.path,
            text: self.text,
            body_start: self.body_start,
            self_actor: self.self_actor,
        }
    }
}

/// The Markdown body of an article, as it is rendered.
fn article_body(article: &Article) -> Body<'_> {
    Body {
        path: &article.path,
        text: &article.text,
        body_start: article.body_start,
        self_actor: None,
    }
}

impl BodyCache {
    /// Renders every body of `site`, reusing what is still valid.
    /// `file_fingerprint` gives the fingerprint of a content file's bytes.
    pub(crate) fn render(
        &mut self,
        site: &Site,
        urls: &Urls,
        file_fingerprint: impl Fn(&str) -> Option<u64> + Sync,
        progress: bool,
        diagnostics: &mut Diagnostics,
    ) -> Rendered {
        let context = context_fingerprint(site, urls);
        if context != self.context {
            self.entries.clear();
            self.matcher = None;
            self.context = context;
        }
        // Absent after a change of context, and in a cache read from disk.
        if self.matcher.is_none() {
            self.matcher = Some(MentionMatcher::new(site));
        }
        let matcher = self.matcher.as_ref().expect("invariant: set just above");
        let ctx = BodyContext {
            site,
            urls,
            matcher,
        };
        let jobs: Vec<Job<'_>> = site
            .articles
            .iter()
            .map(|a| Job {
                path: &a.path,
                text: &a.text,
                body_start: a.body_start,
                self_actor: None,
                article: true,
            })
            .chain(site.actors.iter().filter_map(|a| {
                Some(Job {
                    path: a.path.as_deref()?,
                    text: &a.text,
                    body_start: a.body_start,
                    // An actor's own name is not linked on its own page.
                    self_actor: Some(a.id),
                    article: false,
                })
            }))
            .chain(site.sources.iter().filter_map(|s| {
                Some(Job {
                    path: s.path.as_deref()?,
                    text: &s.text,
                    body_start: s.body_start,
                    self_actor: None,
                    article: false,
                })
            }))
            .collect();
        let bar = Progress::new("Rendering Markdown", jobs.len() as u64, progress);
        let entries = &self.entries;
        let results: Vec<(Arc<RenderedBody>, Origin, Vec<Diagnostic>)> = jobs
            .par_iter()
            .with_max_len(crate::MOST_PER_PIECE)
            .map(|job| {
                let key = (file_fingerprint(job.path), job.self_actor).fingerprint();
                let reused = entries
                    .get(job.path)
                    .filter(|c| c.key == key)
                    .map(|c| (c.reuse(site), Origin::Reused, Vec::new()));
                let result = reused.unwrap_or_else(|| {
                    let (body, found) = markdown::render_body(ctx, job.body());
                    let body = Arc::new(body);
                    // Hints in diagnostics depend on the whole site: a body
                    // with findings is rendered again next time.
                    let cached = found
                        .is_empty()
                        .then(|| Cached::new(key, body.clone(), job.article, site));
                    (body, Origin::Rendered(cached), found)
                });
                bar.inc();
                result
            })
            .collect();
        bar.finish();

        self.rendered = 0;
        // Filled on one core: grown once, not rehashed as it goes.
        self.entries
            .reserve(jobs.len().saturating_sub(self.entries.len()));
        let mut bodies = Vec::with_capacity(site.articles.len());
        let mut profiles = Vec::with_capacity(site.actors.len());
        let mut notes = Vec::with_capacity(site.sources.len());
        let mut results = results.into_iter().zip(&jobs);
        for article in &site.articles {
            let ((body, origin, found), job) = results.next().expect("invariant: one per job");
            self.keep(job.path, origin);
            diagnostics.extend(found);
            debug_assert_eq!(job.path, article.path);
            bodies.push(body);
        }
        for actor in site.actors.iter() {
            if actor.path.is_none() {
                profiles.push(String::new());
                continue;
            }
            let ((body, origin, found), job) = results.next().expect("invariant: one per job");
            self.keep(job.path, origin);
            diagnostics.extend(found);
            profiles.push(body.html.to_string());
        }
        for source in site.sources.iter() {
            if source.path.is_none() {
                notes.push(String::new());
                continue;
            }
            let ((body, origin, found), job) = results.next().expect("invariant: one per job");
            self.keep(job.path, origin);
            diagnostics.extend(found);
            notes.push(body.html.to_string());
        }
        // Only what this build used stays cached: deleted files go (every
        // text rendered is an article, actor or publication the site links
        // by its path).
        self.entries
            .retain(|path, _| site.by_path.contains_key(path.as_str()));
        diagnostics.extend(super::check_all_fragments(site, &bodies));
        Rendered {
            bodies,
            profiles,
            notes,
        }
    }

    fn keep(&mut self, path: &str, origin: Origin) {
        if let Origin::Rendered(cached) = origin {
            self.rendered += 1;
            match cached {
                Some(cached) => {
                    self.entries.insert(path.to_string(), cached);
                }
                None => {
                    self.entries.remove(path);
                }
            }
        }
    }
}

impl BodyCache {
    /// The HTML of the article `id`'s body, rendered again: for a body
    /// whose HTML was left out of the build cache ([`Html::is_left_out`]),
    /// when its page is made again. The body is a function of its file and
    /// the context, both unchanged since it was cached, so this is the HTML
    /// it had. Needs the article's text (see `Site::release_texts`).
    pub(crate) fn html_of(&self, site: &Site, urls: &Urls, id: ArticleId) -> Html {
        let article = &site.articles[id.index()];
        let matcher = self
            .matcher
            .as_ref()
            .expect("invariant: bodies are rendered before their pages");
        let ctx = BodyContext {
            site,
            urls,
            matcher,
        };
        markdown::render_body(ctx, article_body(article)).0.html
    }
}

/// Where a body of this build came from.
enum Origin {
    Reused,
    /// Rendered now; `None` when it is not to be kept.
    Rendered(Option<Cached>),
}

impl Cached {
    fn new(key: u64, body: Arc<RenderedBody>, article: bool, site: &Site) -> Cached {
        let path_of = |id: ArticleId| site.articles[id.index()].path.clone();
        Cached {
            key,
            article,
            links: body.facts.links.iter().map(|&id| path_of(id)).collect(),
            fragments: body
                .fragment_links
                .iter()
                .map(|f| f.target.map(path_of))
                .collect(),
            body,
        }
    }

    /// The cached body with its article ids resolved in `site`.
    fn reuse(&self, site: &Site) -> Arc<RenderedBody> {
        if self.links.is_empty() && self.fragments.is_empty() {
            return self.body.clone();
        }
        let id_of = |path: &str| match site.by_path.get(path) {
            Some(&Target::Article(id)) => id,
            _ => unreachable!("invariant: link targets are part of the body context"),
        };
        let links: Vec<ArticleId> = self.links.iter().map(|p| id_of(p)).collect();
        let fragments: Vec<Option<ArticleId>> = self
            .fragments
            .iter()
            .map(|p| p.as_deref().map(id_of))
            .collect();
        let same = links == self.body.facts.links
            && fragments
                .iter()
                .zip(&self.body.fragment_links)
                .all(|(id, f)| *id == f.target);
        if same {
            return self.body.clone();
        }
        let mut body = (*self.body).clone();
        body.facts.links = links;
        for (link, id) in body.fragment_links.iter_mut().zip(fragments) {
            link.target = id;
        }
        Arc::new(body)
    }
}

/// A fingerprint of everything body rendering reads outside the body's own
/// file.
fn context_fingerprint(site: &Site, urls: &Urls) -> u64 {
    let mut hasher = fingerprint::hasher();
    format!("{:?}{:?}{urls:?}", site.config.markdown, site.config.actors).hash(&mut hasher);
    for actor in site.actors.iter() {
        (actor.id, actor.slug.as_str(), &actor.name, &actor.aliases).hash(&mut hasher);
    }
    // Every link target and where it leads, in any order (a map's order is
    // not stable): the sum of per-entry fingerprints.
    let targets = site
        .by_path
        .par_iter()
        .map(|(path, target)| {
            let url = match *target {
                Target::Article(id) => urls.article(&site.articles[id.index()]),
                Target::Actor(id) => urls.actor(&site.actors[id.index()]),
                Target::Source(id) => urls.source(&site.sources[id.index()]),
                Target::Asset(index) => urls.link(&site.assets[index].output),
            };
            let kind = std::mem::discriminant(target);
            (path, url, kind).fingerprint()
        })
        .reduce(|| 0u64, u64::wrapping_add);
    targets.hash(&mut hasher);
    hasher.finish()
}
