//! Model tests: each builds a dossier from strings, no files.

use super::*;
use crate::test_support::{PUTIN, TASS, site};

const RUSSIA: (&str, &str) = (
    "content/actors/russia.md",
    "---\nname: Russia\nkind: country\naliases: [Moscow, the Kremlin]\n---\n",
);

#[test]
fn resolves_actors_by_name_alias_and_slug() {
    let article = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016-09\nsource: TASS\nactors: [Putin, russia, the Kremlin]\n---\nBody\n",
    );
    let (site, diagnostics) = site(&[article], &[PUTIN, RUSSIA], &[TASS]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let names: Vec<&str> = site.articles[0]
        .actors
        .iter()
        .map(|a| site.actors[a.index()].name.as_str())
        .collect();
    assert_eq!(names, ["Vladimir Putin", "Russia"]);
    assert_eq!(site.articles[0].date.precision(), Precision::Month);
}

#[test]
fn unknown_actor_warns_with_the_closest_name_and_is_not_invented() {
    let article = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: TASS\nactors:\n  - Vladimir Puttin\n---\n",
    );
    let (site, diagnostics) = site(&[article], &[PUTIN], &[TASS]);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.code, "unknown-actor");
    assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
    assert_eq!(d.position(), "content/articles/a.md:6:5");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("did you mean `Vladimir Putin`?"),
        "{:?}",
        d.help
    );
    assert_eq!(site.actors.len(), 1);
    assert!(site.articles[0].actors.is_empty());
}

#[test]
fn two_articles_with_one_url_are_a_located_collision() {
    let a = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: TASS\nslug: same\n---\n",
    );
    let b = (
        "content/articles/b.md",
        "---\ntitle: B\ndate: 2016\nsource: TASS\nslug: same\n---\n",
    );
    let (_, diagnostics) = site(&[a, b], &[], &[TASS]);
    let d = diagnostics
        .iter()
        .find(|d| d.code == "duplicate-slug")
        .expect("collision reported");
    assert!(d.message.contains("content/articles/a.md"), "{}", d.message);
    assert_eq!(d.path, "content/articles/b.md");
}

#[test]
fn findings_checked_on_every_core_are_reported_as_the_file_order_allows() {
    // Each file is checked on its own before the files are taken in order:
    // what the second `same` file says is not reported (its address is
    // taken, as before); a file without a title is left out, but the rest
    // of its front matter (here its event) is still checked.
    let first = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: TASS\nslug: same\n---\n",
    );
    let taken = (
        "content/articles/b.md",
        "---\ntitle: B\ndate: 2016-13\nsource: TASS\nslug: same\nurl: ftp://x\n---\n",
    );
    let untitled = (
        "content/articles/c.md",
        "---\ntitle: ''\ndate: 2016\nsource: TASS\nevents:\n  - date: 2016-02-30\n    title: Never\n---\n",
    );
    let (site, diagnostics) = site(&[first, taken, untitled], &[], &[TASS]);
    let found: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.position()))
        .collect();
    assert_eq!(
        found,
        [
            "duplicate-slug content/articles/b.md",
            "empty content/articles/c.md:2:8",
            "bad-date content/articles/c.md:6:11"
        ]
    );
    assert_eq!(site.articles.len(), 1);
}

#[test]
fn past_the_cap_of_located_findings_the_later_ones_name_only_the_file() {
    // The actors come before the events: with as many unknown actors as
    // the cap, the event's bad date is the one left without a position.
    let actors: Vec<String> = (0..crate::diagnostic::MAX_PER_FILE)
        .map(|i| format!("  - Nobody {i}\n"))
        .collect();
    let text = format!(
        "---\ntitle: A\ndate: 2016\nsource: TASS\nactors:\n{}events:\n  - date: 2016-13\n    title: Never\n---\n",
        actors.concat()
    );
    let (_, diagnostics) = site(&[("content/articles/a.md", text.as_str())], &[], &[TASS]);
    let unlocated: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.location.is_none())
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(unlocated, ["bad-date"]);
}

#[test]
fn bad_dates_and_urls_are_located_errors() {
    let a = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2017-02-30\nsource: TASS\nurl: javascript:alert(1)\n---\n",
    );
    let (site, diagnostics) = site(&[a], &[], &[TASS]);
    let positions: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.position()))
        .collect();
    assert_eq!(
        positions,
        [
            "bad-date content/articles/a.md:3:7",
            "bad-url content/articles/a.md:5:6"
        ]
    );
    assert!(site.articles.is_empty());
}

#[test]
fn events_after_the_article_are_flagged() {
    let a = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016-09\nsource: TASS\nevents:\n  - date: 2016-09-25\n    title: Fine\n  - date: 2017-01-01\n    title: Too late\n---\n",
    );
    let (site, diagnostics) = site(&[a], &[], &[TASS]);
    assert_eq!(site.events.len(), 2);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "event-after-article");
    assert_eq!(diagnostics[0].position(), "content/articles/a.md:8:11");
}

#[test]
fn unregistered_publication_still_attributes_the_article() {
    let a = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: Tass\n---\n",
    );
    let (site, diagnostics) = site(&[a], &[], &[]);
    assert_eq!(diagnostics[0].code, "unknown-source");
    assert_eq!(site.sources[site.articles[0].source.index()].name, "Tass");
    let (site, diagnostics) = self::site(&[a], &[], &[TASS]);
    assert!(
        diagnostics.is_empty(),
        "case-insensitive match: {diagnostics:?}"
    );
    assert_eq!(site.sources[site.articles[0].source.index()].name, "TASS");
}

#[test]
fn articles_are_in_date_order_with_inexact_dates_at_the_end_of_their_period() {
    let a = (
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016-09-25\nsource: TASS\n---\n",
    );
    let b = (
        "content/articles/b.md",
        "---\ntitle: B\ndate: 2016\nsource: TASS\n---\n",
    );
    let c = (
        "content/articles/c.md",
        "---\ntitle: C\ndate: 2016-09\nsource: TASS\n---\n",
    );
    let (site, _) = site(&[a, b, c], &[], &[TASS]);
    let titles: Vec<&str> = site.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["A", "C", "B"]);
}
