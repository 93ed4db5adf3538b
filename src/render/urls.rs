//! Where every page lives: URLs for links and paths in the output folder.
//!
//! One place decides the site's layout (clean URLs, one `index.html` per
//! folder), so links, the sitemap, the feed and the writer can never
//! disagree. Internal links are root-relative with the base URL's path
//! (`/dossier/articles/x/`); feeds and the sitemap use absolute URLs.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Actor, Article, Site, Slug, Source};

/// Builds URLs and output paths for one site.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    base_url: String,
}

/// The fixed pages of every dossier, as (URL path under the base, file).
pub mod fixed {
    /// The home page.
    pub const HOME: &str = "";
    /// All articles.
    pub const ARTICLES: &str = "articles/";
    /// The actors index.
    pub const ACTORS: &str = "actors/";
    /// The publications index.
    pub const SOURCES: &str = "sources/";
    /// The timeline.
    pub const TIMELINE: &str = "timeline/";
    /// The Atom feed.
    pub const FEED: &str = "feed.xml";
    /// The briefing page (the whole dossier as one printable page).
    pub const BRIEFING: &str = "briefing/";
    /// The sitemap.
    pub const SITEMAP: &str = "sitemap.xml";
    /// The not-found page.
    pub const NOT_FOUND: &str = "404.html";
    /// Theme assets.
    pub const ASSETS: &str = "assets/";
}

/// A warning when the base URL names no host: the feed and the sitemap
/// then hold relative URLs, which neither Atom (`<id>`, the self link) nor
/// the sitemap protocol (`<loc>`) allows, so readers and search engines
/// reject them. The site itself works anywhere, so this is not an error.
pub fn relative_base_url_warning(config: &crate::config::SiteConfig) -> Option<Diagnostic> {
    if config.base_url.contains("://") {
        return None;
    }
    Some(
        Diagnostic::warning(
            Code::RelativeBaseUrl,
            crate::config::CONFIG_FILE,
            format!(
                "`base_url` is `{}`, not an absolute URL: {} and {} need one to be valid \
                 (feed readers and search engines will reject them)",
                config.base_url,
                fixed::FEED,
                fixed::SITEMAP
            ),
        )
        .help(
            "set the address where the site is published, e.g. \
             `base_url: https://example.org/dossier/` in site.yaml, \
             or build with `--base-url https://example.org/dossier/`",
        ),
    )
}

impl Urls {
    /// URLs for a site published at `base_url`.
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
        }
    }

    /// URLs for `site`.
    pub fn for_site(site: &Site) -> Urls {
        Urls::new(&site.config.base_url, site.config.base_path())
    }

    /// The link to a path under the base (`articles/` → `/base/articles/`).
    pub fn link(&self, path: &str) -> String {
        concat(&[&self.base_path, path])
    }

    /// The absolute URL of a path under the base, for feeds and sitemaps.
    /// With a bare `/` base this is root-relative: there is no host to name.
    pub fn absolute(&self, path: &str) -> String {
        concat(&[&self.base_url, path])
    }

    /// An article's path under the base.
    pub fn article_path(article: &Article) -> String {
        page_path("", fixed::ARTICLES, &article.slug)
    }

    /// An actor's path under the base.
    pub fn actor_path(actor: &Actor) -> String {
        page_path("", fixed::ACTORS, &actor.slug)
    }

    /// A publication's path under the base.
    pub fn source_path(source: &Source) -> String {
        page_path("", fixed::SOURCES, &source.slug)
    }

    /// Link to an article.
    pub fn article(&self, article: &Article) -> String {
        page_path(&self.base_path, fixed::ARTICLES, &article.slug)
    }

    /// Link to an actor.
    pub fn actor(&self, actor: &Actor) -> String {
        page_path(&self.base_path, fixed::ACTORS, &actor.slug)
    }

    /// Link to a publication.
    pub fn source(&self, source: &Source) -> String {
        page_path(&self.base_path, fixed::SOURCES, &source.slug)
    }

    /// The output file for a URL path under the base: folders get
    /// `index.html`, files stay as they are.
    pub fn output_file(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            concat(&[path, "index.html"])
        } else {
            path.to_string()
        }
    }
}

/// `base`, a section folder and a slug: a page's folder, in one
/// allocation (every link to an article, actor or publication is made here).
fn page_path(base: &str, section: &str, slug: &Slug) -> String {
    concat(&[base, section, slug.as_str(), "/"])
}

/// `parts` joined, in one allocation. Every link of every page is made
/// here (20,000 actor links in the text of 1,000 articles): `format!`
/// costs several times as much for the same string.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_base_path_and_folders_get_an_index() {
        let urls = Urls::new("https://ex.org/d/", "/d/");
        assert_eq!(urls.link("timeline/"), "/d/timeline/");
        assert_eq!(urls.absolute("feed.xml"), "https://ex.org/d/feed.xml");
        assert_eq!(Urls::output_file("timeline/"), "timeline/index.html");
        assert_eq!(Urls::output_file(""), "index.html");
        assert_eq!(Urls::output_file("feed.xml"), "feed.xml");
    }
}
