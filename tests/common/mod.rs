//! Test harness: dossiers in temporary folders, built through the library.
#![allow(dead_code)]

pub mod browser;

use std::fs;
use std::path::{Path, PathBuf};

use dossier::pipeline::{BuildOptions, BuildReport, build};

/// Runs the `dossier` binary on the dossier at `root`.
pub fn dossier(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("DOSSIER_LOG")
        .output()
        .expect("the binary runs")
}

/// What a run of the binary printed on standard error.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A dossier in its own temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// The repository root (where the sample dossier lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl TestSite {
    /// An empty dossier with a minimal `site.yaml`, published at
    /// `https://example.org/` (links stay root-relative; without a host
    /// every build would warn that the feed cannot be valid).
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write(
            "site.yaml",
            "title: Test dossier\nbase_url: https://example.org/\n",
        );
        site
    }

    /// A dossier with a publication (`Wire`), an actor (`Vladimir Putin`,
    /// alias `Putin`) and the given files.
    pub fn with_registry(files: &[(&str, &str)]) -> TestSite {
        let site = TestSite::new();
        site.write(
            "content/sources/wire.md",
            "---\nname: Wire\nkind: news agency\n---\n",
        );
        site.write(
            "content/actors/putin.md",
            "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n---\n",
        );
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A copy of the repository's sample dossier.
    pub fn sample() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::copy(repo().join("site.yaml"), site.root().join("site.yaml")).unwrap();
        copy_dir(&repo().join("content"), &site.root().join("content"));
        site
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(&repo().join("tests/fixtures").join(name), site.root());
        site
    }

    /// The dossier folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the dossier folder.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Builds with default options.
    pub fn build(&self) -> dossier::Result<BuildReport> {
        build(&BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        })
    }

    /// Builds and panics with the rendered diagnostics on failure.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(dossier::Error::Content(d)) => {
                let text: Vec<String> = d.sorted().iter().map(|d| d.render(false)).collect();
                panic!("build failed:\n{}", text.join("\n"))
            }
            Err(e) => panic!("build failed: {e}"),
        }
    }

    /// The diagnostics of a build that must fail on content.
    pub fn build_err(&self) -> Vec<dossier::diagnostic::Diagnostic> {
        match self.build() {
            Err(dossier::Error::Content(d)) => d.sorted(),
            Err(e) => panic!("expected content errors, got: {e}"),
            Ok(_) => panic!("expected the build to fail"),
        }
    }

    /// A file of the output.
    pub fn output(&self, rel: &str) -> String {
        let path = self.root().join("output").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Does the output have this file?
    pub fn has_output(&self, rel: &str) -> bool {
        self.root().join("output").join(rel).is_file()
    }

    /// Every file of the output, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let out = self.root().join("output");
        let mut files: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    /// Every file of the output with its bytes, to compare snapshots.
    pub fn output_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        self.output_files()
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.root().join("output").join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }
}

/// The visible text of an HTML document: tags removed, entities decoded,
/// typography folded (curly quotes, dashes) and whitespace collapsed, so
/// that text can be compared with its Markdown or plain-text source.
pub fn visible_text(html: &str) -> String {
    // Block-level tags separate words; inline ones (links, emphasis) do not.
    const BLOCKS: [&str; 22] = [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "div",
        "dt",
        "dd",
        "br",
        "figcaption",
        "figure",
        "blockquote",
        "footer",
        "header",
        "section",
        "td",
        "th",
        "tr",
        "time",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open + 1..close.saturating_sub(1).max(open + 1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if BLOCKS.contains(&name.as_str()) {
            text.push(' ');
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    fold(&text)
}

/// Folds typography and whitespace so that plain text compares with HTML.
pub fn fold(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '“' | '”' | '«' | '»' | '„' => '"',
            '‘' | '’' => '\'',
            '–' | '—' => '-',
            '…' => '.',
            c => c,
        })
        .collect();
    let mapped = mapped.replace("...", ".");
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[text](#)` → `text`.
pub fn strip_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](").map(|i| open + i) {
            Some(mid) if rest[mid..].contains(')') => {
                let close = mid + rest[mid..].find(')').unwrap();
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..mid]);
                rest = &rest[close + 1..];
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}
