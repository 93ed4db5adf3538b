//! The engine: one dossier's state kept across builds, so that a rebuild
//! after an edit redoes only what the edit affects and still produces, byte
//! for byte, what a clean build would.
//!
//! `dossier build` is "make an engine, build everything". `dossier serve`
//! keeps one engine alive and calls [`Engine::rebuild`] with the paths its
//! watcher saw change. What the engine keeps, and why a rebuild equals a
//! clean build:
//!
//! - **Content files** (`files`): each file's parse result, keyed by its
//!   path and a fingerprint of its bytes. A rebuild re-reads only the paths
//!   it is told about (and walks `content/` again only when files appear,
//!   disappear or a folder changes); an unchanged fingerprint means the
//!   same bytes, so the same parse.
//! - **The model** (`models`): an edit that reaches article bodies only
//!   (every changed file an article whose front matter is byte for byte
//!   what it was) keeps the last model with those articles' texts
//!   replaced, which is what modelling every file again would give. Any
//!   other edit models the cached documents (shared with the file cache,
//!   not copied) again: a linear pass that keeps every reference exact.
//! - **The graph** is rebuilt on every rebuild, except what reads many
//!   articles at once: the related-article ranking (an edit to a few
//!   articles' actors or dates ranks again only the articles near them in
//!   their actors' lists) and the co-actor lists (counted again only for
//!   the actors of articles whose actors changed).
//! - **Rendered Markdown** (`bodies`): each body is cached by its file's
//!   fingerprint and a fingerprint of everything rendering reads from the
//!   rest of the site (actor names and aliases, every link target's URL,
//!   the Markdown settings). Ids inside a cached body's facts are stored as
//!   paths and resolved again, so an article that moves in date order
//!   renumbers nothing that is reused. A body that produced diagnostics is
//!   never cached (its hints depend on the whole site).
//! - **Page dependencies** (`deps`): every page about one article, actor
//!   or publication has a key naming its inputs (the inputs all such pages
//!   share, then each article it shows by path and file fingerprint); the
//!   pages about the whole dossier, one key over every article's front
//!   matter and actors. A page whose key is unchanged is kept without
//!   making its view.
//! - **Shared views**: the per-article, per-actor and per-event views that
//!   many pages list, with the theme components rendered into them, are
//!   made when a page first asks for one (all at once when every page is
//!   made), kept by the same keys and reused while the theme stays the
//!   same (what else a component may read, the `site` global, is among
//!   the inputs every key names).
//! - **Pages**: the other pages' views are built from the fresh model and
//!   signed; a page whose signature (with the theme and the `site` global)
//!   equals the last one is not rendered again. The others go through
//!   their template and are compared with a fingerprint of the bytes last
//!   handed to the [`Sink`]; only pages whose bytes changed are written,
//!   and the ones that no longer exist are removed. The caller learns
//!   which output paths changed. The briefing page can be left to
//!   [`Engine::briefing_page`] (see [`EngineOptions::briefing_on_request`]).
//!
//! A rebuild whose input has errors returns them all and changes nothing:
//! neither the sink nor the engine's last good state.

pub(crate) mod bodies;
pub(crate) mod deps;
pub(crate) mod files;
mod models;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, BrokenLinks, SiteConfig, normalise_base_url};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity, TOO_MANY};
use crate::error::{Error, Result};
use crate::fingerprint::{FastMap, FastSet, Fingerprint};
use crate::model::graph::Graph;
use crate::model::{self, ModelOptions, Site};
use crate::progress::Progress;
use crate::render::markdown::{self, RenderedBody};
use crate::render::theme::Theme;
use crate::render::urls::{Urls, fixed};
use crate::render::views::{ViewCache, ViewMemo};
use crate::render::{HIGHLIGHT_CSS, Page, Renderer, SiteView, WholeParts, highlight};
use crate::timing::{StageClock, StageTime};
use crate::write::Staging;

/// What the engine builds.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Base URL, overriding `site.yaml` (serve renders with its own address).
    pub base_url: Option<String>,
    /// Show a progress bar for long stages (on a terminal).
    pub progress: bool,
    /// Fail on warnings too (and on broken links `site.yaml` lowers to
    /// warnings).
    pub strict: bool,
    /// A `briefing.pdf` is published beside the site (`build --pdf`): the
    /// briefing page links to it.
    pub pdf: bool,
    /// Make `briefing/index.html` only when [`Engine::briefing_page`] asks
    /// for it (as `serve` does when a browser requests it), not in every
    /// build. It is the largest page and depends on every article: making
    /// it on every rebuild would cost more than the rest of an edit.
    pub briefing_on_request: bool,
    /// The engine builds once (the `build` command): it keeps nothing a
    /// rebuild would reuse, and lets go of each stage's working data as
    /// soon as the stage is done, so that a large dossier's peak memory is
    /// not the sum of every stage. Without `pdf`, the model in
    /// [`Engine::state`] then has no article texts. Building again works,
    /// but reads every file again, as a first build does.
    pub single_build: bool,
}

