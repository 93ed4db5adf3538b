//! Every problem of a front matter is reported in one run (issue #11.18),
//! each at its own line, and nothing that only follows from another.

mod common;

use common::TestSite;
use dossier::check::check;

#[test]
fn issue_11_18_every_yaml_problem_of_a_file_is_reported_at_once() {
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitel: A\ndate: 2020-01-01\nsource: Wire\nkind: newz\ntags: {a: 1}\n\
         url: https://x.org\nurl: https://y.org\n---\nText.\n",
    )]);
    let findings = check(site.root(), false).unwrap().sorted();
    let yaml: Vec<(String, String)> = findings
        .iter()
        .filter(|d| d.path == "content/articles/one.md")
        .map(|d| (d.position(), d.message.clone()))
        .collect();
    let positions: Vec<&str> = yaml.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        positions,
        [
            "content/articles/one.md:2:1",
            "content/articles/one.md:5:7",
            "content/articles/one.md:6:7",
            "content/articles/one.md:8:1",
        ],
        "{yaml:?}"
    );
    assert!(yaml[0].1.contains("`titel`"), "not also `title` missing");
}

#[test]
fn a_field_removed_to_read_on_is_not_reported_missing() {
    // `title` has the wrong type: one problem, not also "title is missing".
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        "---\ntitle: [a, b]\ndate: 2020-01-01\nsource: Wire\nkind: newz\n---\nText.\n",
    )]);
    let findings = check(site.root(), false).unwrap().sorted();
    let positions: Vec<String> = findings
        .iter()
        .filter(|d| d.path == "content/articles/one.md")
        .map(|d| d.position())
        .collect();
    assert_eq!(
        positions,
        ["content/articles/one.md:2:8", "content/articles/one.md:5:7"],
        "{findings:?}"
    );
}
