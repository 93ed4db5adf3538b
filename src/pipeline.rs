//! The commands' entry points into the engine: `build` writes a site into
//! its output folder, `check` compiles without writing.
//!
//! A one-shot build is "make an [`Engine`], build everything into a staging
//! folder, swap it in". Every stage is parallel over files from the first
//! read; content errors from all stages are collected and returned
//! together, and nothing is written when there are any.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cache::{BuildCache, Inputs};
use crate::diagnostic::Diagnostic;
use crate::engine::{Engine, EngineOptions, Outcome};
use crate::error::Result;
use crate::fingerprint::Fingerprint;
use crate::heap;
use crate::timing::{StageClock, StageTime};
use crate::write::{OutputDir, Staging, WriteStats};

pub use crate::engine::{Compiled, compile, configure};

/// What the user asked `build` to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The dossier folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Output folder, overriding `site.yaml`.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Base URL, overriding `site.yaml`.
    pub base_url: Option<String>,
    /// Show a progress bar for long stages (on a terminal).
    pub progress: bool,
    /// Fail on warnings too (and on broken links `site.yaml` lowers to
    /// warnings).
    pub strict: bool,
    /// Also write the PDF briefing (`briefing.pdf`).
    pub pdf: bool,
    /// Neither read nor write the build cache.
    pub no_cache: bool,
    /// How recently before a build's listing a file may have changed for
    /// the cache still to vouch for it by size and times alone (default
    /// 2 s: file-system clocks tick coarsely). For tests that edit files
    /// faster than that and still want the next build to trust the rest.
    #[doc(hidden)]
    pub racy_window: Option<Duration>,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// Files in the output (pages, assets, copied files).
    pub files: usize,
    /// What the writer did.
    pub stats: WriteStats,
    /// The output folder.
    pub output: PathBuf,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Markdown texts rendered (the others came from the build cache).
    pub bodies_rendered: usize,
    /// Content files whose front matter was parsed (the others were read
    /// back from the build cache).
    pub files_parsed: usize,
    /// Content files read (the others were vouched for by the build cache:
    /// unchanged by size, times and inode since the last build read them).
    pub files_read: usize,
    /// Pages whose template ran (the others were known unchanged).
    pub pages_rendered: usize,
    /// What the build cache gave.
    pub cache: CacheUse,
    /// Time per stage.
    pub timings: Vec<StageTime>,
    /// Total time.
    pub elapsed: Duration,
}

/// What a build took from the cache the previous build left beside the
/// output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUse {
    /// Nothing changed since the last build: nothing was rendered or
    /// written.
    UpToDate,
    /// Rendered Markdown and page signatures were reused: only what changed
    /// was rendered and written.
    Reused,
    /// Rendered Markdown was reused, but the output had been changed since
    /// the last build, so every page was rendered and compared with it.
    BodiesOnly,
    /// Not used, and why (none yet, damaged, another version, …).
    Ignored(String),
}

/// Builds the dossier at `options.root` into its output folder.
///
/// # Errors
/// [`crate::Error::Content`] with every content problem when the dossier
/// has errors (the output is left as it was); other variants for
/// environment failures.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut engine = one_shot_engine(options);
    let config = engine.configure()?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.output));
    // Refuse a dangerous output folder before doing any work.
    let out = OutputDir::new(&options.root, &output)?;
    // Held to the end of the build: a concurrent build waits, then builds
    // on this one's result instead of interleaving with it.
    let _lock = out.lock()?;
    let mut vouching = Vouching::Trusted;
    loop {
        match build_locked(options, engine, &out, vouching, start)? {
            Attempt::Built(report) => return Ok(report),
            Attempt::ChangedDuringBuild(paths) => {
                // A file the cache vouched for changed before its text was
                // read: nothing of that build was published. Build again,
                // reading every file (which cannot end this way).
                log::info!(
                    "{} changed during the build; building again",
                    paths.join(", ")
                );
                engine = one_shot_engine(options);
                engine.configure()?;
                vouching = Vouching::ReadEverything;
            }
        }
    }
}

