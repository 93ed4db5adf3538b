//! The engine's contract: after any sequence of edits, an incremental
//! rebuild produces exactly the files a clean build of the same inputs
//! produces, byte for byte, and an edit with errors changes nothing.
//!
//! A seeded random walk applies edits of every kind to a generated dossier
//! and, after each one, compares the engine's output (kept in memory, fed
//! only the changed paths, as `serve` does) with a fresh engine's full
//! build. `cargo test` runs a short walk; a long one is
//! `DOSSIER_DIFF_STEPS=3000 cargo test --profile quick --test engine`
//! (`DOSSIER_DIFF_SEED` picks another walk). A second walk goes through
//! `dossier build` and its cache beside the output: every step is a new
//! build that starts from what the last one left.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use common::TestSite;
use dossier::engine::{Engine, EngineOptions, MemorySink};

/// A small deterministic generator (xorshift), so a failing walk can be
/// replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const WORDS: &[&str] = &[
    "talks",
    "border",
    "sanctions",
    "ceasefire",
    "envoy",
    "summit",
    "aid",
    "strikes",
    "convoy",
    "vote",
    "council",
    "pipeline",
    "reporters",
    "officials",
    "said",
    "on",
    "Tuesday",
    "the",
];

/// An actor of the generated registry.
#[derive(Clone, Debug)]
struct Actor {
    file: String,
    name: String,
    aliases: Vec<String>,
}

/// An article of the generated dossier, as fields to write out.
#[derive(Clone, Debug)]
struct Article {
    file: String,
    title: String,
    date: String,
    source: String,
    actors: Vec<String>,
    events: Vec<(String, String)>,
    quote: Option<(String, String)>,
    body: String,
}

impl Article {
    fn text(&self) -> String {
        let mut out = format!(
            "---\ntitle: \"{}\"\ndate: {}\nsource: \"{}\"\n",
            self.title, self.date, self.source
        );
        if !self.actors.is_empty() {
            out.push_str("actors:\n");
            for a in &self.actors {
                out.push_str(&format!("  - \"{a}\"\n"));
            }
        }
        if !self.events.is_empty() {
            out.push_str("events:\n");
            for (date, title) in &self.events {
                out.push_str(&format!("  - date: {date}\n    title: \"{title}\"\n"));
            }
        }
        if let Some((by, text)) = &self.quote {
            out.push_str(&format!(
                "quotes:\n  - by: \"{by}\"\n    text: \"{text}\"\n"
            ));
        }
        out.push_str("---\n\n");
        out.push_str(&self.body);
        out
    }
}

/// The generated dossier and the walk's state.
struct World {
    site: TestSite,
    rng: Rng,
    actors: Vec<Actor>,
    articles: Vec<Article>,
    /// Articles that others link to: never deleted or renamed, so that
    /// links stay valid and the walk keeps building.
    anchors: usize,
    next_id: usize,
}