/// Where the engine's output files go: a staging folder for `build`,
/// memory for `serve`, a map in tests.
pub trait Sink: Sync {
    /// Stores the bytes of one output file (new or changed).
    ///
    /// # Errors
    /// An unsafe path or an I/O failure.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Keeps an output file whose bytes are the same as at the last
    /// publish. Only called for files this sink was given (or, for an engine
    /// restored from the build cache, files the output held when the cache
    /// was saved).
    ///
    /// # Errors
    /// An unsafe path.
    fn keep(&self, _path: &str) -> Result<()> {
        Ok(())
    }

    /// Forgets an output file that the site no longer has.
    ///
    /// # Errors
    /// An I/O failure.
    fn remove(&self, path: &str) -> Result<()>;

    /// Makes everything written and removed since the last publish visible
    /// at once; called when a build has emitted every file.
    ///
    /// # Errors
    /// An I/O failure.
    fn publish(&self) -> Result<()> {
        Ok(())
    }

    /// Drops what was written and removed since the last publish; called
    /// when a build fails halfway (a template error on one page).
    fn discard(&self) {}
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, path, bytes)
    }

    fn keep(&self, path: &str) -> Result<()> {
        Staging::keep(self, path)
    }

    /// Nothing to do: committing a staging folder removes every file that
    /// was not written in this build.
    fn remove(&self, _path: &str) -> Result<()> {
        Ok(())
    }
}

/// An in-memory sink: output path → bytes. Writes are held back until
/// [`Sink::publish`], so a reader never sees half of a rebuild.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<FastMap<String, Arc<[u8]>>>,
    /// Changes of the build in progress.
    staged: Mutex<Vec<Staged>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> MemorySink {
        MemorySink::default()
    }

    /// The bytes at `path`, if the site has that file.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        lock(&self.files).get(path).cloned()
    }

    /// Every file, sorted by path.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Arc<[u8]>> {
        lock(&self.files)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// One change held back until publish: `None` removes the file.
type Staged = (String, Option<Arc<[u8]>>);

/// Locks a mutex that no holder ever panics with.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .expect("invariant: no panics while holding the lock")
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        lock(&self.staged).push((path.to_string(), Some(bytes.into())));
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<()> {
        lock(&self.staged).push((path.to_string(), None));
        Ok(())
    }

    fn publish(&self) -> Result<()> {
        let staged = std::mem::take(&mut *lock(&self.staged));
        let mut files = lock(&self.files);
        for (path, bytes) in staged {
            match bytes {
                Some(bytes) => files.insert(path, bytes),
                None => files.remove(&path),
            };
        }
        Ok(())
    }

    fn discard(&self) {
        lock(&self.staged).clear();
    }
}

/// What one build or rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Output paths whose bytes changed (new files included), sorted.
    pub written: Vec<String>,
    /// Output paths the site no longer has, sorted.
    pub removed: Vec<String>,
    /// Pages rendered (in memory; most are usually unchanged).
    pub pages: usize,
    /// Pages whose template ran (the others were given exactly what they
    /// were given last time, so their bytes are known).
    pub pages_rendered: usize,
    /// Pages whose view was made (the others' inputs were unchanged: they
    /// were kept without being looked at).
    pub pages_viewed: usize,
    /// Markdown texts rendered (the others were reused).
    pub bodies_rendered: usize,
    /// Content files whose front matter was parsed (the others' bytes were
    /// what an earlier build, through the build cache, parsed).
    pub files_parsed: usize,
    /// Whether any input may have differed from the last run's (false when
    /// every file it was told of has the bytes that run read).
    pub inputs_changed: bool,
    /// Files in the output (pages, assets, copied files).
    pub files: usize,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Vec<StageTime>,
    /// Total time.
    pub elapsed: Duration,
}

/// Everything known about a dossier before any page is rendered: what
/// `check` inspects, and the state pages (and the briefing) are made of.
#[derive(Debug)]
pub struct Compiled {
    /// The model.
    pub site: Site,
    /// Cross-references.
    pub graph: Graph,
    /// Rendered article bodies, by article index.
    pub bodies: Vec<Arc<RenderedBody>>,
    /// Rendered actor profiles, by actor index.
    pub profiles: Vec<String>,
    /// Rendered publication notes, by source index.
    pub notes: Vec<String>,
    /// Every finding, errors and warnings.
    pub diagnostics: Diagnostics,
    /// URLs.
    pub urls: Urls,
    /// What identifies each article's inputs, for page dependency keys.
    pub(crate) prints: deps::Prints,
    /// Time per stage.
    pub timings: Vec<StageTime>,
}

/// The caches behind [`compile`]: content files and rendered Markdown.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    files: files::FileCache,
    bodies: bodies::BodyCache,
    /// The model of the files as last compiled.
    model: Option<models::ModelMemo>,
    graph: crate::model::graph::GraphMemo,
    /// Grow the heap in huge pages while reading and rendering Markdown
    /// (see [`Engine::huge_pages_while_reading`]).
    huge_pages_while_reading: bool,
}

