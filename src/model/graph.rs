//! The cross-reference graph: who appears where, with whom, and when.
//!
//! Input: the [`Site`] and, for each article, the [`BodyFacts`] its Markdown
//! body yielded (mentions, links, attributed blockquotes). Output: a
//! [`Graph`] with every index a page needs — an actor's articles with
//! mention counts and snippets, its events, quotes and co-actors; an
//! article's related articles, backlinks and neighbours in time; each
//! publication's articles; the timeline. Built in one linear pass plus a
//! parallel ranking of related articles, so it is cheap to rebuild after any
//! edit (which keeps actor and timeline pages fresh in `serve`).

use std::sync::Arc;

use rayon::prelude::*;

use super::{ActorId, ArticleId, Credit, EventId, PartialDate, Site};
use crate::fingerprint::{FastMap, Fingerprint};

/// How many related articles an article page lists.
const RELATED: usize = 5;
/// How many of an actor's articles around an article in time are
/// candidates for its related articles (see `rank`). At 10,000 generated
/// articles of ~20 actors each, ranking all pairs and ranking these cost
/// about the same; at 100,000 these cost a tenth as much.
const NEAR: usize = 32;
/// How many co-appearing actors an actor page lists.
const CO_ACTORS: usize = 12;

/// What an article's Markdown body says, found while rendering it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BodyFacts {
    /// Actors mentioned, in order of first mention.
    pub mentions: Vec<Mention>,
    /// Articles this body links to (each once).
    pub links: Vec<ArticleId>,
    /// Blockquotes ending in an em-dash attribution.
    pub quotes: Vec<BodyQuote>,
    /// Section headings, for the table of contents.
    pub headings: Vec<Heading>,
    /// Every `id` the body defines (headings, footnotes), for `#fragment` checks.
    pub anchors: Vec<String>,
    /// Figures (photo captions and credits) in the body.
    pub figures: Vec<Credit>,
    /// Words in the body.
    pub words: usize,
}

/// An actor's mentions in one body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    /// Who.
    pub actor: ActorId,
    /// How many times.
    pub count: u32,
    /// The sentence of the first mention (shared with the actor's page).
    pub snippet: Arc<str>,
}

/// A blockquote with an attribution line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyQuote {
    /// The actor the attribution names, if registered.
    pub by: Option<ActorId>,
    /// The attribution as written (without the dash).
    pub attribution: String,
    /// The quoted words.
    pub text: String,
}

/// A heading in a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Its `id`.
    pub id: String,
    /// Its text.
    pub text: String,
}

/// An article in an actor's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appearance {
    /// The article.
    pub article: ArticleId,
    /// Mentions in the body (0 when only listed in front matter); the
    /// sentence of the first one is in that body's [`BodyFacts::mentions`]
    /// (not copied here: a reference per appearance cost a cache miss each
    /// on every rebuild).
    pub mentions: u32,
}

/// A quote, wherever it was attributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRef {
    /// Who said it.
    pub by: ActorId,
    /// The words.
    pub text: String,
    /// Where or when it was said.
    pub context: Option<String>,
    /// The article quoting it.
    pub article: ArticleId,
}

/// One entry of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineItem {
    /// An article, at its publication date.
    Article(ArticleId),
    /// An event, at its date.
    Event(EventId),
}

/// Every cross-reference of the dossier.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Per article: its actors (front matter first, then others by mentions).
    pub article_actors: Vec<Vec<ActorId>>,
    /// Per article: the articles whose bodies link to it.
    pub backlinks: Vec<Vec<ArticleId>>,
    /// Per article: related articles, best first.
    pub related: Vec<Vec<ArticleId>>,
    /// Per article: its quotes (front matter and body).
    pub article_quotes: Vec<Vec<usize>>,
    /// Per actor: its articles, newest first.
    pub actor_articles: Vec<Vec<Appearance>>,
    /// Per actor: its events, in date order.
    pub actor_events: Vec<Vec<EventId>>,
    /// Per actor: its quotes (indexes into `quotes`).
    pub actor_quotes: Vec<Vec<usize>>,
    /// Per actor: actors it shares articles with, and how many, most first.
    pub co_actors: Vec<Vec<(ActorId, u32)>>,
    /// Per publication: its articles, newest first.
    pub source_articles: Vec<Vec<ArticleId>>,
    /// All attributed quotes.
    pub quotes: Vec<QuoteRef>,
    /// Articles and events in date order.
    pub timeline: Vec<TimelineItem>,
}

/// What one graph build keeps for the next: the parts that read many
/// articles at once.
#[derive(Debug, Default)]
pub struct GraphMemo {
    /// The related-article ranking (also kept in the build cache).
    pub related: RelatedMemo,
    co_actors: CoActorMemo,
}

/// The co-actor lists of an earlier build. They are a function of every
/// article's actors alone, so an edit that changes a few articles' actors
/// counts again only the lists of the actors those articles had or have.
/// (The actors they were counted from are the ranking memo's.)
#[derive(Debug, Default)]
struct CoActorMemo {
    lists: Vec<Vec<(ActorId, u32)>>,
}

