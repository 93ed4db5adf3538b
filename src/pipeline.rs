//! The pipeline: load → model → render → write, and the only module that
//! knows every stage.
//!
//! [`compile`] runs everything that does not touch the output (it is what
//! `dossier check` runs), [`build`] adds rendering the pages and writing
//! them. Every stage is parallel over files from the first read; the model
//! and graph stages are linear and cheap. Content errors from all stages are
//! collected and returned together; nothing is written when there are any.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{SiteConfig, normalise_base_url};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::model::graph::Graph;
use crate::model::{self, ModelOptions, Site};
use crate::progress::Progress;
use crate::render::markdown::{self, Body, BodyContext, RenderedBody};
use crate::render::mentions::MentionMatcher;
use crate::render::theme::Theme;
use crate::render::urls::{Urls, fixed};
use crate::render::views::ViewCache;
use crate::render::{HIGHLIGHT_CSS, Page, Renderer, highlight};
use crate::write::{OutputDir, WriteStats};

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
    /// Also write the PDF briefing (`briefing.pdf`).
    pub pdf: bool,
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
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Total time.
    pub elapsed: Duration,
}

/// Everything known about a dossier before any page is rendered.
#[derive(Debug)]
pub struct Compiled {
    /// The model.
    pub site: Site,
    /// Cross-references.
    pub graph: Graph,
    /// Rendered article bodies, by article index.
    pub bodies: Vec<RenderedBody>,
    /// Rendered actor profiles, by actor index.
    pub profiles: Vec<String>,
    /// Rendered publication notes, by source index.
    pub notes: Vec<String>,
    /// Every finding, errors and warnings.
    pub diagnostics: Diagnostics,
    /// URLs.
    pub urls: Urls,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Reads `site.yaml` and applies command-line overrides.
///
/// # Errors
/// [`Error::Content`] with located diagnostics.
pub fn configure(root: &Path, base_url: Option<&str>) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(root).map_err(|d| Error::Content(d.into_iter().collect()))?;
    if let Some(url) = base_url {
        config.base_url =
            normalise_base_url(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
    }
    Ok(config)
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
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let (loaded, mut diagnostics) = crate::load::load(root)?;
    lap("load", &mut timings);
    let (site, model_diagnostics) = model::build(loaded, config, options);
    diagnostics.extend(model_diagnostics);
    lap("model", &mut timings);

    let urls = Urls::for_site(&site);
    let matcher = MentionMatcher::new(&site);
    let ctx = BodyContext {
        site: &site,
        urls: &urls,
        matcher: &matcher,
    };
    let bar = Progress::new("Rendering Markdown", site.articles.len() as u64, progress);
    let results: Vec<(RenderedBody, Vec<Diagnostic>)> = site
        .articles
        .par_iter()
        .map(|a| {
            let rendered = markdown::render_body(
                ctx,
                Body {
                    path: &a.path,
                    text: &a.text,
                    body_start: a.body_start,
                    self_actor: None,
                },
            );
            bar.inc();
            rendered
        })
        .collect();
    bar.finish();
    let mut bodies = Vec::with_capacity(results.len());
    for (body, found) in results {
        diagnostics.extend(found);
        bodies.push(body);
    }
    // Actor profiles and publication notes are Markdown too; an actor's
    // own name is not linked on its own page.
    let profile = |path: &Option<String>, text: &str, body_start, self_actor| match path {
        Some(path) => {
            let (body, found) = markdown::render_body(
                ctx,
                Body {
                    path,
                    text,
                    body_start,
                    self_actor,
                },
            );
            (body.html, found)
        }
        None => (String::new(), Vec::new()),
    };
    let rendered: Vec<(String, Vec<Diagnostic>)> = site
        .actors
        .par_iter()
        .map(|a| profile(&a.path, &a.text, a.body_start, Some(a.id)))
        .chain(
            site.sources
                .par_iter()
                .map(|s| profile(&s.path, &s.text, s.body_start, None)),
        )
        .collect();
    let mut profiles = Vec::with_capacity(site.actors.len());
    let mut notes = Vec::with_capacity(site.sources.len());
    for (index, (html, found)) in rendered.into_iter().enumerate() {
        diagnostics.extend(found);
        if index < site.actors.len() {
            profiles.push(html);
        } else {
            notes.push(html);
        }
    }
    for (article, body) in site.articles.iter().zip(&bodies) {
        diagnostics.extend(markdown::check_fragments(
            &site,
            &article.path,
            &body.facts.anchors,
            &body.fragment_links,
            |target| bodies[target.index()].facts.anchors.clone(),
        ));
    }
    lap("markdown", &mut timings);

    let facts: Vec<_> = bodies.iter().map(|b| &b.facts).collect();
    let graph = Graph::build(&site, &facts);
    lap("graph", &mut timings);
    Ok(Compiled {
        site,
        graph,
        bodies,
        profiles,
        notes,
        diagnostics,
        urls,
        timings,
    })
}

/// Builds the dossier at `options.root` into its output folder.
///
/// # Errors
/// [`Error::Content`] with every content problem when the dossier has
/// errors (the output is left as it was); other variants for environment
/// failures.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let root = &options.root;
    let config = configure(root, options.base_url.as_deref())?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.output));
    // Refuse a dangerous output folder before doing any work.
    let out = OutputDir::new(root, &output)?;
    let theme_result = Theme::load(root, &config.theme);
    let css_result = highlight::stylesheet(
        &config.markdown.highlight_theme,
        &config.markdown.highlight_theme_dark,
    );

    let mut compiled = compile(
        root,
        config,
        ModelOptions {
            include_drafts: options.drafts,
        },
        options.progress,
    )?;
    let theme = match theme_result {
        Ok(theme) => Some(theme),
        Err(d) => {
            compiled.diagnostics.push(d);
            None
        }
    };
    let css = match css_result {
        Ok(css) => css,
        Err(name) => {
            compiled.diagnostics.push(
                Diagnostic::error(
                    "config",
                    crate::config::CONFIG_FILE,
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
    let Some(mut theme) = theme.filter(|_| !compiled.diagnostics.has_errors()) else {
        return Err(Error::Content(compiled.diagnostics));
    };
    // The briefing reads the article sources, which are freed below.
    let briefing = (!compiled.site.articles.is_empty())
        .then(|| crate::briefing::Briefing::build(&compiled, &Default::default()))
        .transpose()?;
    let Compiled {
        mut site,
        graph,
        bodies,
        profiles,
        notes,
        diagnostics,
        urls,
        mut timings,
    } = compiled;
    site.release_texts();
    theme.set_global("site", &crate::render::SiteView::new(&site, &urls));

    let clock = Instant::now();
    let staging = out.stage()?;
    let cache = ViewCache::build(&site, &graph, &urls, &theme)?;
    let renderer = Renderer {
        site: &site,
        graph: &graph,
        bodies: &bodies,
        profiles: &profiles,
        notes: &notes,
        theme: &theme,
        urls: &urls,
        cache: &cache,
    };
    let pages = Page::all(&site);
    let progress = Progress::new("Rendering pages", pages.len() as u64, options.progress);
    // One output buffer per worker, reused for every page it renders.
    pages
        .par_iter()
        .try_for_each_init(Vec::new, |buffer, &page| {
            buffer.clear();
            renderer.render_into(page, buffer)?;
            staging.write(&page.output_file(&site), buffer)?;
            progress.inc();
            Ok::<(), Error>(())
        })?;
    progress.finish();
    let assets = fixed::ASSETS;
    for (name, bytes) in &theme.static_files {
        staging.write(&format!("{assets}{name}"), bytes)?;
    }
    staging.write(&format!("{assets}{HIGHLIGHT_CSS}"), css.as_bytes())?;
    site.assets
        .par_iter()
        .try_for_each(|asset| staging.copy(&asset.output, &asset.file))?;
    let mut files = pages.len() + theme.static_files.len() + 1 + site.assets.len();
    timings.push(("render+write", clock.elapsed()));
    let clock = Instant::now();
    if let Some(briefing) = &briefing {
        let page = crate::briefing::html(briefing, &site, &urls, &theme, options.pdf)?;
        staging.write("briefing/index.html", &page)?;
        files += 1;
        if options.pdf {
            staging.write(
                "briefing.pdf",
                &crate::briefing::pdf_of(root, &site, briefing)?,
            )?;
            files += 1;
        }
        timings.push(("briefing", clock.elapsed()));
    }
    let clock = Instant::now();
    let stats = staging.commit()?;
    timings.push(("commit", clock.elapsed()));
    // Freeing a large site's memory takes a noticeable fraction of a build,
    // on one thread; hand it to another so the caller is not kept waiting
    // (a CLI process exits before it is done, which frees it faster still).
    let elapsed = start.elapsed();
    std::thread::spawn(move || {
        drop((site, graph, bodies, profiles, notes, cache, theme, briefing))
    });
    Ok(BuildReport {
        pages: pages.len(),
        files,
        stats,
        output: out.live,
        warnings: diagnostics.sorted(),
        timings,
        elapsed,
    })
}
