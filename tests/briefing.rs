//! The print briefing: the sample dossier's PDF read back with poppler
//! (`pdftotext`, `pdfinfo`, `pdftohtml`; `scripts/test` installs them), and
//! its HTML twin.
#![cfg(feature = "pdf")]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{TestSite, dossier, fold, repo, stderr, strip_links};
use dossier::briefing::{PdfRequest, Selection, write_pdf};

/// Runs a poppler tool, failing clearly when it is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install poppler-utils (scripts/test does)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// A PDF read back: the text of each page (index 0 is page 1).
struct Pdf {
    path: PathBuf,
    pages: Vec<String>,
}

impl Pdf {
    fn read(path: &Path) -> Pdf {
        let text = poppler("pdftotext", &[path.to_str().unwrap(), "-"]);
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        Pdf {
            path: path.to_path_buf(),
            pages,
        }
    }

    fn page(&self, n: usize) -> &str {
        &self.pages[n - 1]
    }

    fn info(&self) -> HashMap<String, String> {
        poppler("pdfinfo", &[self.path.to_str().unwrap()])
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    /// The page numbers whose text contains `needle` (compared folded).
    fn pages_with(&self, needle: &str) -> Vec<usize> {
        let needle = squash(needle);
        (1..=self.pages.len())
            .filter(|&n| squash(self.page(n)).contains(&needle))
            .collect()
    }

    /// The first page of the part titled `title` (a level-1 heading).
    fn part(&self, title: &str) -> usize {
        (3..=self.pages.len())
            .find(|&n| body_lines(self.page(n)).first().map(String::as_str) == Some(title))
            .unwrap_or_else(|| panic!("no page starts with `{title}`"))
    }
}

/// Folds typography, then drops whitespace and hyphens, so a sentence
/// matches across line breaks and hyphenation.
fn squash(text: &str) -> String {
    fold(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
        .collect()
}

/// A page's lines without the running head (the first two lines: dossier
/// title, current part) and the footer (the last lines, up to "page N of M").
fn body_lines(page: &str) -> Vec<String> {
    let lines: Vec<String> = page
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let end = lines
        .iter()
        .rposition(|l| l.starts_with("page ") && l.contains(" of "))
        .unwrap_or(lines.len());
    let footer_start = end.saturating_sub(1);
    lines
        .get(2..footer_start.max(2))
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// Writes the whole briefing of `site` to `rel` (under its root) and reads
/// it back.
fn print(site: &TestSite, rel: &str) -> Pdf {
    let path = site.root().join(rel);
    write_pdf(&PdfRequest {
        root: site.root().to_path_buf(),
        output: Some(path.clone()),
        ..PdfRequest::default()
    })
    .unwrap();
    Pdf::read(&path)
}

fn sample_pdf() -> &'static Pdf {
    static PDF: OnceLock<(tempfile::TempDir, Pdf)> = OnceLock::new();
    &PDF.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("briefing.pdf");
        write_pdf(&PdfRequest {
            root: repo(),
            output: Some(path.clone()),
            ..PdfRequest::default()
        })
        .unwrap_or_else(|e| panic!("the sample briefing failed: {e}"));
        let pdf = Pdf::read(&path);
        (dir, pdf)
    })
    .1
}

/// The sample's PDF laid out in parts of two articles (as a briefing past
/// `briefing.articles_per_part` is): the same checks hold for it.
fn sample_pdf_in_parts() -> &'static Pdf {
    static PDF: OnceLock<(TestSite, Pdf)> = OnceLock::new();
    &PDF.get_or_init(|| {
        let site = TestSite::sample();
        let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write(
            "site.yaml",
            &format!("{yaml}briefing:\n  articles_per_part: 2\n"),
        );
        let pdf = print(&site, "briefing.pdf");
        (site, pdf)
    })
    .1
}

/// The sample's PDF laid out at once, then in parts; says which it checks
/// (shown when a check fails).
fn sample_pdfs() -> [&'static Pdf; 2] {
    [sample_pdf(), sample_pdf_in_parts()]
}

/// The sample's article titles, in chronological order, with their URLs.
fn sample_articles() -> Vec<(String, Option<String>)> {
    let config = dossier::pipeline::configure(&repo(), None).unwrap();
    let compiled = dossier::pipeline::compile(&repo(), config, Default::default(), false).unwrap();
    compiled
        .site
        .articles
        .iter()
        .map(|a| (a.title.clone(), a.url.clone()))
        .collect()
}