impl Inputs {
    /// Loads (or, with `changed`, updates), models and renders the bodies
    /// of the dossier at `root`, keeping the model for the next run if
    /// `rebuilds` (see [`EngineOptions::single_build`]). Content problems
    /// are in [`Compiled::diagnostics`]. With `huge_pages_while_reading`,
    /// it switches the process's huge pages on for reading and Markdown
    /// and off after (see [`crate::heap`]).
    fn compile(
        &mut self,
        root: &Path,
        config: SiteConfig,
        options: ModelOptions,
        changed: Option<&[PathBuf]>,
        (progress, rebuilds): (bool, bool),
    ) -> Result<Compiled> {
        let mut laps = Laps::start();
        if self.huge_pages_while_reading {
            crate::heap::allow_huge_pages(true);
        }
        // Taken now: until this run has modelled the files it reads, the
        // memo may not describe them.
        let memo = self.model.take();
        let mut diagnostics = match changed {
            Some(changed) if self.files.is_loaded() => self.files.update(root, changed)?,
            _ => self.files.load_all(root)?,
        };
        laps.lap("load");

        let settings = models::settings(&config, options);
        let remodelled = memo
            .zip(changed)
            .and_then(|(memo, changed)| memo.with_bodies(changed, &self.files, settings));
        let (site, model_diagnostics) =
            remodelled.unwrap_or_else(|| model::build(self.files.loaded(root), config, options));
        if rebuilds {
            self.model = Some(models::ModelMemo::new(&site, &model_diagnostics, settings));
        }
        diagnostics.extend(model_diagnostics);
        diagnostics.extend(crate::render::urls::relative_base_url_warning(&site.config));
        laps.lap("model");

        let urls = Urls::for_site(&site);
        let files = &self.files;
        let rendered = self.bodies.render(
            &site,
            &urls,
            |path| files.fingerprint(path),
            progress,
            &mut diagnostics,
        );
        let prints = deps::Prints::new(
            &site,
            &rendered.bodies,
            options,
            self.bodies.context(),
            |path| files.fingerprint(path),
        );
        laps.lap("markdown");
        if self.huge_pages_while_reading {
            // Most of the heap is grown: the graph, views and pages take
            // theirs in 4 KiB pages, much of it where the texts were.
            crate::heap::allow_huge_pages(false);
        }

        let facts: Vec<_> = rendered.bodies.iter().map(|b| &b.facts).collect();
        let graph = Graph::build_with(&site, &facts, &mut self.graph);
        laps.lap("graph");
        Ok(Compiled {
            site,
            graph,
            bodies: rendered.bodies,
            profiles: rendered.profiles,
            notes: rendered.notes,
            diagnostics,
            urls,
            prints,
            timings: laps.timings,
        })
    }
}

/// Loads, models and renders the bodies of a dossier, without writing.
///
/// # Errors
/// Only environment failures; content problems are in
/// [`Compiled::diagnostics`].
pub fn compile(
    root: &Path,
    config: SiteConfig,
    options: ModelOptions,
    progress: bool,
) -> Result<Compiled> {
    Inputs::default().compile(root, config, options, None, (progress, false))
}

/// A build that has been read and checked and is ready to emit.
#[derive(Debug)]
pub struct Prepared {
    compiled: Compiled,
    /// Fingerprint of the `site` global the templates see.
    site_view: u64,
    /// Why the theme's header or footer could not be rendered.
    chrome_failure: Option<Error>,
    css: String,
    /// Whether an input may differ from what the last run read: a content
    /// file's bytes, or the settings or the theme read again.
    inputs_changed: bool,
    start: Instant,
    laps: Laps,
}

/// One dossier's state across builds.
pub struct Engine {
    root: PathBuf,
    options: EngineOptions,
    inputs: Inputs,
    /// Shared views of the last build, made with the theme whose
    /// fingerprint is `views_theme`.
    views: ViewMemo,
    views_theme: Option<u64>,
    theme: Option<Theme>,
    /// Changes seen but not yet read.
    pending: Touched,
    /// What the sink holds, by output path.
    emitted: FastMap<String, Emitted>,
    /// The fingerprint of what every page sees besides its own view (the
    /// theme, the `site` global) when `emitted` was rendered.
    globals: Option<u64>,
    state: Option<Compiled>,
}

/// One output file as last handed to the sink.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Emitted {
    /// Fingerprint of its bytes.
    bytes: u64,
    /// For a page, the signature of what its template was given.
    view: Option<u64>,
    /// For a page about one article, actor or publication, the key of
    /// its inputs ([`deps::Prints::key`]).
    deps: Option<u64>,
}

/// What one engine leaves for the next run, borrowed for writing: the
/// cached bodies in parts (most of the bytes; an edit changes one part),
/// each with a signature of what it holds, and the rest.
///
/// Shared views are not kept: the theme components' HTML could be (an
/// experiment did), but making the views again from the model costs about
/// as much as rendering the components, so it saved little and made the
/// cache a quarter larger.
#[derive(Debug)]
pub(crate) struct Snapshot<'a> {
    pub(crate) bodies: Vec<(u64, bodies::ShardRef<'a>)>,
    pub(crate) files: Vec<(u64, files::FilesPartRef<'a>)>,
    pub(crate) rest: SnapshotRest<'a>,
}

/// The small part of a [`Snapshot`].
#[derive(Debug, serde::Serialize)]
pub(crate) struct SnapshotRest<'a> {
    context: u64,
    related: &'a crate::model::graph::RelatedMemo,
    emitted: &'a FastMap<String, Emitted>,
    globals: Option<u64>,
}

