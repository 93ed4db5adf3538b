//! Links and ids in article bodies (issue #11): email autolinks, ids that
//! never collide with the theme's or each other, and `links.broken`.

mod common;

use std::collections::HashMap;

use common::{TestSite, dossier};
use dossier::check::check;
use dossier::diagnostic::Severity;

fn article(body: &str) -> String {
    format!("---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\n{body}")
}

/// Every `id="…"` of an HTML page, with how often it occurs.
fn ids(html: &str) -> HashMap<String, usize> {
    let mut found = HashMap::new();
    for (at, _) in html.match_indices(" id=\"") {
        let rest = &html[at + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        *found.entry(id.to_string()).or_default() += 1;
    }
    found
}

#[test]
fn issue_11_3_an_email_autolink_is_a_mailto_link() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        &article("Write to <press@example.org>.\n"),
    )]);
    site.build_ok();
    let page = site.output("articles/one/index.html");
    assert!(page.contains("href=\"mailto:press@example.org\""), "{page}");
}

#[test]
fn issue_11_4_content_ids_never_repeat_or_take_the_themes() {
    let body = "## Main\n\nText[^notes].\n\n## Notes\n\n## Notes\n\n## Timeline {#timeline}\n\n\
                ## Events\n\n## Y2016\n\n## E 1\n\n[^notes]: A note.\n";
    let site = TestSite::with_registry(&[("content/articles/one.md", &article(body))]);
    let report = site.build_ok();
    let page = site.output("articles/one/index.html");
    let duplicated: Vec<_> = ids(&page).into_iter().filter(|(_, n)| *n > 1).collect();
    assert!(duplicated.is_empty(), "{duplicated:?}");
    assert!(page.contains("<main id=\"main\""));
    assert!(page.contains("id=\"main-1\""), "the heading steps aside");
    assert!(page.contains("id=\"notes\"") && page.contains("id=\"notes-1\""));
    assert!(
        page.contains("href=\"#fn:notes\""),
        "footnotes have their own ids"
    );
    // The explicit id the page could not keep is reported.
    assert!(
        report
            .warnings
            .iter()
            .any(|d| d.code == "duplicate-id" && d.message.contains("`timeline`")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn issue_11_4_check_reports_a_footnote_defined_twice() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        &article("A[^a].\n\n[^a]: One.\n\n[^a]: Two.\n"),
    )]);
    let findings = check(site.root(), false).unwrap().sorted();
    let found = findings
        .iter()
        .find(|d| d.code == "duplicate-id")
        .expect("reported");
    assert_eq!(found.position(), "content/articles/one.md:10:1");
}

#[test]
fn issue_11_6_site_yaml_can_lower_broken_links_to_warnings_for_build() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        &article("See [gone](gone.md) and [here](#nowhere).\n"),
    )]);
    // Default: an error.
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));

    site.write("site.yaml", "title: T\nlinks:\n  broken: warn\n");
    let report = site.build_ok();
    let broken: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.code == "broken-link" || d.code == "broken-fragment")
        .collect();
    assert_eq!(broken.len(), 2, "{:?}", report.warnings);
    assert!(broken.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(broken[0].position(), "content/articles/one.md:6:5");
    let page = site.output("articles/one/index.html");
    assert!(
        page.contains("See gone and"),
        "the text stays, the link goes"
    );

    // `check` and `build --strict` still fail on it.
    let out = dossier(site.root(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let out = dossier(site.root(), &["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/articles/one.md:6:5"), "{stderr}");

    site.write("site.yaml", "title: T\nlinks:\n  broken: sometimes\n");
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.yaml:3:"));
}