/// The contents page: (entry text, page number) for each entry (an entry
/// may wrap over lines; its page number ends its last line).
fn contents(pdf: &Pdf) -> Vec<(String, usize)> {
    let page = pdf.page(2);
    let lines: Vec<&str> = page
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines
        .iter()
        .position(|l| *l == "Contents")
        .unwrap_or_else(|| panic!("page 2 is the contents:\n{page}"));
    let mut entries = Vec::new();
    let mut pending = String::new();
    for line in &lines[start + 1..] {
        if line.starts_with("page ") && line.contains(" of ") {
            break;
        }
        let text = line.trim_end_matches(|c: char| c.is_ascii_digit());
        let number = &line[text.len()..];
        // Dot leaders, and the word joiner Typst puts before the number.
        let text = text.trim_end_matches(['.', ' ', '\u{2060}']);
        if number.is_empty() {
            pending.push_str(line);
            pending.push(' ');
            continue;
        }
        entries.push((
            format!("{pending}{text}").trim().to_string(),
            number.parse().unwrap(),
        ));
        pending.clear();
    }
    entries
}

/// Is a contents entry this title? (A title's final full stop merges with
/// the dot leader.)
fn is_entry(text: &str, title: &str) -> bool {
    squash(text) == squash(title.trim_end_matches('.'))
}

#[test]
fn the_cover_is_page_one_without_running_head_or_footer() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let cover = pdf.page(1);
        assert!(
            cover.contains("Russia, the US and the Syrian war"),
            "{cover}"
        );
        assert!(cover.contains("As of"), "{cover}");
        assert!(cover.contains("5 articles from"), "{cover}");
        assert!(
            !cover.contains("page 1 of"),
            "no footer on the cover:\n{cover}"
        );
        for (title, _) in sample_articles() {
            assert!(
                !squash(cover).contains(&squash(&title)),
                "no running head on the cover"
            );
        }
    }
}

#[test]
fn contents_give_the_page_where_each_article_starts() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let entries = contents(pdf);
        for (title, _) in sample_articles() {
            let (_, page) = entries
                .iter()
                .find(|(text, _)| is_entry(text, &title))
                .unwrap_or_else(|| panic!("`{title}` is not in the contents: {entries:?}"));
            let body = body_lines(pdf.page(*page)).join(" ");
            // The article opens its page: its title comes first (after the
            // "Articles" part line on the first one).
            let start = squash(body.trim_start_matches("ARTICLES").trim());
            assert!(
                start.starts_with(&squash(&title)),
                "contents say `{title}` starts on page {page}, which begins:\n{body}"
            );
        }
        for part in [
            "Summary",
            "Chronology",
            "Actors",
            "Notes and sources",
            "Index",
        ] {
            let (_, page) = entries
                .iter()
                .find(|(text, _)| text == part)
                .unwrap_or_else(|| panic!("`{part}` is not in the contents: {entries:?}"));
            assert_eq!(pdf.part(part), *page, "{part}");
        }
    }
}

#[test]
fn every_article_starts_on_a_new_page_and_heads_its_pages() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let entries = contents(pdf);
        let articles = sample_articles();
        let mut starts: Vec<(usize, String)> = articles
            .iter()
            .map(|(title, _)| {
                let page = entries
                    .iter()
                    .find(|(text, _)| is_entry(text, title))
                    .unwrap()
                    .1;
                (page, title.clone())
            })
            .collect();
        starts.sort();
        let end = pdf.part("Actors");
        for (i, (start, title)) in starts.iter().enumerate() {
            let next = starts.get(i + 1).map_or(end, |(p, _)| *p);
            assert!(
                next > *start,
                "`{title}` shares its page with the next article"
            );
            // Long headlines are shortened in the running head, at a word.
            let words: Vec<&str> = title.split_whitespace().take(6).collect();
            let short = words.join(" ");
            for n in *start..next {
                let head: String = pdf.page(n).lines().take(3).collect::<Vec<_>>().join(" ");
                assert!(
                    squash(&head).contains(&squash(&short)),
                    "page {n} of `{title}` has the running head:\n{head}"
                );
            }
        }
    }
}

#[test]
fn footers_say_page_n_of_m() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let total = pdf.pages.len();
        let info = pdf.info();
        assert_eq!(info["Pages"], total.to_string());
        for n in 2..=total {
            assert!(
                pdf.page(n).contains(&format!("page {n} of {total}")),
                "page {n}:\n{}",
                pdf.page(n)
            );
        }
    }
}

