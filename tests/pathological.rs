//! Small inputs that used to cost minutes or gigabytes (issue #12): each is
//! built by the real binary under a generous time limit that only a
//! super-linear algorithm would reach (each takes well under a second of
//! work when linear), and its peak memory is read from the kernel. No
//! wall-clock time is asserted.

mod common;

use std::fs;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

/// Generous: a debug build of each input takes about a second.
const LIMIT: Duration = Duration::from_secs(40);
/// Peak resident memory allowed, in kB.
const MAX_MEMORY_KB: u64 = 500 * 1024;

struct Run {
    code: Option<i32>,
    stderr: String,
    peak_kb: u64,
}

/// The high-water mark of a process's resident memory, while it runs.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Builds the dossier with the binary, killing it at [`LIMIT`].
fn build(site: &TestSite) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(site.root())
        .args(["--color", "never", "build"])
        .env_remove("DOSSIER_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build did not finish in {LIMIT:?}: super-linear work");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stderr: reader.join().unwrap(),
        peak_kb: peak,
    }
}

fn article(body: &str) -> TestSite {
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        &format!("---\ntitle: A\ndate: 2020-01-02\nsource: Wire\n---\n{body}"),
    )]);
    site.write(
        "content/actors/russia.md",
        "---\nname: Russia\nkind: country\n---\n",
    );
    site
}

fn builds_within_bounds(body: &str) -> (TestSite, Run) {
    let site = article(body);
    let run = build(&site);
    assert!(
        run.peak_kb < MAX_MEMORY_KB,
        "peak memory {} MB",
        run.peak_kb / 1024
    );
    (site, run)
}

#[test]
fn twenty_thousand_identical_headings() {
    let (site, run) = builds_within_bounds(&"# a\n\n".repeat(20_000));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = site.output("articles/a/index.html");
    assert!(page.contains("id=\"a\"") && page.contains("id=\"a-19999\""));
}

