//! `dossier serve` as a user meets it: the real binary on a loopback port,
//! files edited on disk, and a real headless Chromium (the harness in
//! `common/browser.rs`) watching the page change in place. Chromium must be
//! installed (`scripts/test` does it); a missing browser fails these tests.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
use common::browser::Browser;

const ARTICLE: &str = "content/articles/2015-10-us-says-no-to-russia-dialogue-on-syria.md";
const ARTICLE_URL: &str = "/articles/2015-10-us-says-no-to-russia-dialogue-on-syria/";
const WAIT: Duration = Duration::from_secs(20);

/// `dossier serve` running on a dossier, stopped when dropped.
struct Served {
    child: Child,
    url: String,
    /// Everything the server printed on stderr so far.
    log: Arc<Mutex<String>>,
}

impl Served {
    fn start(root: &Path) -> Served {
        Served::start_with(root, &[])
    }

    /// With the debug lines too (`-v`): what reached the engine and
    /// changed nothing is printed only there.
    fn start_verbose(root: &Path) -> Served {
        Served::start_with(root, &["-v"])
    }

    fn start_with(root: &Path, flags: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(flags)
            .args(["--color", "never", "-C"])
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("serve prints its address");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {first:?}; log: {}", log.lock().unwrap()))
            .trim_end_matches('/')
            .to_string();
        Served { child, url, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// How many rebuilds the server reported (each prints one line starting
    /// with `changed `).
    fn rebuilds(&self) -> usize {
        self.log()
            .lines()
            .filter(|l| l.starts_with("changed "))
            .count()
    }

    /// Waits until the server printed a line containing `needle`.
    fn wait_for_line(&self, needle: &str) {
        let start = Instant::now();
        while !self.log().lines().any(|l| l.contains(needle)) {
            assert!(
                start.elapsed() < WAIT,
                "expected a line with {needle:?}; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the server reported `n` rebuilds in all.
    fn wait_for_rebuilds(&self, n: usize) {
        let start = Instant::now();
        while self.rebuilds() < n {
            assert!(
                start.elapsed() < WAIT,
                "expected {n} rebuilds; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One HTTP request with a raw path (sent exactly as given).
    fn request(&self, method: &str, path: &str) -> Response {
        let host = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).expect("the server answers");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header block");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        Response {
            status,
            head,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A served page without the reload client the server injects.
fn without_client(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let Some(start) = text.find("<script src=\"/__dossier/reload.js\"") else {
        return bytes.to_vec();
    };
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

fn edit(site: &TestSite, rel: &str, f: impl FnOnce(&str) -> String) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(&text)).unwrap();
}

/// Saves like editors that write a temporary file and rename it over the
/// original (VS Code, JetBrains "safe write", `sed -i`).
fn save_atomically(site: &TestSite, rel: &str, text: &str) {
    let path = site.root().join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.tmp1234",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Opens `path` in a browser and waits until its reload client is
/// connected; marks the window so that a navigation would show.
fn open(browser: &Browser, served: &Served, path: &str) {
    browser.goto(&served.url(path));
    browser
        .wait_for("window.__dossier && window.__dossier.connected", WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    browser.eval("window.__marker = 'no navigation'");
}

fn assert_not_navigated(browser: &Browser) {
    assert_eq!(
        browser.eval("window.__marker"),
        "no navigation",
        "the page was reloaded or navigated away"
    );
}

fn text_shown(needle: &str) -> String {
    format!(
        "document.body.innerText.includes({})",
        serde_json::to_string(needle).unwrap()
    )
}

#[test]
fn an_edited_article_shows_its_new_text_in_place_at_the_same_scroll_position() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let browser = Browser::start();
    browser.set_window_size(900, 500);
    open(&browser, &served, ARTICLE_URL);
    browser.eval("window.scrollTo(0, 600)");
    let scrolled = browser.eval("window.scrollY");
    assert!(scrolled.as_f64().unwrap() > 0.0, "the page scrolls");

    edit(&site, ARTICLE, |t| {
        format!("{t}\nA sentence the author has just written.\n")
    });
    browser
        .wait_for(&text_shown("A sentence the author has just written."), WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert_not_navigated(&browser);
    assert_eq!(browser.eval("window.scrollY"), scrolled);
    assert_eq!(browser.eval("window.__dossier.swaps"), 1);
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

#[test]
fn an_open_actor_page_lists_an_article_that_starts_mentioning_the_actor() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let browser = Browser::start();
    open(&browser, &served, "/actors/china/");
    let listed = format!("!!document.querySelector('main a[href=\"{ARTICLE_URL}\"]')");
    assert_eq!(browser.eval(&listed), false);

    edit(&site, ARTICLE, |t| {
        format!("{t}\nTalks were also held with China.\n")
    });
    browser
        .wait_for(&listed, WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert!(
        browser
            .eval(&text_shown("US Says No to Russia"))
            .as_bool()
            .unwrap()
    );
    assert_not_navigated(&browser);
}

#[test]
fn an_open_briefing_page_shows_an_edit_in_place() {
    // The briefing page is made on request (not on every save); an open
    // one is told to fetch itself again after every rebuild.
    let site = TestSite::sample();
    let served = Served::start_verbose(site.root());
    let browser = Browser::start();
    open(&browser, &served, "/briefing/");
    let generation = browser
        .eval("window.__dossier.generation")
        .as_u64()
        .unwrap();
    // Saved without an edit: nothing to tell the page.
    edit(&site, ARTICLE, str::to_string);
    served.wait_for_line("nothing changed");
    edit(&site, ARTICLE, |t| {
        format!("{t}\nA sentence written for the briefing.\n")
    });
    browser
        .wait_for(&text_shown("A sentence written for the briefing."), WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert_not_navigated(&browser);
    // Messages arrive in order: one sent for the unedited save would have
    // counted a generation of its own.
    assert_eq!(
        browser.eval("window.__dossier.generation").as_u64(),
        Some(generation + 1),
        "told of the save that changed nothing; log:\n{}",
        served.log()
    );
    assert_eq!(served.rebuilds(), 1, "{}", served.log());
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

#[test]
fn a_broken_front_matter_shows_an_overlay_with_file_and_line_until_it_is_fixed() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let browser = Browser::start();
    open(&browser, &served, ARTICLE_URL);
    let good = std::fs::read_to_string(site.root().join(ARTICLE)).unwrap();

    // Line 2 becomes a misspelt key.
    save_atomically(&site, ARTICLE, &good.replacen("title:", "titel:", 1));
    browser
        .wait_for("document.getElementById('__dossier-overlay')", WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    let overlay = browser
        .eval("document.getElementById('__dossier-overlay').innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(overlay.contains(&format!("{ARTICLE}:2:")), "{overlay}");
    assert!(overlay.contains("titel"), "{overlay}");
    // The offending line is shown, as in the terminal.
    assert!(
        overlay.contains("titel: \"US Says No to Russia"),
        "{overlay}"
    );
    // The last good page is still served underneath.
    assert_eq!(served.get(ARTICLE_URL).status, 200);

    save_atomically(
        &site,
        ARTICLE,
        &good.replace("US Says No to Russia", "US Declines Russia"),
    );
    browser
        .wait_for(
            "!document.getElementById('__dossier-overlay') && document.title.includes('US Declines Russia')",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert_not_navigated(&browser);
}

#[test]
fn a_stylesheet_edit_swaps_the_stylesheet_without_a_reload() {
    let site = TestSite::sample();
    // A theme that overrides the built-in stylesheet, present from the start.
    let css_path = "themes/default/static/style.css";
    let builtin =
        std::fs::read_to_string(common::repo().join("themes/default/static/style.css")).unwrap();
    site.write(css_path, &builtin);
    let served = Served::start(site.root());
    let browser = Browser::start();
    open(&browser, &served, ARTICLE_URL);
    assert_ne!(
        browser.eval("getComputedStyle(document.body).outlineColor"),
        "rgb(1, 2, 3)"
    );

    save_atomically(
        &site,
        css_path,
        &format!("{builtin}\nbody {{ outline: 7px solid rgb(1, 2, 3); }}\n"),
    );
    browser
        .wait_for(
            "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert_not_navigated(&browser);
    // The page itself did not change, so it was not swapped.
    assert_eq!(browser.eval("window.__dossier.swaps"), 0);
}

#[test]
fn deleting_the_open_article_shows_page_not_found_in_place() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let browser = Browser::start();
    open(&browser, &served, ARTICLE_URL);

    std::fs::remove_file(site.root().join(ARTICLE)).unwrap();
    browser
        .wait_for(&text_shown("Page not found"), WAIT)
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
    assert_not_navigated(&browser);
    assert_eq!(served.get(ARTICLE_URL).status, 404);
    // Pages that listed it no longer do.
    assert!(!served.get("/").text().contains(ARTICLE_URL));
}

#[test]
fn a_first_build_that_fails_still_serves_the_errors_then_the_site_once_fixed() {
    let site = TestSite::sample();
    let good = std::fs::read_to_string(site.root().join(ARTICLE)).unwrap();
    site.write(ARTICLE, &good.replacen("date: 2015-10", "date: 2015-13", 1));
    let served = Served::start(site.root());
    let browser = Browser::start();
    open(&browser, &served, "/");
    browser
        .wait_for("document.getElementById('__dossier-overlay')", WAIT)
        .unwrap();
    let overlay = browser.eval("document.getElementById('__dossier-overlay').innerText");
    assert!(
        overlay.as_str().unwrap().contains(&format!("{ARTICLE}:3:")),
        "{overlay}"
    );
    assert_eq!(served.get("/").status, 503);
    // Nothing was ever built: there is no older site behind the errors.
    assert!(
        overlay.as_str().unwrap().contains("no site to show"),
        "{overlay}"
    );
    assert!(
        served.log().contains("there is no site to serve"),
        "{}",
        served.log()
    );

    save_atomically(&site, ARTICLE, &good);
    browser
        .wait_for(
            "!document.getElementById('__dossier-overlay') && document.title === 'Russia, the US and the Syrian war'",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}; log:\n{}", served.log()));
}

#[test]
fn a_warning_a_save_brings_is_printed_once() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    edit(&site, ARTICLE, |t| {
        t.replacen("actors:\n", "actors:\n  - Vladimir Poutine\n", 1)
    });
    served.wait_for_rebuilds(1);
    let warning = "`Vladimir Poutine`";
    assert!(served.log().contains(warning), "{}", served.log());
    assert!(
        served.log().contains("did you mean `Vladimir Putin`?"),
        "with its help: {}",
        served.log()
    );
    // Standing warnings are not printed again on every save, nor when a
    // line added above moves them.
    edit(&site, ARTICLE, |t| format!("{t}\nAnother paragraph.\n"));
    served.wait_for_rebuilds(2);
    edit(&site, ARTICLE, |t| {
        t.replacen("---\n", "---\n# A note.\n", 1)
    });
    served.wait_for_rebuilds(3);
    assert_eq!(served.log().matches(warning).count(), 1, "{}", served.log());
    // A stray file is no input, but what it brings is news.
    site.write("content/notes.md", "Notes to self.\n");
    served.wait_for_line("Markdown outside articles/, actors/ and sources/ is ignored");
}

#[test]
fn editor_saves_cause_one_rebuild_each_and_scratch_files_none() {
    let site = TestSite::sample();
    // Verbose: a batch that reaches the engine and changes nothing is
    // printed only as a debug line, and scratch files must not be in one.
    let served = Served::start_verbose(site.root());
    let dir = site.root().join("content/articles");
    let path = site.root().join(ARTICLE);

    // vim: swap file, a probe file named 4913, the original renamed to a
    // backup, the new text written, backup and swap removed.
    let text = std::fs::read_to_string(&path).unwrap();
    let swap = dir.join(".2015-10-us-says-no-to-russia-dialogue-on-syria.md.swp");
    std::fs::write(&swap, "swap").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    let backup = path.with_extension("md~");
    std::fs::rename(&path, &backup).unwrap();
    std::fs::write(&path, format!("{text}\nSaved by vim.\n")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(&swap).unwrap();
    served.wait_for_rebuilds(1);

    // An atomic save.
    save_atomically(&site, ARTICLE, &format!("{text}\nSaved atomically.\n"));
    served.wait_for_rebuilds(2);

    // Emacs lock and autosave files, a backup: not content.
    std::fs::write(dir.join("#draft.md#"), "---\nnot: yaml: [\n").unwrap();
    std::fs::write(dir.join("notes.md~"), "---\nnot: yaml: [\n").unwrap();
    // Then a real save, so that there is something to wait for.
    edit(&site, ARTICLE, |t| format!("{t}\nSaved plainly.\n"));
    served.wait_for_rebuilds(3);
    std::thread::sleep(Duration::from_millis(500));
    let log = served.log();
    assert_eq!(served.rebuilds(), 3, "one rebuild per save:\n{log}");
    for scratch in [".swp", "4913", "md~", "#draft.md#"] {
        assert!(
            !log.contains(scratch),
            "{scratch} reached the engine:\n{log}"
        );
    }
    assert!(!log.contains("error"), "{log}");
    assert!(served.get(ARTICLE_URL).text().contains("Saved plainly."));
    assert!(!site.root().join("output").exists(), "serve wrote output/");
}

#[test]
fn after_a_sequence_of_edits_every_served_file_equals_a_clean_build() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let mut rebuilds = 0;
    let mut step = |f: &dyn Fn()| {
        f();
        rebuilds += 1;
        served.wait_for_rebuilds(rebuilds);
    };
    // Text, a mention, front matter.
    step(&|| edit(&site, ARTICLE, |t| format!("{t}\nTalks in Algeria.\n")));
    step(&|| {
        edit(&site, ARTICLE, |t| {
            t.replacen("source_note:", "kind: analysis\nsource_note:", 1)
        })
    });
    // A new article, then renamed.
    let new = "content/articles/2016-01-new-talks.md";
    step(&|| {
        site.write(
            new,
            "---\ntitle: New talks\ndate: 2016-01-05\nsource: Unidentified publication\n\
             actors: [Russia]\n---\n\nRussia and Hezbollah met. See [the earlier piece]\
             (2015-10-us-says-no-to-russia-dialogue-on-syria.md).\n",
        );
    });
    step(&|| {
        std::fs::rename(
            site.root().join(new),
            site.root()
                .join("content/articles/2016-01-renamed-talks.md"),
        )
        .unwrap()
    });
    // An actor gains an alias; a source is added; an article deleted.
    step(&|| {
        edit(&site, "content/actors/algeria.md", |t| {
            t.replacen("name:", "aliases: [Algiers]\nname:", 1)
        })
    });
    step(&|| {
        site.write(
            "content/sources/new-wire.md",
            "---\nname: New Wire\nkind: news-agency\n---\nA wire.\n",
        );
    });
    step(&|| {
        std::fs::remove_file(
            site.root()
                .join("content/articles/2016-09-aleppo-violence-russia-us-deadlock.md"),
        )
        .unwrap()
    });
    // The settings.
    step(&|| {
        edit(&site, "site.yaml", |t| {
            t.replacen("language: en", "language: en\nhome_articles: 3", 1)
        })
    });
    assert!(
        !served.log().contains("error"),
        "an edit failed:\n{}",
        served.log()
    );

    // A clean build of the same files, for the served address, while the
    // server keeps running (it must ignore the build's output folder).
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("-C")
        .arg(site.root())
        // Serve answers /briefing.pdf, so its twin is a build with the PDF.
        .args(["build", "--pdf", "--output"])
        .arg(out.path())
        .args(["--base-url", &format!("{}/", served.url)])
        .status()
        .unwrap();
    assert!(status.success());
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.file_name() == ".dossier-output" {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let built = std::fs::read(entry.path()).unwrap();
        let response = served.get(&format!("/{rel}"));
        assert_eq!(response.status, 200, "/{rel}");
        if rel == "briefing.pdf" {
            // Made on request; its metadata carries the time it was made.
            assert!(response.body.starts_with(b"%PDF"), "/{rel}");
            compared += 1;
            continue;
        }
        assert!(
            without_client(&response.body) == built,
            "/{rel} differs from a clean build"
        );
        compared += 1;
    }
    assert!(compared > 50, "only {compared} files compared");
    // What the clean build no longer has, serve no longer serves.
    for gone in [
        "/articles/2016-01-new-talks/",
        "/articles/2016-09-aleppo-violence-russia-us-deadlock/",
    ] {
        assert_eq!(served.get(gone).status, 404, "{gone}");
    }
    assert!(!site.root().join("output").exists(), "serve wrote output/");
}

#[test]
fn serving_refuses_traversal_answers_404_and_sends_content_types() {
    let site = TestSite::sample();
    let served = Served::start(site.root());

    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/timeline.js", "text/javascript; charset=utf-8"),
        ("/assets/favicon.svg", "image/svg+xml"),
        ("/feed.xml", "application/xml"),
        ("/__dossier/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let response = served.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("content-type").as_deref(),
            Some(kind),
            "{path}"
        );
        assert_eq!(
            response.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }

    let secret = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    for path in [
        "/../site.yaml",
        "/assets/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/assets/%2e%2e%2f%2e%2e%2fsite.yaml",
        "/..%5csite.yaml",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
    ] {
        let response = served.get(path);
        assert_eq!(response.status, 400, "{path}");
        assert!(!response.text().contains(secret.trim()), "{path}");
    }

    // Files of the dossier that are not part of the site.
    for path in ["/site.yaml", &format!("/{ARTICLE}"), "/no/such/page/"] {
        let response = served.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(response.text().contains("Page not found"), "{path}");
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
    }

    // A folder without its slash is redirected, as static hosts do.
    let response = served.get(ARTICLE_URL.trim_end_matches('/'));
    assert_eq!(response.status, 301);
    assert_eq!(response.header("location").as_deref(), Some(ARTICLE_URL));

    // HEAD has the headers and no body; other methods are refused.
    let head = served.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(served.request("POST", "/").status, 405);

    // Only loopback by default.
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly_leaving_no_files_behind() {
    let site = TestSite::sample();
    let before: Vec<_> = walkdir::WalkDir::new(site.root())
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    let mut served = Served::start(site.root());
    assert_eq!(served.get("/").status, 200);
    // What Ctrl-C sends.
    let pid = rustix::process::Pid::from_raw(served.child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < WAIT, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}; log:\n{}", served.log());
    let after: Vec<_> = walkdir::WalkDir::new(site.root())
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(before, after, "serve left files behind");
}

#[test]
fn a_folder_without_settings_is_refused_rather_than_served() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("-C")
        .arg(dir.path())
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a dossier folder"), "{stderr}");
}

#[test]
fn a_build_beside_a_running_server_writes_output_and_triggers_no_rebuild() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["-q", "-C"])
        .arg(site.root())
        .arg("build")
        .status()
        .unwrap();
    assert!(status.success());
    assert!(site.has_output("index.html"));
    // A real save afterwards is the first and only rebuild: the build's
    // output and staging folders were not taken for content.
    edit(&site, ARTICLE, |t| format!("{t}\nAfter the build.\n"));
    served.wait_for_rebuilds(1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(served.rebuilds(), 1, "{}", served.log());
    assert!(served.get(ARTICLE_URL).text().contains("After the build."));
}

#[test]
fn the_briefing_pdf_is_made_on_request_from_the_current_state() {
    let site = TestSite::sample();
    let served = Served::start(site.root());
    let response = served.get("/briefing.pdf");
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(response.body.starts_with(b"%PDF"), "not a PDF");
    // The briefing page links to it.
    let page = served.get("/briefing/");
    assert!(page.text().contains("briefing.pdf"), "no link to the PDF");
}

#[test]
fn a_briefing_template_that_fails_is_shown_with_its_file_and_line() {
    let site = TestSite::sample();
    site.write("site.yaml", "title: T\ntheme: mine\n");
    site.write(
        "themes/mine/templates/briefing.html",
        "<p>\n  {{ nope.missing }}</p>",
    );
    let served = Served::start(site.root());
    // The site itself is served; the briefing page is made on request.
    assert_eq!(served.get("/").status, 200);
    let response = served.get("/briefing/");
    assert_eq!(response.status, 500);
    let body = String::from_utf8_lossy(&response.body);
    assert!(
        body.contains("themes/mine/templates/briefing.html:2:6"),
        "{body}"
    );
    assert!(body.contains("`nope` is not defined"), "{body}");
}
