//! `dossier check`: every finding about a dossier, without writing output.
//!
//! Runs the same stages as a build up to (not including) rendering pages,
//! plus the theme, then looks at the dossier as a whole for what a build
//! does not need to stop for: the same article clipped twice, registry
//! entries nothing refers to (once no file is left out for its errors),
//! malformed web addresses in article text, and (with `--external`) links
//! that no longer answer.
//!
//! A name that matches no registered actor or publication is only a warning
//! for `build` (the site can still be made), but an error here: in a dossier
//! it is almost always a typo, and `check` is what CI runs.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location, MAX_PER_FILE, Severity};
use crate::engine::{Engine, EngineOptions, Sink};
use crate::error::{Error, Result};
use crate::model::{Article, At, ModelOptions, Site, Written, check_url};
use crate::pipeline::{Compiled, compile, configure};
use crate::render::theme::Theme;

/// Finding codes that `check` treats as errors although `build` only warns.
pub const STRICTER_IN_CHECK: &[Code] = &[Code::UnknownActor, Code::UnknownSource];

/// What `dossier check` should look at.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Include drafts.
    pub include_drafts: bool,
    /// Ask every external URL whether it still answers.
    pub external: Option<ExternalOptions>,
}

/// Limits for `--external`.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time allowed per request.
    pub timeout: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Checks the dossier at `root`.
///
/// # Errors
/// Environment failures only; every content problem is a finding.
pub fn check(root: &Path, include_drafts: bool) -> Result<Diagnostics> {
    check_with(
        root,
        &CheckOptions {
            include_drafts,
            external: None,
        },
    )
}

/// Checks the dossier at `root` with options.
///
/// # Errors
/// Environment failures only (including `--external` without `curl`).
pub fn check_with(root: &Path, options: &CheckOptions) -> Result<Diagnostics> {
    let config = match configure(root, None) {
        Ok(config) => config,
        Err(Error::Content(findings)) => return Ok(findings),
        Err(other) => return Err(other),
    };
    let theme = Theme::load(root, &config.theme).err();
    let mut compiled = compile(
        root,
        config,
        ModelOptions {
            include_drafts: options.include_drafts,
        },
        false,
    )?;
    let mut extra = Vec::new();
    extra.extend(duplicate_articles(&compiled.site));
    // While entries are left out for their errors (a whole article for a
    // typo in its front matter), the actors and publications only they
    // refer to would be reported unused, burying the one real error.
    if compiled.site.left_out == 0 {
        extra.extend(unused_registry_entries(&compiled));
    }
    extra.extend(malformed_links(&compiled));
    extra.extend(suspicious_names(&compiled.site));
    extra.extend(unencodable_text(&compiled.site));
    if let Some(external) = options.external {
        extra.extend(external_links(&compiled, external)?);
    }
    let make_pages = theme.is_none() && !compiled.diagnostics.has_errors();
    let mut diagnostics = std::mem::take(&mut compiled.diagnostics);
    diagnostics.extend(extra);
    if make_pages {
        diagnostics.extend(duplicate_ids(root, options.include_drafts, compiled)?);
    }
    let mut findings: Diagnostics = diagnostics
        .into_iter()
        .map(|mut d| {
            if STRICTER_IN_CHECK.contains(&d.code) {
                d.severity = Severity::Error;
            }
            d
        })
        .collect();
    findings.extend(theme.into_iter().flatten());
    Ok(findings)
}

