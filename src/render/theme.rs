//! Themes: Tera templates and static files, with per-file overrides.
//!
//! The default theme lives in `themes/default/` in this repository and is
//! compiled into the binary, so `dossier` works from anywhere. A dossier
//! picks a theme in `site.yaml`; any template or static file in
//! `themes/<name>/` replaces the built-in file of the same name, and every
//! file it lacks comes from the built-in theme. A user can therefore
//! override just `article.html`, or just `static/style.css`.
//!
//! Templates are autoescaped (`.html`, `.xml`): front-matter values are
//! always escaped; only pre-rendered, sanitised HTML (bodies, SVG) is marked
//! `| safe` in the templates.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::error::Error;

/// One file of the built-in theme: its path under `themes/default/` and
/// its contents.
pub type EmbeddedFile = (&'static str, &'static str);

/// The built-in default theme. A unit test checks that this list matches
/// the files in `themes/default/`, so a new theme file cannot be forgotten.
pub const DEFAULT_THEME: &[EmbeddedFile] = &[
    (
        "templates/base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/components.html",
        include_str!("../../themes/default/templates/components.html"),
    ),
    (
        "templates/header.html",
        include_str!("../../themes/default/templates/header.html"),
    ),
    (
        "templates/footer.html",
        include_str!("../../themes/default/templates/footer.html"),
    ),
    (
        "templates/home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "templates/article.html",
        include_str!("../../themes/default/templates/article.html"),
    ),
    (
        "templates/articles.html",
        include_str!("../../themes/default/templates/articles.html"),
    ),
    (
        "templates/actor.html",
        include_str!("../../themes/default/templates/actor.html"),
    ),
    (
        "templates/actors.html",
        include_str!("../../themes/default/templates/actors.html"),
    ),
    (
        "templates/source.html",
        include_str!("../../themes/default/templates/source.html"),
    ),
    (
        "templates/sources.html",
        include_str!("../../themes/default/templates/sources.html"),
    ),
    (
        "templates/timeline.html",
        include_str!("../../themes/default/templates/timeline.html"),
    ),
    (
        "templates/404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/feed.xml",
        include_str!("../../themes/default/templates/feed.xml"),
    ),
    (
        "templates/sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "templates/briefing.html",
        include_str!("../../themes/default/templates/briefing.html"),
    ),
    // Not a Tera template: the Typst template of the PDF briefing, read by
    // `crate::briefing` with the same override rule.
    (
        "templates/briefing.typ",
        include_str!("../../themes/default/templates/briefing.typ"),
    ),
    (
        "static/style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "static/timeline.js",
        include_str!("../../themes/default/static/timeline.js"),
    ),
    (
        "static/favicon.svg",
        include_str!("../../themes/default/static/favicon.svg"),
    ),
];

/// Every `section` a page is rendered with: `header.html` is rendered once
/// for each.
pub(crate) const SECTIONS: [&str; 10] = [
    "home",
    "articles",
    "article",
    "actors",
    "actor",
    "sources",
    "source",
    "timeline",
    "not-found",
    "briefing",
];

/// What every page shows the same way, rendered once (see
/// [`Theme::set_site`]).
#[derive(serde::Serialize)]
struct Chrome {
    header: BTreeMap<&'static str, String>,
    footer: String,
}

/// Theme files larger than this are refused (fonts and images included).
const MAX_THEME_FILE: u64 = 32 * 1024 * 1024;

/// Where a template or static file came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default theme.
    BuiltIn,
    /// A file in the dossier's theme folder, by its path from the root
    /// (`themes/mine/templates/article.html`).
    File(String),
}

/// Templates by name, with their text (for locating errors) and origin.
type Templates = BTreeMap<String, (String, Origin)>;

/// A loaded theme: compiled templates and static files.
#[derive(Debug)]
pub struct Theme {
    tera: tera::Tera,
    templates: Templates,
    /// Static files: path under `static/` → contents.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// A hash of every template and static file: pages and fragments
    /// rendered with a theme of the same fingerprint are the same.
    fingerprint: u64,
}

