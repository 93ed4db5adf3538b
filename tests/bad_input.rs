//! Broken and hostile dossiers: each case gets a clear, located error or a
//! documented safe result, never a panic, never partial output.

mod common;

use std::fs;

use common::TestSite;
use dossier::diagnostic::Diagnostic;

fn site(files: &[(&str, &str)]) -> TestSite {
    TestSite::with_registry(files)
}

fn article(extra: &str, body: &str) -> String {
    format!("---\ntitle: T\ndate: 2016\nsource: Wire\n{extra}---\n{body}")
}

/// The build fails; returns its errors and checks nothing was written.
fn fails(site: &TestSite) -> Vec<Diagnostic> {
    let errors = site.build_err();
    assert!(!site.root().join("output").exists(), "no partial output");
    errors.into_iter().filter(|d| d.is_error()).collect()
}

fn one_error(site: &TestSite) -> Diagnostic {
    let errors = fails(site);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors.into_iter().next().unwrap();
    assert!(
        error.help.is_some(),
        "every error says what to do: {error:?}"
    );
    error
}

// --- YAML -------------------------------------------------------------------

#[test]
fn unclosed_front_matter() {
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: T\ndate: 2016\n\nBody text.\n",
    )]);
    let e = one_error(&s);
    assert_eq!(
        (e.position().as_str(), e.code.as_str()),
        ("content/articles/a.md:1:1", "front-matter")
    );
    assert!(e.message.contains("never closed"));
}

#[test]
fn tabs_in_indentation() {
    let s = site(&[(
        "content/articles/a.md",
        &article("actors:\n\t- Putin\n", ""),
    )]);
    let e = one_error(&s);
    assert_eq!(e.location.as_ref().unwrap().line, 6, "{e:?}");
    assert!(e.help.unwrap().contains("spaces, not tabs"));
}

#[test]
fn duplicate_keys() {
    let s = site(&[("content/articles/a.md", &article("title: Again\n", ""))]);
    let e = one_error(&s);
    assert_eq!(e.message, "`title` is given twice", "{e:?}");
    assert_eq!(e.position(), "content/articles/a.md:5:1");
    assert!(
        e.help
            .unwrap()
            .starts_with("the first `title` is on line 2"),
        "the repeat and the first are both named"
    );
}

#[test]
fn wrong_types_are_located() {
    let s = site(&[
        ("content/articles/a.md", &article("actors: Putin\n", "")),
        ("content/articles/b.md", &article("tags: {a: 1}\n", "")),
        (
            "content/articles/c.md",
            "---\ntitle: [T]\ndate: 2016\nsource: Wire\n---\n",
        ),
    ]);
    let positions: Vec<String> = fails(&s).iter().map(Diagnostic::position).collect();
    assert_eq!(
        positions,
        [
            "content/articles/a.md:5:9",
            "content/articles/b.md:5:7",
            "content/articles/c.md:2:8"
        ]
    );
}

/// serde's own words ("externally tagged enum", "invalid type") never
/// reach the writer: each wrong shape is said plainly, with what to do.
#[test]
fn a_list_where_one_value_goes_is_said_plainly() {
    for (name, text) in [
        ("kind.md", article("kind: [op-ed\n", "")),
        (
            "date.md",
            "---\ntitle: T\ndate: [2018-04-17\nsource: Wire\n---\n".to_string(),
        ),
    ] {
        let s = site(&[(&format!("content/articles/{name}"), &text)]);
        let e = one_error(&s);
        for serde_words in ["externally tagged", "invalid type", "scalar or mapping"] {
            assert!(!e.message.contains(serde_words), "{name}: {e:?}");
        }
        assert!(e.message.contains("not a list"), "{name}: {e:?}");
    }
    // A value YAML reads as another type is shown as written.
    for (value, shown) in [("true", "not `true`"), ("2016.5", "not `2016.5`")] {
        let s = site(&[(
            "content/articles/a.md",
            &format!("---\ntitle: T\ndate: {value}\nsource: Wire\n---\n"),
        )]);
        let e = one_error(&s);
        assert!(
            e.message.contains(shown)
                && !e.message.contains("boolean")
                && !e.message.contains("floating"),
            "{value}: {e:?}"
        );
        assert!(e.help.unwrap().contains("quote it"), "{value}");
    }
}

#[test]
fn a_number_for_a_title_is_taken_as_text() {
    // Documented: YAML scalars become text where text is expected ("1984").
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: 1984\ndate: 2016\nsource: Wire\n---\n",
    )]);
    s.build_ok();
    assert!(s.output("articles/a/index.html").contains(">1984</h1>"));
}