#[test]
fn the_notes_give_every_article_url() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let notes: String = (pdf.part("Notes and sources")..pdf.part("Index"))
            .map(|n| pdf.page(n))
            .collect();
        let notes = squash(&notes);
        for (title, url) in sample_articles() {
            if let Some(url) = url {
                assert!(
                    notes.contains(&squash(&url)),
                    "{title}: {url} not in the notes"
                );
            }
        }
        // Every publication with its ownership.
        assert!(notes.contains(&squash("Sputnik")));
        assert!(notes.contains(&squash("State-owned media")));
    }
}

#[test]
fn index_pages_mention_the_actor() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let config = dossier::pipeline::configure(&repo(), None).unwrap();
        let compiled =
            dossier::pipeline::compile(&repo(), config, Default::default(), false).unwrap();
        let names: HashMap<String, Vec<String>> = compiled
            .site
            .actors
            .iter()
            .flat_map(|a| {
                let all: Vec<String> = std::iter::once(a.name.clone())
                    .chain(a.aliases.iter().cloned())
                    .collect();
                all.clone().into_iter().map(move |n| (n, all.clone()))
            })
            .collect();
        let index: String = (pdf.part("Index")..=pdf.pages.len())
            .map(|n| body_lines(pdf.page(n)).join("\n") + "\n")
            .collect();
        let mut checked = 0;
        for line in index.lines() {
            // `Name ........ 3, 5, 9`
            let Some((name, numbers)) = line.split_once(". .") else {
                continue;
            };
            let numbers = numbers.trim_start_matches([' ', '.']);
            // The leader's first dot may follow the name directly.
            let name = match names.contains_key(name.trim()) {
                true => name,
                false => name.strip_suffix('.').unwrap_or(name),
            };
            let pages: Vec<usize> = numbers
                .split(',')
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            let name = name.trim();
            let Some(all) = names.get(name) else {
                panic!("index entry `{name}` is not an actor name");
            };
            assert!(!pages.is_empty(), "`{name}` has no pages: {line}");
            for page in pages {
                let text = squash(pdf.page(page));
                assert!(
                    all.iter().any(|n| text.contains(&squash(n))),
                    "index: `{name}` on page {page}, which names none of {all:?}"
                );
            }
            checked += 1;
        }
        assert!(
            checked >= 30,
            "only {checked} index entries were read:\n{index}"
        );
    }
}

#[test]
fn bookmarks_and_metadata() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        let xml = poppler(
            "pdftohtml",
            &["-xml", "-i", "-stdout", "-q", pdf.path.to_str().unwrap()],
        );
        let outline = &xml[xml.find("<outline").expect("the PDF has bookmarks")..];
        for (title, _) in sample_articles() {
            let escaped = title.replace('&', "&amp;").replace('\'', "&#39;");
            assert!(
                squash(outline).contains(&squash(&escaped))
                    || squash(outline).contains(&squash(&title)),
                "no bookmark for `{title}`"
            );
        }
        for part in [
            "Summary",
            "Chronology",
            "Articles",
            "Actors",
            "Notes and sources",
            "Index",
        ] {
            assert!(outline.contains(part), "no bookmark for {part}");
        }
        let info = pdf.info();
        assert_eq!(info["Title"], "Russia, the US and the Syrian war");
        assert!(info["Subject"].contains("clipped articles"), "{info:?}");
        assert!(info["Keywords"].contains("Syria"), "{info:?}");
        assert!(info.contains_key("CreationDate"), "{info:?}");
        assert!(
            info["Page size"].contains("595.") && info["Page size"].contains("841."),
            "A4: {info:?}"
        );
    }
}

/// Each seed, the article it became, and the seed lines that are clipping
/// noise rather than article text (as in tests/sample.rs).
const SEEDS: &[(&str, &[&str])] = &[
    (
        "000_3848fc19d8af9796.txt",
        &[
            "For a very different take read:",
            "Recommended: \"The rivalry between Moscow",
        ],
    ),
    (
        "001_3738d4a53225d4db.txt",
        &[
            "What happens if Trump",
            "Harris vs. Trump",
            "April 17, 2018",
        ],
    ),
    ("002_5f306b4be6b3e14c.txt", &["Tags: Russia"]),
    (
        "003_ac69134685ffdbd2.txt",
        &["January 25, 2017", "Original url:", "<https://"],
    ),
    (
        "004_bac24e9c7e26cc71.txt",
        &[
            "© Sputnik / Michael Alaeddin / Go to the mediabank",
            "- Sputnik International",
            "What to Expect After",
            "Game Changer:",
            "Subscribe",
            "Newsfeed",
            "0",
            "To participate in the discussion",
            "log in or register",
            "loader",
            "Chats",
            "Заголовок открываемого материала",
        ],
    ),
];

