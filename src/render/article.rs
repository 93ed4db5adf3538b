//! Article pages and the list of all articles: their views and how they
//! are made.

use super::*;
use crate::model::Credit;
use crate::model::graph::Heading;

#[derive(Debug, Serialize)]
pub(super) struct ArticlesPage {
    count: usize,
    years: Vec<YearOfArticles>,
}

/// The article page.
#[derive(Debug, Serialize)]
pub struct ArticlePage {
    /// Link data.
    #[serde(flatten)]
    pub link: ArticleRef,
    /// How the title was chosen, when the clipping has no headline.
    pub title_note: Option<String>,
    /// How the publication was identified.
    pub source_note: Option<String>,
    /// Original URL.
    pub original_url: Option<String>,
    /// Retrieval date.
    pub retrieved: Option<DateView>,
    /// The rendered body.
    pub body_html: Html,
    /// Words in the body.
    pub words: usize,
    /// Minutes to read, at 230 words a minute.
    pub reading_minutes: usize,
    /// Actors with how often the body mentions them, the most mentioned
    /// first.
    pub actors: Vec<Shared<ActorMention>>,
    /// Events reported.
    pub events: Vec<EventView>,
    /// Quotes attributed in this article.
    pub quotes: Vec<QuoteView>,
    /// Photo credits (figures and front matter).
    pub credits: Vec<Credit>,
    /// Topics.
    pub tags: Vec<String>,
    /// Table of contents.
    pub toc: Vec<Heading>,
    /// Related articles.
    pub related: Vec<Shared<ArticleRef>>,
    /// Articles linking here.
    pub backlinks: Vec<Shared<ArticleRef>>,
    /// Previous article in time.
    pub previous: Option<Shared<ArticleRef>>,
    /// Next article in time.
    pub next: Option<Shared<ArticleRef>>,
    /// Is it a draft?
    pub draft: bool,
}

impl Renderer<'_> {
    pub(super) fn articles_index(&self) -> ArticlesPage {
        ArticlesPage {
            count: self.site.articles.len(),
            years: self
                .views()
                .by_year(self.site.articles.iter().rev().map(|a| a.id)),
        }
    }

    pub(super) fn article(&self, id: ArticleId) -> ArticlePage {
        let views = self.views();
        let article = &self.site.articles[id.index()];
        let body = &self.bodies[id.index()];
        let mut counted: Vec<(ActorId, u32)> = self.graph.article_actors[id.index()]
            .iter()
            .map(|&a| {
                let mentions = body.facts.mentions.iter().find(|m| m.actor == a);
                (a, mentions.map_or(0, |m| m.count))
            })
            .collect();
        // By prominence: most mentioned first (a stable sort keeps the
        // front-matter order among equals).
        counted.sort_by_key(|&(_, mentions)| std::cmp::Reverse(mentions));
        let actors = counted
            .into_iter()
            .map(|(a, mentions)| views.actor_mention(a, mentions))
            .collect();
        // Figures carry their credit in their caption, where they stand in
        // the text; the attribution lists only photos not shown as figures.
        let credits = article.credits.clone();
        ArticlePage {
            link: views.article_ref(id),
            title_note: article.title_note.clone(),
            source_note: article.source_note.clone(),
            original_url: article.url.clone(),
            retrieved: article.retrieved.map(Into::into),
            body_html: if body.html.is_left_out() {
                (self.html_of)(id)
            } else {
                body.html.clone()
            },
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
}