/// A [`SnapshotRest`] read back (the same fields, owned).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RestoredRest {
    context: u64,
    related: crate::model::graph::RelatedMemo,
    emitted: FastMap<String, Emitted>,
    globals: Option<u64>,
}

/// A [`Snapshot`] read back.
#[derive(Debug)]
pub(crate) struct Restored {
    pub(crate) rest: RestoredRest,
    pub(crate) bodies: Vec<bodies::Shard>,
    pub(crate) files: Vec<files::FilesPart>,
    /// Content files unchanged since the build that saved it (path →
    /// fingerprint of their bytes): not read again.
    pub(crate) vouched: FastMap<String, u64>,
}

/// At most how many parts the build cache splits rendered bodies (and
/// parsed front matter) into: an edit rewrites the part holding its file,
/// not every file of the dossier.
pub(crate) const MAX_PARTS: usize = 64;
/// About how many files a part holds, below [`MAX_PARTS`] parts: a dossier
/// of a hundred articles has one part, not 64 files to write (~10 ms of a
/// build that takes 30).
const FILES_PER_PART: usize = 128;

/// Splits `entries` (by path) into parts for the build cache: by a
/// fingerprint of the path, one part per [`FILES_PER_PART`] entries and at
/// most [`MAX_PARTS`], each in path order.
fn parts_by_path<T>(entries: Vec<(&str, T)>) -> Vec<Vec<(&str, T)>> {
    let count = entries.len().div_ceil(FILES_PER_PART).clamp(1, MAX_PARTS);
    let mut parts: Vec<Vec<(&str, T)>> = (0..count).map(|_| Vec::new()).collect();
    for (path, entry) in entries {
        parts[(path.fingerprint() % count as u64) as usize].push((path, entry));
    }
    for part in &mut parts {
        part.sort_unstable_by_key(|(path, _)| *path);
    }
    parts
}

/// Which inputs a changed path belongs to.
#[derive(Debug, Default)]
struct Touched {
    config: bool,
    theme: bool,
    content: Vec<PathBuf>,
}

impl Engine {
    /// An engine for the dossier at `root`; nothing is read until the first
    /// [`Engine::build`].
    pub fn new(root: &Path, options: EngineOptions) -> Engine {
        Engine {
            root: root.to_path_buf(),
            options,
            inputs: Inputs::default(),
            views: ViewMemo::default(),
            views_theme: None,
            theme: None,
            pending: Touched::default(),
            emitted: FastMap::default(),
            globals: None,
            state: None,
        }
    }

    /// The dossier folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last state that built without errors.
    pub fn state(&self) -> Option<&Compiled> {
        self.state.as_ref()
    }

    /// [`BRIEFING_PAGE`] of the last good state, made now (for an engine
    /// made with [`EngineOptions::briefing_on_request`]); `None` before a
    /// good build or when the dossier has no articles.
    ///
    /// # Errors
    /// A template error in the theme's `briefing.html`.
    pub fn briefing_page(&self) -> Result<Option<Vec<u8>>> {
        match (&self.state, &self.theme) {
            (Some(state), Some(theme)) => briefing_page(state, theme, self.options.pdf),
            _ => Ok(None),
        }
    }