/// Ids that appear more than once in one built page. Ids made from
/// content are prefixed so that they cannot collide with the theme's; a
/// body that defines one twice (a footnote defined twice) is reported at
/// its line by the Markdown renderer, so those ids are left out here, and
/// what is left comes from a theme's templates. The pages are made from
/// the state `check` compiled, each looked at as it is made and then
/// dropped (nothing is written or kept).
fn duplicate_ids(root: &Path, include_drafts: bool, compiled: Compiled) -> Result<Vec<Diagnostic>> {
    let mut in_content = std::collections::HashSet::new();
    for body in &compiled.bodies {
        let mut seen = std::collections::HashSet::new();
        for anchor in &body.facts.anchors {
            if !seen.insert(anchor.as_str()) {
                in_content.insert(anchor.clone());
            }
        }
    }
    let mut engine = Engine::new(
        root,
        EngineOptions {
            drafts: include_drafts,
            single_build: true,
            ..EngineOptions::default()
        },
    );
    let sink = IdCheck {
        in_content,
        found: std::sync::Mutex::new(Vec::new()),
    };
    match engine
        .prepare_compiled(compiled)
        .and_then(|prepared| engine.emit(prepared, &sink))
    {
        Ok(_) => {}
        // Content findings are reported by the rest of `check`; what only
        // making the pages finds is a template failing on them.
        Err(Error::Content(found)) => {
            return Ok(found
                .into_iter()
                .filter(|d| d.code == Code::Template)
                .collect());
        }
        Err(Error::Template(_)) => return Ok(Vec::new()),
        Err(other) => return Err(other),
    }
    let mut found = sink
        .found
        .into_inner()
        .expect("invariant: no poisoned lock");
    // In page order, as a walk of the site would list them (stable: each
    // page's own in the order they appear).
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Looks for duplicate ids in each page as it is made.
struct IdCheck {
    /// Ids a body defines twice (reported at their line already).
    in_content: std::collections::HashSet<String>,
    found: std::sync::Mutex<Vec<Diagnostic>>,
}

impl Sink for IdCheck {
    fn write(&self, page: &str, bytes: &[u8]) -> Result<()> {
        if !page.ends_with(".html") {
            return Ok(());
        }
        let html = String::from_utf8_lossy(bytes);
        let mut seen = std::collections::HashSet::new();
        let mut reported = std::collections::HashSet::new();
        let mut found = Vec::new();
        for id in ids(&html) {
            if !seen.insert(id) && !self.in_content.contains(id) && reported.insert(id) {
                found.push(
                    Diagnostic::warning(
                        Code::DuplicateId,
                        format!("{page} (built page)"),
                        format!("the id `{id}` appears more than once in this page"),
                    )
                    .help(
                        "links to it reach only the first, and HTML checkers reject the page; \
                         give one of the theme's elements another id",
                    ),
                );
            }
        }
        if !found.is_empty() {
            crate::engine::lock(&self.found).extend(found);
        }
        Ok(())
    }

    fn remove(&self, _page: &str) -> Result<()> {
        Ok(())
    }
}

/// The values of `id` attributes in HTML we made. Text and attribute
/// values are escaped (`"` as `&quot;`), so ` id="` only starts an
/// attribute.
fn ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices(" id=\"").filter_map(|(at, opening)| {
        let rest = &html[at + opening.len()..];
        rest.find('"').map(|end| &rest[..end])
    })
}

/// Where an article's `url:` value is written.
fn url_location(article: &Article) -> Option<Location> {
    let at = article.written.of("url").next()??;
    Some(at.location(&article.text))
}

/// A URL as two clippings of one article would both spell it.
fn normalise_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url.split('#').next().unwrap_or(url);
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let _ = scheme; // http and https copies of one page are the same article
    format!("{host}/{path}")
}

/// The same original URL clipped into two articles.
fn duplicate_articles(site: &Site) -> Vec<Diagnostic> {
    let mut first: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    let mut articles: Vec<_> = site.articles.iter().filter(|a| a.url.is_some()).collect();
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    for article in articles {
        let url = article.url.as_deref().unwrap_or_default();
        match first.get(&normalise_url(url)) {
            Some(other) => out.push(
                Diagnostic::warning(
                    Code::DuplicateArticle,
                    &article.path,
                    format!("this article has the same original URL as {other}"),
                )
                .at_opt(url_location(article))
                .help("the same article was clipped twice: keep one copy"),
            ),
            None => {
                first.insert(normalise_url(url), &article.path);
            }
        }
    }
    out
}

/// Actors and publications that no article refers to.
fn unused_registry_entries(compiled: &Compiled) -> Vec<Diagnostic> {
    let (site, graph) = (&compiled.site, &compiled.graph);
    let mut out = Vec::new();
    for actor in site.actors.iter() {
        let Some(path) = &actor.path else { continue };
        let used = !graph.actor_articles[actor.id.index()].is_empty()
            || !graph.actor_events[actor.id.index()].is_empty()
            || site.actors.iter().any(|a| a.affiliation == Some(actor.id));
        if !used {
            out.push(
                Diagnostic::warning(
                    Code::UnusedActor,
                    path,
                    format!("no article mentions or lists `{}`", actor.name),
                )
                .help("add it to an article's `actors`, check its aliases, or remove the file"),
            );
        }
    }
    for source in site.sources.iter() {
        let Some(path) = &source.path else { continue };
        if graph.source_articles[source.id.index()].is_empty() {
            out.push(
                Diagnostic::warning(
                    Code::UnusedSource,
                    path,
                    format!("no article comes from `{}`", source.name),
                )
                .help("check the `source:` of its articles, or remove the file"),
            );
        }
    }
    out
}

/// Which alphabet a letter belongs to, among those whose letters look
/// alike (`а` Cyrillic and `a` Latin); `None` for anything else.
fn look_alike_script(c: char) -> Option<u8> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' => Some(0),
        '\u{370}'..='\u{3FF}' => Some(1),
        '\u{400}'..='\u{52F}' => Some(2),
        _ => None,
    }
}