/// The engine of one `dossier build`.
fn one_shot_engine(options: &BuildOptions) -> Engine {
    Engine::new(
        &options.root,
        EngineOptions {
            drafts: options.drafts,
            base_url: options.base_url.clone(),
            progress: options.progress,
            strict: options.strict,
            pdf: options.pdf,
            briefing_on_request: false,
            single_build: true,
        },
    )
}

/// Whether a build may leave unread the content files its cache vouches
/// for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vouching {
    Trusted,
    ReadEverything,
}

/// How one attempt at a build ended.
enum Attempt {
    Built(BuildReport),
    /// These files, vouched for by the cache and left unread, had changed
    /// by the time their text was needed: nothing was published.
    ChangedDuringBuild(Vec<String>),
}

/// [`build`], once `out` is locked, with a configured `engine`.
fn build_locked(
    options: &BuildOptions,
    mut engine: Engine,
    out: &OutputDir,
    vouching: Vouching,
    start: Instant,
) -> Result<Attempt> {
    let checking = StageClock::start();
    let dossier = std::path::absolute(&options.root)
        .map_err(crate::Error::io("find the absolute path of", &options.root))?;
    let settings = (
        options.drafts,
        &options.base_url,
        options.strict,
        options.pdf,
    )
        .fingerprint();
    let racy_window = options.racy_window.unwrap_or(crate::cache::RACY_WINDOW);
    let mut cache = (!options.no_cache).then(|| {
        // A cache is decoded all at once (see `heap`); a build that cannot
        // use it turns them off below.
        heap::allow_huge_pages(true);
        // Listed before anything is read, so that an edit made during the
        // build shows as a change to the next one.
        let inputs = Inputs::list(&options.root);
        (
            BuildCache::open(&out.cache, &dossier, settings, racy_window),
            inputs,
        )
    });
    if let Some(done) = cache
        .as_ref()
        .and_then(|(c, inputs)| c.up_to_date(&options.root, inputs, &out.live))
    {
        return Ok(Attempt::Built(BuildReport {
            pages: done.pages,
            files: done.files,
            stats: WriteStats {
                unchanged: done.files,
                ..WriteStats::default()
            },
            output: out.live.clone(),
            warnings: done.warnings,
            bodies_rendered: 0,
            files_parsed: 0,
            files_read: 0,
            pages_rendered: 0,
            cache: CacheUse::UpToDate,
            timings: vec![checking.stage("check cache")],
            elapsed: start.elapsed(),
        }));
    }
    // Listing the inputs and reading the manifest, for a build that goes on.
    let checked = cache.is_some().then(|| checking.stage("check cache"));
    let clock = StageClock::start();
    if let Some((_, inputs)) = &cache {
        engine.keep_for_cache();
        if let Some(listed) = inputs.content_listing() {
            engine.use_listing(listed);
        }
    }
    let state = match cache.as_mut() {
        Some((cache, inputs)) => cache.state(&out.live, inputs),
        None => Err("--no-cache".to_string()),
    };
    let (cache_use, mirror) = match state {
        Ok((mut state, intact)) => {
            if vouching == Vouching::ReadEverything {
                state.vouched.clear();
            }
            engine.restore(state, intact);
            let used = if intact {
                CacheUse::Reused
            } else {
                CacheUse::BodiesOnly
            };
            (used, intact)
        }
        Err(why) => {
            // A build from nothing grows its heap in huge pages only while
            // it reads the dossier and renders its Markdown: the engine
            // turns them on there, and they are off until then (settings
            // and theme).
            heap::allow_huge_pages(false);
            engine.huge_pages_while_reading();
            (CacheUse::Ignored(why), false)
        }
    };
    let read_cache = clock.stage("read cache");

    let made = make_site(
        options,
        &mut engine,
        out,
        cache.as_ref().map(|(c, _)| c).filter(|_| mirror),
    );
    // Every page is made, or the build failed: a text read from here on is
    // not published. A text found changed is checked first, as it may be
    // what failed the build (a link to a heading its placeholder lacks).
    if let Some(changed) = engine.unread_texts().map(|u| u.changed())
        && !changed.is_empty()
    {
        return Ok(Attempt::ChangedDuringBuild(changed));
    }
    let (staging, mut outcome) = made?;
    outcome.timings.insert(0, read_cache);
    if let Some(checked) = checked {
        outcome.timings.insert(0, checked);
    }
    let files_read = engine.content_files_read();
    let clock = StageClock::start();
    // What the live output will hold, for the cache to record.
    let published = cache.as_ref().map(|_| staging.files());
    let stats = staging.commit()?;
    let mut timings = outcome.timings;
    timings.push(clock.stage("commit"));
    let mut saved_cache = None;
    if let (Some((cache, inputs)), Some(published)) = (cache, published) {
        let clock = StageClock::start();
        let saved = cache.save(
            inputs,
            |path| engine.content_fingerprint(path),
            &engine.snapshot(),
            (&out.live, published, mirror),
            outcome.pages,
            &outcome.warnings,
        );
        // The site is published already: a cache that cannot be written
        // makes the next build slower, not this one a failure.
        if let Err(e) = saved {
            log::warn!("could not save the build cache: {e}");
        }
        timings.push(clock.stage("save cache"));
        saved_cache = Some(cache);
    }
    // The engine holds the whole dossier (~400 MB in small allocations at
    // 10,000 articles): freeing it takes 40-60 ms. The cache's records of
    // every input and output file as the last build left them take another
    // 5-10 ms (most of it handing their memory back to the system).
    crate::background::free_in_background("free the engine", move || drop((engine, saved_cache)));
    Ok(Attempt::Built(BuildReport {
        pages: outcome.pages,
        files: outcome.files,
        stats,
        output: out.live.clone(),
        warnings: outcome.warnings,
        bodies_rendered: outcome.bodies_rendered,
        files_parsed: outcome.files_parsed,
        files_read,
        pages_rendered: outcome.pages_rendered,
        cache: cache_use,
        timings,
        elapsed: start.elapsed(),
    }))
}

