//! Links in a body: content files become page URLs (a missing one is a
//! located error), active URLs are removed, and `#fragment` links are
//! checked against the ids their target page defines.

use super::*;

impl<'c, 'e> Walker<'c, 'e> {
    /// Resolves a link or image destination to the URL to emit, or `None`
    /// when it must be dropped (unsafe, or broken: reported either way).
    pub(super) fn resolve(
        &mut self,
        dest: &str,
        range: &Range<usize>,
        what: &str,
    ) -> Option<String> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Some(String::new());
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            let location = self.location(range);
            self.rendered.fragment_links.push(FragmentLink {
                target: None,
                fragment: fragment.to_string(),
                location,
            });
            return Some(dest.to_string());
        }
        if let Some(scheme) = scheme_of(dest) {
            if matches!(scheme.as_str(), "http" | "https" | "mailto") {
                if scheme != "mailto" {
                    let start = self.body.body_start + range.start;
                    self.rendered
                        .external_links
                        .push((dest.to_string(), start..start + range.len()));
                }
                return Some(dest.to_string());
            }
            if !self.room(false) {
                return None;
            }
            let location = self.location(range);
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::UnsafeUrl,
                    self.body.path,
                    format!(
                        "{what} to `{}` removed: `{scheme}:` URLs are not allowed",
                        truncate(dest, 60)
                    ),
                )
                .at(location)
                .help("only http, https and mailto links are kept; the text stays"),
            );
            return None;
        }
        if dest.starts_with('/') || dest.starts_with("//") {
            return Some(dest.to_string());
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let decoded = percent_decode(path_part);
        let resolved = join(self.body.path, &decoded);
        let target = resolved
            .as_deref()
            .and_then(|p| self.ctx.site.by_path.get(p))
            .copied();
        let site = self.ctx.site;
        let urls = self.ctx.urls;
        let url = match target {
            Some(Target::Article(id)) => {
                if !self.facts.links.contains(&id) {
                    self.facts.links.push(id);
                }
                if let Some(fragment) = fragment {
                    let location = self.location(range);
                    self.rendered.fragment_links.push(FragmentLink {
                        target: Some(id),
                        fragment: fragment.to_string(),
                        location,
                    });
                }
                urls.article(&site.articles[id.index()])
            }
            Some(Target::Actor(id)) => urls.actor(&site.actors[id.index()]),
            Some(Target::Source(id)) => urls.source(&site.sources[id.index()]),
            Some(Target::Asset(index)) => urls.link(&site.assets[index].output),
            None => {
                if !self.room(true) {
                    return None;
                }
                let location = self.location(range);
                // Compared by name without `.md` (which every article
                // shares), and offered as the link to write from here.
                // Among equally close names, the one in the folder the
                // link points into, then the first path: the same hint on
                // every run (the map's order is not).
                let pointed_into = resolved.as_deref().and_then(folder_of);
                let hint = closest_by(
                    stem(&decoded),
                    site.by_path.keys(),
                    |path| stem(path),
                    |path| (folder_of(path) != pointed_into, path.as_str()),
                )
                .map(|best| format!("did you mean `{}`? ", relative(self.body.path, best)))
                .unwrap_or_default();
                let message = match resolved {
                    Some(path) => {
                        format!("broken {what}: `{dest}` points to {path}, which does not exist")
                    }
                    None => format!("broken {what}: `{dest}` points outside the dossier"),
                };
                self.diagnostics.push(
                    Diagnostic::error(Code::BrokenLink, self.body.path, message)
                        .at(location)
                        .help(format!("{hint}links to other content use the file's path relative to this file, e.g. `other-article.md` or `../actors/name.md`")),
                );
                return None;
            }
        };
        Some(match fragment {
            Some(fragment) => format!("{url}#{fragment}"),
            None => url,
        })
    }
}

/// A link's destination as a URL: pulldown-cmark hands an email autolink
/// (`<press@example.org>`) over without its `mailto:`, which would make it a
/// relative link to a file called `press@example.org`.
pub(super) fn link_destination(link_type: LinkType, dest: CowStr<'_>) -> CowStr<'_> {
    if link_type == LinkType::Email && scheme_of(&dest).is_none() {
        CowStr::from(format!("mailto:{dest}"))
    } else {
        dest
    }
}

/// The lowercased URL scheme, if `dest` has one (`JavaScript:x` → `javascript`).
/// Control characters and spaces that browsers ignore are skipped first, so
/// `java\tscript:` is caught too.
pub(super) fn scheme_of(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(40)
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a slash is part of a path, not a scheme.
    let slash_first = cleaned.find('/').is_some_and(|s| s < colon);
    (valid && !slash_first).then(|| scheme.to_ascii_lowercase())
}

pub(crate) fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative link to the folder of `from` (a root-relative file
/// path), resolving `.` and `..` lexically. `None` if it climbs out of the
/// dossier root.
pub(crate) fn join(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The folder of a `/`-separated path, if it has one.
fn folder_of(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(folder, _)| folder)
}

/// A file's name without its folder or `.md`.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// The link from the file at `from` to the file at `to` (both relative to
/// the dossier root): the inverse of [`join`].
pub(super) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - shared);
    out.push_str(&to_parts[shared..].join("/"));
    out
}

/// Reports `#fragment` links that point at no heading or footnote.
pub fn check_fragments(
    site: &Site,
    path: &str,
    own_anchors: &[String],
    links: &[FragmentLink],
    anchors_of: impl Fn(ArticleId) -> Vec<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each page's anchors are fetched and indexed once, however many links
    // point at it: a body with thousands of `#x` links stays linear.
    let mut pages: FastMap<Option<ArticleId>, (Vec<String>, FastSet<String>)> = FastMap::default();
    let mut more = 0;
    for link in links {
        if link.fragment.is_empty() {
            continue;
        }
        let (anchors, index) = pages.entry(link.target).or_insert_with(|| {
            let anchors = match link.target {
                None => own_anchors.to_vec(),
                Some(id) => anchors_of(id),
            };
            let index = anchors.iter().cloned().collect();
            (anchors, index)
        });
        if index.contains(&link.fragment) {
            continue;
        }
        if out.len() >= MAX_PER_FILE {
            more += 1;
            continue;
        }
        let name = match link.target {
            None => "this page".to_string(),
            Some(id) => site.articles[id.index()].path.clone(),
        };
        {
            let hint = closest(&link.fragment, anchors.iter().map(String::as_str))
                .map(|b| format!("did you mean `#{b}`? "))
                .unwrap_or_default();
            out.push(
                Diagnostic::error(
                    Code::BrokenFragment,
                    path,
                    format!(
                        "`#{}` is not a heading or footnote in {name}",
                        link.fragment
                    ),
                )
                .at(link.location.clone())
                .help(format!(
                    "{hint}fragments are heading ids: the heading text in lowercase, with hyphens"
                )),
            );
        }
    }
    if more > 0 {
        out.push(Diagnostic::too_many(path, more, "broken fragments", true));
    }
    out
}