impl Theme {
    /// A hash of everything the theme contains.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Loads the theme called `name` for the dossier at `root`.
    ///
    /// # Errors
    /// Diagnostics locating every syntax error in the theme's templates, or
    /// one for an unknown theme or an unreadable theme folder.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let mut templates: Templates = BTreeMap::new();
        let mut static_files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for (path, contents) in DEFAULT_THEME {
            if path.ends_with(".typ") {
                continue;
            }
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(name.to_string(), (contents.to_string(), Origin::BuiltIn));
            } else if let Some(name) = path.strip_prefix("static/") {
                static_files.insert(name.to_string(), contents.as_bytes().to_vec());
            }
        }
        if let Err(message) = crate::config::check_theme_name(name) {
            return Err(
                Diagnostic::error(Code::Config, crate::config::CONFIG_FILE, message)
                    .help(
                        "a theme is a folder under themes/: write its plain name, e.g. `theme: mine`",
                    )
                    .into(),
            );
        }
        // Every level (themes/, the theme, templates/, static/) is checked
        // for links: `themes/evil/static -> /etc` must not publish /etc.
        let unreadable = |e: std::io::Error| {
            Diagnostic::error(
                Code::Theme,
                format!("themes/{name}"),
                format!("cannot use the theme: {e}"),
            )
            .help("make the theme a real folder under themes/, with real files in it")
        };
        let dir =
            crate::load::inside::dir(root, Path::new("themes").join(name)).map_err(unreadable)?;
        if dir.is_some() {
            for (kind, target) in [("templates", true), ("static", false)] {
                let rel = Path::new("themes").join(name).join(kind);
                let Some(base) = crate::load::inside::dir(root, &rel).map_err(unreadable)? else {
                    continue;
                };
                for entry in crate::load::sorted_walk(&base) {
                    let entry = entry.map_err(|e| {
                        Diagnostic::error(
                            Code::Theme,
                            format!("themes/{name}/{kind}"),
                            e.to_string(),
                        )
                    })?;
                    let file_name = entry.file_name().to_string_lossy();
                    // `.typ` files are Typst templates, read by the briefing.
                    if !entry.file_type().is_file()
                        || crate::load::is_scratch_name(&file_name)
                        || (target && file_name.ends_with(".typ"))
                    {
                        continue;
                    }
                    let rel = entry
                        .path()
                        .strip_prefix(&base)
                        .expect("invariant: walked under base")
                        .to_string_lossy()
                        .replace('\\', "/");
                    let shown = format!("themes/{name}/{kind}/{rel}");
                    let bytes = crate::load::inside::read_file(entry.path(), MAX_THEME_FILE)
                        .and_then(|read| {
                            read.map_err(|size| {
                                std::io::Error::other(format!(
                                    "it is {size} bytes; theme files over {MAX_THEME_FILE} bytes are refused"
                                ))
                            })
                        })
                        .map_err(|e| Diagnostic::error(Code::Theme, &shown, format!("cannot read: {e}")))?;
                    if target {
                        let text = crate::load::decode(&shown, bytes)?;
                        templates.insert(rel, (text, Origin::File(shown)));
                    } else {
                        static_files.insert(rel, bytes);
                    }
                }
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                Code::Config,
                crate::config::CONFIG_FILE,
                format!("theme `{name}` not found: there is no folder themes/{name}/"),
            )
            .help("use `theme: default`, or create the folder with the templates you want to override")
            .into());
        }

        let tera = compile(&mut templates)?;
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            for (name, (text, _)) in &templates {
                (name, text).hash(&mut hasher);
            }
            static_files.hash(&mut hasher);
            hasher.finish()
        };
        Ok(Theme {
            tera,
            templates,
            static_files,
            fingerprint,
        })
    }

    /// Renders a template into `out` (appending).
    ///
    /// # Errors
    /// [`Error::Template`] naming the template file and the cause.
    pub fn render_to<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let context =
            tera::Context::from_serialize(context).map_err(|e| self.error(template, &e))?;
        reset_range_budget();
        let start = out.len();
        let bounded = Bounded {
            out: &mut *out,
            left: MAX_PAGE_BYTES,
        };
        self.tera
            .render_to(template, &context, bounded)
            .map_err(|e| self.error(template, &e))?;
        if template.ends_with(".xml") {
            strip_non_xml(out, start);
        }
        Ok(())
    }

    /// Does any template define the component `name`, taking an argument
    /// named `arg`?
    pub fn has_component(&self, name: &str, arg: &str) -> bool {
        self.tera
            .get_component_definition(name)
            .is_some_and(|component| component.args().iter().any(|a| a.name() == arg))
    }

    /// Renders one component (defined in any template), given `value` as
    /// its argument `arg`.
    ///
    /// # Errors
    /// [`Error::Template`] naming the component and the cause.
    pub fn render_component(
        &self,
        name: &str,
        arg: &'static str,
        value: tera::Value,
    ) -> Result<String, Error> {
        let mut context = tera::Context::new();
        context.insert_value(arg, value);
        reset_range_budget();
        self.tera
            .render_component(name, &context, None, true)
            .map_err(|e| self.error(name, &e))
    }

    /// Sets values every template can see.
    fn set_global<T: serde::Serialize>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    /// Sets `site` for every template, then renders what every page shows
    /// the same way once: `header.html` for each of [`SECTIONS`] and
    /// `footer.html`, which `base.html` prints as `chrome.header[section]`
    /// and `chrome.footer`. Written into every page by `base.html`, their
    /// two dozen lookups were 2.2 % of a 1,000-article build's
    /// instructions (callgrind), with the same bytes out.
    ///
    /// # Errors
    /// A template that fails; `chrome` then holds empty strings, so that
    /// the pages still render and report their own failures with it.
    pub(crate) fn set_site<T: serde::Serialize>(&mut self, site: &T) -> Result<(), Error> {
        self.set_global("site", site);
        let rendered = self.chrome();
        let chrome = match &rendered {
            Ok(chrome) => chrome,
            Err(_) => &Chrome {
                header: SECTIONS
                    .iter()
                    .map(|&section| (section, String::new()))
                    .collect(),
                footer: String::new(),
            },
        };
        self.set_global("chrome", chrome);
        rendered.map(drop)
    }

    /// `header.html` for each section, and `footer.html`.
    fn chrome(&self) -> Result<Chrome, Error> {
        #[derive(serde::Serialize)]
        struct Section {
            section: &'static str,
        }
        let render = |template: &str, section: &'static str| {
            let mut out = Vec::new();
            self.render_to(template, &Section { section }, &mut out)?;
            Ok::<_, Error>(String::from_utf8(out).expect("invariant: Tera writes text"))
        };
        Ok(Chrome {
            header: SECTIONS
                .iter()
                .map(|&section| Ok((section, render("header.html", section)?)))
                .collect::<Result<_, Error>>()?,
            footer: render("footer.html", "")?,
        })
    }

    /// A template that failed while rendering, as a content error: the
    /// dossier's theme (or the data it was given) is what needs fixing.
    fn error(&self, template: &str, err: &tera::Error) -> Error {
        Error::Content(finding(&self.templates, template, err).into())
    }
}