    /// What a later run of `dossier build` can reuse from this engine (what
    /// each Markdown text says, each content file's parsed front matter when
    /// [`Engine::keep_for_cache`] asked for it, the related-article
    /// ranking, and what the sink holds), for the build cache.
    pub(crate) fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            bodies: self.inputs.bodies.shards(),
            files: self.inputs.files.parts(),
            rest: SnapshotRest {
                context: self.inputs.bodies.context(),
                related: &self.inputs.graph.related,
                emitted: &self.emitted,
                globals: self.globals,
            },
        }
    }

    /// Starts from what an earlier run kept (see [`Engine::snapshot`]).
    /// With `output_intact`, the sink is known to hold exactly what that run
    /// emitted, so pages that come out the same are kept, not written
    /// again; otherwise only the rendered Markdown, the parsed front matter
    /// and the ranking are reused.
    pub(crate) fn restore(&mut self, saved: Restored, output_intact: bool) {
        let Restored {
            rest,
            bodies,
            files,
            vouched,
        } = saved;
        self.inputs.bodies = bodies::BodyCache::from_shards(rest.context, bodies);
        self.inputs.files.restore(files, vouched);
        self.inputs.graph.related = rest.related;
        if output_intact {
            self.emitted = rest.emitted;
            self.globals = rest.globals;
        }
    }

    /// Keeps what the build cache stores of each content file's parse (see
    /// [`Engine::snapshot`]), from the next read on.
    pub(crate) fn keep_for_cache(&mut self) {
        self.inputs.files.keep_front_matter();
    }

    /// Lets the heap grow in 2 MiB pages while this engine reads the
    /// dossier and renders its Markdown, and in 4 KiB pages from the graph
    /// on: for a build from nothing, which grows most of its heap there
    /// (see [`crate::heap`]).
    pub(crate) fn huge_pages_while_reading(&mut self) {
        self.inputs.huge_pages_while_reading = true;
    }

    /// Gives the next build the listing of `content/` the build cache made
    /// before it, so that the folder is walked once per build.
    pub(crate) fn use_listing(&mut self, listed: Vec<crate::load::Listed>) {
        self.inputs.files.use_listing(listed);
    }

    /// How many content files the last build read (those the build cache
    /// vouched for are read only if something needed their text).
    pub(crate) fn content_files_read(&self) -> usize {
        self.inputs.files.files_read()
    }

    /// The texts of content files the last build left unread (vouched for
    /// by the build cache), and what reading those it needed found.
    pub(crate) fn unread_texts(&self) -> Option<&Arc<crate::load::text::Unread>> {
        self.inputs.files.unread()
    }

    /// The fingerprint of a content file's bytes as this engine last read
    /// them (`None` for files it does not read, such as images).
    pub(crate) fn content_fingerprint(&self, path: &str) -> Option<u64> {
        self.inputs.files.content_fingerprint(path)
    }

    /// The settings, with command-line overrides applied.
    ///
    /// # Errors
    /// [`Error::Content`] for a broken `site.yaml`, [`Error::Usage`] for a
    /// bad `--base-url`.
    pub fn configure(&self) -> Result<SiteConfig> {
        configure(&self.root, self.options.base_url.as_deref())
    }

    /// Builds everything, reading every input afresh, and hands every file
    /// whose bytes differ from what this engine last emitted to `sink`.
    ///
    /// # Errors
    /// [`Error::Content`] with every problem when the dossier has errors
    /// (nothing is emitted); other variants for environment failures.
    pub fn build(&mut self, sink: &dyn Sink) -> Result<Outcome> {
        let prepared = self.prepare(None)?;
        self.emit(prepared, sink)
    }

    /// Rebuilds after the files at `changed` (added, changed or removed;
    /// absolute or relative to the root) changed on disk.
    ///
    /// # Errors
    /// As [`Engine::build`]; on errors the sink and the last good state are
    /// left as they were.
    pub fn rebuild(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Result<Outcome> {
        let prepared = self.prepare(Some(changed))?;
        self.emit(prepared, sink)
    }

    fn classify(&self, changed: &[PathBuf]) -> Touched {
        let mut touched = Touched::default();
        for path in changed {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            let first = rel.components().next().map(|c| c.as_os_str());
            if rel == Path::new(config::CONFIG_FILE) {
                touched.config = true;
            } else if first == Some("themes".as_ref()) {
                touched.theme = true;
            } else if first == Some(crate::load::CONTENT_DIR.as_ref()) {
                touched.content.push(rel.to_path_buf());
            }
        }
        touched
    }

    /// The first half of a build: reads what changed (everything when
    /// `changed` is `None`), models it and renders the Markdown, and stops
    /// with every error found. Nothing is emitted yet, so a caller can
    /// prepare the output only once it knows there is a site to write.
    ///
    /// # Errors
    /// As [`Engine::build`].
    pub fn prepare(&mut self, changed: Option<&[PathBuf]>) -> Result<Prepared> {
        let start = Instant::now();
        let mut laps = Laps::start();
        // Changes wait in `pending` until the run that reads them gets that
        // far: a run stopped by a broken `site.yaml` must not lose the
        // content and theme changes that came with it.
        let full = match changed {
            None => {
                self.pending = Touched::default();
                true
            }
            Some(changed) => {
                let touched = self.classify(changed);
                self.pending.config |= touched.config;
                self.pending.theme |= touched.theme;
                self.pending.content.extend(touched.content);
                false
            }
        };

        // Settings are small: read them on every run, so that a fixed
        // `site.yaml` is always picked up.
        let config = self.configure()?;
        let load_theme = full || self.theme.is_none() || self.pending.theme || self.pending.config;
        let content = (!full).then(|| self.pending.content.clone());
        // The theme depends only on the settings: it is compiled (and the
        // highlighting stylesheet made) beside reading the dossier, on the
        // core the first file reads leave free, instead of before them.
        let (root, inputs) = (&self.root, &mut self.inputs);
        let (theme_name, light, dark) = (
            config.theme.clone(),
            config.markdown.highlight_theme.clone(),
            config.markdown.highlight_theme_dark.clone(),
        );
        let options = ModelOptions {
            include_drafts: self.options.drafts,
        };
        let rebuilds = (self.options.progress, !self.options.single_build);
        let ((theme_result, css_result, theme_wall), compiled) = rayon::join(
            || {
                let clock = Instant::now();
                let theme = load_theme.then(|| Theme::load(root, &theme_name));
                let css = highlight::stylesheet(&light, &dark);
                (theme, css, clock.elapsed())
            },
            || inputs.compile(root, config, options, content.as_deref(), rebuilds),
        );
        let mut compiled = compiled?;
        let inputs_changed = full || load_theme || self.inputs.files.changed > 0;
        if load_theme {
            self.pending.theme = false;
            self.pending.config = false;
        }
        self.pending.content.clear();
        laps.timings.append(&mut compiled.timings);
        laps.timings
            .push(StageTime::beside("(theme, beside reading)", theme_wall));
        laps.restart();
        let prepared = self.finish_prepare(compiled, theme_result, css_result, (start, laps))?;
        Ok(Prepared {
            inputs_changed,
            ..prepared
        })
    }

    /// [`Engine::prepare`] for a state compiled already (as `check` has
    /// one): the theme is loaded, nothing is read again.
    ///
    /// # Errors
    /// As [`Engine::build`].
    pub(crate) fn prepare_compiled(&mut self, compiled: Compiled) -> Result<Prepared> {
        let start = Instant::now();
        let config = &compiled.site.config;
        let theme_result = Theme::load(&self.root, &config.theme);
        let css_result = highlight::stylesheet(
            &config.markdown.highlight_theme,
            &config.markdown.highlight_theme_dark,
        );
        self.finish_prepare(
            compiled,
            Some(theme_result),
            css_result,
            (start, Laps::start()),
        )
    }

    /// The end of [`Engine::prepare`]: takes the theme (`None`: keep the
    /// last one), makes the highlighting stylesheet's findings and the
    /// build's severities part of the state, and stops at errors.
    fn finish_prepare(
        &mut self,
        mut compiled: Compiled,
        theme_result: Option<std::result::Result<Theme, Diagnostics>>,
        css_result: std::result::Result<String, String>,
        (start, laps): (Instant, Laps),
    ) -> Result<Prepared> {
        let mut diagnostics = std::mem::take(&mut compiled.diagnostics);
        match theme_result {
            Some(Ok(theme)) => self.theme = Some(theme),
            Some(Err(d)) => {
                // Forget the last good theme, so that the next run loads
                // it again whatever changed (as a clean build would).
                self.theme = None;
                diagnostics.extend(d);
            }
            None => {}
        }
        let css = match css_result {
            Ok(css) => css,
            Err(name) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::Config,
                        config::CONFIG_FILE,
                        format!("unknown highlight theme `{name}`"),
                    )
                    .help(format!(
                        "available: {}",
                        highlight::theme_names().join(", ")
                    )),
                );
                String::new()
            }
        };
        let broken = compiled.site.config.links.broken;
        let diagnostics = severities_for_build(diagnostics, broken, self.options.strict);
        if diagnostics.has_errors() {
            return Err(Error::Content(diagnostics));
        }
        let Some(theme) = self.theme.as_mut() else {
            return Err(Error::Content(diagnostics));
        };
        let site_view = SiteView::new(&compiled.site, &compiled.urls);
        // A header or footer that fails is reported with the pages'
        // failures, when they are rendered.
        let chrome_failure = theme.set_site(&site_view).err();
        compiled.diagnostics = diagnostics;
        Ok(Prepared {
            site_view: crate::fingerprint::of_serialized(&site_view),
            chrome_failure,
            compiled,
            css,
            inputs_changed: true,
            start,
            laps,
        })
    }

    /// The second half of a build: renders every page of a prepared state,
    /// hands `sink` the files whose bytes changed since this engine last
    /// emitted, removes the ones the site no longer has, and keeps the
    /// state as the last good one.
    ///
    /// # Errors
    /// Template and I/O failures.
    pub fn emit(&mut self, prepared: Prepared, sink: &dyn Sink) -> Result<Outcome> {
        let result = self.emit_all(prepared, sink).and_then(|outcome| {
            sink.publish()?;
            Ok(outcome)
        });
        if result.is_err() {
            sink.discard();
        }
        result
    }

    fn emit_all(&mut self, prepared: Prepared, sink: &dyn Sink) -> Result<Outcome> {
        let Prepared {
            compiled: mut state,
            site_view,
            chrome_failure,
            css,
            inputs_changed,
            start,
            mut laps,
        } = prepared;
        let theme = self
            .theme
            .as_ref()
            .expect("invariant: a prepared build has a theme");
        // A component sees its argument and, through an `@site` argument,
        // the `site` global, whose every input the views' keys name (see
        // `Prints::shared`): the views stay valid while the theme does.
        if self.views_theme != Some(theme.fingerprint()) {
            self.views = ViewMemo::default();
            self.views_theme = Some(theme.fingerprint());
        }
        // A build that no other follows lets go of the article texts as
        // soon as nothing will read them (only the briefing still does,
        // and `build --pdf` after this), before the briefing page and the
        // shared views take their memory: a large dossier's peak is then
        // not texts, bodies and views at once.
        // Nor while a page may still render a body again (one whose HTML
        // the build cache left out).
        let rerenders = state.bodies.iter().any(|b| b.html.is_left_out());
        let release = self.options.single_build && !self.options.pdf && !rerenders;
        let briefing_reads_texts = crate::briefing::Briefing::page_prints_texts(&state.site);
        let mut release_texts = |site: &mut Site| {
            site.release_texts();
            self.inputs.files.release_documents();
        };
        if release && !briefing_reads_texts {
            release_texts(&mut state.site);
        }
        // A template that fails is reported with every other failure, not
        // only on the first page it breaks (each place in the theme once),
        // the briefing page's included.
        let failures = Mutex::new(Diagnostics::new());
        if let Some(failure) = chrome_failure {
            or_collect::<()>(Err(failure), &failures)?;
        }
        // Everything a page sees besides its own view: the theme and the
        // `site` global (the header and footer are made of both).
        let globals = (theme.fingerprint(), site_view).fingerprint();
        // Shared views are made as pages ask for them: a build that renders
        // a few pages makes only theirs. One that renders every page (the
        // first, or after the theme or the `site` global changed) makes
        // them all first, on every core.
        let cache = ViewCache::new(
            &state.site,
            &state.graph,
            &state.urls,
            theme,
            (&self.views, &state.prints),
        );
        let every_page = self.emitted.is_empty() || self.globals != Some(globals);
        let bodies = &self.inputs.bodies;
        let html_of = |id| bodies.html_of(&state.site, &state.urls, id);
        let renderer = Renderer {
            site: &state.site,
            graph: &state.graph,
            bodies: &state.bodies,
            html_of: &html_of,
            profiles: &state.profiles,
            notes: &state.notes,
            theme,
            urls: &state.urls,
            cache: &cache,
            whole: &WholeParts::default(),
        };
        let mut pages = Page::all(&state.site);
        // Article pages last: the pages that list many articles (an actor
        // in most of them, a year of the timeline) take far longer, and one
        // picked up near the end would leave the other cores idle until it
        // is done.
        pages.sort_by_key(|page| matches!(page, Page::Article(_)));
        let progress = Progress::new("Rendering pages", pages.len() as u64, self.options.progress);
        // Pages are compared by their view's signature first (skipping
        // the template when nothing it is given changed), then by bytes.
        let emitted = &self.emitted;
        let previous = |path: &str| {
            emitted
                .get(path)
                .filter(|_| self.globals == Some(globals))
                .copied()
        };
        // What each output path holds now, and which of them changed.
        let produced: Mutex<Vec<(String, Emitted, bool)>> = Mutex::new(Vec::new());
        let emit = |path: String, bytes: &[u8], view: Option<u64>, deps: Option<u64>| {
            let print = bytes.fingerprint();
            let changed = emitted.get(&path).map(|e| e.bytes) != Some(print);
            if changed {
                sink.write(&path, bytes)?;
            } else {
                sink.keep(&path)?;
            }
            let now = Emitted {
                bytes: print,
                view,
                deps,
            };
            lock(&produced).push((path, now, changed));
            Ok::<(), Error>(())
        };
        let skipped = std::sync::atomic::AtomicUsize::new(0);
        let viewed = std::sync::atomic::AtomicUsize::new(0);
        let keep = |path: String, unchanged: Emitted| {
            skipped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sink.keep(&path)?;
            lock(&produced).push((path, unchanged, false));
            Ok::<(), Error>(())
        };
        // Every page but the briefing page: the shared views first when
        // every page is made, then each page on the core that is free.
        let render_pages = || {
            if every_page {
                cache.make_all();
            }
            // One output buffer per worker, reused for every page it
            // renders.
            pages
                .par_iter()
                .try_for_each_init(Vec::new, |buffer, &page| {
                    let path = page.output_file(&state.site);
                    let before = previous(&path);
                    // A page whose inputs are unchanged is kept without making
                    // its view.
                    let deps = state.prints.key(&state.site, &state.graph, page);
                    if let Some(before) = before
                        && deps.is_some()
                        && before.deps == deps
                    {
                        keep(path, before)?;
                    } else {
                        viewed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        buffer.clear();
                        let rendered =
                            renderer.render_into(page, buffer, before.and_then(|e| e.view));
                        let Some(view) = or_collect(rendered, &failures)? else {
                            return Ok(());
                        };
                        match before {
                            Some(before) if before.view == Some(view) => {
                                keep(path, Emitted { deps, ..before })?;
                            }
                            _ => emit(path, buffer, Some(view), deps)?,
                        }
                    }
                    progress.inc();
                    Ok::<(), Error>(())
                })
        };
        // The briefing page is made on one thread for the most part: beside
        // the other pages, it takes a core's idle time instead of a stage of
        // its own.
        let (briefing, rendered) = rayon::join(
            || {
                let clock = Instant::now();
                let page = (!self.options.briefing_on_request)
                    .then(|| briefing_page(&state, theme, self.options.pdf))
                    .transpose();
                (page, clock.elapsed())
            },
            render_pages,
        );
        rendered?;
        let (briefing, briefing_took) = briefing;
        let briefing = or_collect(briefing, &failures)?.flatten().flatten();
        let views = cache.finish(!self.options.single_build);
        for failure in views.failures {
            or_collect::<()>(Err(failure), &failures)?;
        }
        self.views = views.memo;
        // The briefing page prints the texts only of a dossier small enough
        // (`briefing.page_full_text`) for texts, bodies and views to fit
        // together: they are let go of once that page is made.
        if release && briefing_reads_texts {
            release_texts(&mut state.site);
        }
        progress.finish();
        let failures = failures.into_inner().expect("invariant: no poisoned lock");
        if !failures.is_empty() {
            let mut seen = FastSet::default();
            return Err(Error::Content(
                failures
                    .into_iter()
                    // By place when located: a message may quote the page's
                    // data, and would then differ from page to page.
                    .filter(|d| {
                        let what = match &d.location {
                            Some(_) => String::new(),
                            None => d.message.clone(),
                        };
                        seen.insert((d.position(), what))
                    })
                    .collect(),
            ));
        }
        let root = &self.root;
        let assets = fixed::ASSETS;
        for (name, bytes) in &theme.static_files {
            emit(format!("{assets}{name}"), bytes, None, None)?;
        }
        emit(
            format!("{assets}{HIGHLIGHT_CSS}"),
            css.as_bytes(),
            None,
            None,
        )?;
        state.site.assets.par_iter().try_for_each(|asset| {
            // Never through a link, like every other read of the dossier.
            let bytes = crate::load::inside::read(root, &asset.path, u64::MAX)
                .map_err(Error::io("read", &asset.file))?
                .expect("invariant: no size limit");
            emit(asset.output.clone(), &bytes, None, None)
        })?;
        laps.lap("views and pages");
        if !self.options.briefing_on_request {
            laps.timings.push(StageTime::beside(
                "(briefing page, beside other work)",
                briefing_took,
            ));
        }
        if let Some(page) = briefing {
            emit(BRIEFING_PAGE.to_string(), &page, None, None)?;
        }

        let produced = produced.into_inner().expect("invariant: no poisoned lock");
        let files = produced.len();
        let mut written = Vec::new();
        let mut now = FastMap::with_capacity_and_hasher(produced.len(), Default::default());
        for (path, emitted, changed) in produced {
            if changed {
                written.push(path.clone());
            }
            now.insert(path, emitted);
        }
        let mut removed: Vec<String> = self
            .emitted
            .keys()
            .filter(|p| !now.contains_key(*p))
            .cloned()
            .collect();
        for path in &removed {
            sink.remove(path)?;
        }
        written.sort_unstable();
        removed.sort_unstable();
        self.emitted = now;
        self.globals = Some(globals);
        laps.lap("write");
        let warnings = state.diagnostics.clone().sorted();
        let old = self.state.replace(state);
        // Freeing a large site's memory takes a noticeable fraction of a
        // build, on one thread; hand it to another so the caller is not kept
        // waiting.
        std::thread::spawn(move || drop(old));
        Ok(Outcome {
            written,
            removed,
            pages: pages.len(),
            pages_rendered: pages.len() - skipped.into_inner(),
            pages_viewed: viewed.into_inner(),
            bodies_rendered: self.inputs.bodies.rendered,
            files_parsed: self.inputs.files.parsed,
            inputs_changed,
            files,
            warnings,
            timings: laps.timings,
            elapsed: start.elapsed(),
        })
    }
}

