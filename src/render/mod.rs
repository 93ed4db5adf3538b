//! Render stage: the model → HTML pages, feed and sitemap.
//!
//! Input: the [`Site`], the [`Graph`], the rendered Markdown of every body,
//! and a [`Theme`]. Output: one byte buffer per [`Page`], produced on demand
//! so the pipeline can render in parallel and stream each page to the writer
//! without holding the whole site in memory.
//!
//! One module per kind of page holds its view and how it is made:
//! `article` (with the articles list), `actor` (with the actors index),
//! `source` (with the publications index), `home`, `timeline`, and `feed`
//! (with the sitemap). The views many pages share, and their cache across
//! builds, are in `views`. The other submodules: `markdown` (bodies),
//! `mentions` (actor names in text), `highlight` (code), `theme` (Tera),
//! `urls` (the site's layout) and `chart` (the timeline's SVG).

mod actor;
mod article;
pub mod chart;
mod feed;
pub mod highlight;
mod home;
pub mod markdown;
pub mod mentions;
mod source;
pub mod theme;
mod timeline;
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

use actor::*;
use source::*;
pub use timeline::{timeline_is_split, timeline_years};

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

/// What every page render gets: section, title, canonical URL, output.
/// A page's section, title and canonical URL, and the signature of its
/// last rendering (see [`Renderer::render_into`]).
type Ctx = (&'static str, String, String, Option<u64>);

/// Renders pages of one build.
#[derive(Clone, Copy)]
pub struct Renderer<'a> {
    /// The model.
    pub site: &'a Site,
    /// Cross-references.
    pub graph: &'a Graph,
    /// Rendered article bodies, by article index.
    pub bodies: &'a [std::sync::Arc<RenderedBody>],
    /// Renders an article's body again, for a body whose HTML was left out
    /// of the build cache.
    pub html_of: &'a (dyn Fn(ArticleId) -> Html + Sync),
    /// Rendered actor profiles, by actor index.
    pub profiles: &'a [String],
    /// Rendered publication notes, by source index.
    pub notes: &'a [String],
    /// The theme.
    pub theme: &'a Theme,
    /// URLs.
    pub urls: &'a Urls,
    /// Views shared between pages.
    pub cache: &'a ViewCache<'a>,
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
            Page::Articles => self.page(
                "articles.html",
                ctx("articles", "Articles".into()),
                self.articles_index(),
                out,
            ),
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
        // `base.html` prints the header rendered for the page's section.
        debug_assert!(
            theme::SECTIONS.contains(&section) || template.ends_with(".xml"),
            "`{section}` has no header (theme::SECTIONS)"
        );
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
}