#[test]
fn billion_laughs_is_refused() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let s = site(&[(
        "content/articles/a.md",
        &format!("---\n{yaml}title: T\n---\n"),
    )]);
    let errors = fails(&s);
    assert!(errors.iter().all(|e| e.path == "content/articles/a.md"));
}

#[test]
fn very_deep_nesting_is_refused_without_crashing() {
    let depth = 5_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let s = site(&[(
        "content/articles/a.md",
        &article(&format!("tags: {nested}\n"), ""),
    )]);
    let e = one_error(&s);
    assert_eq!(e.path, "content/articles/a.md");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let s = site(&[]);
    let big = format!("{}{}", article("", ""), "word ".repeat(10 * 1024 * 1024));
    s.write("content/articles/big.md", &big);
    let e = one_error(&s);
    assert_eq!(e.code, "too-large");
    assert!(e.message.contains("MB"), "{e:?}");
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let s = site(&[("content/articles/empty.md", "")]);
    let e = one_error(&s);
    assert_eq!(e.message, "the file is empty");
    assert!(e.help.unwrap().contains("`---`"), "and how to start it");
}

#[test]
fn a_file_that_is_only_front_matter_builds() {
    let s = site(&[(
        "content/articles/a.md",
        "---\ntitle: T\ndate: 2016\nsource: Wire\n---",
    )]);
    s.build_ok();
    assert!(s.has_output("articles/a/index.html"));
}

// --- Encoding ---------------------------------------------------------------

#[test]
fn bom_and_crlf_build_exactly_like_plain_lf() {
    let lf = article("actors: [Putin]\n", "## Heading\n\nPutin spoke.\n");
    let plain = site(&[("content/articles/a.md", &lf)]);
    plain.build_ok();
    let crlf = site(&[]);
    fs::create_dir_all(crlf.root().join("content/articles")).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(lf.replace('\n', "\r\n").as_bytes());
    fs::write(crlf.root().join("content/articles/a.md"), bytes).unwrap();
    crlf.build_ok();
    assert_eq!(
        plain.output("articles/a/index.html"),
        crlf.output("articles/a/index.html")
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let s = site(&[]);
    fs::create_dir_all(s.root().join("content/articles")).unwrap();
    let mut bytes = article("", "Caf").into_bytes();
    bytes.push(0xE9);
    fs::write(s.root().join("content/articles/a.md"), bytes).unwrap();
    let e = one_error(&s);
    assert!(e.message.contains("offset 44"), "{e:?}");
    assert_eq!(e.position(), "content/articles/a.md:6:4");
}

#[test]
fn nul_bytes_are_refused() {
    let s = site(&[("content/articles/a.md", &article("", "Some\0text"))]);
    let e = one_error(&s);
    assert!(e.message.contains("NUL"), "{e:?}");
    assert_eq!(e.position(), "content/articles/a.md:6:5");
}

#[test]
fn right_to_left_and_combining_text_make_readable_unique_slugs() {
    let s = site(&[
        (
            "content/articles/بشار الأسد.md",
            "---\ntitle: \"بشار الأسد\"\ndate: 2016\nsource: Wire\n---\n",
        ),
        (
            "content/articles/Cafe\u{301} noir.md",
            "---\ntitle: \"Cafe\u{301} noir\"\ndate: 2016\nsource: Wire\n---\n",
        ),
    ]);
    s.build_ok();
    let articles: Vec<String> = s
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("articles/") && f != "articles/index.html")
        .collect();
    assert_eq!(articles.len(), 2, "{articles:?}");
    for file in &articles {
        assert!(file.is_ascii(), "{file}");
    }
    assert!(
        articles.contains(&"articles/cafe-noir/index.html".to_string()),
        "{articles:?}"
    );
    assert!(
        s.output("articles/cafe-noir/index.html")
            .contains("Cafe\u{301} noir")
    );
}

// --- Paths ------------------------------------------------------------------

#[test]
fn slugs_that_try_to_escape_are_errors() {
    for slug in ["../../etc", "a/b", "/abs", "nul", "C:x", ".."] {
        let s = site(&[(
            "content/articles/a.md",
            &article(&format!("slug: \"{slug}\"\n"), ""),
        )]);
        let e = one_error(&s);
        assert_eq!(e.code, "bad-slug", "{slug}: {e:?}");
        assert_eq!(e.position(), "content/articles/a.md:5:7", "{slug}");
    }
}

#[test]
fn odd_file_names_become_safe_urls() {
    let s = site(&[("content/articles/a..b%2F..md", &article("", ""))]);
    s.build_ok();
    let pages: Vec<String> = s
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("articles/a"))
        .collect();
    assert_eq!(pages, ["articles/a-b-2f/index.html"]);
}

