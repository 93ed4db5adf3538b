//! Render stage: the model → HTML pages, feed and sitemap.
//!
//! Input: the [`Site`], the [`Graph`], the rendered Markdown of every body,
//! and a [`Theme`]. Output: one byte buffer per [`Page`], produced on demand
//! so the pipeline can render in parallel and stream each page to the writer
//! without holding the whole site in memory.
//!
//! Submodules: `markdown` (bodies), `mentions` (actor names in text),
//! `highlight` (code), `theme` (Tera), `views` (template contexts), `urls`
//! (the site's layout) and `chart` (the timeline's SVG).

pub mod chart;
pub mod highlight;
pub mod markdown;
pub mod mentions;
pub mod theme;
pub mod urls;
pub mod views;

use serde::Serialize;

use crate::error::Error;
use crate::load::meta::ActorKind;
use crate::model::graph::{Graph, TimelineItem};
use crate::model::{ActorId, ArticleId, Site, SourceId};
use markdown::RenderedBody;
use theme::Theme;
use urls::{Urls, fixed};
use views::*;

/// One output page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The home page.
    Home,
    /// All articles.
    Articles,
    /// One article.
    Article(ArticleId),
    /// The actors index.
    Actors,
    /// One actor.
    Actor(ActorId),
    /// The publications index.
    Sources,
    /// One publication.
    Source(SourceId),
    /// The timeline (in a large dossier: the overview of its years).
    Timeline,
    /// One year of the timeline, in a dossier too large for one page.
    TimelineYear(i16),
    /// The Atom feed.
    Feed,
    /// The sitemap.
    Sitemap,
    /// The not-found page.
    NotFound,
}

impl Page {
    /// Every page of the site.
    pub fn all(site: &Site) -> Vec<Page> {
        let mut pages = vec![
            Page::Home,
            Page::Articles,
            Page::Actors,
            Page::Sources,
            Page::Timeline,
            Page::Feed,
            Page::Sitemap,
            Page::NotFound,
        ];
        if timeline_is_split(site) {
            pages.extend(timeline_years(site).into_iter().map(Page::TimelineYear));
        }
        pages.extend(site.articles.iter().map(|a| Page::Article(a.id)));
        pages.extend(site.actors.iter().map(|a| Page::Actor(a.id)));
        pages.extend(site.sources.iter().map(|s| Page::Source(s.id)));
        pages
    }

    /// The page's path under the base URL (`articles/x/`, `feed.xml`).
    pub fn url_path(&self, site: &Site) -> String {
        match *self {
            Page::Home => fixed::HOME.to_string(),
            Page::Articles => fixed::ARTICLES.to_string(),
            Page::Article(id) => Urls::article_path(&site.articles[id.index()]),
            Page::Actors => fixed::ACTORS.to_string(),
            Page::Actor(id) => Urls::actor_path(&site.actors[id.index()]),
            Page::Sources => fixed::SOURCES.to_string(),
            Page::Source(id) => Urls::source_path(&site.sources[id.index()]),
            Page::Timeline => fixed::TIMELINE.to_string(),
            Page::TimelineYear(year) => format!("{}{year}/", fixed::TIMELINE),
            Page::Feed => fixed::FEED.to_string(),
            Page::Sitemap => fixed::SITEMAP.to_string(),
            Page::NotFound => fixed::NOT_FOUND.to_string(),
        }
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_file(&self, site: &Site) -> String {
        Urls::output_file(&self.url_path(site))
    }
}

/// Aliases to show as "also called": `Kremlin` is dropped when `the
/// Kremlin` is there too (both are listed so that mention search finds
/// either form, but a reader needs to see the name once).
fn distinct_aliases(aliases: &[String]) -> Vec<String> {
    let lower: Vec<String> = aliases.iter().map(|a| a.to_lowercase()).collect();
    aliases
        .iter()
        .zip(&lower)
        .filter(|(_, l)| {
            !lower
                .iter()
                .any(|other| other.strip_prefix("the ") == Some(l.as_str()))
        })
        .map(|(a, _)| a.clone())
        .collect()
}

/// What every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView {
    title: String,
    subtitle: Option<String>,
    description: Option<String>,
    language: String,
    author: Option<String>,
    organisation: Option<String>,
    base_url: String,
    nav: Nav,
    assets: Assets,
    counts: Counts,
    generator: &'static str,
}