/// Compiles `templates`, finding every syntax error: a template that fails
/// is reported and replaced by the built-in one of that name (or left
/// out), and the rest are compiled again, so one broken template does not
/// hide the next.
fn compile(templates: &mut Templates) -> Result<tera::Tera, Diagnostics> {
    let mut findings = Diagnostics::new();
    loop {
        let mut tera = tera::Tera::new();
        tera.register_function("range", bounded_range);
        tera.register_filter("safe", SafeFilter);
        let Err(err) = tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        ) else {
            return if findings.is_empty() {
                Ok(tera)
            } else {
                Err(findings)
            };
        };
        let failing = failing_template(templates, &err);
        findings.push(finding(templates, failing.as_deref().unwrap_or(""), &err));
        // Only the theme's own files can fail (the built-in ones compile
        // together); each round takes one of them out, so this ends.
        let Some(failing) =
            failing.filter(|name| matches!(templates.get(name), Some((_, Origin::File(_)))))
        else {
            return Err(findings);
        };
        let built_in = DEFAULT_THEME
            .iter()
            .find(|(path, _)| path.strip_prefix("templates/") == Some(failing.as_str()));
        match built_in {
            Some((_, text)) => {
                templates.insert(failing, (text.to_string(), Origin::BuiltIn));
            }
            None => {
                templates.remove(&failing);
            }
        }
    }
}

/// The template a compile error is about, when it names one.
fn failing_template(templates: &Templates, err: &tera::Error) -> Option<String> {
    use tera::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            Some(report.filename().to_string())
        }
        ErrorKind::MissingParent { current: tpl, .. }
        | ErrorKind::CircularExtend { tpl, .. }
        | ErrorKind::CircularInclude { tpl, .. } => Some(tpl.clone()),
        _ => {
            let message = describe(err);
            let named = |t: &str| {
                [format!("'{t}'"), format!("`{t}`"), format!("{t}:")]
                    .iter()
                    .any(|spelled| message.contains(spelled.as_str()))
            };
            // A message may name two templates (a component defined in
            // both): the theme's own file is the one to blame, as the
            // built-in ones compile together.
            templates
                .iter()
                .filter(|(t, _)| named(t))
                .max_by_key(|(_, (_, origin))| matches!(origin, Origin::File(_)))
                .map(|(t, _)| t.clone())
        }
    }
}