#[test]
fn two_articles_mapping_to_one_url_name_both_files() {
    let s = site(&[
        ("content/articles/Café.md", &article("", "")),
        ("content/articles/cafe.md", &article("", "")),
    ]);
    let e = one_error(&s);
    assert_eq!(e.code, "duplicate-slug");
    assert!(
        e.message.contains("content/articles/Café.md") || e.path.ends_with("Café.md"),
        "{e:?}"
    );
}

#[test]
fn symlinks_to_files_outside_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        article("", "SECRET CONTENT"),
    )
    .unwrap();
    let s = site(&[("content/articles/a.md", &article("", ""))]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        s.root().join("content/articles/secret.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join("content/articles/linked-dir"))
        .unwrap();
    let report = s.build_ok();
    assert!(report.warnings.iter().any(|w| w.code == "symlink"));
    for file in s.output_files() {
        assert!(
            !fs::read_to_string(s.root().join("output").join(&file))
                .unwrap_or_default()
                .contains("SECRET"),
            "{file}"
        );
    }
}

// --- Hostile text -------------------------------------------------------------

#[test]
fn hostile_markup_never_reaches_a_page() {
    let s = site(&[
        (
            "content/actors/evil.md",
            "---\nname: \"<script>alert('actor')</script>\"\nkind: person\naliases: [\"onerror=alert(1)\", \"<img src=x onerror=alert(2)>\"]\nrole: \"<b onmouseover=alert(3)>role</b>\"\nlinks:\n  - title: x\n    url: \"https://ok.example/\\\"><script>\"\n---\n<script>alert('profile')</script>\n",
        ),
        (
            "content/articles/a.md",
            &article(
                "author: \"<img src=x onerror=alert(4)>\"\nsummary: \"{{ site }} {% for x in [1] %}loop{% endfor %}\"\nactors: [\"<script>alert('actor')</script>\"]\nurl: \"javascript:alert(5)\"\n",
                "<script>alert(6)</script>\n\n<a href=\"javascript:alert(7)\" onclick=\"alert(8)\">x</a>\n\n[click](javascript:alert(9)) [data](data:text/html,<script>alert(10)</script>) ![i](<javascript:alert(11)>)\n\n<iframe src=\"https://evil.example\"></iframe> {{ 7*7 }} {% raw %}\n",
            ),
        ),
    ]);
    // Bad URLs in front matter are errors; everything else is neutralised.
    let errors: Vec<String> = fails(&s)
        .iter()
        .map(|e| format!("{} {}", e.code, e.position()))
        .collect();
    assert_eq!(
        errors,
        [
            "bad-url content/actors/evil.md:8:10",
            "bad-url content/articles/a.md:8:6"
        ]
    );
    s.write(
        "content/articles/a.md",
        &fs::read_to_string(s.root().join("content/articles/a.md"))
            .unwrap()
            .replace("url: \"javascript:alert(5)\"\n", ""),
    );
    s.write(
        "content/actors/evil.md",
        &fs::read_to_string(s.root().join("content/actors/evil.md"))
            .unwrap()
            .replace("\\\"><script>", ""),
    );
    s.build_ok();
    for file in s
        .output_files()
        .iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".xml"))
    {
        let html = s.output(file).to_lowercase();
        for bad in [
            "<script>alert",
            "<img src=x",
            "onerror=alert(",
            "onclick=",
            "onmouseover=",
            "javascript:",
            "data:text",
            "<iframe",
        ] {
            if file.ends_with(".html") || bad != "javascript:" {
                let found = html.match_indices(bad).any(|(i, _)| {
                    // Escaped text such as `&lt;img src=x onerror=…` is harmless;
                    // only live markup counts.
                    !html[..i].ends_with("&lt;") && bad.starts_with('<')
                        || !bad.starts_with('<') && is_in_tag(&html, i)
                });
                assert!(!found, "{file} contains live `{bad}`");
            }
        }
    }
    let page = s.output("articles/a/index.html");
    assert!(
        page.contains("{{ site }} {% for x in [1] %}loop{% endfor %}"),
        "template syntax stays text"
    );
    assert!(page.contains("{{ 7*7 }}"));
}

/// Is byte `i` of `html` inside a tag (between `<` and `>`)?
fn is_in_tag(html: &str, i: usize) -> bool {
    let open = html[..i].rfind('<');
    let close = html[..i].rfind('>');
    matches!((open, close), (Some(o), Some(c)) if o > c) || matches!((open, close), (Some(_), None))
}