/// Invisible characters that reorder text (bidi overrides and isolates)
/// or hide in it: a name holding one shows as something else.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Registry names and aliases that hold invisible reordering
/// characters, or mix look-alike alphabets in one word (`Рutin` with a
/// Cyrillic `Р`): each matches nothing a reader would type, or impersonates
/// another entry.
fn suspicious_names(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for actor in site.actors.iter() {
        let Some(path) = &actor.path else { continue };
        for (name, at) in named(&actor.name, &actor.aliases, &actor.written) {
            let location = at.map(|at| at.location(&actor.text));
            // (Empty aliases are reported by the model, for `build` too.)
            let problem = if name.chars().any(is_hidden_control) {
                Some(format!(
                    "`{}` holds invisible characters that reorder or hide text",
                    name.escape_unicode()
                ))
            } else if name.split_whitespace().any(|word| {
                let mut scripts = word.chars().filter_map(look_alike_script);
                let first = scripts.next();
                scripts.any(|s| Some(s) != first)
            }) {
                Some(format!(
                    "`{name}` mixes look-alike letters of different alphabets (Latin, Greek, Cyrillic) in one word"
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                out.push(
                    Diagnostic::warning(Code::SuspiciousName, path, message)
                        .at_opt(location)
                        .help("retype the name with the letters of one alphabet, and remove empty aliases"),
                );
            }
        }
    }
    out
}

/// Characters XML 1.0 cannot carry (control characters other than tab and
/// line feed, U+FFFE, U+FFFF), in a file or in the values its front matter
/// spells with escapes (`"A \x01"`). The feed and sitemap leave them out;
/// this says where they are so that the text can be fixed.
fn unencodable_text(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each value the model keeps, with where it is written.
    let mut report = |path: &str, text: &str, fields: Vec<(&str, Option<At>)>| {
        let bad = |value: &str| {
            value
                .chars()
                .find(|&c| !crate::render::theme::is_xml_char(c))
        };
        if let Some((at, c)) = text
            .char_indices()
            .find(|&(_, c)| !crate::render::theme::is_xml_char(c))
        {
            out.push(control_char(
                path,
                c,
                Some(Location::of_byte(text, at, c.len_utf8())),
            ));
        } else if let Some((at, c)) = fields
            .iter()
            .find_map(|(value, at)| bad(value).map(|c| (*at, c)))
        {
            out.push(control_char(path, c, at.map(|at| at.location(text))));
        }
    };
    let first = |written: &Written, key: &str| written.of(key).next().flatten();
    for a in &site.articles {
        let w = &a.written;
        let mut fields = vec![(a.title.as_str(), first(w, "title"))];
        fields.extend(a.summary.as_deref().map(|s| (s, first(w, "summary"))));
        fields.extend(a.author.as_deref().map(|s| (s, first(w, "author"))));
        let tags = w.of("tags").chain(std::iter::repeat(None));
        fields.extend(a.tags.iter().map(String::as_str).zip(tags));
        report(&a.path, &a.text, fields);
    }
    for actor in site.actors.iter() {
        if let Some(path) = &actor.path {
            report(
                path,
                &actor.text,
                named(actor.name.as_str(), &actor.aliases, &actor.written),
            );
        }
    }
    for source in site.sources.iter() {
        if let Some(path) = &source.path {
            report(
                path,
                &source.text,
                named(source.name.as_str(), &[], &source.written),
            );
        }
    }
    out
}

/// A registry entry's name and aliases, each with where it is written.
fn named<'a>(
    name: &'a str,
    aliases: &'a [String],
    written: &Written,
) -> Vec<(&'a str, Option<At>)> {
    let places = written
        .of("name")
        .take(1)
        .chain(written.of("aliases"))
        .chain(std::iter::repeat(None));
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .zip(places)
        .collect()
}

fn control_char(path: &str, c: char, location: Option<Location>) -> Diagnostic {
    Diagnostic::warning(
        Code::ControlChar,
        path,
        format!(
            "the text holds the control character U+{:04X}; feeds cannot carry it, so it is left out of them",
            u32::from(c)
        ),
    )
    .at_opt(location)
    .help("delete it: it is usually left over from copying text out of another program")
}

/// Every web link in article text: (file, URL, the file's text, where).
/// Lines and columns are worked out only for the links reported.
fn body_links(compiled: &Compiled) -> Vec<(&str, &str, &str, Range<usize>)> {
    compiled
        .site
        .articles
        .iter()
        .zip(&compiled.bodies)
        .flat_map(|(article, body)| {
            body.external_links.iter().map(|(url, range)| {
                (
                    article.path.as_str(),
                    url.as_str(),
                    &*article.text,
                    range.clone(),
                )
            })
        })
        .collect()
}

/// Web links in article text that are not well-formed.
fn malformed_links(compiled: &Compiled) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Per file: how many were reported, and how many more were found.
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (path, url, text, range) in body_links(compiled) {
        let Err(message) = check_url(url) else {
            continue;
        };
        let (shown, more) = counts.entry(path).or_default();
        if *shown >= MAX_PER_FILE {
            *more += 1;
            continue;
        }
        *shown += 1;
        out.push(
            Diagnostic::warning(Code::BadUrl, path, message)
                .at(Location::of_byte(text, range.start, range.len()))
                .help("fix the address, or remove the link and keep its text"),
        );
    }
    for (path, (_, more)) in counts {
        if more > 0 {
            out.push(Diagnostic::too_many(
                path,
                more,
                "malformed web links",
                false,
            ));
        }
    }
    out
}