fn date(rng: &mut Rng) -> String {
    let year = 2014 + rng.below(5);
    match rng.below(10) {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", 1 + rng.below(12)),
        _ => format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

impl World {
    fn new(seed: u64) -> World {
        let site = TestSite::new();
        site.write(
            "site.yaml",
            "title: Differential dossier\nbase_url: \"https://example.org/d/\"\n",
        );
        for (slug, name) in [("wire", "The Wire"), ("herald", "Herald")] {
            site.write(
                &format!("content/sources/{slug}.md"),
                &format!("---\nname: {name}\nkind: newspaper\nownership: private\n---\nA note on {name}.\n"),
            );
        }
        let mut world = World {
            site,
            rng: Rng(seed | 1),
            actors: Vec::new(),
            articles: Vec::new(),
            anchors: 3,
            next_id: 0,
        };
        for (i, name) in [
            "Russia",
            "Syria",
            "Turkey",
            "Iran",
            "Sergei Lavrov",
            "John Kerry",
        ]
        .iter()
        .enumerate()
        {
            let aliases = if i == 0 {
                vec!["Moscow".to_string()]
            } else {
                Vec::new()
            };
            world.actors.push(Actor {
                file: format!("content/actors/actor-{i}.md"),
                name: name.to_string(),
                aliases,
            });
        }
        for actor in world.actors.clone() {
            world.write_actor(&actor);
        }
        for _ in 0..14 {
            let article = world.new_article();
            world.articles.push(article);
        }
        for article in world.articles.clone() {
            world.site.write(&article.file, &article.text());
        }
        world
    }

    fn write_actor(&self, actor: &Actor) {
        let mut text = format!("---\nname: \"{}\"\nkind: country\n", actor.name);
        if !actor.aliases.is_empty() {
            text.push_str(&format!("aliases: [{}]\n", actor.aliases.join(", ")));
        }
        text.push_str(&format!(
            "---\n{} is followed in this dossier.\n",
            actor.name
        ));
        self.site.write(&actor.file, &text);
    }

    fn sentence(&mut self) -> String {
        let mut words: Vec<String> = (0..6).map(|_| self.rng.pick(WORDS).to_string()).collect();
        if self.rng.chance(60) {
            let actor = self.rng.pick(&self.actors).clone();
            let name = if !actor.aliases.is_empty() && self.rng.chance(30) {
                actor.aliases[0].clone()
            } else {
                actor.name.clone()
            };
            let at = self.rng.below(words.len());
            words.insert(at, name);
        }
        let mut s = words.join(" ");
        s[..1].make_ascii_uppercase();
        s.push('.');
        s
    }

    fn body(&mut self) -> String {
        let mut body = String::new();
        for _ in 0..1 + self.rng.below(3) {
            let sentences: Vec<String> = (0..2).map(|_| self.sentence()).collect();
            body.push_str(&sentences.join(" "));
            if self.rng.chance(30) && self.articles.len() > self.anchors {
                let target = self.rng.below(self.anchors);
                let file = self.articles[target]
                    .file
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                body.push_str(&format!(" See [an earlier report]({file})."));
            }
            body.push_str("\n\n");
        }
        if self.rng.chance(20) {
            body.push_str("## Background\n\nMore context here.\n");
        }
        body
    }

    fn new_article(&mut self) -> Article {
        self.next_id += 1;
        let id = self.next_id;
        let actors = (0..self.rng.below(3))
            .map(|_| self.rng.pick(&self.actors).name.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        Article {
            file: format!("content/articles/a{id:03}.md"),
            title: format!("Report {id}: {}", self.rng.pick(WORDS)),
            date: date(&mut self.rng),
            source: self.rng.pick(&["The Wire", "Herald"]).to_string(),
            actors,
            events: Vec::new(),
            quote: None,
            body: self.body(),
        }
    }

    /// Applies one random edit; returns what it was and the paths it touched.
    fn edit(&mut self) -> (String, Vec<String>) {
        let n = self.articles.len();
        let i = self.rng.below(n);
        let file = self.articles[i].file.clone();
        let kind = self.rng.below(17);
        let touched = match kind {
            0 | 1 => {
                let body = self.body();
                self.articles[i].body = body;
                vec![file]
            }
            2 => {
                self.articles[i].title = format!("Retitled {}", self.rng.next() % 1000);
                vec![file]
            }
            3 => {
                self.articles[i].date = date(&mut self.rng);
                vec![file]
            }
            4 => {
                let actor = self.rng.pick(&self.actors).name.clone();
                let actors = &mut self.articles[i].actors;
                if let Some(at) = actors.iter().position(|a| *a == actor) {
                    actors.remove(at);
                } else {
                    actors.push(actor);
                }
                vec![file]
            }
            5 => {
                let by = self.rng.pick(&self.actors).name.clone();
                self.articles[i].quote = Some((by, format!("We said {}", self.rng.next() % 100)));
                vec![file]
            }
            6 => {
                let when = date(&mut self.rng);
                self.articles[i]
                    .events
                    .push((when, format!("Event {}", self.rng.next() % 1000)));
                vec![file]
            }
            7 => {
                let article = self.new_article();
                let file = article.file.clone();
                self.articles.push(article);
                vec![file]
            }
            8 if i >= self.anchors && n > self.anchors + 2 => {
                self.articles.remove(i);
                std::fs::remove_file(self.site.root().join(&file)).unwrap();
                return (format!("delete {file}"), vec![file]);
            }
            9 if i >= self.anchors => {
                self.next_id += 1;
                let to = format!("content/articles/renamed-{:03}.md", self.next_id);
                std::fs::rename(self.site.root().join(&file), self.site.root().join(&to)).unwrap();
                self.articles[i].file = to.clone();
                return (format!("rename {file} → {to}"), vec![file, to]);
            }
            10 => {
                let a = self.rng.below(self.actors.len());
                self.actors[a].aliases = vec![format!("Alias{}", self.rng.next() % 50)];
                let actor = self.actors[a].clone();
                self.write_actor(&actor);
                return (format!("alias {}", actor.file), vec![actor.file]);
            }
            11 => {
                let id = self.actors.len();
                let actor = Actor {
                    file: format!("content/actors/extra-{}.md", self.rng.next() % 100_000),
                    name: format!("Newcomer {id}"),
                    aliases: Vec::new(),
                };
                self.write_actor(&actor);
                self.actors.push(actor.clone());
                return (format!("add actor {}", actor.file), vec![actor.file]);
            }
            12 if self.actors.len() > 6 => {
                // Delete an actor no front matter names (mentions just stop).
                let actor = self.actors.pop().unwrap();
                for article in &mut self.articles {
                    if article.actors.contains(&actor.name)
                        || article.quote.as_ref().is_some_and(|q| q.0 == actor.name)
                    {
                        article.actors.retain(|a| *a != actor.name);
                        article.quote = None;
                        let text = article.text();
                        self.site.write(&article.file, &text);
                    }
                    if article.body.contains(&actor.name) {
                        article.body = article.body.replace(&actor.name, "someone");
                        let text = article.text();
                        self.site.write(&article.file, &text);
                    }
                }
                std::fs::remove_file(self.site.root().join(&actor.file)).unwrap();
                let mut touched: Vec<String> =
                    self.articles.iter().map(|a| a.file.clone()).collect();
                touched.push(actor.file.clone());
                return (format!("delete actor {}", actor.file), touched);
            }
            13 => {
                let note = format!(
                    "---\nname: Herald\nkind: newspaper\nownership: {}\n---\nEdited {}.\n",
                    self.rng.pick(&["private", "state-owned", "public-service"]),
                    self.rng.next() % 100
                );
                self.site.write("content/sources/herald.md", &note);
                return ("source".into(), vec!["content/sources/herald.md".into()]);
            }
            14 => {
                let extra = self.rng.next() % 3;
                self.site.write(
                    "themes/default/templates/404.html",
                    &format!("{{% extends \"base.html\" %}}{{% block main %}}<p>Lost {extra}</p>{{% endblock main %}}\n"),
                );
                return (
                    "template".into(),
                    vec!["themes/default/templates/404.html".into()],
                );
            }
            15 => {
                let home = 1 + self.rng.below(20);
                self.site.write(
                    "site.yaml",
                    &format!("title: Differential dossier\nbase_url: \"https://example.org/d/\"\nhome_articles: {home}\n"),
                );
                return ("site.yaml".into(), vec!["site.yaml".into()]);
            }
            _ => {
                // An error, then (on the next edit of this file) its fix.
                self.site.write(&file, "---\ntitle: [unclosed\n---\nbody\n");
                return (format!("break {file}"), vec![file]);
            }
        };
        let article = self
            .articles
            .iter()
            .find(|a| a.file == touched[0])
            .unwrap()
            .clone();
        self.site.write(&article.file, &article.text());
        (format!("edit kind {kind} of {}", article.file), touched)
    }

    /// Writes every article back (fixes a broken one).
    fn heal(&mut self) -> Vec<String> {
        for article in &self.articles {
            self.site.write(&article.file, &article.text());
        }
        self.articles.iter().map(|a| a.file.clone()).collect()
    }
}

type Files = BTreeMap<String, Arc<[u8]>>;

fn clean_build(site: &TestSite) -> Result<Files, String> {
    let sink = MemorySink::new();
    let mut engine = Engine::new(site.root(), EngineOptions::default());
    match engine.build(&sink) {
        Ok(_) => Ok(sink.snapshot()),
        Err(dossier::Error::Content(d)) => Err(d
            .sorted()
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n")),
        Err(e) => panic!("clean build failed to run: {e}"),
    }
}

fn first_difference(a: &Files, b: &Files) -> String {
    let names = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
    if names(a) != names(b) {
        let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
        let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
        return format!("file lists differ: only incremental {only_a:?}, only clean {only_b:?}");
    }
    for (path, bytes) in a {
        if b[path] != *bytes {
            let (x, y) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[path]),
            );
            let at = x
                .chars()
                .zip(y.chars())
                .position(|(c1, c2)| c1 != c2)
                .unwrap_or(x.chars().count().min(y.chars().count()));
            let window =
                |s: &str| -> String { s.chars().skip(at.saturating_sub(120)).take(240).collect() };
            return format!(
                "{path} differs at char {at}:\n incremental: …{}\n clean:       …{}",
                window(&x),
                window(&y)
            );
        }
    }
    String::new()
}

fn walk(seed: u64, steps: usize) {
    let mut world = World::new(seed);
    let sink = MemorySink::new();
    let mut engine = Engine::new(world.site.root(), EngineOptions::default());
    engine.build(&sink).expect("the generated dossier builds");
    let mut broken = false;
    for step in 0..steps {
        let (what, touched) = if broken {
            broken = false;
            ("heal".to_string(), world.heal())
        } else {
            world.edit()
        };
        let paths: Vec<PathBuf> = touched.iter().map(|p| world.site.root().join(p)).collect();
        let before = sink.snapshot();
        let result = engine.rebuild(&paths, &sink);
        let clean = clean_build(&world.site);
        match (result, clean) {
            (Ok(outcome), Ok(expected)) => {
                let got = sink.snapshot();
                let diff = first_difference(&got, &expected);
                assert!(
                    diff.is_empty(),
                    "seed {seed}, step {step} ({what}): incremental ≠ clean: {diff}"
                );
                // What the engine says it wrote is exactly what changed.
                for path in &outcome.written {
                    assert!(
                        before.get(path) != got.get(path),
                        "seed {seed}, step {step} ({what}): {path} reported but unchanged"
                    );
                }
                for (path, bytes) in &got {
                    if before.get(path) != Some(bytes) {
                        assert!(
                            outcome.written.contains(path),
                            "seed {seed}, step {step} ({what}): {path} changed but not reported"
                        );
                    }
                }
                for path in before.keys().filter(|p| !got.contains_key(*p)) {
                    assert!(
                        outcome.removed.contains(path),
                        "seed {seed}, step {step} ({what}): {path} gone but not reported"
                    );
                }
            }
            (Err(dossier::Error::Content(_)), Err(_)) => {
                assert_eq!(
                    sink.snapshot(),
                    before,
                    "seed {seed}, step {step} ({what}): a failed rebuild changed the output"
                );
                broken = true;
            }
            (Ok(_), Err(clean)) => {
                panic!("seed {seed}, step {step} ({what}): rebuild passed, clean build: {clean}")
            }
            (Err(e), Ok(_)) => {
                panic!("seed {seed}, step {step} ({what}): rebuild failed, clean build passed: {e}")
            }
            (Err(e), Err(_)) => panic!("seed {seed}, step {step} ({what}): {e}"),
        }
    }
}

/// The output folder's files (without the marker), as a [`Files`].
fn output_files(output: &std::path::Path) -> Files {
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(output).unwrap();
            let bytes: Arc<[u8]> = std::fs::read(e.path()).unwrap().into();
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .filter(|(rel, _)| rel != dossier::write::MARKER)
        .collect()
}

fn walk_through_cache(seed: u64, steps: usize) {
    use dossier::pipeline::{BuildOptions, CacheUse, build};
    let mut world = World::new(seed);
    let options = BuildOptions {
        root: world.site.root().to_path_buf(),
        // Each step edits a moment before it builds: trust size and times
        // for files older than that (a real build waits two seconds), so
        // that the walk goes through files the cache vouches for, unread.
        racy_window: Some(std::time::Duration::from_millis(50)),
        ..BuildOptions::default()
    };
    let output = world.site.root().join("output");
    build(&options).expect("the generated dossier builds");
    let content = world.site.root().join("content");
    let content_files = || {
        walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .count()
    };
    let mut left_unread = 0;
    let mut broken = false;
    for step in 0..steps {
        let (what, _) = if broken {
            broken = false;
            ("heal".to_string(), world.heal())
        } else {
            world.edit()
        };
        let before = output_files(&output);
        let result = build(&options);
        match (result, clean_build(&world.site)) {
            (Ok(report), Ok(expected)) => {
                let diff = first_difference(&output_files(&output), &expected);
                assert!(
                    diff.is_empty(),
                    "seed {seed}, step {step} ({what}): cached build ≠ clean: {diff}"
                );
                assert!(
                    matches!(report.cache, CacheUse::Reused | CacheUse::UpToDate),
                    "seed {seed}, step {step} ({what}): cache not used: {:?}",
                    report.cache
                );
                if report.cache == CacheUse::Reused && report.files_read < content_files() {
                    left_unread += 1;
                }
            }
            (Err(dossier::Error::Content(_)), Err(_)) => {
                assert!(
                    output_files(&output) == before,
                    "seed {seed}, step {step} ({what}): a failed build changed the output"
                );
                broken = true;
            }
            (Ok(_), Err(clean)) => {
                panic!("seed {seed}, step {step} ({what}): cached build passed, clean: {clean}")
            }
            (Err(e), Ok(_)) => {
                panic!("seed {seed}, step {step} ({what}): cached build failed, clean passed: {e}")
            }
            (Err(e), Err(_)) => panic!("seed {seed}, step {step} ({what}): {e}"),
        }
    }
    assert!(
        steps < 10 || left_unread > 0,
        "seed {seed}: no build left a file unread on the cache's word"
    );
}

#[test]
fn builds_through_the_cache_equal_clean_builds() {
    let steps = std::env::var("DOSSIER_DIFF_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let seed = std::env::var("DOSSIER_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261202);
    walk_through_cache(seed, steps);
}

#[test]
fn incremental_rebuilds_equal_clean_builds() {
    let steps = std::env::var("DOSSIER_DIFF_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("DOSSIER_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261201);
    walk(seed, steps);
}

#[test]
fn a_file_saved_with_the_bytes_already_read_is_no_change() {
    // `dossier serve` stays quiet after such a save (an editor's save can
    // reach the watcher twice): the engine says no input differed.
    let world = World::new(11);
    let sink = MemorySink::new();
    let mut engine = Engine::new(world.site.root(), EngineOptions::default());
    assert!(engine.build(&sink).unwrap().inputs_changed);
    let article = &world.articles[2];
    let path = world.site.root().join(&article.file);

    world.site.write(&article.file, &article.text());
    let same = engine.rebuild(std::slice::from_ref(&path), &sink).unwrap();
    assert!(!same.inputs_changed);
    assert!(same.written.is_empty(), "{:?}", same.written);

    world.site.write(
        &article.file,
        &format!("{}\nOne more line.\n", article.text()),
    );
    let edited = engine.rebuild(std::slice::from_ref(&path), &sink).unwrap();
    assert!(edited.inputs_changed);

    // A new file, then gone again: both are changes.
    let new = Article {
        file: "content/articles/z-new.md".into(),
        title: "A new article".into(),
        ..article.clone()
    };
    let new_path = world.site.root().join(&new.file);
    world.site.write(&new.file, &new.text());
    let added = engine
        .rebuild(std::slice::from_ref(&new_path), &sink)
        .unwrap();
    assert!(added.inputs_changed);
    std::fs::remove_file(&new_path).unwrap();
    let gone = engine
        .rebuild(std::slice::from_ref(&new_path), &sink)
        .unwrap();
    assert!(gone.inputs_changed);
    assert!(!gone.removed.is_empty());

    // A theme or settings file read again counts, whatever its bytes.
    let settings = world.site.root().join("site.yaml");
    let unchanged = std::fs::read(&settings).unwrap();
    std::fs::write(&settings, unchanged).unwrap();
    assert!(engine.rebuild(&[settings], &sink).unwrap().inputs_changed);
}

#[test]
fn a_body_edit_renders_one_body_and_rewrites_only_dependent_pages() {
    let world = World::new(7);
    let sink = MemorySink::new();
    let mut engine = Engine::new(world.site.root(), EngineOptions::default());
    let first = engine.build(&sink).unwrap();
    assert!(first.written.len() > 20, "{:?}", first.written);

    // Nothing changed: nothing is written.
    let again = engine.rebuild(&[], &sink).unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);

    let article = &world.articles[5];
    let edited = Article {
        body: format!("{}\nA new closing line about the convoy.\n", article.body),
        ..article.clone()
    };
    world.site.write(&edited.file, &edited.text());
    let outcome = engine
        .rebuild(&[world.site.root().join(&edited.file)], &sink)
        .unwrap();
    let page = format!(
        "articles/{}/index.html",
        edited
            .file
            .trim_start_matches("content/articles/")
            .trim_end_matches(".md")
    );
    assert!(outcome.written.contains(&page), "{:?}", outcome.written);
    assert!(
        outcome.written.len() < first.written.len() / 2,
        "a one-line edit rewrote {} of {} files: {:?}",
        outcome.written.len(),
        first.written.len(),
        outcome.written
    );
    let html = String::from_utf8(sink.get(&page).unwrap().to_vec()).unwrap();
    assert!(html.contains("A new closing line about the convoy."));
    assert_eq!(
        outcome.bodies_rendered, 1,
        "only the edited body is rendered"
    );
    // Every other page that shows the article (its publication's, its
    // actors', its neighbours' in time and in related lists, and the pages
    // about the whole dossier) shows what its front matter says and whom
    // its body names: a closing line that names no one is not even looked
    // at there. The not-found page, which has no inputs of its own, always
    // is.
    assert_eq!(
        outcome.pages_viewed, 2,
        "a line naming no one looked at {} pages",
        outcome.pages_viewed
    );
    let body_edit = outcome.pages_viewed;

    // A line naming an actor the article did not name before puts the
    // article on that actor's page.
    let (number, newcomer) = world
        .actors
        .iter()
        .enumerate()
        .find(|(_, a)| !edited.body.contains(&a.name) && !edited.actors.contains(&a.name))
        .expect("the generated registry has actors this article does not name");
    let mentioned = Article {
        body: format!("{}\n{} declined to comment.\n", edited.body, newcomer.name),
        ..edited.clone()
    };
    world.site.write(&mentioned.file, &mentioned.text());
    let outcome = engine
        .rebuild(&[world.site.root().join(&mentioned.file)], &sink)
        .unwrap();
    let actor_page = format!("actors/actor-{number}/index.html");
    assert!(
        outcome.written.contains(&actor_page),
        "{:?}",
        outcome.written
    );
    let html = String::from_utf8(sink.get(&actor_page).unwrap().to_vec()).unwrap();
    let slug = page
        .trim_start_matches("articles/")
        .trim_end_matches("/index.html");
    assert!(html.contains(slug), "{actor_page} does not list {slug}");

    // The pages about the whole dossier (home, indexes, timeline, feed,
    // sitemap) show no body: a body edit that mentions no new actor leaves
    // them alone, while a title edit makes them again.
    let retitled = Article {
        title: "A new headline".into(),
        ..mentioned.clone()
    };
    world.site.write(&retitled.file, &retitled.text());
    let outcome = engine
        .rebuild(&[world.site.root().join(&retitled.file)], &sink)
        .unwrap();
    assert!(
        outcome.pages_viewed >= body_edit + 7,
        "a body edit looked at {body_edit} pages, a title edit at {}",
        outcome.pages_viewed
    );
    let home = String::from_utf8(sink.get("index.html").unwrap().to_vec()).unwrap();
    let feed = String::from_utf8(sink.get("feed.xml").unwrap().to_vec()).unwrap();
    assert!(home.contains("A new headline") || feed.contains("A new headline"));

    // A date edit moves the article in date order: other bodies are reused.
    let dated = Article {
        date: "2019-12-31".into(),
        ..retitled
    };
    world.site.write(&dated.file, &dated.text());
    let outcome = engine
        .rebuild(&[world.site.root().join(&dated.file)], &sink)
        .unwrap();
    assert_eq!(
        outcome.bodies_rendered, 1,
        "only the edited body is rendered"
    );
}

/// `dossier build` runs an engine that builds once and lets go of the
/// article texts as soon as nothing reads them (before the briefing page
/// when that page is abridged, after it when it prints the texts): its
/// site must be byte for byte the one an engine kept for rebuilds makes.
#[test]
fn a_one_shot_build_equals_an_engine_kept_for_rebuilds() {
    use dossier::pipeline::{BuildOptions, build};
    let world = World::new(11);
    let options = BuildOptions {
        root: world.site.root().to_path_buf(),
        no_cache: true,
        ..BuildOptions::default()
    };
    let output = world.site.root().join("output");
    for (what, settings) in [
        ("full texts on the briefing page", ""),
        ("abridged briefing page", "briefing:\n  page_full_text: 3\n"),
    ] {
        world.site.write(
            "site.yaml",
            &format!(
                "title: Differential dossier\nbase_url: \"https://example.org/d/\"\n{settings}"
            ),
        );
        build(&options).expect("the generated dossier builds");
        let expected = clean_build(&world.site).expect("the generated dossier builds");
        let briefing = String::from_utf8_lossy(&expected["briefing/index.html"]).into_owned();
        assert_eq!(
            briefing.contains("Abridged:"),
            !settings.is_empty(),
            "{what}: the briefing page is not the kind this case is about"
        );
        let diff = first_difference(&output_files(&output), &expected);
        assert!(diff.is_empty(), "{what}: one-shot build ≠ engine: {diff}");
    }
}

/// An engine made to build once still builds right if it is asked again:
/// having let go of the texts, it reads every file again.
#[test]
fn a_one_shot_engine_asked_to_build_again_makes_the_same_site() {
    let world = World::new(13);
    let options = EngineOptions {
        single_build: true,
        ..EngineOptions::default()
    };
    let mut engine = Engine::new(world.site.root(), options.clone());
    let sink = MemorySink::new();
    let first = engine.build(&sink).expect("the generated dossier builds");
    let site = sink.snapshot();
    let again = engine.build(&sink).expect("it builds again");
    assert_eq!(again.pages, first.pages);
    assert!(again.removed.is_empty(), "{:?}", again.removed);
    let diff = first_difference(&sink.snapshot(), &site);
    assert!(diff.is_empty(), "second build ≠ first: {diff}");
    let diff = first_difference(&site, &clean_build(&world.site).unwrap());
    assert!(
        diff.is_empty(),
        "one-shot engine ≠ engine kept for rebuilds: {diff}"
    );
}

/// The opening of the built-in `article_item` component.
const ARTICLE_ITEM: &str = "{% component article_item(a) %}";

/// Gives `site` a theme `mine` whose components are the built-in ones with
/// the opening of `article_item` replaced by `opening`.
fn with_article_item(site: &TestSite, opening: &str) {
    let default = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/components.html"),
    )
    .unwrap();
    assert!(default.contains(ARTICLE_ITEM));
    site.write(
        "themes/mine/templates/components.html",
        &default.replace(ARTICLE_ITEM, opening),
    );
    let settings = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{settings}\ntheme: mine\n"));
}