/// The related-article ranking of an earlier build, with what it was
/// ranked from. Most edits (a body, a title) leave its input as it was, and
/// then a rebuild reuses it; an edit to a few articles' actors or dates
/// ranks again only the articles whose candidates it can change (see
/// `RelatedMemo::carried_over`).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RelatedMemo {
    /// Per article, in the date order of that build: a fingerprint of its
    /// path, its day, and a fingerprint of what else places it (its actors,
    /// its date at its precision, its slug).
    inputs: Vec<RankInput>,
    /// Per article, in the same order: its actors (the co-actor memo's
    /// "before" too).
    actors: Vec<Vec<ActorId>>,
    related: Vec<Vec<ArticleId>>,
}

/// One article as the ranking sees it: a fingerprint of its path, its
/// day, and a fingerprint of what else places it.
type RankInput = (u64, i32, u64);

/// Past this many edited articles, ranking everything again is as cheap.
const RERANK_AT_MOST: usize = 64;

impl RelatedMemo {
    /// The ranking for `inputs` (see the fields), reusing this memo's where
    /// it still holds, and keeping the new one.
    /// `ranking` is made only when the inputs changed: a rebuild after a
    /// body edit does not even file the articles under their actors.
    fn rank<'a>(
        &mut self,
        inputs: Vec<RankInput>,
        ranking: impl FnOnce() -> Ranking<'a>,
    ) -> Vec<Vec<ArticleId>> {
        if inputs != self.inputs {
            let ranking = ranking();
            let previous = self.carried_over(&inputs, &ranking);
            self.related = rank(&ranking, previous.as_ref());
            self.inputs = inputs;
            self.actors = ranking.article_actors.to_vec();
        }
        self.related.clone()
    }

    /// The last ranking in today's article ids, with the articles to rank
    /// again, when the same articles (by path) are ranked and few of them
    /// were edited.
    ///
    /// An article's candidates are the articles around it in its actors'
    /// lists (see [`rank`]). An edited article leaves its old place in its
    /// old actors' lists and takes its new place in its new actors' lists;
    /// only the articles within reach of those places (the window, widened
    /// by one place per edited article, which can each push the others
    /// one place further) can have other candidates. They and the edited
    /// articles are ranked again; every other list is as it was. (An
    /// article whose list held an edited article is among them: that
    /// article was in its window.)
    fn carried_over(&self, inputs: &[RankInput], ranking: &Ranking) -> Option<Carried> {
        if inputs.len() != self.inputs.len() || self.actors.len() != inputs.len() {
            return None;
        }
        let old_of: FastMap<u64, usize> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(old, input)| (input.0, old))
            .collect();
        let mut new_of_old = vec![0u32; inputs.len()];
        let mut edited = Vec::new();
        for (new, input) in inputs.iter().enumerate() {
            let &old = old_of.get(&input.0)?;
            new_of_old[old] = new as u32;
            if self.inputs[old] != *input {
                edited.push((old, new));
            }
        }
        if edited.len() > RERANK_AT_MOST {
            return None;
        }
        let mut again = vec![false; inputs.len()];
        let reach = ranking.near + 1 + edited.len();
        for &(old, new) in &edited {
            again[new] = true;
            let places = self.actors[old]
                .iter()
                .map(|&actor| (actor, self.inputs[old].1))
                .chain(
                    ranking.article_actors[new]
                        .iter()
                        .map(|&actor| (actor, ranking.days[new])),
                );
            for (actor, day) in places {
                let list = ranking.articles_of.get(actor.index())?;
                let first = list.partition_point(|&j| ranking.days[j as usize] < day);
                let last = list.partition_point(|&j| ranking.days[j as usize] <= day);
                let around = first.saturating_sub(reach)..(last + reach).min(list.len());
                for &j in &list[around] {
                    again[j as usize] = true;
                }
            }
        }
        let mut related = vec![Vec::new(); inputs.len()];
        for (old, list) in self.related.iter().enumerate() {
            let new = new_of_old[old] as usize;
            related[new] = list
                .iter()
                .map(|id| ArticleId(new_of_old[id.index()]))
                .collect();
        }
        Some(Carried { related, again })
    }
}

/// An earlier ranking, renumbered for today's articles.
struct Carried {
    related: Vec<Vec<ArticleId>>,
    /// Per article: must its list be ranked again?
    again: Vec<bool>,
}

impl Graph {
    /// Builds the graph. `facts[i]` are the facts of article `i`.
    pub fn build(site: &Site, facts: &[&BodyFacts]) -> Graph {
        Graph::build_with(site, facts, &mut GraphMemo::default())
    }