/// A located error for a Tera failure in `template` (a syntax or rendering
/// error names the template it points into, which may be another one: a
/// base template, a component).
fn finding(templates: &Templates, template: &str, err: &tera::Error) -> Diagnostic {
    use tera::ErrorKind;
    let report = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let name = report
        .map(|r| r.filename())
        .filter(|f| templates.contains_key(*f))
        .unwrap_or(template);
    // The report's own message, without the source excerpt Tera draws
    // (the diagnostic draws its own), then what caused it.
    let message = match report {
        Some(report) => {
            let mut message = report.message().to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                message.push_str(&format!("\ncaused by: {cause}"));
                source = cause.source();
            }
            message
        }
        None => describe(err),
    };
    let Some((text, origin)) = templates.get(name) else {
        return Diagnostic::error(
            Code::Template,
            format!("themes (template `{name}`)"),
            message,
        );
    };
    let location = report.map(|r| {
        let span = r.span();
        Location::of_byte(text, span.range.start, span.range.len())
    });
    match origin {
        Origin::File(path) => Diagnostic::error(Code::Template, path.clone(), message)
            .at_opt(location)
            .help("fix the template, or delete it to fall back to the built-in one"),
        Origin::BuiltIn => Diagnostic::error(
            Code::Template,
            format!("{name} (built-in default theme)"),
            message,
        )
        .at_opt(location),
    }
}

/// The most one template may write for one page. The largest page of a
/// 10,000-article dossier is a few megabytes; a theme whose loops run away
/// (nested `for` over large ranges) is stopped here with an error naming
/// the template, instead of filling the memory until the process aborts.
const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// How many numbers `range` may produce for one page, over all its calls.
/// Tera bounds each call (100,000), but `range` inside `range` multiplies:
/// two nested loops would run ten billion times without writing a byte, so
/// the output bound never fires. Rendering is single-threaded per page, so
/// a per-thread budget, reset before each page, counts exactly one page.
const RANGE_PER_PAGE: i128 = 1_000_000;

thread_local! {
    static RANGE_BUDGET: std::cell::Cell<i128> = const { std::cell::Cell::new(RANGE_PER_PAGE) };
}

fn reset_range_budget() {
    RANGE_BUDGET.with(|budget| budget.set(RANGE_PER_PAGE));
}

/// Tera's `safe` filter without its copy: a string is passed on as it is
/// (its text is shared, and Tera marks the result safe), where the built-in
/// filter copies it. `{{ page.body_html | safe }}` on every article page
/// copied each body once more for nothing. Other values are written out
/// as text, as the built-in filter does.
struct SafeFilter;

