//! The PDF engine: Typst, embedded, with a minimal `World`.
//!
//! Typst asks its `World` for every file it reads. Ours serves exactly three
//! kinds: the template (the main source), the briefing data as
//! `/briefing.json`, and the image files the bodies show, under their
//! content paths. Anything else is "not found", so a template cannot read
//! the disk. Fonts are Typst's bundled ones (no system fonts: a briefing
//! looks the same on every machine), loaded once per process, since a
//! server regenerates the PDF on every request.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::ms;
use crate::background::free_in_background;
use crate::error::{Error, Result};

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("invariant: an absolute, normal path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Typst set up for one briefing: its template and the images its bodies
/// show. Each compilation gets its own data: the whole briefing, or one
/// part of a briefing laid out in parts.
pub(super) struct Typesetter {
    template: String,
    template_name: String,
    images: HashMap<FileId, PathBuf>,
    today: Option<Datetime>,
}

/// What one compilation reads: the template, its data and the
/// typesetter's images.
struct BriefingWorld<'a> {
    typesetter: &'a Typesetter,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for BriefingWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(PathBuf::from(format!("{id:?}"))))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        match self.typesetter.images.get(&id) {
            Some(path) => std::fs::read(path)
                .map(Bytes::new)
                .map_err(|e| FileError::from_io(e, path)),
            None => Err(FileError::NotFound(PathBuf::from(format!("{id:?}")))),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.typesetter.today
    }
}