/// Makes every page of `engine`'s dossier (and the PDF if asked) into a
/// staging folder: a mirror of the live site when `mirror_of` (the build
/// cache) vouches for it.
fn make_site(
    options: &BuildOptions,
    engine: &mut Engine,
    out: &OutputDir,
    mirror_of: Option<&BuildCache>,
) -> Result<(Staging, Outcome)> {
    // The staging folder is made beside reading and modelling, on the
    // core they leave free (system calls: a folder and a link per page
    // when it becomes a mirror of the live site): from the cache's record
    // of the live files, else as the last site but one, a mirror of the
    // live site as listed now, or new and empty.
    let (prepared, staging) = rayon::join(
        || engine.prepare(None),
        || match mirror_of {
            Some(cache) => out.stage_mirror(cache.outputs()),
            None => out.stage(),
        },
    );
    let (prepared, staging) = (prepared?, staging?);
    let mut outcome = engine.emit(prepared, &staging)?;
    if options.pdf {
        // Laid out as `dossier pdf` lays it out: with 4 KiB pages.
        heap::allow_huge_pages(false);
        let clock = StageClock::start();
        let state = engine
            .state()
            .expect("invariant: a built engine has a state");
        if !state.site.articles.is_empty() {
            let briefing = crate::briefing::Briefing::build(state, &Default::default())?;
            staging.write(
                "briefing.pdf",
                &crate::briefing::pdf_of(&options.root, &state.site, &briefing)?,
            )?;
            outcome.files += 1;
        }
        outcome.timings.push(clock.stage("pdf"));
    }
    Ok((staging, outcome))
}
