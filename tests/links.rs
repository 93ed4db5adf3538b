//! Every internal link and `#fragment` in a built site resolves.

mod common;

use std::collections::HashMap;

use common::TestSite;

/// Attribute values of `href="…"` and `src="…"` in an HTML document.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks every link of the built site; returns the problems found.
fn broken_links(site: &TestSite) -> Vec<String> {
    let files = site.output_files();
    let pages: HashMap<String, String> = files
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| (f.clone(), site.output(f)))
        .collect();
    let mut problems = Vec::new();
    for (file, html) in &pages {
        for link in links(html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            // Query strings only steer scripts (the timeline's actor filter).
            let path = path.split('?').next().unwrap_or_default().to_string();
            let target = if path.is_empty() {
                file.clone()
            } else {
                let Some(rel) = path.strip_prefix('/') else {
                    problems.push(format!("{file}: relative link `{link}`"));
                    continue;
                };
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            };
            if !files.contains(&target) {
                problems.push(format!("{file}: `{link}` → missing {target}"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ok = pages
                    .get(&target)
                    .is_some_and(|t| t.contains(&format!("id=\"{fragment}\"")));
                if !ok {
                    problems.push(format!("{file}: `{link}` → no id `{fragment}` in {target}"));
                }
            }
        }
    }
    problems.sort();
    problems
}

#[test]
fn every_link_in_the_sample_dossier_resolves() {
    let site = TestSite::sample();
    site.build_ok();
    let problems = broken_links(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The crawl really looked at something.
    let home = site.output("index.html");
    assert!(links(&home).len() > 20);
}

#[test]
fn the_crawler_notices_a_broken_link() {
    let site = TestSite::sample();
    site.build_ok();
    std::fs::remove_dir_all(site.root().join("output/actors/vladimir-putin")).unwrap();
    let problems = broken_links(&site);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("actors/vladimir-putin/index.html")),
        "{problems:?}"
    );
}
