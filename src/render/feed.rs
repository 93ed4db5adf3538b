//! The Atom feed and the sitemap: their views and how they are made.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct FeedEntry {
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
pub(super) struct FeedPage {
    url: String,
    self_url: String,
    updated: String,
    /// Who compiled the dossier: `author`, else `organisation`, else the
    /// dossier's title (Atom requires an author).
    author: String,
    entries: Vec<FeedEntry>,
}

#[derive(Debug, Serialize)]
pub(super) struct SitemapPage {
    urls: Vec<String>,
}

/// How many entries the feed carries.
pub(super) const FEED_ENTRIES: usize = 50;

impl Renderer<'_> {
    pub(super) fn feed(&self) -> FeedPage {
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

    pub(super) fn sitemap(&self) -> SitemapPage {
        let urls = Page::all(self.site)
            .into_iter()
            .filter(|p| !matches!(p, Page::Feed | Page::Sitemap | Page::NotFound))
            .map(|p| self.urls.absolute(&p.url_path(self.site)))
            .collect();
        SitemapPage { urls }
    }
}
