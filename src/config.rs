//! `site.yaml`: the dossier's settings.
//!
//! [`SiteConfig::parse`] reads the text (tests need no files);
//! [`SiteConfig::load`] reads the file. Unknown keys are errors with a
//! "did you mean" hint, because a misspelt setting that is silently ignored
//! is worse than no setting at all.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{self, Placement};

/// The name of the settings file at the dossier root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Checks that `root` is a dossier (it has a `site.yaml`) before a command
/// reads or writes anything there.
///
/// # Errors
/// [`crate::Error::Usage`] (the command cannot run) saying how to start a
/// dossier or point at one.
pub fn require_dossier(root: &Path) -> crate::Result<()> {
    if !root.is_dir() {
        let hint = if root.exists() {
            "give the dossier's folder with `--root`/`-C`".to_string()
        } else {
            format!(
                "a mistyped `--root`/`-C`? `dossier init \"{}\"` starts a dossier there",
                root.display()
            )
        };
        return Err(crate::Error::Usage(format!(
            "{} is not a folder: {hint}",
            root.display()
        )));
    }
    match std::fs::symlink_metadata(root.join(CONFIG_FILE)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(crate::Error::Usage(format!(
            "{} is not a dossier: it has no {CONFIG_FILE}. Run `dossier init DIR` to start one, \
             or pass `--root DIR` (`-C DIR`) to work on an existing one",
            root.display()
        ))),
        _ => Ok(()),
    }
}

/// Everything `site.yaml` can say.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The dossier's title, on every page and the briefing cover.
    pub title: String,
    /// A line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// A paragraph introducing the dossier, on the home page and in feeds.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the site will be published: `https://example.org/dossier/`, or
    /// `/` for a site served from the root of any host.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The content language, as a BCP 47 tag (`en`, `de`, `ru`).
    #[serde(default = "default_language")]
    pub language: String,
    /// Who compiled the dossier.
    #[serde(default)]
    pub author: Option<String>,
    /// The organisation the dossier is for.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The theme folder under `themes/`; templates it lacks come from the
    /// built-in default theme.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The output folder, relative to the dossier root.
    #[serde(default = "default_output")]
    pub output: String,
    /// How many of the newest articles the home page lists.
    #[serde(default = "default_home_articles")]
    pub home_articles: usize,
    /// Markdown rendering options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// How actors are found and linked.
    #[serde(default)]
    pub actors: ActorsConfig,
    /// How link problems are treated.
    #[serde(default)]
    pub links: LinksConfig,
    /// The print briefing (`dossier pdf`, `briefing/index.html`).
    #[serde(default)]
    pub briefing: BriefingConfig,
}

/// How a build treats links to missing files and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// The build fails.
    #[default]
    Error,
    /// The build reports them as located warnings and drops the links (their
    /// text stays); `check` and `build --strict` still fail on them.
    Warn,
}

/// Link settings.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// Whether a broken relative link or `#fragment` stops a build.
    pub broken: BrokenLinks,
}

/// Settings of the print briefing.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BriefingConfig {
    /// How many articles the briefing page (`briefing/index.html`) prints
    /// in full. A larger dossier's page has the cover, the summary and
    /// every article's title, date and publication, linking to its text:
    /// 1,000 full texts make a 13 MB page, 10,000 a 130 MB one that no
    /// browser shows.
    /// The PDF always has the full texts of what it covers.
    pub page_full_text: usize,
    /// The paper size of the PDF.
    pub paper: Paper,
    /// Up to how many articles the PDF breaks its paragraphs into lines
    /// optimally (Knuth–Plass: the most even word spacing, the fewest
    /// hyphens). A larger briefing breaks them one line at a time, as word
    /// processors and browsers do, which halves the layout time of its
    /// articles (a 1,000-article briefing: ~6 s less).
    pub optimal_line_breaks: usize,
    /// Past how many articles the PDF is laid out in parts of this many
    /// articles, whose pages are joined: Typst keeps every layout of a
    /// compilation until it ends, and a 1,000-article briefing laid out at
    /// once held 3.2 GB (in parts of 100: about 1.7 GB). `0` lays out any
    /// briefing at once, as `serve` does (it keeps Typst's memo between
    /// requests, to lay out again only what an edit changed).
    pub articles_per_part: usize,
    /// The "as of" date on the cover (`2018-04-30`, `2018-04` or `2018`);
    /// the build date when not set, so a reprint says when it was made.
    pub edition_date: Option<String>,
    /// An edition or version line for the cover (`Edition 3, revised`).
    pub edition: Option<String>,
    /// A classification or handling line (`RESTRICTED`, `For internal use`),
    /// on the cover and on every page.
    pub classification: Option<String>,
}