/// `result`'s value, or `None` with its content findings added to
/// `failures`; other errors are returned.
fn or_collect<T>(result: Result<T>, failures: &Mutex<Diagnostics>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::Content(found)) => {
            lock(failures).extend(found);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Where the briefing page goes in the output.
pub const BRIEFING_PAGE: &str = "briefing/index.html";

/// The briefing page (the whole dossier as one printable document) of
/// `state`, if the dossier has articles.
fn briefing_page(state: &Compiled, theme: &Theme, with_pdf: bool) -> Result<Option<Vec<u8>>> {
    if state.site.articles.is_empty() {
        return Ok(None);
    }
    let briefing = crate::briefing::Briefing::for_page(state)?;
    crate::briefing::html(briefing, &state.site, &state.urls, theme, with_pdf).map(Some)
}

/// Time per stage of one run.
#[derive(Debug)]
struct Laps {
    clock: StageClock,
    timings: Vec<StageTime>,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            clock: StageClock::start(),
            timings: Vec::new(),
        }
    }

    /// Ends the stage `name`, starting the next.
    fn lap(&mut self, name: &'static str) {
        self.timings.push(self.clock.stage(name));
        self.restart();
    }

    fn restart(&mut self) {
        self.clock = StageClock::start();
    }
}

/// Applies `links.broken: warn` (broken links become warnings) and then
/// `--strict` (every warning becomes an error) to a build's findings.
fn severities_for_build(
    diagnostics: Diagnostics,
    broken: BrokenLinks,
    strict: bool,
) -> Diagnostics {
    diagnostics
        .into_iter()
        .map(|mut d| {
            if broken == BrokenLinks::Warn && BROKEN_LINK_CODES.contains(&d.code) {
                d.severity = Severity::Warning;
            }
            if strict {
                d.severity = Severity::Error;
            }
            d
        })
        .collect()
}