    /// Builds the graph, taking from `memo` what an earlier build found
    /// where its input is unchanged (and leaving this build's in it).
    pub fn build_with(site: &Site, facts: &[&BodyFacts], memo: &mut GraphMemo) -> Graph {
        let n_articles = site.articles.len();
        let n_actors = site.actors.len();
        let mut graph = Graph {
            // Made below, one list per article.
            article_actors: Vec::new(),
            backlinks: vec![Vec::new(); n_articles],
            related: Vec::new(),
            article_quotes: vec![Vec::new(); n_articles],
            actor_articles: vec![Vec::new(); n_actors],
            actor_events: vec![Vec::new(); n_actors],
            actor_quotes: vec![Vec::new(); n_actors],
            co_actors: vec![Vec::new(); n_actors],
            source_articles: vec![Vec::new(); site.sources.len()],
            quotes: Vec::new(),
            timeline: Vec::new(),
        };

        let empty = BodyFacts::default();
        let facts_of = |id: ArticleId| facts.get(id.index()).copied().unwrap_or(&empty);
        // Each article's actors (front matter first, then the others by
        // mention count) on both cores; then one pass files them under each
        // actor, into lists allocated at their final length.
        graph.article_actors = site
            .articles
            .par_iter()
            .map(|article| {
                let body = facts_of(article.id);
                let mut actors = article.actors.clone();
                let mut by_count: Vec<&Mention> = body
                    .mentions
                    .iter()
                    .filter(|m| !actors.contains(&m.actor))
                    .collect();
                by_count.sort_by_key(|m| std::cmp::Reverse(m.count));
                actors.extend(by_count.iter().map(|m| m.actor));
                actors
            })
            .collect();
        let mut appearances = vec![0usize; n_actors];
        for actors in &graph.article_actors {
            for actor in actors {
                appearances[actor.index()] += 1;
            }
        }
        for (list, &count) in graph.actor_articles.iter_mut().zip(&appearances) {
            list.reserve_exact(count);
        }
        for article in site.articles.iter().rev() {
            let id = article.id;
            let body = facts_of(id);
            for &actor in &graph.article_actors[id.index()] {
                let mention = body.mentions.iter().find(|m| m.actor == actor);
                graph.actor_articles[actor.index()].push(Appearance {
                    article: id,
                    mentions: mention.map_or(0, |m| m.count),
                });
            }
            graph.source_articles[article.source.index()].push(id);
            for &target in &body.links {
                if target != id && !graph.backlinks[target.index()].contains(&id) {
                    graph.backlinks[target.index()].push(id);
                }
            }
        }
        for list in &mut graph.backlinks {
            list.sort_by(|a, b| b.cmp(a));
        }

        // Quotes: front matter first, then attributed blockquotes.
        for quote in site.quotes.iter() {
            graph.quotes.push(QuoteRef {
                by: quote.by,
                text: quote.text.clone(),
                context: quote.context.clone(),
                article: quote.article,
            });
        }
        for (index, body) in facts.iter().enumerate().take(n_articles) {
            for quote in &body.quotes {
                if let Some(by) = quote.by {
                    graph.quotes.push(QuoteRef {
                        by,
                        text: quote.text.clone(),
                        context: None,
                        article: ArticleId(index as u32),
                    });
                }
            }
        }
        for (index, quote) in graph.quotes.iter().enumerate() {
            graph.actor_quotes[quote.by.index()].push(index);
            graph.article_quotes[quote.article.index()].push(index);
        }

        for event in site.events.iter() {
            for &actor in &event.actors {
                let list = &mut graph.actor_events[actor.index()];
                if list.last() != Some(&event.id) {
                    list.push(event.id);
                }
            }
        }

        // Before the ranking memo takes this build's actors.
        graph.co_actors = memo.co_actors.update(
            &memo.related.actors,
            &graph.article_actors,
            &graph.actor_articles,
        );
        let days: Vec<i32> = site.articles.iter().map(|a| a.date.epoch_days()).collect();
        let inputs = site
            .articles
            .iter()
            .zip(&graph.article_actors)
            .zip(&days)
            .map(|((article, actors), &day)| {
                let place = (actors, article.date, article.slug.as_str()).fingerprint();
                (article.path.fingerprint(), day, place)
            })
            .collect();
        graph.related = memo.related.rank(inputs, || {
            Ranking::new(&days, site.actors.len(), &graph.article_actors, NEAR)
        });
        graph.timeline = timeline(site);
        graph
    }

    /// The article before `id` in time, if any.
    pub fn previous(&self, id: ArticleId) -> Option<ArticleId> {
        id.0.checked_sub(1).map(ArticleId)
    }

    /// The article after `id` in time, if any.
    pub fn next(&self, id: ArticleId) -> Option<ArticleId> {
        let next = id.0 + 1;
        ((next as usize) < self.article_actors.len()).then_some(ArticleId(next))
    }
}

impl CoActorMemo {
    /// The co-actor lists of every actor (see [`Graph::co_actors`]),
    /// counting again only where an article's actors changed since the
    /// last call, whose articles had the actors `before`.
    fn update(
        &mut self,
        before: &[Vec<ActorId>],
        article_actors: &[Vec<ActorId>],
        actor_articles: &[Vec<Appearance>],
    ) -> Vec<Vec<(ActorId, u32)>> {
        let n_actors = actor_articles.len();
        let mut affected = Vec::new();
        if self.lists.len() == n_actors && before.len() == article_actors.len() {
            let mut marked = vec![false; n_actors];
            for (old, new) in before.iter().zip(article_actors) {
                if old != new {
                    for actor in old.iter().chain(new) {
                        marked[actor.index()] = true;
                    }
                }
            }
            affected.extend((0..n_actors).filter(|&a| marked[a]));
        } else {
            affected.extend(0..n_actors);
        }
        let counted: Vec<Vec<(ActorId, u32)>> = affected
            .par_iter()
            .map_init(
                || CoActorCounter::new(n_actors),
                |counter, &a| counter.list(a, article_actors, actor_articles),
            )
            .collect();
        self.lists.resize(n_actors, Vec::new());
        for (a, list) in affected.into_iter().zip(counted) {
            self.lists[a] = list;
        }
        self.lists.clone()
    }
}