impl Default for BriefingConfig {
    fn default() -> BriefingConfig {
        BriefingConfig {
            page_full_text: 200,
            paper: Paper::default(),
            optimal_line_breaks: 300,
            articles_per_part: 100,
            edition_date: None,
            edition: None,
            classification: None,
        }
    }
}

/// Paper sizes for the PDF briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    #[serde(alias = "letter")]
    UsLetter,
}

/// Markdown rendering options.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, en and em dashes, ellipses.
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks (class-based, styled by the theme).
    pub highlight_code: bool,
    /// The syntect theme for code in light mode.
    pub highlight_theme: String,
    /// The syntect theme for code in dark mode.
    pub highlight_theme_dark: String,
    /// Pass raw HTML in Markdown through unchanged. Off by default: dossiers
    /// hold text clipped from the web, so raw HTML is shown as text.
    pub allow_raw_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            highlight_code: true,
            highlight_theme: "InspiredGitHub".to_string(),
            highlight_theme_dark: "base16-ocean.dark".to_string(),
            allow_raw_html: false,
        }
    }
}

/// How actor mentions are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MentionLinks {
    /// Link the first mention of each actor in an article.
    #[default]
    First,
    /// Link every mention.
    All,
    /// Link no mentions (they are still counted).
    Off,
}

/// Actor settings.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ActorsConfig {
    /// Which mentions of an actor in article text become links.
    pub link_mentions: MentionLinks,
    /// Create a page for a front-matter actor that has no registry entry,
    /// instead of warning about it.
    pub auto_create: bool,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_output() -> String {
    "output".to_string()
}
fn default_home_articles() -> usize {
    20
}

/// Where the values [`SiteConfig::parse`] checks are written in `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Written {
    title: Option<Spanned<serde::de::IgnoredAny>>,
    base_url: Option<Spanned<serde::de::IgnoredAny>>,
    theme: Option<Spanned<serde::de::IgnoredAny>>,
    briefing: Option<WrittenBriefing>,
}

/// [`Written`] for the `briefing:` block.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WrittenBriefing {
    edition_date: Option<Spanned<serde::de::IgnoredAny>>,
}

impl SiteConfig {
    /// Parses the text of `site.yaml`.
    ///
    /// # Errors
    /// Located diagnostics for invalid YAML, unknown keys and bad values.
    pub fn parse(text: &str, path: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let placement = Placement {
            file_text: text,
            path,
            line_offset: 0,
        };
        let mut config: SiteConfig = yaml::parse_all(text, placement)?;
        let mut problems = Vec::new();
        // Where the values checked here are written, from the YAML parser
        // (only read again when one of them is wrong).
        let written = std::cell::OnceCell::new();
        let locate = |key: &str| {
            let written: &Written =
                written.get_or_init(|| serde_saphyr::from_str(text).unwrap_or_default());
            let spanned = match key {
                "base_url" => written.base_url.as_ref(),
                "theme" => written.theme.as_ref(),
                "title" => written.title.as_ref(),
                _ => written.briefing.as_ref()?.edition_date.as_ref(),
            }?;
            placement.locate(spanned.referenced.line(), spanned.referenced.column())
        };
        match normalise_base_url(&config.base_url) {
            Ok(url) => config.base_url = url,
            Err(message) => problems.push(
                Diagnostic::error(Code::Config, path, message)
                    .at_opt(locate("base_url"))
                    .help("use an http(s) URL such as `https://example.org/dossier/`, or `/`"),
            ),
        }
        if let Err(message) = check_theme_name(&config.theme) {
            problems.push(
                Diagnostic::error(Code::Config, path, message)
                    .at_opt(locate("theme"))
                    .help("a theme is a folder under themes/: write its plain name, e.g. `theme: mine`"),
            );
        }
        if let Some(date) = &config.briefing.edition_date
            && let Err(err) = crate::model::PartialDate::parse(date)
        {
            problems.push(
                Diagnostic::error(
                    Code::BadDate,
                    path,
                    format!("briefing.edition_date: {}", err.0),
                )
                .at_opt(locate("edition_date"))
                .help("write `2018-04-30` for a day, `2018-04` for a month, `2018` for a year"),
            );
        }
        if config.title.trim().is_empty() {
            problems.push(
                Diagnostic::error(Code::Config, path, "the dossier needs a title")
                    .at_opt(locate("title")),
            );
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Reads and parses `site.yaml` under `root`.
    ///
    /// # Errors
    /// Located diagnostics; a missing file is reported as one too, with a hint
    /// to run `dossier init`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        match crate::load::inside::read(root, CONFIG_FILE, crate::load::MAX_FILE_BYTES) {
            Ok(Ok(bytes)) => {
                let text = crate::load::decode(CONFIG_FILE, bytes).map_err(|d| vec![d])?;
                SiteConfig::parse(&text, CONFIG_FILE)
            }
            Ok(Err(size)) => Err(vec![Diagnostic::error(
                Code::TooLarge,
                CONFIG_FILE,
                format!("{CONFIG_FILE} is {size} bytes; is it really the settings file?"),
            )]),
            Err(err) => Err(vec![
                Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    format!("cannot read {}: {err}", path.display()),
                )
                .help("run `dossier init DIR` to start a new dossier, or pass --root DIR"),
            ]),
        }
    }

    /// The path part of the base URL, always starting and ending with `/`:
    /// the prefix of every internal link.
    pub fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(scheme_end) => {
                let after = &self.base_url[scheme_end + 3..];
                after.find('/').map_or("/", |i| &after[i..])
            }
            None => &self.base_url,
        }
    }

    /// A minimal configuration for tests.
    pub fn for_tests() -> SiteConfig {
        SiteConfig::parse("title: Test dossier\n", CONFIG_FILE).expect("invariant: valid config")
    }
}

