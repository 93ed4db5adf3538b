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
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
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
];

/// Where a template or static file came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default theme.
    BuiltIn,
    /// A file in the dossier's theme folder.
    File(PathBuf),
}

/// A loaded theme: compiled templates and static files.
#[derive(Debug)]
pub struct Theme {
    tera: tera::Tera,
    origins: BTreeMap<String, Origin>,
    /// Static files: path under `static/` → contents.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads the theme called `name` for the dossier at `root`.
    ///
    /// # Errors
    /// A diagnostic naming the template file for syntax errors, an unknown
    /// theme, or an unreadable theme folder.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates: BTreeMap<String, (String, Origin)> = BTreeMap::new();
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
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for (kind, target) in [("templates", true), ("static", false)] {
                let base = dir.join(kind);
                if !base.is_dir() {
                    continue;
                }
                for entry in walkdir::WalkDir::new(&base)
                    .follow_links(false)
                    .sort_by_file_name()
                {
                    let entry = entry.map_err(|e| {
                        Diagnostic::error("theme", format!("themes/{name}/{kind}"), e.to_string())
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
                    let bytes = std::fs::read(entry.path()).map_err(|e| {
                        Diagnostic::error("theme", &shown, format!("cannot read: {e}"))
                    })?;
                    if target {
                        let text = crate::load::decode(&shown, bytes)?;
                        templates.insert(rel, (text, Origin::File(entry.path().to_path_buf())));
                    } else {
                        static_files.insert(rel, bytes);
                    }
                }
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                "config",
                crate::config::CONFIG_FILE,
                format!("theme `{name}` not found: there is no folder themes/{name}/"),
            )
            .help("use `theme: default`, or create the folder with the templates you want to override"));
        }

        let mut tera = tera::Tera::new();
        let origins = templates
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| {
            Diagnostic::error("template", format!("themes/{name}/templates"), describe(&e))
                .help("fix the template, or delete it to fall back to the built-in one")
        })?;
        Ok(Theme {
            tera,
            origins,
            static_files,
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
        self.tera
            .render_to(template, &context, out)
            .map_err(|e| self.error(template, &e))
    }

    /// Renders one component (defined in any template) with `args`.
    ///
    /// # Errors
    /// [`Error::Template`] naming the component and the cause.
    pub fn render_component<T: serde::Serialize>(
        &self,
        name: &str,
        args: &T,
    ) -> Result<String, Error> {
        let context = tera::Context::from_serialize(args).map_err(|e| self.error(name, &e))?;
        self.tera
            .render_component(name, &context, None, true)
            .map_err(|e| {
                Error::Template(format!("component `{name}` of the theme: {}", describe(&e)))
            })
    }

    /// Sets values every template can see.
    pub fn set_global<T: serde::Serialize>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    fn error(&self, template: &str, err: &tera::Error) -> Error {
        let origin = match self.origins.get(template) {
            Some(Origin::File(path)) => path.display().to_string(),
            Some(Origin::BuiltIn) | None => format!("{template} (built-in default theme)"),
        };
        Error::Template(format!("template {origin}: {}", describe(err)))
    }
}

/// The error and every cause, since Tera's top-level message can be vague.
fn describe(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\ncaused by: {cause}"));
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

    #[test]
    fn user_templates_override_single_files() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), "custom {{ page.title }}").unwrap();
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
    fn template_errors_name_the_file() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), "{% if %}").unwrap();
        let err = Theme::load(root.path(), "mine").unwrap_err();
        assert!(err.message.contains("404.html"), "{}", err.message);
        assert!(Theme::load(root.path(), "missing").is_err());
    }
}
