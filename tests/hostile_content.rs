//! Hostile or broken text in a dossier (issue #12, "Low"): characters XML
//! cannot carry, file names the output cannot hold, look-alike and bidi
//! names, and theme errors that name their file.

mod common;

use common::{TestSite, dossier, stderr};
use dossier::check::check;

#[test]
fn a_control_character_never_reaches_the_feed_and_check_reports_it() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: \"A \\x01 title\"\ndate: 2020-01-02\nsource: Wire\nsummary: \"B\\x1b\"\n---\nText.\n",
    )]);
    site.build_ok();
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = site.output(xml);
        assert!(
            !text
                .chars()
                .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
            "{xml} is well-formed XML"
        );
    }
    assert!(site.output("feed.xml").contains("A  title"));
    let findings = check(site.root(), false).unwrap().sorted();
    let found = findings
        .iter()
        .find(|d| d.code == "control-char")
        .expect("check reports it");
    assert_eq!(
        found.position(),
        "content/articles/one.md:2:8",
        "at the title"
    );
    assert!(found.message.contains("U+0001"), "{}", found.message);
}

#[test]
fn an_asset_the_output_cannot_hold_is_a_located_error() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\nText.\n",
    )]);
    site.write("content/media/photo 10:30.png", "png");
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/media/photo 10:30.png"), "{err}");
    assert!(err.contains("rename"), "{err}");
}

#[test]
fn check_warns_about_look_alike_bidi_and_empty_names() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\nPutin spoke.\n",
    )]);
    // A Cyrillic `Р` in a Latin name, a right-to-left override, an empty alias.
    site.write(
        "content/actors/fake.md",
        "---\nname: \"\u{420}utin\"\nkind: person\naliases: [\"Vla\u{202E}dimir\", \"\"]\n---\n",
    );
    let findings = check(site.root(), false).unwrap().sorted();
    let suspicious: Vec<_> = findings
        .iter()
        .filter(|d| d.code == "suspicious-name")
        .collect();
    assert_eq!(suspicious.len(), 3, "{findings:?}");
    assert!(
        suspicious
            .iter()
            .all(|d| d.path == "content/actors/fake.md")
    );
    // Each at the value itself, the alias inside its list.
    let positions: Vec<String> = suspicious.iter().map(|d| d.position()).collect();
    assert_eq!(
        positions,
        [
            "content/actors/fake.md:2:7",
            "content/actors/fake.md:4:11",
            "content/actors/fake.md:4:24"
        ]
    );
}

#[test]
fn every_broken_template_is_reported_at_its_line_in_one_run() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\nText.\n",
    )]);
    site.write("site.yaml", "title: T\ntheme: mine\n");
    // Two syntax errors in two files: both are found, not only the first.
    site.write(
        "themes/mine/templates/home.html",
        "{% extends \"base.html\" %}\n{% block main %}{% if %}{% endblock %}",
    );
    site.write(
        "themes/mine/templates/timeline.html",
        "{% extends \"base.html\" %}\n\n{% block main %}{{ }}{% endblock %}",
    );
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("themes/mine/templates/home.html:2:"), "{err}");
    assert!(
        err.contains("themes/mine/templates/timeline.html:3:"),
        "{err}"
    );
    assert!(err.contains("2 errors"), "{err}");

    // Three templates that fail while pages are made (the briefing
    // page's among them): each is reported once, at the expression,
    // though one of them fails on every page.
    site.write("themes/mine/templates/home.html", "{{ nope.missing }}");
    site.write(
        "themes/mine/templates/timeline.html",
        "<p>\n  {{ other.missing }}",
    );
    site.write("themes/mine/templates/briefing.html", "{{ brief.missing }}");
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("themes/mine/templates/home.html:1:4"), "{err}");
    assert!(
        err.contains("themes/mine/templates/timeline.html:2:6"),
        "{err}"
    );
    assert!(
        err.contains("themes/mine/templates/briefing.html:1:4"),
        "{err}"
    );
    assert_eq!(err.matches("`nope` is not defined").count(), 1, "{err}");
    assert!(err.contains("3 errors"), "{err}");
    assert!(!site.root().join("output").exists());
    // `check` finds them too: they show only when pages are made.
    let found: Vec<String> = check(site.root(), false)
        .unwrap()
        .sorted()
        .iter()
        .filter(|d| d.code == "template")
        .map(|d| d.position())
        .collect();
    assert_eq!(
        found,
        [
            "themes/mine/templates/briefing.html:1:4",
            "themes/mine/templates/home.html:1:4",
            "themes/mine/templates/timeline.html:2:6"
        ]
    );
}

#[test]
fn template_errors_name_the_file_once_and_exit_1() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\nText.\n",
    )]);
    site.write("site.yaml", "title: T\ntheme: mine\n");
    site.write(
        "themes/mine/templates/article.html",
        "{% include \"article.html\" %}",
    );
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("themes/mine/templates/article.html"), "{err}");
    assert!(err.to_lowercase().contains("circular"), "{err}");

    site.write("themes/mine/templates/article.html", "{{ nope.missing }}");
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "a content error");
    let err = stderr(&out);
    assert!(err.contains("themes/mine/templates/article.html"), "{err}");
    assert!(!err.contains("error: error:"), "{err}");
}
