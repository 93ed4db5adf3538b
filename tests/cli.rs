//! The `dossier` binary: exit codes, the summary line, and error output.

mod common;

use std::process::{Command, Output};

use common::TestSite;

fn dossier(root: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("DOSSIER_LOG")
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = TestSite::sample();
    let out = dossier(site.root(), &["build"]);
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

/// A dossier of `n` articles whose bodies carry a generation marker.
fn generated(site: &TestSite, n: usize, generation: u32) {
    site.write(
        "content/sources/wire.md",
        "---\nname: Wire\nkind: news agency\n---\n",
    );
    site.write(
        "content/actors/putin.md",
        "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n---\n",
    );
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

#[test]
fn a_build_killed_midway_leaves_the_previous_output_intact() {
    let site = TestSite::new();
    let n = 3000;
    generated(&site, n, 1);
    let started = std::time::Instant::now();
    let out = dossier(site.root(), &["-q", "build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let full = started.elapsed();
    let pages_before = site.output_files().len();
    let mut interrupted_writes = 0;
    // Kill at moments spread over a whole build, until one kill has landed
    // while new pages were being written (machines differ in speed).
    let fractions = [
        0.05, 0.5, 0.65, 0.75, 0.82, 0.88, 0.92, 0.96, 1.0, 1.1, 0.7, 0.85,
    ];
    for (round, fraction) in fractions.into_iter().enumerate() {
        if interrupted_writes > 0 && round >= 3 {
            break;
        }
        let generation = round as u32 + 2;
        generated(&site, n, generation);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(site.root())
            .args(["-q", "build"])
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever moment the kill came, the live output is one whole
        // generation: every article page from the same build, none missing.
        let files = site.output_files();
        assert_eq!(
            files.len(),
            pages_before,
            "round {round}: files missing or extra"
        );
        let live = site.root().join("output/articles");
        let generations: std::collections::BTreeSet<String> = (0..n)
            .step_by(97)
            .map(|i| generation_of(&live.join(format!("a{i:05}/index.html"))).expect("marker"))
            .collect();
        assert_eq!(
            generations.len(),
            1,
            "round {round}: mixed generations {generations:?}"
        );
        // Did this kill land while new pages were being written (staged)?
        let staging = site.root().join(".output.staging/articles");
        let staged_new = (0..n).any(|i| {
            generation_of(&staging.join(format!("a{i:05}/index.html")))
                == Some(generation.to_string())
        });
        let live_new = generations.contains(&generation.to_string());
        if staged_new && !live_new {
            interrupted_writes += 1;
        }
    }
    assert!(
        interrupted_writes > 0,
        "no kill landed during the write phase; the test proved nothing"
    );
}