/// Counts one actor's co-actors, with scratch space reused across actors.
struct CoActorCounter {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl CoActorCounter {
    fn new(n_actors: usize) -> CoActorCounter {
        CoActorCounter {
            counts: vec![0; n_actors],
            touched: Vec::new(),
        }
    }

    /// Actor `a`'s co-actors, most shared articles first (then by id).
    fn list(
        &mut self,
        a: usize,
        article_actors: &[Vec<ActorId>],
        actor_articles: &[Vec<Appearance>],
    ) -> Vec<(ActorId, u32)> {
        let CoActorCounter { counts, touched } = self;
        for appearance in &actor_articles[a] {
            for &b in &article_actors[appearance.article.index()] {
                if b.index() == a {
                    continue;
                }
                if counts[b.index()] == 0 {
                    touched.push(b.0);
                }
                counts[b.index()] += 1;
            }
        }
        let mut list: Vec<(ActorId, u32)> = touched
            .iter()
            .map(|&b| (ActorId(b), counts[b as usize]))
            .collect();
        for &b in touched.iter() {
            counts[b as usize] = 0;
        }
        touched.clear();
        let key = |e: &(ActorId, u32)| (std::cmp::Reverse(e.1), e.0);
        if list.len() > CO_ACTORS {
            list.select_nth_unstable_by_key(CO_ACTORS, key);
            list.truncate(CO_ACTORS);
        }
        list.sort_by_key(key);
        list
    }
}

/// How an article's related articles are ordered: most shared actors
/// first, then closest in time, then earliest (lowest id). Greater is better.
type RankKey = (u32, std::cmp::Reverse<i32>, std::cmp::Reverse<u32>);

/// Ranks every article's related articles: most shared actors first, then
/// closest in time, then earliest; with a `previous` ranking, only the
/// lists it marks are ranked again.
///
/// The candidates of an article are, for each of its actors, the articles
/// around it in time among that actor's (see [`NEAR`]), never every
/// article: a build then costs the same per article at 100,000 articles as
/// at 1,000. This weighs each shared actor by its rarity: an actor in few
/// articles offers all of them, however far apart in time, while one in
/// most of the dossier (a big country, in a real one) offers only the
/// articles of the same weeks. Where no actor has more articles than the
/// window holds (the sample, and dossiers of a few dozen articles), every
/// article sharing an actor is a candidate, and the ranking is that of
/// comparing every pair.
fn rank(ranking: &Ranking, previous: Option<&Carried>) -> Vec<Vec<ArticleId>> {
    let (n_articles, n_actors) = (ranking.days.len(), ranking.articles_of.len());
    (0..n_articles)
        .into_par_iter()
        .with_min_len(256)
        .map_init(
            || RankScratch::new(n_actors, n_articles),
            |scratch, i| match previous {
                Some(carried) if !carried.again[i] => carried.related[i].clone(),
                _ => ranking.related_of(i, scratch),
            },
        )
        .collect()
}

/// What the ranking reads: each article's day and actors, and each actor's
/// articles in order of time.
struct Ranking<'a> {
    days: &'a [i32],
    article_actors: &'a [Vec<ActorId>],
    /// Per actor: its articles in order of time (day, then id).
    articles_of: Vec<Vec<u32>>,
    /// How many of an actor's articles around an article are candidates.
    near: usize,
    /// Per article, its actors as a bit set of `words` words, when there
    /// are few enough actors (see [`SHARED_BY_BITS`]); empty otherwise.
    bits: Vec<u64>,
    words: usize,
}

/// Up to this many actors (16 words of bits per article), the actors two
/// articles share are counted by intersecting bit sets: a few word
/// operations instead of a lookup per actor of the candidate, of which an
/// article has ~20 (its own and those its text mentions), for each of its
/// few hundred candidates. Beyond it, memory would grow with articles times
/// actors, and the lookups stay.
const SHARED_BY_BITS: usize = 1024;

/// One thread's scratch space, reused from article to article.
struct RankScratch {
    /// Per actor: 1 + the article being ranked, if the actor is among its.
    ours: Vec<u32>,
    /// Per article: 1 + the article being ranked, once offered to its list.
    offered: Vec<u32>,
}

impl RankScratch {
    fn new(n_actors: usize, n_articles: usize) -> RankScratch {
        RankScratch {
            ours: vec![0; n_actors],
            offered: vec![0; n_articles],
        }
    }
}

