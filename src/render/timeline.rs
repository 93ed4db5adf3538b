//! The timeline, whole or one page per year in a large dossier: its view
//! and how it is made.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct YearLink {
    year: i16,
    url: String,
    articles: usize,
    events: usize,
    current: bool,
}

#[derive(Debug, Serialize)]
pub(super) struct TimelinePage {
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

impl Renderer<'_> {
    pub(super) fn chart(&self) -> String {
        self.whole
            .chart
            .get_or_init(|| chart::timeline_svg(self.site))
            .clone()
    }

    pub(super) fn timeline(&self, year: Option<i16>) -> TimelinePage {
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
}
