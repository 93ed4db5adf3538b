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