/// Offers `candidate` to a list kept best first, of at most `RELATED`.
fn offer(best: &mut Vec<RankKey>, candidate: RankKey) {
    if candidate.0 == 0 {
        return;
    }
    if best.len() == RELATED {
        if candidate <= best[RELATED - 1] {
            return;
        }
        best.pop();
    }
    let at = best.partition_point(|b| *b > candidate);
    best.insert(at, candidate);
}

impl<'a> Ranking<'a> {
    fn new(
        days: &'a [i32],
        n_actors: usize,
        article_actors: &'a [Vec<ActorId>],
        near: usize,
    ) -> Self {
        let mut in_time: Vec<u32> = (0..days.len() as u32).collect();
        in_time.sort_unstable_by_key(|&j| (days[j as usize], j));
        let mut articles_of = vec![Vec::new(); n_actors];
        for &j in &in_time {
            for actor in &article_actors[j as usize] {
                articles_of[actor.index()].push(j);
            }
        }
        let words = if n_actors <= SHARED_BY_BITS {
            n_actors.div_ceil(64)
        } else {
            0
        };
        let mut bits = vec![0u64; words * article_actors.len()];
        if words > 0 {
            // A set counts an actor once, where the lookups count each
            // entry: the same, as an article lists each actor once (the
            // model drops repeated front-matter actors, and mentions add
            // only actors not already listed).
            debug_assert!(article_actors.iter().all(|actors| {
                let mut sorted = actors.clone();
                sorted.sort_unstable();
                sorted.windows(2).all(|pair| pair[0] != pair[1])
            }));
            for (set, actors) in bits.chunks_exact_mut(words).zip(article_actors) {
                for actor in actors {
                    set[actor.index() / 64] |= 1 << (actor.index() % 64);
                }
            }
        }
        Ranking {
            days,
            article_actors,
            articles_of,
            near,
            bits,
            words,
        }
    }

    /// How many actors articles `i` and `j` share; without bit sets,
    /// `scratch.ours` marks `i`'s with `stamp`.
    fn shared(&self, i: usize, j: usize, scratch: &RankScratch, stamp: u32) -> u32 {
        if self.words == 0 {
            return self.article_actors[j]
                .iter()
                .filter(|a| scratch.ours[a.index()] == stamp)
                .count() as u32;
        }
        let w = self.words;
        self.bits[i * w..(i + 1) * w]
            .iter()
            .zip(&self.bits[j * w..(j + 1) * w])
            .map(|(a, b)| a & b)
            .filter(|&both| both != 0)
            .map(u64::count_ones)
            .sum()
    }

    /// Article `i`'s related articles (see [`rank`]).
    fn related_of(&self, i: usize, scratch: &mut RankScratch) -> Vec<ArticleId> {
        let stamp = i as u32 + 1;
        if self.words == 0 {
            // Read by the lookups of `shared` only.
            for actor in &self.article_actors[i] {
                scratch.ours[actor.index()] = stamp;
            }
        }
        let mut best: Vec<RankKey> = Vec::with_capacity(RELATED + 1);
        let place = (self.days[i], i as u32);
        for actor in &self.article_actors[i] {
            let list = self.articles_of[actor.index()].as_slice();
            let at = list.partition_point(|&j| (self.days[j as usize], j) < place);
            // `near` articles around `i` (half before, half after, or more
            // on one side at either end of the list), and `i` itself.
            let start = at
                .saturating_sub(self.near / 2)
                .min(list.len().saturating_sub(self.near + 1));
            for &j in list.iter().skip(start).take(self.near + 1) {
                if j as usize == i || scratch.offered[j as usize] == stamp {
                    continue;
                }
                scratch.offered[j as usize] = stamp;
                let shared = self.shared(i, j as usize, scratch, stamp);
                let gap = (self.days[j as usize] - self.days[i]).abs();
                offer(
                    &mut best,
                    (shared, std::cmp::Reverse(gap), std::cmp::Reverse(j)),
                );
            }
        }
        best.iter()
            .map(|&(_, _, std::cmp::Reverse(j))| ArticleId(j))
            .collect()
    }
}