#[test]
fn a_sentence_of_two_hundred_thousand_full_stops() {
    let (_, run) = builds_within_bounds(&format!("Russia {}\n", "a.".repeat(200_000)));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn two_hundred_thousand_apostrophes() {
    let (site, run) = builds_within_bounds(&format!("{}\n", "'a".repeat(200_000)));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(site.output("articles/a/index.html").contains("’a’a’a"));
}

#[test]
fn a_million_open_brackets() {
    let (_, run) = builds_within_bounds(&format!("{}]\n", "[".repeat(1_000_000)));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn millions_of_nested_lists_or_quotes_are_refused_with_a_located_error() {
    for marker in ["- ", "> ", "1. "] {
        let (_, run) = builds_within_bounds(&format!("Text.\n\n{}a\n", marker.repeat(2_000_000)));
        assert_eq!(
            run.code,
            Some(1),
            "{marker:?}: {}",
            &run.stderr[..run.stderr.len().min(2000)]
        );
        assert!(
            run.stderr.contains("content/articles/a.md:8:1"),
            "{marker:?}"
        );
        assert!(run.stderr.contains("nested 2000000 deep"), "{marker:?}");
    }
    // Nesting a reader could mean is fine, and so is a thematic break of
    // three million dashes.
    let (_, run) = builds_within_bounds(&format!("{}a\n", "- > ".repeat(10)));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (_, run) = builds_within_bounds(&format!("{}\n", "- ".repeat(3_000_000)));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn twenty_thousand_broken_links_on_one_line() {
    let body: String = (0..20_000)
        .map(|i| format!("[x](missing{i}.md) "))
        .collect();
    let (_, run) = builds_within_bounds(&format!("{body}\n"));
    assert_eq!(
        run.code,
        Some(1),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.contains("and 19950 more problems in this file"),
        "the rest are counted"
    );
    assert!(
        run.stderr.len() < 100_000,
        "each finding shows a window of the line: {} bytes of errors",
        run.stderr.len()
    );
    assert!(run.stderr.contains("content/articles/a.md:6:1\n"));
    let fiftieth = body.find("[x](missing49.md)").unwrap() + 1;
    assert!(
        run.stderr
            .contains(&format!("content/articles/a.md:6:{fiftieth}\n")),
        "the 50th is located exactly"
    );
}

#[test]
fn fifteen_hundred_actors_first_named_in_one_sentence() {
    let site = article("");
    let mut names = Vec::new();
    for i in 0..1_500 {
        let name: String = format!("{i:04}")
            .bytes()
            .map(|b| char::from(b'A' + (b - b'0')))
            .collect();
        let name = format!("Actor{}", name.to_lowercase());
        site.write(
            &format!("content/actors/a{i}.md"),
            &format!("---\nname: {name}\nkind: person\n---\n"),
        );
        names.push(name);
    }
    site.write(
        "content/articles/a.md",
        &format!(
            "---\ntitle: A\ndate: 2020-01-02\nsource: Wire\n---\n{}.\n",
            names.join(" and ")
        ),
    );
    let run = build(&site);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_kb < MAX_MEMORY_KB);
    // The snippet is a window of the sentence cut at words (#11.11).
    let page = site.output("actors/a1111/index.html");
    let start = page
        .find("<blockquote class=\"snippet\">")
        .expect("a snippet")
        + "<blockquote class=\"snippet\">".len();
    let snippet = &page[start..start + page[start..].find("</blockquote>").unwrap()];
    assert!(snippet.contains("Actorbbbb"), "{snippet}");
    let inner = snippet.trim_start_matches('…').trim_end_matches('…');
    for word in [inner.split(' ').next(), inner.split(' ').next_back()] {
        let word = word.unwrap();
        assert!(
            word == "and" || (word.starts_with("Actor") && word.len() == 9),
            "cut inside a word: {snippet}"
        );
    }
}

#[test]
fn a_runaway_template_is_stopped_with_a_located_content_error() {
    let site = article("Text.\n");
    site.write("site.yaml", "title: T\ntheme: loops\n");
    // A kilobyte per iteration, 100,000 iterations: 100 MB for one page.
    site.write(
        "themes/loops/templates/article.html",
        &format!(
            "{{% for i in range(end=100000) %}}{{{{ page.title }}}}{}{{% endfor %}}",
            "0123456789".repeat(100)
        ),
    );
    let run = build(&site);
    assert_eq!(run.code, Some(1), "a content error: {}", run.stderr);
    assert!(run.stderr.contains("themes/loops/templates/article.html"));
    assert!(run.stderr.contains("64 MB"), "{}", run.stderr);
    assert!(!run.stderr.contains("error: error:"), "{}", run.stderr);
    assert!(run.peak_kb < MAX_MEMORY_KB);
    assert!(!site.root().join("output").exists());
}

#[test]
fn nested_range_loops_that_write_nothing_are_stopped_too() {
    let site = article("Text.\n");
    site.write("site.yaml", "title: T\ntheme: loops\n");
    site.write(
        "themes/loops/templates/article.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let run = build(&site);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("themes/loops/templates/article.html"));
    assert!(run.stderr.contains("nested"), "{}", run.stderr);
    // Ordinary use of `range` still works.
    site.write(
        "themes/loops/templates/article.html",
        "{% for i in range(start=1, end=4) %}<i>{{ i }}</i>{% endfor %}\
         {% for i in range(end=10, step_by=3) %}[{{ i }}]{% endfor %}\
         {% for i in range(start=3, end=0, step_by=-1) %}{{ i }}{% endfor %}",
    );
    let run = build(&site);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        site.output("articles/a/index.html"),
        "<i>1</i><i>2</i><i>3</i>[0][3][6][9]321"
    );
}

#[test]
fn twenty_thousand_unknown_actors_on_one_front_matter_line() {
    let names: Vec<String> = (0..20_000).map(|i| format!("x{i}")).collect();
    let site = article("");
    site.write(
        "content/articles/a.md",
        &format!(
            "---\ntitle: A\ndate: 2020-01-02\nsource: Wire\nactors: [{}]\n---\nText.\n",
            names.join(", ")
        ),
    );
    let run = build(&site);
    assert_eq!(run.code, Some(0), "warnings only");
    assert!(run.peak_kb < MAX_MEMORY_KB);
    assert!(
        run.stderr.contains("content/articles/a.md:5:10"),
        "the first ones are located"
    );
}
