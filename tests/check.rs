//! `dossier check`: whole-dossier findings, and `--external` against a
//! local server (the tests never use the network).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::TestSite;
use dossier::check::{CheckOptions, ExternalOptions, check, check_with};
use dossier::diagnostic::Severity;

fn site(files: &[(&str, &str)]) -> TestSite {
    TestSite::with_registry(files)
}

fn codes(site: &TestSite) -> Vec<String> {
    check(site.root(), false)
        .unwrap()
        .sorted()
        .iter()
        .map(|d| format!("{} {} {:?}", d.code, d.position(), d.severity))
        .collect()
}

#[test]
fn the_same_article_clipped_twice_is_flagged() {
    let s = site(&[
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\nurl: https://www.example.org/story/\n---\n",
        ),
        (
            "content/articles/b.md",
            "---\ntitle: B\ndate: 2016\nsource: Wire\nurl: http://example.org/story\n---\n",
        ),
    ]);
    assert_eq!(
        codes(&s),
        ["duplicate-article content/articles/b.md:5:6 Warning"]
    );
}

#[test]
fn registry_entries_nothing_refers_to_are_flagged() {
    let s = site(&[
        (
            "content/actors/nobody.md",
            "---\nname: Nobody\nkind: person\n---\n",
        ),
        (
            "content/sources/unread.md",
            "---\nname: Unread\nkind: newspaper\n---\n",
        ),
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2016\nsource: Wire\n---\nPutin spoke.\n",
        ),
    ]);
    assert_eq!(
        codes(&s),
        [
            "unused-actor content/actors/nobody.md Warning",
            "unused-source content/sources/unread.md Warning"
        ]
    );
}

#[test]
fn unknown_names_fail_check_but_only_warn_in_build() {
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: Wyre\nactors: [Putin, Medvedev]\n---\n",
    )]);
    assert_eq!(
        codes(&s),
        [
            "unknown-source content/articles/a.md:4:9 Error",
            "unknown-actor content/articles/a.md:5:17 Error",
            "unused-source content/sources/wire.md Warning",
        ]
    );
    let report = s.build_ok();
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning)
    );
    assert_eq!(report.warnings.len(), 2);
}

/// One broken file gets its own errors, not a crowd of findings that
/// follow only from its being left out.
#[test]
fn a_file_left_out_for_its_errors_brings_no_findings_about_its_absence() {
    // An article with a misspelt key is left out: the publication only it
    // comes from is not reported unused.
    let s = site(&[
        (
            "content/sources/daily.md",
            "---\nname: Daily\nkind: newspaper\n---\n",
        ),
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\n---\n",
        ),
        (
            "content/articles/b.md",
            "---\ntitle: B\ndate: 2016\nsource: Daily\nsumary: x\n---\n",
        ),
    ]);
    assert_eq!(codes(&s), ["unknown-key content/articles/b.md:5:1 Error"]);

    // An error that leaves nothing out (a broken link) does not hide them.
    let s = site(&[
        (
            "content/sources/daily.md",
            "---\nname: Daily\nkind: newspaper\n---\n",
        ),
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\n---\nSee [b](b.md).\n",
        ),
    ]);
    assert_eq!(
        codes(&s),
        [
            "broken-link content/articles/a.md:7:5 Error",
            "unused-source content/sources/daily.md Warning"
        ]
    );

    // An actor file that fails to load is not also an unknown actor
    // wherever its name is used (nor is one left out for an error found
    // after loading: an empty name).
    let s = site(&[
        (
            "content/actors/turkey.md",
            "---\nname: Turkey\nkind: nation\n---\n",
        ),
        (
            "content/actors/syria.md",
            "---\nname: \"\"\nkind: country\n---\n",
        ),
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin, Turkey, Syria]\n---\n",
        ),
        (
            "content/articles/b.md",
            "---\ntitle: B\ndate: 2016\nsource: Wire\nactors: [Turkey, Iran]\n---\n",
        ),
    ]);
    let found = codes(&s);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("empty content/actors/syria.md:"),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("bad-value content/actors/turkey.md:3:"),
        "{found:#?}"
    );
    // An unknown name no failed file accounts for is still reported.
    assert_eq!(found[2], "unknown-actor content/articles/b.md:5:18 Error");
    // What is left unsaid is never left unfixed: the files' own errors
    // fail the build.
    let errors: Vec<String> = s
        .build_err()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.path.clone())
        .collect();
    assert_eq!(
        errors,
        ["content/actors/syria.md", "content/actors/turkey.md"]
    );
}