/// The findings `links.broken` applies to. Past the cap, the only errors
/// a body counts instead of reporting are broken links, so their "and N
/// more" line goes with them.
const BROKEN_LINK_CODES: &[Code] = &[Code::BrokenLink, Code::BrokenFragment, TOO_MANY];

/// Reads `site.yaml` and applies command-line overrides.
///
/// # Errors
/// [`Error::Content`] with located diagnostics; [`Error::Usage`] for a bad
/// `base_url` override.
pub fn configure(root: &Path, base_url: Option<&str>) -> Result<SiteConfig> {
    config::require_dossier(root)?;
    let mut config = SiteConfig::load(root).map_err(|d| Error::Content(d.into_iter().collect()))?;
    if let Some(url) = base_url {
        config.base_url =
            normalise_base_url(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
    }
    Ok(config)
}

/// Reports `#fragment` links that point at no heading or footnote, for
/// every body.
pub(crate) fn check_all_fragments(site: &Site, bodies: &[Arc<RenderedBody>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (article, body) in site.articles.iter().zip(bodies) {
        if body.fragment_links.is_empty() {
            continue;
        }
        out.extend(markdown::check_fragments(
            site,
            &article.path,
            &body.facts.anchors,
            &body.fragment_links,
            |target| bodies[target.index()].facts.anchors.clone(),
        ));
    }
    out
}