/// Now, in UTC, as Typst's date-time.
fn now() -> Option<Datetime> {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    Datetime::from_ymd_hms(
        i32::from(now.year()),
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
}

impl Typesetter {
    /// Typst with `template` (named `template_name` in errors) and the
    /// images (content path → file) the template may show.
    pub(super) fn new(
        template: String,
        template_name: String,
        images: Vec<(String, PathBuf)>,
    ) -> Typesetter {
        Typesetter {
            template,
            template_name,
            images: images
                .into_iter()
                .filter_map(|(path, file)| {
                    VirtualPath::new(format!("/{path}"))
                        .ok()
                        .map(|v| (RootedPath::new(VirtualRoot::Project, v).intern(), file))
                })
                .collect(),
            today: now(),
        }
    }

    /// Lays out the template with `data` as `/briefing.json`.
    ///
    /// # Errors
    /// [`Error::Template`] naming the template's file, line and column.
    pub(super) fn compile(&self, data: Vec<u8>) -> Result<PagedDocument> {
        self.compile_as("/briefing.typ", data)
    }

    /// [`Typesetter::compile`] with the template at `path`: the path is
    /// part of where Typst places every element, so compilations whose
    /// pages are joined (a briefing laid out in parts) each need their own,
    /// or the same element laid out in two of them gets the same place.
    pub(super) fn compile_as(&self, path: &str, data: Vec<u8>) -> Result<PagedDocument> {
        let world = BriefingWorld {
            typesetter: self,
            main: Source::new(file_id(path), self.template.clone()),
            data_id: file_id("/briefing.json"),
            data: Bytes::new(data),
        };
        let warned = typst::compile::<PagedDocument>(&world);
        for warning in &warned.warnings {
            log::debug!(
                "briefing template: {}",
                self.describe(Some(&world), warning)
            );
        }
        warned.output.map_err(|errors| {
            let messages: Vec<String> = errors
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| self.describe(Some(&world), d))
                .collect();
            Error::Template(messages.join("\n"))
        })
    }

    /// The PDF of a laid-out briefing titled `title`.
    ///
    /// # Errors
    /// [`Error::Template`] when Typst cannot export it.
    pub(super) fn export(&self, document: &PagedDocument, title: &str) -> Result<Vec<u8>> {
        let options = PdfOptions {
            ident: Smart::Custom(format!("dossier briefing: {title}")),
            creator: Smart::Custom(Some(format!(
                "dossier {} (Typst)",
                env!("CARGO_PKG_VERSION")
            ))),
            timestamp: self.today.map(Timestamp::new_utc),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(document, &options).map_err(|errors| {
            let messages: Vec<String> = errors.iter().map(|d| self.describe(None, d)).collect();
            Error::Template(format!("cannot export the PDF: {}", messages.join("\n")))
        })
    }

    /// `template FILE:LINE:COL: message (hint: …)`, located in the template
    /// (as `world` compiled it) when the problem is there.
    fn describe(&self, world: Option<&BriefingWorld<'_>>, diagnostic: &SourceDiagnostic) -> String {
        let name = &self.template_name;
        let place = world
            .filter(|world| diagnostic.span.id() == Some(world.main.id()))
            .and_then(|world| {
                let range = world.range(diagnostic.span)?;
                world.main.lines().byte_to_line_column(range.start)
            })
            .map_or_else(
                || name.to_string(),
                |(line, column)| format!("{name}:{}:{}", line + 1, column + 1),
            );
        let mut text = format!("template {place}: {}", diagnostic.message);
        for hint in &diagnostic.hints {
            text.push_str(&format!(" (hint: {})", hint.v));
        }
        text
    }
}

/// Typesets the briefing (`data`, titled `title`) at once and exports it
/// as PDF; with `keep_memo`, what Typst memoised is kept for the next
/// compilation in this process (a server's), which then lays out again
/// only what changed.
pub(super) fn render(
    typesetter: &Typesetter,
    data: Vec<u8>,
    title: &str,
    keep_memo: bool,
) -> Result<Vec<u8>> {
    let trace = start_trace();
    let clock = std::time::Instant::now();
    let compiled = typesetter.compile(data);
    log::debug!("  typeset       {:>8.1} ms", ms(clock.elapsed()));
    let document = compiled?;
    // The document holds its pages; the memo of every layout pass is
    // another ~1.3 GB at 1,000 articles. A one-off PDF drops it while the
    // export runs, on the other core (freeing it takes ~0.7 s), so the
    // export reuses that memory instead of adding to the peak.
    if !keep_memo {
        free_in_background("free Typst's memo", || typst::comemo::evict(0));
    }
    let clock = std::time::Instant::now();
    let pdf = typesetter.export(&document, title);
    log::debug!("  export        {:>8.1} ms", ms(clock.elapsed()));
    if keep_memo {
        // Typst memoises across compilations in a process-wide cache;
        // `serve` compiles a PDF per request, so drop what the last few did
        // not use (as Typst's own watch mode does), or it grows without
        // bound.
        typst::comemo::evict(10);
    } else {
        // Freeing the pages of a large briefing takes a few hundred
        // milliseconds.
        free_in_background("free the briefing's pages", move || drop(document));
    }
    finish_trace(trace);
    pdf
}

/// Starts recording Typst's timings when [`TRACE_VAR`] names a file.
pub(super) fn start_trace() -> Option<PathBuf> {
    let trace = std::env::var_os(TRACE_VAR).map(PathBuf::from);
    if trace.is_some() {
        typst_timing::enable();
    }
    trace
}

/// Writes the timings [`start_trace`] started recording.
pub(super) fn finish_trace(trace: Option<PathBuf>) {
    if let Some(path) = trace {
        write_trace(&path);
    }
}

/// Set to a file name, Typst's own timings of the compilation (each layout
/// pass, page run, paragraph, `context` and script call, with its thread)
/// are written there in the Chrome trace format, for
/// `bench/typst-trace.py` or a trace viewer (Perfetto): where a briefing's
/// time goes is invisible from outside the engine.
const TRACE_VAR: &str = "DOSSIER_TYPST_TRACE";

/// Writes the timings recorded since [`typst_timing::enable`] to `path`.
/// A developer's aid: failing to write them does not fail the PDF.
fn write_trace(path: &std::path::Path) {
    typst_timing::disable();
    let written = std::fs::File::create(path)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            typst_timing::export_json(std::io::BufWriter::new(file), |_| (String::new(), 0))
        });
    match written {
        Ok(()) => log::info!("Typst timings written to {}", path.display()),
        Err(e) => log::warn!("could not write Typst timings to {}: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use typst::syntax::{LinkedNode, Source, SyntaxKind};

    /// The built-in template's text.
    fn template() -> &'static str {
        crate::render::theme::DEFAULT_THEME
            .iter()
            .find(|(name, _)| *name == "templates/briefing.typ")
            .map(|(_, text)| *text)
            .expect("the built-in theme has briefing.typ")
    }

    /// Does `node` name the variable `name` anywhere inside?
    fn names(node: &LinkedNode<'_>, name: &str) -> bool {
        (node.kind() == SyntaxKind::Ident && node.leaf_text() == name)
            || node.children().any(|child| names(&child, name))
    }

    /// Offsets of the `context` blocks and functions made inside a function
    /// or a loop (so once per call or turn) that name `name`.
    fn made_often_naming(node: LinkedNode<'_>, inside: bool, name: &str, out: &mut Vec<usize>) {
        let kind = node.kind();
        let made = matches!(kind, SyntaxKind::Contextual | SyntaxKind::Closure);
        if inside && made && names(&node, name) {
            out.push(node.offset());
        }
        let inside = inside
            || matches!(
                kind,
                SyntaxKind::Closure | SyntaxKind::ForLoop | SyntaxKind::WhileLoop
            );
        for child in node.children() {
            made_often_naming(child, inside, name, out);
        }
    }

    // Typst hashes what a `context` block or a function captures each time
    // one is made. One that names `b` captures the whole briefing (every
    // article's text): made once per contents line, that took 40 s of a
    // 1,000-article PDF. `known-pages` (a page per label) is as large in
    // a briefing laid out in parts. Such blocks must name small bindings.
    #[test]
    fn no_block_made_per_item_captures_the_whole_briefing() {
        let source = Source::detached(template());
        for name in ["b", "known-pages"] {
            let mut found = Vec::new();
            made_often_naming(LinkedNode::new(source.root()), false, name, &mut found);
            let lines: Vec<usize> = found
                .iter()
                .filter_map(|&offset| source.lines().byte_to_line(offset))
                .map(|line| line + 1)
                .collect();
            assert!(
                lines.is_empty(),
                "briefing.typ lines {lines:?}: a `context` block or function made per call or \
                 per turn of a loop names `{name}`; bind what it needs at the top level"
            );
        }
    }
}