/// An article left out for a bad date (as `dossier new` writes it, with
/// `date: ""`) still has its publication and actors looked up: every
/// problem of its front matter in one run, not one per fix.
#[test]
fn an_article_with_a_bad_date_still_has_its_names_checked() {
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: \"\"\nsource: Publication name\nactors: [Putin, Nobody]\nevents:\n  - date: 2016-13\n    title: E\n    actors: [Noone]\n---\n",
    )]);
    assert_eq!(
        codes(&s),
        [
            "bad-date content/articles/a.md:3:7 Error",
            "unknown-source content/articles/a.md:4:9 Error",
            "unknown-actor content/articles/a.md:5:17 Error",
            "bad-date content/articles/a.md:7:11 Error",
            "unknown-actor content/articles/a.md:9:14 Error",
        ]
    );
}

#[test]
fn malformed_web_addresses_in_text_are_flagged() {
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\n---\nSee [this](https:///nowhere).\n",
    )]);
    assert_eq!(codes(&s), ["bad-url content/articles/a.md:7:5 Warning"]);
}

/// A tiny HTTP server: `/ok` answers 200, everything else 404.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let status = if request.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    format!("http://{address}")
}

#[test]
fn external_links_that_do_not_answer_are_reported() {
    let base = serve();
    let s = site(&[(
        "content/articles/a.md",
        &format!(
            "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\nurl: {base}/gone\n---\nSee [fine]({base}/ok) and [gone]({base}/gone).\n"
        ),
    )]);
    let findings = check_with(
        s.root(),
        &CheckOptions {
            include_drafts: false,
            external: Some(ExternalOptions {
                concurrency: 2,
                timeout: Duration::from_secs(5),
            }),
        },
    )
    .unwrap()
    .sorted();
    let found: Vec<String> = findings
        .iter()
        .map(|d| format!("{} {} {}", d.code, d.position(), d.message))
        .collect();
    assert_eq!(
        found,
        [
            format!("dead-link content/articles/a.md:6:6 `{base}/gone` answered HTTP 404"),
            format!(
                "dead-link content/articles/a.md:8:{} `{base}/gone` answered HTTP 404",
                format!("See [fine]({base}/ok) and ").len() + 1
            ),
        ]
    );
    // Without --external nothing is fetched.
    assert!(check(s.root(), false).unwrap().is_empty());
}

#[test]
fn a_theme_that_repeats_an_id_in_a_page_is_reported_by_check() {
    // Content ids never collide (they are prefixed); a theme's can.
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016\nsource: Wire\nactors: [Putin]\n---\n## Main\n\nText.[^notes]\n\n## Notes\n\n[^notes]: A note.\n",
    )]);
    assert!(
        !codes(&s).iter().any(|c| c.starts_with("duplicate-id")),
        "content ids collided: {:?}",
        codes(&s)
    );
    s.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"lost\">Not here.</p><p id=\"lost\">Nor here.</p>{% endblock main %}",
    );
    let found = check(s.root(), false).unwrap();
    let duplicate: Vec<_> = found.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(duplicate.len(), 1, "{found:?}");
    assert!(duplicate[0].path.contains("404.html"), "{:?}", duplicate[0]);
    assert!(
        duplicate[0].message.contains("`lost`"),
        "{:?}",
        duplicate[0]
    );
}