/// A theme component that fails for one article only: the rebuild that
/// brings that article fails, and so does every later rebuild while the
/// article is there (as a clean build would), even one that edits another
/// article: the failed component's view is never kept for reuse.
#[test]
fn a_component_that_fails_for_one_article_keeps_failing_on_later_rebuilds() {
    let site = TestSite::sample();
    let root = site.root().to_path_buf();
    with_article_item(
        &site,
        &format!(
            "{ARTICLE_ITEM}{{% if a.title == \"BOOM\" %}}{{{{ range(end=10000000) }}}}{{% endif %}}"
        ),
    );

    let sink = MemorySink::new();
    let mut engine = Engine::new(&root, EngineOptions::default());
    engine.build(&sink).unwrap();

    let boom = "content/articles/boom.md";
    site.write(
        boom,
        "---\ntitle: BOOM\ndate: 2017-01-02\nsource: The Moscow Times\n---\n\nText.\n",
    );
    assert!(engine.rebuild(&[root.join(boom)], &sink).is_err());

    let other = "content/articles/2017-01-25-moscow-pivots-from-combatant-to-peacemaker.md";
    let text = std::fs::read_to_string(root.join(other)).unwrap();
    site.write(other, &format!("{text}\nOne more line.\n"));
    let again = engine.rebuild(&[root.join(other)], &sink);
    assert!(clean_build(&site).is_err(), "a clean build fails");
    assert!(
        again.is_err(),
        "a rebuild succeeded where a clean build fails: {:?}",
        again.map(|o| o.written)
    );
}