#[derive(Debug, Serialize)]
struct Nav {
    home: String,
    articles: String,
    actors: String,
    sources: String,
    timeline: String,
    feed: String,
    /// The briefing page, when the dossier has articles (it has no page
    /// otherwise).
    briefing: Option<String>,
}

#[derive(Debug, Serialize)]
struct Assets {
    style: String,
    highlight: String,
    timeline_js: String,
    favicon: String,
}

#[derive(Debug, Serialize)]
struct Counts {
    articles: usize,
    actors: usize,
    sources: usize,
    events: usize,
}

/// Above this many entries the timeline gets one page per year: one page of
/// tens of thousands of entries is too heavy for a browser to be useful.
pub const TIMELINE_SPLIT: usize = 600;

/// Lists that show this many items in full show the rest compactly.
const FULL_ITEMS: usize = 50;

/// Does the timeline have one page per year?
pub fn timeline_is_split(site: &Site) -> bool {
    site.articles.len() + site.events.len() > TIMELINE_SPLIT
}

/// The years with articles or events, in order.
pub fn timeline_years(site: &Site) -> Vec<i16> {
    let mut years: Vec<i16> = site
        .articles
        .iter()
        .map(|a| a.date.year())
        .chain(site.events.iter().map(|e| e.date.year()))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The generated stylesheet for highlighted code, under `assets/`.
pub const HIGHLIGHT_CSS: &str = "highlight.css";

impl SiteView {
    /// The global context for `site`.
    pub fn new(site: &Site, urls: &Urls) -> SiteView {
        let config = &site.config;
        let asset = |name: &str| urls.link(&format!("{}{name}", fixed::ASSETS));
        SiteView {
            title: config.title.clone(),
            subtitle: config.subtitle.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            author: config.author.clone(),
            organisation: config.organisation.clone(),
            base_url: config.base_url.clone(),
            nav: Nav {
                home: urls.link(fixed::HOME),
                articles: urls.link(fixed::ARTICLES),
                actors: urls.link(fixed::ACTORS),
                sources: urls.link(fixed::SOURCES),
                timeline: urls.link(fixed::TIMELINE),
                feed: urls.link(fixed::FEED),
                briefing: (!site.articles.is_empty()).then(|| urls.link(fixed::BRIEFING)),
            },
            assets: Assets {
                style: asset("style.css"),
                highlight: asset(HIGHLIGHT_CSS),
                timeline_js: asset("timeline.js"),
                favicon: asset("favicon.svg"),
            },
            counts: Counts {
                articles: site.articles.len(),
                actors: site.actors.len(),
                sources: site.sources.len(),
                events: site.events.len(),
            },
            generator: concat!("dossier ", env!("CARGO_PKG_VERSION")),
        }
    }
}

#[derive(Debug, Serialize)]
struct PageContext<T: Serialize> {
    /// Which kind of page (for navigation highlighting and body classes).
    section: &'static str,
    /// The `<title>` text.
    title: String,
    /// Absolute URL of the page.
    canonical: String,
    page: T,
}

#[derive(Debug, Serialize)]
struct HomePage {
    latest: Vec<Shared<ArticleRef>>,
    more: usize,
    top_actors: Vec<ActorCount>,
    sources: Vec<SourceCount>,
    first: Option<DateView>,
    last: Option<DateView>,
    chart_svg: String,
}

#[derive(Debug, Serialize)]
struct ListPage<T: Serialize> {
    items: Vec<T>,
}

#[derive(Debug, Serialize)]
struct ActorsPage {
    groups: Vec<ActorGroup>,
}

#[derive(Debug, Serialize)]
struct YearLink {
    year: i16,
    url: String,
    articles: usize,
    events: usize,
    current: bool,
}

#[derive(Debug, Serialize)]
struct TimelinePage {
    /// The entries shown on this page (all of them, or one year's).
    years: Vec<TimelineYear>,
    /// Is the timeline split into one page per year?
    split: bool,
    /// This page's year, on a year page.
    year: Option<i16>,
    /// Every year, with counts and its page.
    year_links: Vec<YearLink>,
    chart_svg: String,
    actors: Vec<ActorCount>,
    articles: usize,
    events: usize,
}

#[derive(Debug, Serialize)]
struct ArticlesPage {
    count: usize,
    years: Vec<YearOfArticles>,
}

#[derive(Debug, Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    /// The publication day (RFC 3339), only when the date is exact.
    published: Option<String>,
    /// RFC 3339: the publication day, or for an inexact date the latest day
    /// it can be (the end of its period, or when it was retrieved).
    updated: String,
    /// The date at its own precision (`2016`, `2016-09`, `2016-09-25`).
    date: DateView,
    summary: Option<String>,
    /// The byline, only when the article names one.
    author: Option<String>,
    source: SourceRef,
}