#[test]
fn every_sentence_of_every_seed_is_in_the_pdf() {
    for (pdf, layout) in sample_pdfs().into_iter().zip(["at once", "in parts"]) {
        eprintln!("the sample PDF laid out {layout}:");
        // Running heads and footers removed, pages joined: a sentence may run
        // over a page break.
        let text: String = (1..=pdf.pages.len())
            .map(|n| body_lines(pdf.page(n)).join("\n") + "\n")
            .collect();
        let text = squash(&text);
        for (seed, noise) in SEEDS {
            let path = repo().join("../shared/seeds").join(seed);
            let seed_text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("the seeds are expected at {}: {e}", path.display()));
            for line in seed_text.lines() {
                let line = line.trim().trim_start_matches("# ").replace("**", "");
                // `By [Name](#)`: the byline is the attribution's author.
                let line = line.strip_prefix("By ").unwrap_or(&line).to_string();
                let line = strip_links(&line);
                let line = fold(&line);
                let is_noise = noise
                    .iter()
                    .map(|n| fold(n))
                    .any(|n| line.starts_with(&n) || (n.len() > 12 && line.contains(&n)));
                if line.trim().is_empty() || is_noise {
                    continue;
                }
                for sentence in line.split_inclusive(". ") {
                    let wanted = squash(sentence);
                    assert!(
                        wanted.is_empty() || text.contains(&wanted),
                        "{seed}: not in the PDF:\n  {sentence}"
                    );
                }
            }
        }
    }
}

const HOSTILE_TITLE: &str = r"#set page(width: 1cm) $x$ @ref <x> // [a] *b* _c_ \d";
const HOSTILE_BODY: &str = r#"Literal: #let x = 1 and #{panic("boom")} and $E = m c^2$ and @label and <tag> and // slashes and [brackets] and \*stars\* and \_under\_ and back\\slash and `#raw` code.

#heading[Not a heading] $ #import "x" [^nope] \# ~~ ~ -- --- ...

| Cell #one | Cell $two$ |
|---|--:|
| <b>three</b> | [four] // five |
"#;

fn hostile_site() -> TestSite {
    let site = TestSite::with_registry(&[(
        "content/articles/hostile.md",
        &format!(
            "---\ntitle: '{HOSTILE_TITLE}'\ndate: 2020-02-02\nsource: Wire\nurl: https://example.org/a#b\n---\n{HOSTILE_BODY}\nPutin read [the report](https://example.org/report?x=1&y=2) twice.[^n]\n\n[^n]: A footnote with #hash and $dollar.\n"
        ),
    )]);
    site.write("site.yaml", "title: 'Hostile #{1+1} $x$ dossier'\nbriefing:\n  paper: us-letter\n  classification: 'Restricted // [internal]'\n  edition: 'Edition #2'\n  edition_date: 2020-03\n");
    site
}

#[test]
fn typst_and_markdown_syntax_print_literally() {
    let site = hostile_site();
    let pdf = print(&site, "out/b.pdf");
    let all = squash(&pdf.pages.join("\n"));
    for literal in [
        HOSTILE_TITLE,
        "Hostile #{1+1} $x$ dossier",
        r#"#let x = 1 and #{panic("boom")} and $E = m c^2$ and @label and <tag> and // slashes and [brackets] and *stars* and _under_ and back\slash and #raw code."#,
        r#"#heading[Not a heading] $ #import "x" [^nope] # ~~ ~"#,
        "A footnote with #hash and $dollar.",
        "Cell #one",
        "Cell $two$",
        "<b>three</b>",
        "[four] // five",
        "https://example.org/report?x=1&y=2",
        "https://example.org/a#b",
        "RESTRICTED // [INTERNAL]",
        "Edition #2",
        "March 2020",
    ] {
        assert!(
            all.contains(&squash(literal)),
            "not printed literally: {literal}\n{}",
            pdf.pages.join("\n")
        );
    }
    // The classification is on every page; the paper is US Letter.
    for n in 1..=pdf.pages.len() {
        assert!(
            squash(pdf.page(n)).contains(&squash("RESTRICTED // [INTERNAL]")),
            "page {n}:\n{}",
            pdf.page(n)
        );
    }
    assert!(pdf.info()["Page size"].starts_with("612 x 792"));
}