fn timeline(site: &Site) -> Vec<TimelineItem> {
    let mut items: Vec<(PartialDate, u8, u32, TimelineItem)> = site
        .articles
        .iter()
        .map(|a| (a.date, 1, a.id.0, TimelineItem::Article(a.id)))
        .chain(
            site.events
                .iter()
                .map(|e| (e.date, 0, e.id.0, TimelineItem::Event(e.id))),
        )
        .collect();
    // Events before articles on the same date: what happened, then the coverage.
    items.sort_by_key(|&(date, kind, id, _)| (date, kind, id));
    items.into_iter().map(|(_, _, _, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::site;

    /// Articles as the ranking sees them: a name (its path), a day, and
    /// actors, kept in date order as the model keeps them: by date, where
    /// a date of month or year precision counts from its first day
    /// (`day`) but sorts after the exact days of its period (`day +
    /// after`), then by slug.
    #[derive(Debug, Clone)]
    struct Ranked {
        name: u64,
        slug: u8,
        day: i32,
        after: i32,
        actors: Vec<ActorId>,
    }

    /// The ranking by its definition: every other article sharing an
    /// actor, most shared first, then closest in time, then earliest.
    fn rank_every_pair(days: &[i32], actors: &[Vec<ActorId>]) -> Vec<Vec<ArticleId>> {
        rank_by_definition(days, actors, |_, _| true)
    }

    /// The same, with the candidates of each article only those within
    /// its window in one of its actors' lists (see `rank`).
    fn rank_in_windows(days: &[i32], actors: &[Vec<ActorId>], near: usize) -> Vec<Vec<ArticleId>> {
        let in_window = |i: usize, j: usize| {
            actors[i].iter().filter(|a| actors[j].contains(a)).any(|a| {
                let mut list: Vec<usize> =
                    (0..days.len()).filter(|&k| actors[k].contains(a)).collect();
                list.sort_by_key(|&k| (days[k], k));
                let at = list.iter().position(|&k| k == i).unwrap();
                let start = at
                    .saturating_sub(near / 2)
                    .min(list.len().saturating_sub(near + 1));
                list[start..].iter().take(near + 1).any(|&k| k == j)
            })
        };
        rank_by_definition(days, actors, in_window)
    }

    fn rank_by_definition(
        days: &[i32],
        actors: &[Vec<ActorId>],
        candidate: impl Fn(usize, usize) -> bool,
    ) -> Vec<Vec<ArticleId>> {
        use std::cmp::Reverse;
        (0..days.len())
            .map(|i| {
                let mut candidates: Vec<(usize, Reverse<i32>, Reverse<usize>)> = (0..days.len())
                    .filter(|&j| j != i && candidate(i, j))
                    .map(|j| {
                        let shared = actors[j].iter().filter(|a| actors[i].contains(a)).count();
                        (shared, Reverse((days[j] - days[i]).abs()), Reverse(j))
                    })
                    .filter(|candidate| candidate.0 > 0)
                    .collect();
                candidates.sort_unstable_by(|a, b| b.cmp(a));
                candidates
                    .into_iter()
                    .take(RELATED)
                    .map(|(_, _, Reverse(j))| ArticleId(j as u32))
                    .collect()
            })
            .collect()
    }

    /// Ranks from scratch with windows of `near`.
    fn rank_anew(days: &[i32], actors: &[Vec<ActorId>], near: usize) -> Vec<Vec<ArticleId>> {
        rank(&Ranking::new(days, 70, actors, near), None)
    }

    fn ranked_inputs(articles: &mut [Ranked]) -> (Vec<RankInput>, Vec<i32>, Vec<Vec<ActorId>>) {
        articles.sort_by_key(|a| (a.day + a.after, a.slug, a.name));
        let inputs = articles
            .iter()
            .map(|a| {
                let place = (&a.actors, a.day, a.after, a.slug).fingerprint();
                (a.name, a.day, place)
            })
            .collect();
        let days = articles.iter().map(|a| a.day).collect();
        let actors = articles.iter().map(|a| a.actors.clone()).collect();
        (inputs, days, actors)
    }

    /// Ranks `articles` (in their date order) through `memo`.
    fn rank_through(
        memo: &mut RelatedMemo,
        articles: &mut [Ranked],
        near: usize,
    ) -> (Vec<Vec<ArticleId>>, Vec<i32>, Vec<Vec<ActorId>>) {
        let (inputs, days, actors) = ranked_inputs(articles);
        let related = memo.rank(inputs, || Ranking::new(&days, 12, &actors, near));
        (related, days, actors)
    }

    fn arb_ranked() -> impl proptest::strategy::Strategy<Value = Ranked> {
        use proptest::prelude::*;
        (
            // Few days, so that many articles share one.
            0i32..60,
            prop_oneof![3 => Just(0), 1 => 1i32..30],
            0u8..6,
            proptest::collection::vec(0u32..12, 0..4),
        )
            .prop_map(|(day, after, slug, mut actors)| {
                actors.sort_unstable();
                actors.dedup();
                Ranked {
                    name: 0,
                    slug,
                    day,
                    after,
                    actors: actors.into_iter().map(ActorId).collect(),
                }
            })
    }

    /// Applies the parts of `edit` that `which` selects (a bit each for
    /// the actors, the day, the precision and the slug) to `article`.
    fn apply(article: &mut Ranked, edit: Ranked, which: u8) {
        if which & 1 != 0 {
            article.actors = edit.actors;
        }
        if which & 2 != 0 {
            article.day = edit.day;
        }
        if which & 4 != 0 {
            article.after = edit.after;
        }
        if which & 8 != 0 {
            article.slug = edit.slug;
        }
    }

    proptest::proptest! {
        /// After edits to a few articles' actors or dates, the memo's
        /// partial re-ranking equals ranking every pair again.
        #[test]
        fn reranking_after_edits_equals_ranking_from_scratch(
            start in proptest::collection::vec(arb_ranked(), 2..80),
            rebuilds in proptest::collection::vec(
                proptest::collection::vec(
                    (
                        proptest::prelude::any::<proptest::sample::Index>(),
                        arb_ranked(),
                        1u8..16,
                    ),
                    1..6,
                ),
                1..5,
            ),
            near in 1usize..8,
        ) {
            let mut articles = start;
            for (i, a) in articles.iter_mut().enumerate() {
                a.name = i as u64;
            }
            let mut memo = RelatedMemo::default();
            rank_through(&mut memo, &mut articles, near);
            for edits in rebuilds {
                for (at, edit, which) in edits {
                    let i = at.index(articles.len());
                    apply(&mut articles[i], edit, which);
                }
                let (reranked, days, actors) = rank_through(&mut memo, &mut articles, near);
                proptest::prop_assert_eq!(&reranked, &rank_anew(&days, &actors, near));
                proptest::prop_assert_eq!(reranked, rank_in_windows(&days, &actors, near));
            }
        }

        #[test]
        fn the_ranking_equals_its_definition_on_skewed_dossiers(
            articles in proptest::collection::vec(
                (
                    0i32..40,
                    proptest::collection::vec(
                        // A few actors in most articles, many in few: the
                        // shape of a real dossier, with ties in time.
                        proptest::prop_oneof![3 => 0u32..3, 1 => 0u32..70],
                        0..7,
                    ),
                ),
                1..120,
            ),
            near in 2usize..12,
        ) {
            // Days in no particular order of ids: the model numbers
            // articles in date order, but a month-precision date sorts
            // after the month's days and counts from its first.
            let (days, actors): (Vec<i32>, Vec<Vec<ActorId>>) = articles
                .into_iter()
                .map(|(day, mut actors)| {
                    actors.sort_unstable();
                    actors.dedup();
                    (day, actors.into_iter().map(ActorId).collect())
                })
                .unzip();
            // Windows as wide as the dossier: every pair is compared.
            proptest::prop_assert_eq!(
                rank_anew(&days, &actors, days.len()),
                rank_every_pair(&days, &actors)
            );
            proptest::prop_assert_eq!(
                rank_anew(&days, &actors, near),
                rank_in_windows(&days, &actors, near)
            );
            // With too many actors for bit sets, shared actors are counted
            // one by one, to the same ranking.
            proptest::prop_assert_eq!(
                rank(&Ranking::new(&days, SHARED_BY_BITS + 1, &actors, near), None),
                rank_in_windows(&days, &actors, near)
            );
        }

        #[test]
        fn co_actors_after_edits_equal_co_actors_from_scratch(
            start in proptest::collection::vec(arb_ranked(), 1..40),
            edits in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), arb_ranked()),
                1..6,
            ),
        ) {
            // Appearances as the graph files them: each article under each
            // of its actors.
            let appearances = |articles: &[Ranked]| {
                let mut lists = vec![Vec::new(); 12];
                for (i, a) in articles.iter().enumerate() {
                    for actor in &a.actors {
                        lists[actor.index()].push(Appearance {
                            article: ArticleId(i as u32),
                            mentions: 0,
                        });
                    }
                }
                lists
            };
            let actors_of = |articles: &[Ranked]| -> Vec<Vec<ActorId>> {
                articles.iter().map(|a| a.actors.clone()).collect()
            };
            let mut articles = start;
            let mut memo = CoActorMemo::default();
            memo.update(&[], &actors_of(&articles), &appearances(&articles));
            for (at, edit) in edits {
                let before = actors_of(&articles);
                let i = at.index(articles.len());
                articles[i].actors = edit.actors;
                let counted =
                    memo.update(&before, &actors_of(&articles), &appearances(&articles));
                let scratch = CoActorMemo::default()
                    .update(&[], &actors_of(&articles), &appearances(&articles));
                proptest::prop_assert_eq!(counted, scratch);
            }
        }
    }

    /// Articles on one day are ordered by slug, and a window of one
    /// place each side reaches only the neighbours in that order: an edit
    /// to a slug alone moves an article among them.
    #[test]
    fn a_slug_edit_reranks_the_articles_it_moves_among() {
        let mut articles: Vec<Ranked> = (0..8)
            .map(|i| Ranked {
                name: i,
                slug: i as u8,
                day: 10,
                after: 0,
                actors: vec![ActorId(0)],
            })
            .collect();
        let mut memo = RelatedMemo::default();
        rank_through(&mut memo, &mut articles, 1);
        let last = articles.iter_mut().find(|a| a.name == 7).unwrap();
        last.slug = 0;
        let (reranked, days, actors) = rank_through(&mut memo, &mut articles, 1);
        assert_eq!(reranked, rank_anew(&days, &actors, 1));
        assert_eq!(reranked, rank_in_windows(&days, &actors, 1));
    }

    /// After one article's actors change, only the articles near it in
    /// those actors' lists are ranked again, not the dossier.
    #[test]
    fn an_edit_reranks_the_articles_around_it_only() {
        let mut articles: Vec<Ranked> = (0..300)
            .map(|i| Ranked {
                name: i,
                slug: 0,
                day: i as i32,
                after: 0,
                actors: vec![ActorId(0), ActorId(1 + (i % 5) as u32)],
            })
            .collect();
        let mut memo = RelatedMemo::default();
        rank_through(&mut memo, &mut articles, 4);
        articles[150].actors = vec![ActorId(0), ActorId(9)];
        let (inputs, days, actors) = ranked_inputs(&mut articles);
        let ranking = Ranking::new(&days, 12, &actors, 4);
        let carried = memo
            .carried_over(&inputs, &ranking)
            .expect("one edit is carried over");
        let again = carried.again.iter().filter(|&&again| again).count();
        assert!(
            (1..=60).contains(&again),
            "{again} of 300 articles ranked again after one edit"
        );
        assert_eq!(
            memo.rank(inputs, || ranking),
            rank_in_windows(&days, &actors, 4)
        );
    }

    const ACTORS: [(&str, &str); 4] = [
        (
            "content/actors/a.md",
            "---\nname: Alpha\nkind: country\n---\n",
        ),
        (
            "content/actors/b.md",
            "---\nname: Beta\nkind: country\n---\n",
        ),
        (
            "content/actors/c.md",
            "---\nname: Gamma\nkind: country\n---\n",
        ),
        (
            "content/actors/d.md",
            "---\nname: Delta\nkind: country\n---\n",
        ),
    ];
    const SOURCE: (&str, &str) = (
        "content/sources/w.md",
        "---\nname: Wire\nkind: newspaper\n---\n",
    );

    fn article(slug: &str, date: &str, actors: &str, body: &str) -> (String, String) {
        (
            format!("content/articles/{slug}.md"),
            format!(
                "---\ntitle: {slug}\ndate: {date}\nsource: Wire\nactors: [{actors}]\n---\n{body}"
            ),
        )
    }

    fn graph_of(articles: &[(String, String)]) -> (Site, Graph) {
        let refs: Vec<(&str, &str)> = articles
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (site, diagnostics) = site(&refs, &ACTORS, &[SOURCE]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let facts: Vec<BodyFacts> = vec![BodyFacts::default(); site.articles.len()];
        let refs: Vec<&BodyFacts> = facts.iter().collect();
        let graph = Graph::build(&site, &refs);
        (site, graph)
    }

    fn slugs(site: &Site, ids: &[ArticleId]) -> Vec<String> {
        ids.iter()
            .map(|id| site.articles[id.index()].slug.to_string())
            .collect()
    }

    #[test]
    fn related_articles_rank_by_shared_actors_then_closeness_in_time() {
        let (site, graph) = graph_of(&[
            article("main", "2016-06-15", "Alpha, Beta, Gamma", ""),
            article("two-shared-far", "2010-01-01", "Alpha, Beta", ""),
            article("one-shared-near", "2016-06-16", "Gamma", ""),
            article("one-shared-far", "2020-01-01", "Alpha", ""),
            article(
                "three-shared",
                "2001-01-01",
                "Alpha, Beta, Gamma, Delta",
                "",
            ),
            article("nothing-shared", "2016-06-15", "Delta", ""),
        ]);
        let main = site
            .articles
            .iter()
            .find(|a| a.slug.as_str() == "main")
            .unwrap()
            .id;
        assert_eq!(
            slugs(&site, &graph.related[main.index()]),
            [
                "three-shared",
                "two-shared-far",
                "one-shared-near",
                "one-shared-far"
            ]
        );
    }

    #[test]
    fn backlinks_co_actors_and_neighbours() {
        let (site, graph) = graph_of(&[
            article("first", "2016-01-01", "Alpha, Beta", ""),
            article("second", "2016-02-01", "Alpha, Beta, Gamma", ""),
            article("third", "2016-03-01", "Alpha", ""),
        ]);
        let alpha = site.actor_names.get("Alpha").unwrap();
        let co: Vec<(String, u32)> = graph.co_actors[alpha.index()]
            .iter()
            .map(|(a, n)| (site.actors[a.index()].name.clone(), *n))
            .collect();
        assert_eq!(co, [("Beta".to_string(), 2), ("Gamma".to_string(), 1)]);
        let second = site.articles[1].id;
        assert_eq!(slugs(&site, &[graph.previous(second).unwrap()]), ["first"]);
        assert_eq!(slugs(&site, &[graph.next(second).unwrap()]), ["third"]);
        assert_eq!(graph.next(site.articles[2].id), None);
        // Actors' article lists are newest first.
        assert_eq!(
            slugs(
                &site,
                &graph.actor_articles[alpha.index()]
                    .iter()
                    .map(|a| a.article)
                    .collect::<Vec<_>>()
            ),
            ["third", "second", "first"]
        );
    }

    #[test]
    fn timeline_puts_events_before_the_articles_reporting_them() {
        let (site, graph) = graph_of(&[(
            "content/articles/x.md".to_string(),
            "---\ntitle: X\ndate: 2016-09\nsource: Wire\nevents:\n  - date: 2016-09\n    title: E\n  - date: 2016\n    title: Y\n---\n".to_string(),
        )]);
        let kinds: Vec<&str> = graph
            .timeline
            .iter()
            .map(|item| match item {
                TimelineItem::Article(_) => "article 2016-09",
                TimelineItem::Event(e) => {
                    if site.events[e.index()].title == "Y" {
                        "event 2016"
                    } else {
                        "event 2016-09"
                    }
                }
            })
            .collect();
        // `2016` ends after September 2016.
        assert_eq!(kinds, ["event 2016-09", "article 2016-09", "event 2016"]);
    }
}
