//! The home page: its view and how it is made.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct HomePage {
    latest: Vec<Shared<ArticleRef>>,
    more: usize,
    top_actors: Vec<ActorCount>,
    sources: Vec<SourceCount>,
    first: Option<DateView>,
    last: Option<DateView>,
    chart_svg: String,
}

/// How many actors the home page lists.
pub(super) const HOME_ACTORS: usize = 12;

impl Renderer<'_> {
    pub(super) fn home(&self, ctx: Ctx, out: &mut Vec<u8>) -> Result<u64, Error> {
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
}