#[derive(Debug, Serialize)]
struct FeedPage {
    url: String,
    self_url: String,
    updated: String,
    /// Who compiled the dossier: `author`, else `organisation`, else the
    /// dossier's title (Atom requires an author).
    author: String,
    entries: Vec<FeedEntry>,
}

#[derive(Debug, Serialize)]
struct SitemapPage {
    urls: Vec<String>,
}

/// What every page render gets: section, title, canonical URL, output.
/// A page's section, title and canonical URL, and the signature of its
/// last rendering (see [`Renderer::render_into`]).
type Ctx = (&'static str, String, String, Option<u64>);

/// How many entries the feed carries.
const FEED_ENTRIES: usize = 50;
/// How many actors the home page lists.
const HOME_ACTORS: usize = 12;

/// Renders pages of one build.
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    /// The model.
    pub site: &'a Site,
    /// Cross-references.
    pub graph: &'a Graph,
    /// Rendered article bodies, by article index.
    pub bodies: &'a [std::sync::Arc<RenderedBody>],
    /// Rendered actor profiles, by actor index.
    pub profiles: &'a [String],
    /// Rendered publication notes, by source index.
    pub notes: &'a [String],
    /// The theme.
    pub theme: &'a Theme,
    /// URLs.
    pub urls: &'a Urls,
    /// Views shared between pages.
    pub cache: &'a ViewCache,
    /// Parts of the pages about the whole dossier, made once.
    pub whole: &'a WholeParts,
}

/// What several pages about the whole dossier show (the home page and
/// every timeline page), made at most once per build instead of once per
/// page: each reads every article and event.
#[derive(Debug, Default)]
pub struct WholeParts {
    chart: std::sync::OnceLock<String>,
    timeline_actors: std::sync::OnceLock<Vec<ActorCount>>,
    /// Per year of the timeline: its articles and events.
    years: std::sync::OnceLock<Vec<(i16, usize, usize)>>,
}