/// Asks every distinct external URL whether it answers, with bounded
/// concurrency and a timeout per request. Uses `curl`, which every system
/// this runs on has, rather than compiling an HTTP and TLS stack into
/// dossier for an optional check.
fn external_links(compiled: &Compiled, options: ExternalOptions) -> Result<Vec<Diagnostic>> {
    if Command::new("curl").arg("--version").output().is_err() {
        return Err(Error::Usage(
            "--external needs `curl` on the PATH to fetch URLs; install it or leave out --external"
                .into(),
        ));
    }
    let links = body_links(compiled);
    // Per distinct URL, where it appears: (file, its text, byte range).
    type Places<'a> = Vec<(&'a str, &'a str, &'a Range<usize>)>;
    let mut by_url: HashMap<&str, Places<'_>> = HashMap::new();
    for (path, url, text, range) in &links {
        if check_url(url).is_ok() {
            by_url.entry(url).or_default().push((path, text, range));
        }
    }
    for article in &compiled.site.articles {
        if let Some(url) = &article.url {
            by_url.entry(url.as_str()).or_default();
        }
    }
    let mut queue: Vec<&str> = by_url.keys().copied().collect();
    queue.sort_unstable();
    let queue = Mutex::new(queue);
    let failures: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let next = queue
                        .lock()
                        .expect("invariant: no panics holding the lock")
                        .pop();
                    let Some(url) = next else { break };
                    if let Err(problem) = fetch(url, options.timeout) {
                        failures
                            .lock()
                            .expect("invariant: no panics holding the lock")
                            .push((url.to_string(), problem));
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    for (url, problem) in failures.into_inner().expect("invariant: no poisoned lock") {
        let places = &by_url[url.as_str()];
        let make = |path: &str, location: Option<&Location>| {
            Diagnostic::warning(Code::DeadLink, path, format!("`{url}` {problem}"))
                .at_opt(location.cloned())
                .help("the page may have moved: find its new address or an archived copy")
        };
        for (path, text, range) in places {
            let location = Location::of_byte(text, range.start, range.len());
            out.push(make(path, Some(&location)));
        }
        for article in compiled
            .site
            .articles
            .iter()
            .filter(|a| a.url.as_deref() == Some(url.as_str()))
        {
            out.push(make(&article.path, url_location(article).as_ref()));
        }
    }
    Ok(out)
}

/// Fetches `url`'s headers (falling back to a GET for servers that refuse
/// HEAD); `Err` says how it failed.
fn fetch(url: &str, timeout: Duration) -> std::result::Result<(), String> {
    let status = |head: bool| -> std::result::Result<u16, String> {
        let mut command = Command::new("curl");
        command
            .args([
                "--silent",
                "--show-error",
                "--location",
                "--output",
                "/dev/null",
            ])
            .args(["--write-out", "%{http_code}", "--max-time"])
            .arg(timeout.as_secs().max(1).to_string())
            .args(["--proto", "=http,https", "--max-redirs", "5"])
            // Content chooses the URL, so none of curl's URL syntax may
            // apply: `{a,b}` and `[1-300]` would turn one link into
            // hundreds of requests to someone else's server.
            .arg("--globoff");
        if head {
            command.arg("--head");
        }
        let output = command
            .arg("--")
            .arg(url)
            .output()
            .map_err(|e| e.to_string())?;
        let code = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse::<u16>()
            .unwrap_or(0);
        if code == 0 {
            let reason = String::from_utf8_lossy(&output.stderr).trim().to_string();
            let reason = reason.strip_prefix("curl: ").unwrap_or(&reason).to_string();
            return Err(format!("could not be reached ({reason})"));
        }
        Ok(code)
    };
    let mut code = status(true)?;
    if matches!(code, 403 | 405 | 501) {
        code = status(false)?;
    }
    if code >= 400 {
        Err(format!("answered HTTP {code}"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_as_the_same_page() {
        assert_eq!(
            normalise_url("https://www.Example.org/a/b/"),
            normalise_url("http://example.org/a/b#top")
        );
        assert_ne!(
            normalise_url("https://example.org/a"),
            normalise_url("https://example.org/b")
        );
    }
}