/// A quote attributed in a body (a blockquote ending in `— Name`) is shown
/// on the page of the actor it names: editing its words in the body must
/// make that page again, though the article's front matter is unchanged.
#[test]
fn a_quote_edited_in_a_body_changes_the_page_of_the_actor_it_names() {
    let world = World::new(11);
    let article = world.articles[3].clone();
    let (number, speaker) = (0, world.actors[0].name.clone());
    let quoting = |words: &str| Article {
        body: format!("{}\n> \"{words}\"\n>\n> — {speaker}\n", article.body),
        ..article.clone()
    };
    let first = quoting("We will not comment on the convoy.");
    world.site.write(&first.file, &first.text());
    let sink = MemorySink::new();
    let mut engine = Engine::new(world.site.root(), EngineOptions::default());
    engine.build(&sink).unwrap();
    let page = format!("actors/actor-{number}/index.html");
    let html = String::from_utf8(sink.get(&page).unwrap().to_vec()).unwrap();
    assert!(
        html.contains("We will not comment on the convoy."),
        "{page}"
    );

    let second = quoting("We have nothing to add about the convoy.");
    world.site.write(&second.file, &second.text());
    let outcome = engine
        .rebuild(&[world.site.root().join(&second.file)], &sink)
        .unwrap();
    assert!(outcome.written.contains(&page), "{:?}", outcome.written);
    let html = String::from_utf8(sink.get(&page).unwrap().to_vec()).unwrap();
    assert!(html.contains("We have nothing to add about the convoy."));
    assert!(!html.contains("We will not comment on the convoy."));
}