#[test]
fn selections_are_stated_on_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lavrov.pdf");
    let report = write_pdf(&PdfRequest {
        root: repo(),
        output: Some(path.clone()),
        selection: Selection {
            actors: vec!["Lavrov".into()],
            from: Some("2016".into()),
            ..Selection::default()
        },
        ..PdfRequest::default()
    })
    .unwrap();
    let pdf = Pdf::read(&path);
    let cover = fold(pdf.page(1));
    assert!(
        cover.contains("Selection: Articles involving Sergei Lavrov, from 2016"),
        "{cover}"
    );
    assert!(report.articles < 5 && report.articles > 0);
    // The sample's `base_url` is `/`: the site's feed needs better, but
    // the PDF has no feed, so `pdf` does not say so.
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.code.as_str() != "relative-base-url"),
        "{:?}",
        report.warnings
    );
    assert!(
        pdf.pages_with("US Says No to Russia").is_empty(),
        "a 2015 article was left out"
    );

    let err = write_pdf(&PdfRequest {
        root: repo(),
        output: Some(dir.path().join("x.pdf")),
        selection: Selection {
            actors: vec!["Lavrof".into()],
            ..Selection::default()
        },
        ..PdfRequest::default()
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`Lavrof` is not a registered actor"),
        "{err}"
    );

    // A range given backwards says so, rather than that nothing matches.
    let err = write_pdf(&PdfRequest {
        root: repo(),
        output: Some(dir.path().join("backwards.pdf")),
        selection: Selection {
            from: Some("2018".into()),
            to: Some("2016".into()),
            ..Selection::default()
        },
        ..PdfRequest::default()
    })
    .unwrap_err();
    assert!(err.to_string().contains("comes after --to"), "{err}");
}

/// A dossier of one article, for the `pdf` command's own behaviour.
fn one_article() -> TestSite {
    TestSite::with_registry(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2020-01-01\nsource: Wire\n---\nPutin spoke.\n",
    )])
}