impl<'a> tera::Filter<&'a tera::Value, tera::Value> for SafeFilter {
    fn call(&self, value: &'a tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
        if value.as_str().is_some() {
            value.clone()
        } else {
            tera::Value::from(value.to_string())
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera's `range(end, start=0, step_by=1)`, charged to the page's budget.
fn bounded_range(kwargs: tera::Kwargs, _: &tera::State<'_>) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    let message = |text: &str| tera::Error::message(format!("Function `range`: {text}"));
    if step == 0 {
        return Err(message("`step_by` is 0"));
    }
    if start > end && step > 0 {
        return Err(message("`start` is greater than `end`"));
    }
    let span = end
        .checked_sub(start)
        .ok_or_else(|| message("arguments overflow"))?;
    let len: u128 = if (span > 0) == (step > 0) && span != 0 {
        span.unsigned_abs().div_ceil(step.unsigned_abs())
    } else {
        0
    };
    let budget = RANGE_BUDGET.with(|budget| budget.get());
    // Tera's own limit for one call, then the page's.
    if len > 100_000 || len as i128 > budget {
        return Err(message(&format!(
            "the page's loops would go over {RANGE_PER_PAGE} numbers in all; are `range` loops nested?"
        )));
    }
    let len = len as i128;
    RANGE_BUDGET.with(|left| left.set(budget - len));
    Ok((0..len).map(|i| start + i * step).collect())
}

/// A writer that refuses to grow past a limit.
struct Bounded<'a> {
    out: &'a mut Vec<u8>,
    left: usize,
}

impl std::io::Write for Bounded<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.left {
            return Err(std::io::Error::other(format!(
                "the template wrote more than {} MB for one page; is a loop running away?",
                MAX_PAGE_BYTES / (1024 * 1024)
            )));
        }
        self.left -= buf.len();
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Tera writes a page in hundreds of small pieces through `write_all`,
    /// whose default loops over `write`; this one writes everything or
    /// nothing, so one call does.
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.write(buf).map(drop)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Can XML 1.0 carry this character? Not control characters other than
/// tab, line feed and carriage return, nor U+FFFE and U+FFFF: one of them in
/// a title makes the whole feed unreadable to every feed reader.
pub fn is_xml_char(c: char) -> bool {
    let forbidden_control = c <= '\u{1F}' && !matches!(c, '\t' | '\n' | '\r');
    !(forbidden_control || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// Removes what XML cannot carry from `out[start..]` (rendered XML; `check`
/// reports where such characters are in the content).
fn strip_non_xml(out: &mut Vec<u8>, start: usize) {
    let Ok(text) = std::str::from_utf8(&out[start..]) else {
        return;
    };
    if text.chars().all(is_xml_char) {
        return;
    }
    let kept: String = text.chars().filter(|&c| is_xml_char(c)).collect();
    out.truncate(start);
    out.extend_from_slice(kept.as_bytes());
}

/// The error and every cause, since Tera's top-level message can be vague.
/// Tera starts some messages with its own `error: `, which would print as
/// "error: … error: …" after ours.
fn describe(err: &tera::Error) -> String {
    let full = err.to_string();
    let mut text = full.strip_prefix("error: ").unwrap_or(&full).to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        let cause_text = cause_text.strip_prefix("error: ").unwrap_or(&cause_text);
        text.push_str(&format!("\ncaused by: {cause_text}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_lists_every_file_in_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    /// A dossier folder whose theme `mine` has its own `404.html`.
    fn theme_with_404(template: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), template).unwrap();
        root
    }

    #[test]
    fn user_templates_override_single_files() {
        let root = theme_with_404("custom {{ page.title }}");
        let theme = Theme::load(root.path(), "mine").unwrap();
        let mut out = Vec::new();
        theme
            .render_to(
                "404.html",
                &serde_json::json!({"page": {"title": "<gone>"}}),
                &mut out,
            )
            .unwrap();
        assert_eq!(out, b"custom &lt;gone&gt;", "overridden and autoescaped");
        assert!(
            theme.static_files.contains_key("style.css"),
            "the rest is built in"
        );
    }

    #[test]
    fn safe_writes_what_teras_own_safe_writes() {
        let template = "{{ page.html | safe }} {{ page.count | safe }} {{ page.list | safe }} \
                        {{ page.html | safe | upper }} {{ page.html }} {{ page.none | safe }}";
        let context = serde_json::json!({"page": {"html": "<b>x</b>", "count": 3, "list": ["<i>"], "none": null}});
        let root = theme_with_404(template);
        let theme = Theme::load(root.path(), "mine").unwrap();
        let mut ours = Vec::new();
        theme.render_to("404.html", &context, &mut ours).unwrap();

        let mut tera = tera::Tera::new();
        tera.add_raw_template("404.html", template).unwrap();
        tera.autoescape_on(vec![".html"]);
        let teras = tera
            .render(
                "404.html",
                &tera::Context::from_serialize(&context).unwrap(),
            )
            .unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), teras);
        assert!(teras.starts_with("<b>x</b> 3 "), "{teras}");
    }

    #[test]
    fn body_html_is_written_by_safe_and_escaped_without_it() {
        #[derive(serde::Serialize)]
        struct Page {
            body_html: crate::render::views::Html,
        }
        let root = theme_with_404(
            "{{ page.body_html | safe }}|{{ page.body_html }}|{{ page.body_html | upper }}",
        );
        let theme = Theme::load(root.path(), "mine").unwrap();
        let page = Page {
            body_html: crate::render::views::Html::new("<p>a &amp; b, and a long text</p>".into()),
        };
        let mut out = Vec::new();
        theme
            .render_to(
                "404.html",
                &std::collections::BTreeMap::from([("page", &page)]),
                &mut out,
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<p>a &amp; b, and a long text</p>|\
             &lt;p&gt;a &amp;amp; b, and a long text&lt;/p&gt;|\
             &lt;P&gt;A &amp;AMP; B, AND A LONG TEXT&lt;/P&gt;"
        );
    }

    #[test]
    fn template_errors_name_the_file() {
        let root = theme_with_404("{% if %}");
        let err = Theme::load(root.path(), "mine").unwrap_err().sorted();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].position(), "themes/mine/templates/404.html:1:7");
        assert!(Theme::load(root.path(), "missing").is_err());
    }
}