/// A theme component may read the `site` global through an implicit
/// argument (`@site`): the views made with it then depend on that global
/// too, and a rebuild that changes it (an article added changes the
/// counts) must not reuse them.
#[test]
fn a_component_reading_the_site_global_is_rendered_again_when_it_changes() {
    let site = TestSite::sample();
    let root = site.root().to_path_buf();
    with_article_item(
        &site,
        "{% component article_item(a, @site) %}<span class=\"of\">{{ site.counts.articles }}</span>",
    );

    let sink = MemorySink::new();
    let mut engine = Engine::new(&root, EngineOptions::default());
    engine.build(&sink).unwrap();
    let shown = sink
        .snapshot()
        .values()
        .filter(|bytes| String::from_utf8_lossy(bytes).contains("<span class=\"of\">5</span>"))
        .count();
    assert!(shown > 0, "no page shows an article item with the count");

    let added = "content/articles/2017-02-added.md";
    site.write(
        added,
        "---\ntitle: Added\ndate: 2017-02-02\nsource: The Moscow Times\n---\n\nText.\n",
    );
    engine.rebuild(&[root.join(added)], &sink).unwrap();
    let diff = first_difference(&sink.snapshot(), &clean_build(&site).unwrap());
    assert!(diff.is_empty(), "rebuild ≠ clean build: {diff}");
}