/// Checks that a theme is a plain folder name under `themes/`: no path
/// separators, no `..`, not hidden, so it can only name a folder there.
///
/// # Errors
/// A message quoting the name.
pub fn check_theme_name(name: &str) -> Result<(), String> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..");
    if plain {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a theme name: it must be a folder name under themes/ (letters, digits, `-`, `_`, `.`)"
        ))
    }
}

/// Checks a base URL and makes it end with `/`.
///
/// # Errors
/// A message quoting the URL when it is neither http(s) nor a path.
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    // A path must start with exactly one `/`: browsers read `//host/` and
    // `/\host/` as another host, which would load every script and style
    // sheet from there. Backslashes are refused everywhere for that reason.
    let path_ok = url.starts_with('/') && !url[1..].starts_with(['/', '\\']);
    let absolute_ok = ["https://", "http://"].iter().any(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?', '#', '@', ':']))
    });
    if !(path_ok || absolute_ok)
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err(format!("`{url}` is not a usable base URL"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_the_title() {
        let config = SiteConfig::parse("title: Syria\n", "site.yaml").unwrap();
        assert_eq!(config.base_url, "/");
        assert_eq!(config.output, "output");
        assert_eq!(config.actors.link_mentions, MentionLinks::First);
        assert!(!config.markdown.allow_raw_html);
    }

    #[test]
    fn unknown_key_names_the_key_and_the_closest_valid_one() {
        let errors = SiteConfig::parse("title: Syria\nsubtitel: x\n", "site.yaml").unwrap_err();
        let d = &errors[0];
        assert_eq!(d.message, "unknown field `subtitel`");
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `subtitle`?")
        );
        assert_eq!(d.position(), "site.yaml:2:1");
    }

    #[test]
    fn nested_unknown_keys_are_caught_too() {
        let errors = SiteConfig::parse(
            "title: S\nmarkdown:\n  smart_punctuaton: false\n",
            "site.yaml",
        )
        .unwrap_err();
        assert_eq!(errors[0].position(), "site.yaml:3:3");
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .contains("smart_punctuation")
        );
    }

    #[test]
    fn base_url_is_normalised_and_checked() {
        let c = SiteConfig::parse("title: S\nbase_url: https://ex.org/d\n", "site.yaml").unwrap();
        assert_eq!(c.base_url, "https://ex.org/d/");
        assert_eq!(c.base_path(), "/d/");
        let errors = SiteConfig::parse("title: S\nbase_url: javascript:alert(1)\n", "site.yaml")
            .unwrap_err();
        assert_eq!(errors[0].position(), "site.yaml:2:11");
    }

    #[test]
    fn findings_point_at_the_value_the_parser_read_not_at_a_look_alike_line() {
        let text = "title: S\nsubtitle: |\n  theme: the war\ntheme: ../evil\n";
        let errors = SiteConfig::parse(text, "site.yaml").unwrap_err();
        assert_eq!(errors[0].position(), "site.yaml:4:8");
    }
}
