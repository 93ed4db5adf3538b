//! Actor pages and the actors index: their views and how they are made.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct ActorsPage {
    groups: Vec<ActorGroup>,
}

/// An entry of an actor's article list.
#[derive(Debug, Serialize)]
pub struct Appearance {
    /// The article.
    pub article: Shared<ArticleRef>,
    /// Mentions.
    pub mentions: u32,
    /// Sentence of the first mention.
    pub snippet: Option<std::sync::Arc<str>>,
}

/// An actor with a count.
#[derive(Debug, Clone, Serialize)]
pub struct ActorCount {
    /// The actor.
    pub actor: Shared<ActorRef>,
    /// How many (articles, or shared articles).
    pub count: u32,
}

/// The actor page.
#[derive(Debug, Serialize)]
pub struct ActorPage {
    /// Link data.
    #[serde(flatten)]
    pub link: ActorRef,
    /// Other names.
    pub aliases: Vec<String>,
    /// The country or organisation it belongs to.
    pub affiliation: Option<Shared<ActorRef>>,
    /// Actors affiliated with it.
    pub members: Vec<Shared<ActorRef>>,
    /// Birth date.
    pub born: Option<DateView>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// Further reading.
    pub links: Vec<LinkView>,
    /// The rendered profile.
    pub profile_html: String,
    /// Has a registry entry?
    pub registered: bool,
    /// How many articles in all.
    pub article_count: usize,
    /// The newest articles, with snippets.
    pub articles: Vec<Appearance>,
    /// Older articles, by year (compact).
    pub more_articles: Vec<YearOfArticles>,
    /// How many events.
    pub event_count: usize,
    /// The timeline narrowed to this actor, when the timeline is one page.
    pub timeline_url: Option<String>,
    /// Quotes.
    pub quotes: Vec<QuoteView>,
    /// Actors it appears with.
    pub co_actors: Vec<ActorCount>,
    /// Its events as a timeline.
    pub timeline: Vec<TimelineYear>,
}

/// An external link.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Text.
    pub title: String,
    /// Target.
    pub url: String,
}

/// A group of actors on the index.
#[derive(Debug, Serialize)]
pub struct ActorGroup {
    /// Heading.
    pub label: &'static str,
    /// Anchor id.
    pub id: String,
    /// Actors with their article counts.
    pub actors: Vec<ActorCount>,
}

impl Renderer<'_> {
    pub(super) fn actor(&self, id: ActorId) -> ActorPage {
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

    pub(super) fn actors_index(&self) -> ActorsPage {
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
    pub(super) fn counted(
        &self,
        mut list: Vec<(ActorId, u32)>,
        most_first: bool,
    ) -> Vec<ActorCount> {
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
}