impl Renderer<'_> {
    fn views(&self) -> Views<'_> {
        Views {
            site: self.site,
            graph: self.graph,
            urls: self.urls,
            cache: self.cache,
        }
    }

    /// Renders one page into `out` and returns its *signature*: a
    /// fingerprint of the template's name and everything the template is
    /// given. When the signature equals `previous` (the page's signature in
    /// an earlier build with the same theme and site globals), the page
    /// would come out byte for byte the same, so it is not rendered and
    /// `out` is left alone.
    ///
    /// # Errors
    /// A template error naming the template file.
    pub fn render_into(
        &self,
        page: Page,
        out: &mut Vec<u8>,
        previous: Option<u64>,
    ) -> Result<u64, Error> {
        let canonical = self.urls.absolute(&page.url_path(self.site));
        let ctx =
            |section: &'static str, title: String| (section, title, canonical.clone(), previous);
        match page {
            Page::Home => self.home(ctx("home", self.site.config.title.clone()), out),
            Page::Articles => {
                let page = ArticlesPage {
                    count: self.site.articles.len(),
                    years: self
                        .views()
                        .by_year(self.site.articles.iter().rev().map(|a| a.id)),
                };
                self.page(
                    "articles.html",
                    ctx("articles", "Articles".into()),
                    page,
                    out,
                )
            }
            Page::Article(id) => {
                let title = self.site.articles[id.index()].title.clone();
                self.page("article.html", ctx("article", title), self.article(id), out)
            }
            Page::Actors => self.page(
                "actors.html",
                ctx("actors", "Actors".into()),
                self.actors_index(),
                out,
            ),
            Page::Actor(id) => {
                let title = self.site.actors[id.index()].name.clone();
                self.page("actor.html", ctx("actor", title), self.actor(id), out)
            }
            Page::Sources => self.page(
                "sources.html",
                ctx("sources", "Sources".into()),
                self.sources_index(),
                out,
            ),
            Page::Source(id) => {
                let title = self.site.sources[id.index()].name.clone();
                self.page("source.html", ctx("source", title), self.source(id), out)
            }
            Page::Timeline => self.page(
                "timeline.html",
                ctx("timeline", "Timeline".into()),
                self.timeline(None),
                out,
            ),
            Page::TimelineYear(year) => self.page(
                "timeline.html",
                ctx("timeline", format!("Timeline {year}")),
                self.timeline(Some(year)),
                out,
            ),
            Page::Feed => self.page(
                "feed.xml",
                ctx("feed", self.site.config.title.clone()),
                self.feed(),
                out,
            ),
            Page::Sitemap => self.page(
                "sitemap.xml",
                ctx("sitemap", String::new()),
                self.sitemap(),
                out,
            ),
            Page::NotFound => self.page(
                "404.html",
                ctx("not-found", "Page not found".into()),
                (),
                out,
            ),
        }
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        (section, title, canonical, previous): Ctx,
        page: T,
        out: &mut Vec<u8>,
    ) -> Result<u64, Error> {
        let context = PageContext {
            section,
            title,
            canonical,
            page,
        };
        let signature = views::signature(&(template, &context));
        if previous != Some(signature) {
            self.theme.render_to(template, &context, out)?;
        }
        Ok(signature)
    }

    fn home(&self, ctx: Ctx, out: &mut Vec<u8>) -> Result<u64, Error> {
        let views = self.views();
        let limit = self.site.config.home_articles;
        let latest: Vec<Shared<ArticleRef>> = self
            .site
            .articles
            .iter()
            .rev()
            .take(limit)
            .map(|a| views.article(a.id))
            .collect();
        let mut top = self.counted(
            self.site
                .actors
                .iter()
                .map(|a| (a.id, self.graph.actor_articles[a.id.index()].len() as u32))
                .filter(|(_, count)| *count > 0)
                .collect(),
            true,
        );
        top.truncate(HOME_ACTORS);
        let page = HomePage {
            more: self.site.articles.len().saturating_sub(latest.len()),
            latest,
            top_actors: top,
            sources: self.source_counts(),
            first: self.site.articles.first().map(|a| a.date.into()),
            last: self.site.articles.last().map(|a| a.date.into()),
            chart_svg: self.chart(),
        };
        self.page("home.html", ctx, page, out)
    }

    fn article(&self, id: ArticleId) -> ArticlePage {
        let views = self.views();
        let article = &self.site.articles[id.index()];
        let body = &self.bodies[id.index()];
        let mut actors: Vec<ActorMention> = self.graph.article_actors[id.index()]
            .iter()
            .map(|&a| ActorMention {
                actor: views.actor(a),
                mentions: body
                    .facts
                    .mentions
                    .iter()
                    .find(|m| m.actor == a)
                    .map_or(0, |m| m.count),
            })
            .collect();
        // By prominence: most mentioned first (a stable sort keeps the
        // front-matter order among equals).
        actors.sort_by_key(|a| std::cmp::Reverse(a.mentions));
        // Figures carry their credit in their caption, where they stand in
        // the text; the attribution lists only photos not shown as figures.
        let credits = article.credits.clone();
        ArticlePage {
            link: views.article_ref(id),
            title_note: article.title_note.clone(),
            source_note: article.source_note.clone(),
            original_url: article.url.clone(),
            retrieved: article.retrieved.map(Into::into),
            body_html: body.html.clone(),
            words: body.facts.words,
            reading_minutes: body.facts.words.div_ceil(230).max(1),
            actors,
            events: article.events.iter().map(|&e| views.event(e)).collect(),
            quotes: self.graph.article_quotes[id.index()]
                .iter()
                .map(|&q| views.quote(q))
                .collect(),
            credits,
            tags: article.tags.clone(),
            toc: body
                .facts
                .headings
                .iter()
                .filter(|h| h.level <= 3)
                .cloned()
                .collect(),
            related: self.graph.related[id.index()]
                .iter()
                .map(|&r| views.article(r))
                .collect(),
            backlinks: self.graph.backlinks[id.index()]
                .iter()
                .map(|&b| views.article(b))
                .collect(),
            previous: self.graph.previous(id).map(|p| views.article(p)),
            next: self.graph.next(id).map(|n| views.article(n)),
            draft: article.draft,
        }
    }

    fn actor(&self, id: ActorId) -> ActorPage {
        let views = self.views();
        let actor = &self.site.actors[id.index()];
        let appearances = &self.graph.actor_articles[id.index()];
        let events: Vec<TimelineItem> = self.graph.actor_events[id.index()]
            .iter()
            .map(|&e| TimelineItem::Event(e))
            .collect();
        ActorPage {
            link: views.actor_ref(id),
            aliases: distinct_aliases(&actor.aliases),
            affiliation: actor.affiliation.map(|a| views.actor(a)),
            members: self
                .site
                .actors
                .iter()
                .filter(|a| a.affiliation == Some(id))
                .map(|a| views.actor(a.id))
                .collect(),
            born: actor.born.map(Into::into),
            founded: actor.founded.map(Into::into),
            links: actor
                .links
                .iter()
                .map(|(title, url)| LinkView {
                    title: title.clone(),
                    url: url.clone(),
                })
                .collect(),
            profile_html: self.profiles.get(id.index()).cloned().unwrap_or_default(),
            registered: actor.path.is_some(),
            article_count: appearances.len(),
            articles: appearances
                .iter()
                .take(FULL_ITEMS)
                .map(|a| Appearance {
                    article: views.article(a.article),
                    mentions: a.mentions,
                    snippet: self.bodies[a.article.index()]
                        .facts
                        .mentions
                        .iter()
                        .find(|m| m.actor == id)
                        .map(|m| m.snippet.clone()),
                })
                .collect(),
            more_articles: views.by_year(appearances.iter().skip(FULL_ITEMS).map(|a| a.article)),
            event_count: events.len(),
            timeline_url: (!timeline_is_split(self.site))
                .then(|| format!("{}?actor={}", self.urls.link(fixed::TIMELINE), actor.slug)),
            quotes: self.graph.actor_quotes[id.index()]
                .iter()
                .map(|&q| views.quote(q))
                .collect(),
            co_actors: self.graph.co_actors[id.index()]
                .iter()
                .map(|&(a, count)| ActorCount {
                    actor: views.actor(a),
                    count,
                })
                .collect(),
            timeline: views.timeline(&events),
        }
    }

    fn actors_index(&self) -> ActorsPage {
        let order = [
            Some(ActorKind::Country),
            Some(ActorKind::Person),
            Some(ActorKind::Organisation),
            Some(ActorKind::Government),
            Some(ActorKind::ArmedGroup),
            Some(ActorKind::Group),
            Some(ActorKind::Place),
            None,
        ];
        let groups = order
            .iter()
            .filter_map(|&kind| {
                let actors = self.counted(
                    self.site
                        .actors
                        .iter()
                        .filter(|a| a.kind == kind)
                        .map(|a| (a.id, self.graph.actor_articles[a.id.index()].len() as u32))
                        .collect(),
                    false,
                );
                if actors.is_empty() {
                    return None;
                }
                let label = kind.map_or("Not classified", ActorKind::plural);
                Some(ActorGroup {
                    label,
                    id: slug::slugify(label),
                    actors,
                })
            })
            .collect();
        ActorsPage { groups }
    }

    /// Actors with counts, as shared views: most first then by name, or
    /// by name only.
    fn counted(&self, mut list: Vec<(ActorId, u32)>, most_first: bool) -> Vec<ActorCount> {
        let name = |id: ActorId| self.site.actors[id.index()].name.to_lowercase();
        if most_first {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(a.0).cmp(&name(b.0))));
        } else {
            list.sort_by_cached_key(|&(id, _)| name(id));
        }
        let views = self.views();
        list.into_iter()
            .map(|(id, count)| ActorCount {
                actor: views.actor(id),
                count,
            })
            .collect()
    }

    fn source_counts(&self) -> Vec<SourceCount> {
        let views = self.views();
        let mut list: Vec<SourceCount> = self
            .site
            .sources
            .iter()
            .map(|s| SourceCount {
                source: views.source(s),
                count: self.graph.source_articles[s.id.index()].len(),
            })
            .collect();
        list.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.source.name.cmp(&b.source.name))
        });
        list
    }

    fn sources_index(&self) -> ListPage<SourceCount> {
        ListPage {
            items: self.source_counts(),
        }
    }

    fn source(&self, id: SourceId) -> SourcePage {
        let views = self.views();
        let source = &self.site.sources[id.index()];
        SourcePage {
            link: views.source(source),
            homepage: source.url.clone(),
            owner: source.owner.clone(),
            affiliation: source.affiliation.clone(),
            founded: source.founded.map(Into::into),
            note_html: self.notes.get(id.index()).cloned().unwrap_or_default(),
            article_count: self.graph.source_articles[id.index()].len(),
            articles: self.graph.source_articles[id.index()]
                .iter()
                .take(FULL_ITEMS)
                .map(|&a| views.article(a))
                .collect(),
            more_articles: views.by_year(
                self.graph.source_articles[id.index()]
                    .iter()
                    .skip(FULL_ITEMS)
                    .copied(),
            ),
        }
    }

    fn chart(&self) -> String {
        self.whole
            .chart
            .get_or_init(|| chart::timeline_svg(self.site))
            .clone()
    }

    fn timeline(&self, year: Option<i16>) -> TimelinePage {
        let views = self.views();
        let actors = self
            .whole
            .timeline_actors
            .get_or_init(|| {
                self.counted(
                    self.site
                        .actors
                        .iter()
                        .map(|a| {
                            let count = self.graph.actor_articles[a.id.index()].len()
                                + self.graph.actor_events[a.id.index()].len();
                            (a.id, count as u32)
                        })
                        .filter(|(_, count)| *count > 0)
                        .collect(),
                    false,
                )
            })
            .clone();
        let split = timeline_is_split(self.site);
        let year_of = |item: &TimelineItem| match *item {
            TimelineItem::Article(a) => self.site.articles[a.index()].date.year(),
            TimelineItem::Event(e) => self.site.events[e.index()].date.year(),
        };
        // The timeline holds every article and event, so its years are
        // `timeline_years`.
        let years = self.whole.years.get_or_init(|| {
            let mut counts = std::collections::BTreeMap::<i16, (usize, usize)>::new();
            for item in &self.graph.timeline {
                let (articles, events) = counts.entry(year_of(item)).or_default();
                match item {
                    TimelineItem::Article(_) => *articles += 1,
                    TimelineItem::Event(_) => *events += 1,
                }
            }
            counts.into_iter().map(|(y, (a, e))| (y, a, e)).collect()
        });
        let year_links = years
            .iter()
            .map(|&(y, articles, events)| {
                let url = if split {
                    self.urls.link(&Page::TimelineYear(y).url_path(self.site))
                } else {
                    format!("{}#y{y}", self.urls.link(fixed::TIMELINE))
                };
                YearLink {
                    year: y,
                    url,
                    articles,
                    events,
                    current: Some(y) == year,
                }
            })
            .collect();
        let shown: Vec<TimelineItem> = match (split, year) {
            (false, _) => self.graph.timeline.clone(),
            (true, Some(y)) => self
                .graph
                .timeline
                .iter()
                .copied()
                .filter(|i| year_of(i) == y)
                .collect(),
            (true, None) => Vec::new(),
        };
        TimelinePage {
            years: views.timeline(&shown),
            split,
            year,
            year_links,
            chart_svg: if year.is_none() {
                self.chart()
            } else {
                String::new()
            },
            actors,
            articles: self.site.articles.len(),
            events: self.site.events.len(),
        }
    }

    fn feed(&self) -> FeedPage {
        let views = self.views();
        let entries: Vec<FeedEntry> = self
            .site
            .articles
            .iter()
            .rev()
            .take(FEED_ENTRIES)
            .map(|a| {
                let exact = a.date.precision() == crate::model::Precision::Day;
                // An inexact date's latest possible day, or the day the text
                // was saved when that is earlier: never a day it claims.
                let updated = match a.retrieved {
                    Some(r) if !exact && r.latest() < a.date.latest() => r.rfc3339_latest(),
                    _ => a.date.rfc3339_latest(),
                };
                FeedEntry {
                    title: a.title.clone(),
                    url: self.urls.absolute(&Urls::article_path(a)),
                    published: exact.then(|| a.date.rfc3339()),
                    updated,
                    date: a.date.into(),
                    summary: a.summary.clone(),
                    author: a.author.clone(),
                    source: views.source(&self.site.sources[a.source.index()]),
                }
            })
            .collect();
        let config = &self.site.config;
        FeedPage {
            url: self.urls.absolute(fixed::HOME),
            self_url: self.urls.absolute(fixed::FEED),
            updated: entries
                .iter()
                .map(|e| e.updated.clone())
                .max()
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string()),
            author: config
                .author
                .clone()
                .or_else(|| config.organisation.clone())
                .unwrap_or_else(|| config.title.clone()),
            entries,
        }
    }

    fn sitemap(&self) -> SitemapPage {
        let urls = Page::all(self.site)
            .into_iter()
            .filter(|p| !matches!(p, Page::Feed | Page::Sitemap | Page::NotFound))
            .map(|p| self.urls.absolute(&p.url_path(self.site)))
            .collect();
        SitemapPage { urls }
    }
}
