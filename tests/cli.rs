//! The `dossier` binary: exit codes, the summary line, and error output.

mod common;

use std::process::Command;

use common::{TestSite, dossier, stderr};

#[test]
fn build_prints_a_one_line_summary() {
    let site = TestSite::sample();
    // With a base URL: the sample's own `/` adds a warning (no valid feed).
    let out = dossier(
        site.root(),
        &["build", "--base-url", "https://example.org/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("Built ")
            && lines[0].contains(" pages in ")
            && lines[0].contains("written"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn content_errors_exit_1_with_file_line_and_column() {
    let site = TestSite::sample();
    site.write(
        "content/articles/broken.md",
        "---\ntitle: Broken\ndate: 2016-13\nsource: Sputnik International\n---\nText.\n",
    );
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/articles/broken.md:3:7"), "{err}");
    assert!(err.contains("date: 2016-13"), "shows the line: {err}");
    assert!(err.contains("month 13 does not exist"), "{err}");
    assert!(err.contains("previous output is unchanged"), "{err}");
    assert!(!site.root().join("output").exists(), "nothing written");
}

#[test]
fn an_unsafe_output_exits_2_and_deletes_nothing() {
    let site = TestSite::sample();
    let out = dossier(site.root(), &["build", "--output", "content"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refusing to use `content`"),
        "{}",
        stderr(&out)
    );
    assert!(site.root().join("content/articles").is_dir());
}

#[test]
fn check_json_lists_findings_and_fails_on_unknown_actors() {
    let site = TestSite::sample();
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\ndate: 2016\nsource: Sputnik International\nactors: [Vladimir Puttin]\n---\n",
    );
    let out = dossier(site.root(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["ok"], false);
    let finding = &doc["findings"][0];
    assert_eq!(finding["code"], "unknown-actor");
    assert_eq!(finding["path"], "content/articles/extra.md");
    assert_eq!(finding["line"], 5);
    assert!(finding["help"].as_str().unwrap().contains("Vladimir Putin"));
}

#[test]
fn init_then_new_then_build_works_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fresh");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = dossier(
        &root,
        &[
            "new",
            "Ceasefire talks resume",
            "--source",
            "Example Gazette",
            "--date",
            "2024-06-01",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        root.join("content/articles/ceasefire-talks-resume.md")
            .is_file()
    );
    let out = dossier(&root, &["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        root.join("output/articles/ceasefire-talks-resume/index.html")
            .is_file()
    );
}

#[test]
fn the_home_folder_is_refused_as_output() {
    let site = TestSite::sample();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "keep me").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(site.root())
        .args(["build", "--output"])
        .arg(home.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(home.path().join(".bashrc")).unwrap(),
        "keep me"
    );
}

/// Writes `n` articles whose bodies carry a generation marker (for a
/// dossier made with [`TestSite::with_registry`]).
fn generated(site: &TestSite, n: usize, generation: u32) {
    for i in 0..n {
        let body = format!(
            "GENERATION-{generation}. Putin spoke about item {i}.\n\n{}\n",
            "Filler sentence for size. ".repeat(40)
        );
        site.write(
            &format!("content/articles/a{i:05}.md"),
            &format!("---\ntitle: Article {i}\ndate: 2016-01-{:02}\nsource: Wire\nactors: [Putin]\n---\n{body}", i % 28 + 1),
        );
    }
}

/// The generation marker in an article page, if the page exists.
fn generation_of(path: &std::path::Path) -> Option<String> {
    let page = std::fs::read_to_string(path).ok()?;
    let at = page.find("GENERATION-")?;
    Some(
        page[at + 11..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect(),
    )
}

/// Asserts that the live output holds one whole generation of the site and
/// returns it.
fn live_generation(site: &TestSite, n: usize, pages: usize) -> String {
    assert_eq!(site.output_files().len(), pages, "files missing or extra");
    let live = site.root().join("output/articles");
    let generations: std::collections::BTreeSet<String> = (0..n)
        .step_by(97)
        .map(|i| generation_of(&live.join(format!("a{i:05}/index.html"))).expect("marker"))
        .collect();
    assert_eq!(generations.len(), 1, "mixed generations {generations:?}");
    generations.into_iter().next().unwrap()
}

#[test]
fn a_build_killed_midway_leaves_the_previous_output_intact() {
    let site = TestSite::with_registry(&[]);
    let n = 3000;
    generated(&site, n, 1);
    let out = dossier(site.root(), &["-q", "build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = site.output_files().len();
    let staging = site.root().join(".output.staging/articles");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(site.root())
            .args(["-q", "build"])
            .spawn()
            .unwrap()
    };

    // Killed while still reading and rendering.
    generated(&site, n, 2);
    let mut child = spawn();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(live_generation(&site, n, pages), "1");

    // Killed while new pages are being written: wait until the staging
    // folder holds pages of the new generation, then kill at once.
    let mut caught_writing = false;
    for attempt in 0..5 {
        let generation = (3 + attempt).to_string();
        generated(&site, n, 3 + attempt as u32);
        let mut child = spawn();
        let writing = loop {
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            let staged = (0..n).step_by(7).any(|i| {
                generation_of(&staging.join(format!("a{i:05}/index.html"))).as_deref()
                    == Some(generation.as_str())
            });
            if staged {
                let _ = child.kill();
                break true;
            }
        };
        let _ = child.wait();
        let live = live_generation(&site, n, pages);
        if writing && live != generation {
            caught_writing = true;
            break;
        }
    }
    assert!(
        caught_writing,
        "no kill landed while pages were being written"
    );

    // An uninterrupted build then brings the whole new generation live.
    generated(&site, n, 9);
    let out = dossier(site.root(), &["-q", "build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(live_generation(&site, n, pages), "9");
}

#[test]
fn a_folder_without_site_yaml_is_not_a_dossier_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["build"][..],
        &["check"],
        &["new", "Ceasefire talks resume"],
    ] {
        let out = dossier(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let text = stderr(&out);
        assert!(
            text.contains("no site.yaml") && text.contains("dossier init"),
            "{args:?}: {text}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a command wrote into a folder that is not a dossier"
    );
    // A folder that does not exist (a mistyped `-C`) is named as such,
    // and not made.
    let missing = dir.path().join("no-such-folder");
    let out = dossier(&missing, &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
    assert!(!missing.exists());
}

#[test]
fn new_leaves_the_date_for_the_author() {
    let site = TestSite::new();
    let out = dossier(site.root(), &["new", "Ceasefire talks resume"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(
        site.root()
            .join("content/articles/ceasefire-talks-resume.md"),
    )
    .unwrap();
    let date_line = text.lines().find(|l| l.starts_with("date:")).unwrap();
    assert!(date_line.starts_with("date: \"\""), "{date_line}");
    // The draft is reported until the author fills the date in.
    let out = dossier(site.root(), &["check", "--drafts"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("ceasefire-talks-resume.md"));
}
