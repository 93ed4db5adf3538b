//! Publication pages and the publications index: their views and how
//! they are made.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct ListPage<T: Serialize> {
    items: Vec<T>,
}

/// A publication page.
#[derive(Debug, Serialize)]
pub struct SourcePage {
    /// Link data.
    #[serde(flatten)]
    pub link: SourceRef,
    /// Home page.
    pub homepage: Option<String>,
    /// Owner in words.
    pub owner: Option<String>,
    /// Affiliation in words.
    pub affiliation: Option<String>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// The rendered note.
    pub note_html: String,
    /// How many articles in all.
    pub article_count: usize,
    /// The newest articles.
    pub articles: Vec<Shared<ArticleRef>>,
    /// Older articles, by year (compact).
    pub more_articles: Vec<YearOfArticles>,
}

/// A publication on the index.
#[derive(Debug, Serialize)]
pub struct SourceCount {
    /// The publication.
    #[serde(flatten)]
    pub source: SourceRef,
    /// Its articles.
    pub count: usize,
}

impl Renderer<'_> {
    pub(super) fn source_counts(&self) -> Vec<SourceCount> {
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

    pub(super) fn sources_index(&self) -> ListPage<SourceCount> {
        ListPage {
            items: self.source_counts(),
        }
    }

    pub(super) fn source(&self, id: SourceId) -> SourcePage {
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
}