/// `dossier pdf --output` writes only a PDF file outside the sources: a
/// mistyped name never replaces the user's own text with a PDF.
#[test]
fn the_pdf_never_replaces_a_source_or_a_file_that_is_not_a_pdf() {
    let site = one_article();
    site.write("notes.pdf", "my notes, not a PDF\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("kept.pdf"), "%PDF-1.7 someone else's").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("kept.pdf"),
        site.root().join("link.pdf"),
    )
    .unwrap();
    std::fs::create_dir(site.root().join("folder.pdf")).unwrap();
    // A pipe would make a reader wait for a writer that never comes.
    let made = Command::new("mkfifo")
        .arg(site.root().join("pipe.pdf"))
        .status()
        .unwrap();
    assert!(made.success());
    let kept = ["site.yaml", "content/articles/a.md", "notes.pdf"];
    let before: Vec<Vec<u8>> = kept
        .iter()
        .map(|rel| std::fs::read(site.root().join(rel)).unwrap())
        .collect();
    for (output, reason) in [
        ("site.yaml", "does not end in `.pdf`"),
        ("content/articles/a.md", "does not end in `.pdf`"),
        ("content/brief.pdf", "inside `content/`"),
        ("themes/brief.pdf", "inside `themes/`"),
        ("notes.pdf", "exists and is not a PDF"),
        ("link.pdf", "symbolic link"),
        ("folder.pdf", "is a folder"),
        ("pipe.pdf", "not a regular file"),
        ("static/brief.pdf", "inside `static/`"),
    ] {
        let out = dossier(site.root(), &["pdf", "--output", output]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{output}: {err}");
        assert!(
            err.contains(&format!("refusing to write the briefing to `{output}`"))
                && err.contains(reason),
            "{output}: {err}"
        );
    }
    for (rel, bytes) in kept.iter().zip(&before) {
        assert_eq!(
            &std::fs::read(site.root().join(rel)).unwrap(),
            bytes,
            "{rel}"
        );
    }
    assert!(!site.root().join("content/brief.pdf").exists());
    assert!(!site.root().join("themes").exists());
    assert_eq!(
        std::fs::read(outside.path().join("kept.pdf")).unwrap(),
        b"%PDF-1.7 someone else's"
    );
    assert!(
        std::fs::symlink_metadata(site.root().join("link.pdf"))
            .unwrap()
            .is_symlink()
    );

    // An earlier briefing is replaced, and the extension's case does
    // not matter; a folder to hold it is made.
    for name in [
        "brief.pdf",
        "brief.pdf",
        "BRIEF.PDF",
        "briefings/2026/brief.pdf",
    ] {
        let out = dossier(site.root(), &["pdf", "--output", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let pdf = Pdf::read(&site.root().join(name));
        assert!(!pdf.pages_with("Putin spoke").is_empty());
    }
}

/// The default place, `output/briefing.pdf`, is in the build's folder: it
/// is made as a build makes it, so the next build takes the folder as its
/// own; a folder a build would refuse is refused here too.
#[test]
fn the_default_pdf_goes_into_the_output_folder_as_a_build_would_have_it() {
    let site = one_article();
    let out = dossier(site.root(), &["pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.root().join("output/briefing.pdf").is_file());
    let out = dossier(site.root(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.has_output("index.html"));

    let foreign = one_article();
    foreign.write("output/mine.txt", "not dossier's\n");
    let out = dossier(foreign.root(), &["pdf"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("was not made by dossier"),
        "{}",
        stderr(&out)
    );
    assert!(!foreign.root().join("output/briefing.pdf").exists());
    assert_eq!(
        std::fs::read_to_string(foreign.root().join("output/mine.txt")).unwrap(),
        "not dossier's\n"
    );
}

/// A briefing is published beside the site: the web server must be able
/// to read it. Its permissions are the umask's, like any other file's
/// (tempfile alone makes every file 0600).
#[test]
fn the_pdf_file_gets_the_permissions_the_umask_gives() {
    use std::os::unix::fs::PermissionsExt;
    let site = one_article();
    for (umask, mode) in [("022", 0o644), ("077", 0o600)] {
        let name = format!("brief-{umask}.pdf");
        let out = Command::new("sh")
            .args([
                "-c",
                &format!("umask {umask} && exec \"$0\" --root \"$1\" pdf --output \"$2\""),
            ])
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .arg(site.root())
            .arg(&name)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let meta = std::fs::metadata(site.root().join(&name)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode, "umask {umask}");
    }
}

#[test]
fn a_dossier_with_errors_gets_no_briefing() {
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2020-01-01\nsource: Wire\n---\nSee [missing](nowhere.md).\n",
    )]);
    let path = site.root().join("output/briefing.pdf");
    let err = write_pdf(&PdfRequest {
        root: site.root().to_path_buf(),
        ..PdfRequest::default()
    })
    .unwrap_err();
    let dossier::Error::Content(diagnostics) = err else {
        panic!("{err}")
    };
    let found = diagnostics.sorted();
    assert!(
        found
            .iter()
            .any(|d| d.code == "broken-link" && d.path.contains("a.md"))
    );
    assert!(!path.exists());
}

#[test]
fn the_theme_can_replace_the_typst_template_and_errors_name_it() {
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        "---\ntitle: Alpha\ndate: 2020-01-01\nsource: Wire\n---\nText.\n",
    )]);
    site.write("site.yaml", "title: T\ntheme: mine\n");
    site.write(
        "themes/mine/templates/briefing.typ",
        "#let b = json(\"/briefing.json\")\nCustom briefing: #b.articles.first().title\n",
    );
    let path = site.root().join("b.pdf");
    let request = PdfRequest {
        root: site.root().to_path_buf(),
        output: Some(path.clone()),
        ..PdfRequest::default()
    };
    write_pdf(&request).unwrap();
    let pdf = Pdf::read(&path);
    assert!(
        pdf.page(1).contains("Custom briefing: Alpha"),
        "{}",
        pdf.page(1)
    );
    // The HTML twin still builds from the built-in template.
    site.build_ok();
    assert!(site.output("briefing/index.html").contains("Alpha"));

    site.write(
        "themes/mine/templates/briefing.typ",
        "#let b = json(\"/briefing.json\")\n\n#b.nope\n",
    );
    let err = write_pdf(&request).unwrap_err().to_string();
    assert!(
        err.contains("themes/mine/templates/briefing.typ:3:"),
        "{err}"
    );
}

#[test]
fn a_theme_template_that_ignores_the_parts_is_laid_out_at_once() {
    let site = TestSite::sample();
    site.write(
        "site.yaml",
        "title: T\nlanguage: en\ntheme: mine\nbriefing:\n  articles_per_part: 2\n",
    );
    // Written before `b.layout`: a summary page, then one page per
    // article, whatever the part; with labels of its own, or none.
    for labels in [true, false] {
        let (summary, article) = if labels {
            ("<part-summary>", "[#a.title#label(\"x-\" + a.label)]")
        } else {
            ("", "a.title")
        };
        site.write(
            "themes/mine/templates/briefing.typ",
            &format!(
                "#let b = json(\"/briefing.json\")\n= Summary {summary}\n\
                 #for a in b.articles {{ pagebreak(weak: true); {article} }}\n"
            ),
        );
        let pdf = print(&site, "b.pdf");
        let titles = sample_articles();
        assert_eq!(pdf.pages.len(), titles.len() + 1, "{:?}", pdf.pages);
        for (title, _) in &titles {
            assert_eq!(pdf.pages_with(title).len(), 1, "`{title}`: {:?}", pdf.pages);
        }
    }
}

#[test]
fn articles_alike_in_different_parts_keep_their_own_footnotes() {
    // Four articles the same but for their titles, with the same footnote,
    // one per part: the same elements laid out in different compilations
    // must still be told apart in the joined PDF (or the build stops).
    let articles: Vec<(String, String)> = (1..=4)
        .map(|n| {
            (
                format!("content/articles/a{n}.md"),
                format!(
                    "---\ntitle: Article {n}\ndate: 2020-01-0{n}\nsource: Wire\n---\n\
                     Putin spoke.[^1]\n\n[^1]: Translated by the editors.\n"
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = articles
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::with_registry(&files);
    site.write(
        "site.yaml",
        "title: T\nlanguage: en\nbriefing:\n  articles_per_part: 1\n",
    );
    let pdf = print(&site, "b.pdf");
    let entries = contents(&pdf);
    let starts: Vec<usize> = (1..=4)
        .map(|n| {
            let title = format!("Article {n}");
            entries
                .iter()
                .find(|(text, _)| is_entry(text, &title))
                .unwrap_or_else(|| panic!("`{title}` is not in the contents: {entries:?}"))
                .1
        })
        .collect();
    for (i, &start) in starts.iter().enumerate() {
        let page = pdf.page(start);
        assert!(
            squash(page).contains(&squash("Translated by the editors.")),
            "article {} (page {start}) lost its footnote:\n{page}",
            i + 1
        );
    }
    let total = pdf.pages.len();
    for n in 2..=total {
        assert!(pdf.page(n).contains(&format!("page {n} of {total}")));
    }
}

#[test]
fn build_writes_the_html_twin_and_the_pdf_on_request() {
    let site = TestSite::sample();
    dossier::pipeline::build(&dossier::pipeline::BuildOptions {
        root: site.root().to_path_buf(),
        pdf: true,
        ..Default::default()
    })
    .unwrap();
    assert!(site.has_output("briefing.pdf"));
    // The texts are printed: a build that drops them to save memory must
    // not do so before the PDF is made from them.
    let pdf = Pdf::read(&site.root().join("output/briefing.pdf"));
    assert!(
        !pdf.pages_with("Fighting in Aleppo intensified after the Syrian army declared an end to the week-long ceasefire").is_empty(),
        "an article's text is missing from briefing.pdf"
    );
    let html = site.output("briefing/index.html");
    let text = common::visible_text(&html);
    for (title, url) in sample_articles() {
        assert!(text.contains(&fold(&title)), "{title}");
        if let Some(url) = url {
            assert!(html.contains(&format!("href=\"{url}\"")), "{url}");
        }
    }
    // One page, unique ids.
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids in briefing/index.html");
    assert!(html.contains("@media print"));
}

#[test]
fn a_dossier_past_the_full_text_limit_gets_an_abridged_briefing_page() {
    let site = TestSite::with_registry(&[
        (
            "content/articles/a.md",
            "---\ntitle: First report\ndate: 2016-01-02\nsource: Wire\nsummary: Talks open.\n---\nThe first body sentence.\n",
        ),
        (
            "content/articles/b.md",
            "---\ntitle: Second report\ndate: 2016-02-03\nsource: Wire\n---\nThe second body sentence.\n",
        ),
    ]);
    site.write(
        "site.yaml",
        "title: Limits\nbase_url: \"https://example.org/\"\nbriefing:\n  page_full_text: 1\n",
    );
    site.build_ok();
    let html = site.output("briefing/index.html");
    let text = common::visible_text(&html);
    assert!(text.contains("Abridged"), "{text}");
    for (title, slug) in [("First report", "a"), ("Second report", "b")] {
        assert!(text.contains(title), "{title}");
        assert!(
            html.contains(&format!("articles/{slug}/\">{title}</a>")),
            "no link to the text of {slug}"
        );
    }
    assert!(text.contains("Wire"), "publications stay");
    assert!(!text.contains("The first body sentence."), "texts go");

    // A limit of none at all: every dossier gets the list.
    site.write(
        "site.yaml",
        "title: Limits\nbase_url: \"https://example.org/\"\nbriefing:\n  page_full_text: 0\n",
    );
    site.build_ok();
    let text = common::visible_text(&site.output("briefing/index.html"));
    assert!(text.contains("Abridged"), "{text}");
    assert!(text.contains("First report") && text.contains("Second report"));
    assert!(!text.contains("The first body sentence."), "texts go");

    // Within the limit, the texts are there.
    site.write(
        "site.yaml",
        "title: Limits\nbase_url: \"https://example.org/\"\nbriefing:\n  page_full_text: 2\n",
    );
    site.build_ok();
    let text = common::visible_text(&site.output("briefing/index.html"));
    assert!(!text.contains("Abridged"));
    assert!(text.contains("The first body sentence."));
    assert!(text.contains("The second body sentence."));
}

#[test]
fn a_kept_photo_prints_as_an_image_with_its_caption_and_credit() {
    use base64::Engine as _;
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        "---\ntitle: With a photo\ndate: 2016-01-02\nsource: Wire\n---\nBefore the photo.\n\n![A convoy near the border](convoy.png \"Photo: Wire\")\n\nAfter the photo.\n",
    )]);
    // A 1 × 1 PNG, kept beside the article.
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        .unwrap();
    std::fs::write(site.root().join("content/articles/convoy.png"), png).unwrap();
    let pdf = print(&site, "b.pdf");
    let all = squash(&pdf.pages.join("\n"));
    for text in [
        "Before the photo.",
        "A convoy near the border",
        "Photo: Wire",
        "After the photo.",
    ] {
        assert!(all.contains(&squash(text)), "{text} missing:\n{all}");
    }
    // `pdfimages -list`: one `image` line per picture (its alpha channel
    // is an `smask` line).
    let images = poppler("pdfimages", &["-list", pdf.path.to_str().unwrap()]);
    let pictures = images
        .lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(pictures, 1, "one picture expected:\n{images}");
    assert!(
        !all.contains("not kept"),
        "a kept photo is not described as missing"
    );
}

#[test]
fn a_link_to_another_article_is_a_note_giving_the_page_where_it_begins() {
    let site = TestSite::with_registry(&[
        (
            "content/articles/alpha.md",
            "---\ntitle: Alpha talks open\ndate: 2020-01-01\nsource: Wire\n---\nThe envoys met, as [a later report](beta.md) recounts in full.\n",
        ),
        (
            "content/articles/beta.md",
            "---\ntitle: Beta talks close\ndate: 2020-02-01\nsource: Wire\n---\nThe envoys left.\n",
        ),
    ]);
    site.build_ok();
    let pdf = print(&site, "out/b.pdf");
    let beta = pdf.pages_with("Beta talks close");
    let starts = *beta
        .iter()
        .find(|&&n| body_lines(pdf.page(n)).first().map(String::as_str) == Some("Beta talks close"))
        .expect("Beta has a page of its own");
    // In the text: the link's words and its note number, no page.
    let alpha = pdf.pages_with("The envoys met, as a later report");
    assert_eq!(alpha.len(), 1, "{alpha:?}");
    assert!(
        squash(pdf.page(alpha[0])).contains(&squash("a later report1 recounts in full")),
        "{}",
        pdf.page(alpha[0])
    );
    // In the notes: the article it points to and the page where it begins.
    let notes: String = (pdf.part("Notes and sources")..pdf.part("Index"))
        .map(|n| pdf.page(n))
        .collect();
    assert!(
        squash(&notes).contains(&squash(&format!("1. See Beta talks close, p. {starts}"))),
        "{notes}"
    );
    // The HTML twin lists the same note, linked to the article.
    let html = site.output("briefing/index.html");
    assert!(
        html.contains("<sup class=\"note-ref\">[1]</sup>")
            && html.contains("See <a href=\"#article-beta\">Beta talks close</a>"),
        "{html}"
    );
}

#[test]
fn a_briefing_past_the_optimal_line_break_limit_breaks_lines_one_at_a_time() {
    let body = "Diplomats familiar with the discussions said the envoys had pressed for binding timelines on the withdrawal of heavy weapons, while the other side insisted on an international inquiry into the shelling of the northern districts before any agreement could be signed. ".repeat(12);
    let site = TestSite::with_registry(&[(
        "content/articles/long.md",
        &format!("---\ntitle: Long talks\ndate: 2020-01-01\nsource: Wire\n---\n{body}\n"),
    )]);
    let lines = |pdf: &Pdf| -> Vec<String> {
        let page = pdf.pages_with("Diplomats familiar")[0];
        body_lines(pdf.page(page))
    };
    let optimal = print(&site, "out/optimal.pdf");
    site.write(
        "site.yaml",
        "title: Test dossier\nbase_url: https://example.org/\nbriefing:\n  optimal_line_breaks: 0\n",
    );
    let greedy = print(&site, "out/greedy.pdf");
    // The same words, broken into lines differently.
    assert_eq!(
        squash(&lines(&optimal).join(" ")),
        squash(&lines(&greedy).join(" "))
    );
    assert_ne!(lines(&optimal), lines(&greedy));
}
