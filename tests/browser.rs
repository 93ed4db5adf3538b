//! The sample dossier in a real browser (headless Chromium): what a reader
//! sees, at phone and desktop widths, light and dark, on screen and printed.
//! Chromium must be installed (`scripts/test` does it); a missing browser
//! fails these tests rather than skipping them.

mod common;

use std::time::Duration;

use common::TestSite;
use common::browser::{Browser, Media, Scheme, StaticServer};

/// The sample dossier, built and served.
fn sample() -> (TestSite, StaticServer) {
    let site = TestSite::sample();
    site.build_ok();
    let server = StaticServer::start(&site.root().join("output"));
    (site, server)
}

#[test]
fn home_page_loads_with_a_title_and_no_console_errors() {
    let (_site, server) = sample();
    let browser = Browser::start();
    browser.goto(&server.url("/"));
    assert_eq!(
        browser.eval("document.title"),
        "Russia, the US and the Syrian war"
    );
    // The stylesheet applied (the page is not unstyled HTML).
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"),
        "solid"
    );
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

/// JavaScript: is this element rendered (not `display: none` itself or
/// through an ancestor)?
/// (`checkVisibility` also sees through a closed `<details>`.)
const SHOWN: &str = "const shown = (el) => el.checkVisibility() && el.getClientRects().length > 0;";

#[test]
fn timeline_actor_filter_hides_the_other_entries_and_updates_counts_and_chart() {
    let (_site, server) = sample();
    let browser = Browser::start();
    browser.goto(&server.url("/timeline/?actor=sergei-lavrov"));
    browser
        .wait_for(
            "document.querySelector('.filter-status').textContent !== ''",
            Duration::from_secs(10),
        )
        .unwrap();
    let state = browser.eval(&format!(
        "{SHOWN}
        const entries = [...document.querySelectorAll('.tl-entry')];
        const wanted = entries.filter(e => e.dataset.actors.split(' ').includes('sergei-lavrov'));
        ({{
            total: entries.length,
            wanted: wanted.length,
            visible: entries.filter(shown).length,
            wrong: entries.filter(e => shown(e) && !wanted.includes(e)).map(e => e.id),
            status: document.querySelector('.filter-status').textContent,
            // Each shown year heading against the entries shown under it.
            years: [...document.querySelectorAll('.tl-year')].filter(shown).map(y => {{
                const n = (kind) => [...y.querySelectorAll('.tl-' + kind)].filter(shown).length;
                const part = (k, word) => k ? k + ' ' + word + (k === 1 ? '' : 's') : '';
                return [y.querySelector('h2 .count').textContent.trim(),
                        [part(n('article'), 'article'), part(n('event'), 'event')]
                            .filter(Boolean).join(', ')];
            }}),
            // Chart marks still drawn, and the entries they stand for.
            drawn: [...document.querySelectorAll('.timeline-chart [data-entries]')]
                .filter(g => shown(g) && [...g.querySelectorAll('rect')].some(r => r.getBBox().height > 0))
                .map(g => g.dataset.entries.split(' ')),
            wantedIds: wanted.map(e => e.id),
        }})"
    ));
    let wanted = state["wanted"].as_u64().unwrap();
    assert!(
        wanted >= 2 && wanted < state["total"].as_u64().unwrap(),
        "{state}"
    );
    assert_eq!(
        state["visible"], wanted,
        "only Lavrov's entries are shown: {state}"
    );
    assert_eq!(state["wrong"], serde_json::json!([]), "{state}");
    assert_eq!(
        state["status"],
        format!("{wanted} of {} entries", state["total"]),
        "{state}"
    );
    let years = state["years"].as_array().unwrap();
    assert!(!years.is_empty(), "{state}");
    for year in years {
        assert_eq!(
            year[0], year[1],
            "a year heading counts hidden entries: {state}"
        );
    }
    // Every mark left on the chart stands for a shown entry, and every
    // shown entry has its mark.
    let wanted_ids: Vec<&str> = state["wantedIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let drawn = state["drawn"].as_array().unwrap();
    for mark in drawn {
        assert!(
            mark.as_array()
                .unwrap()
                .iter()
                .any(|id| wanted_ids.contains(&id.as_str().unwrap())),
            "the chart still draws {mark}: {state}"
        );
    }
    for id in &wanted_ids {
        assert!(
            drawn
                .iter()
                .any(|m| m.as_array().unwrap().iter().any(|x| x == id)),
            "no chart mark for {id}: {state}"
        );
    }

    // Back to everything.
    browser.eval(
        "const s = document.getElementById('actor-filter'); s.value = '';
         s.dispatchEvent(new Event('change'));",
    );
    let all = browser.eval(&format!(
        "{SHOWN} [[...document.querySelectorAll('.tl-entry')].filter(shown).length,
                  document.querySelectorAll('.tl-entry').length]"
    ));
    assert_eq!(all[0], all[1]);
}

#[test]
fn pages_keep_their_padding_and_the_footer_at_the_bottom() {
    let (_site, server) = sample();
    let browser = Browser::start();
    for (width, page) in [(1280, "/"), (390, "/actors/russia/"), (1280, "/sources/")] {
        browser.set_window_size(width, 900);
        browser.goto(&server.url(page));
        let m = browser.eval(
            "const main = document.querySelector('main');
             const header = document.querySelector('.site-header').getBoundingClientRect();
             const first = main.firstElementChild.getBoundingClientRect();
             const style = getComputedStyle(main);
             ({ top: parseFloat(style.paddingTop), bottom: parseFloat(style.paddingBottom),
                left: parseFloat(style.paddingLeft), gap: first.top - header.bottom })",
        );
        assert!(m["top"].as_f64().unwrap() >= 16.0, "{page} at {width}: {m}");
        assert!(
            m["bottom"].as_f64().unwrap() >= 16.0,
            "{page} at {width}: {m}"
        );
        assert!(
            m["left"].as_f64().unwrap() >= 12.0,
            "{page} at {width}: {m}"
        );
        assert!(m["gap"].as_f64().unwrap() >= 16.0, "{page} at {width}: {m}");
    }
    // A short page: the footer ends at the bottom of the window.
    browser.set_window_size(1280, 1400);
    browser.goto(&server.url("/404.html"));
    let footer = browser.eval(
        "[document.querySelector('.site-footer').getBoundingClientRect().bottom, innerHeight]",
    );
    assert!(
        (footer[0].as_f64().unwrap() - footer[1].as_f64().unwrap()).abs() < 1.0,
        "footer floats: {footer}"
    );
}

#[test]
fn a_photo_the_clipping_did_not_keep_is_shown_once_and_compactly() {
    let (_site, server) = sample();
    let browser = Browser::start();
    browser.set_window_size(390, 800);
    browser.goto(&server.url("/articles/2018-04-17-russia-wants-us-out-of-syria/"));
    let m = browser.eval(
        "const text = document.body.innerText;
         const prose = document.querySelector('.prose');
         const first = [...prose.children].find(e => e.tagName === 'P');
         ({
            captions: [...document.querySelectorAll('.figure-missing figcaption')].map(c =>
                [c.firstChild.textContent.trim().slice(0, 40),
                 text.split(c.firstChild.textContent.trim().slice(0, 40)).length - 1]),
            figureHeights: [...document.querySelectorAll('.figure-missing')]
                .map(f => f.getBoundingClientRect().height),
            firstParagraph: first.getBoundingClientRect().top + scrollY,
            articleTop: document.querySelector('.article-header').getBoundingClientRect().top + scrollY,
         })",
    );
    let captions = m["captions"].as_array().unwrap();
    assert_eq!(captions.len(), 3, "{m}");
    for c in captions {
        assert_eq!(
            c[1], 1,
            "a missing photo's caption is shown more than once: {m}"
        );
    }
    // Compact: a missing photo takes a few lines of small type, not a box.
    for h in m["figureHeights"].as_array().unwrap() {
        assert!(h.as_f64().unwrap() < 140.0, "{m}");
    }
    // On a phone the first sentence is within two screens of the headline.
    let distance = m["firstParagraph"].as_f64().unwrap() - m["articleTop"].as_f64().unwrap();
    assert!(
        distance < 1300.0,
        "first paragraph {distance} px below the headline: {m}"
    );
}

/// The text of each page of a PDF, through poppler's `pdftotext`.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("print tests need pdftotext ({e}): run `scripts/test`, or apt-get install poppler-utils")
        });
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn an_article_prints_as_its_text_attribution_and_notes() {
    let (_site, server) = sample();
    let browser = Browser::start();
    browser.goto(&server.url("/articles/2016-09-aleppo-violence-russia-us-deadlock/"));
    browser.emulate_media(Media::Print, Scheme::Light);
    let hidden = browser.eval(
        "[...document.querySelectorAll('.site-header, .site-footer, .article-aside, \
              .article-footer, .pager, .toc')]
            .filter(e => e.getClientRects().length > 0).map(e => e.className)",
    );
    assert_eq!(hidden, serde_json::json!([]), "printed: {hidden}");
    // Headings never end a page.
    let breaks = browser.eval(
        "[...document.querySelectorAll('main h1, main h2, main h3')]
            .map(h => getComputedStyle(h).breakAfter)",
    );
    for b in breaks.as_array().unwrap() {
        assert_eq!(b, "avoid", "{breaks}");
    }
    let pages = pdf_pages(&browser.print_to_pdf());
    let all = pages.join("\n");
    assert!(
        all.contains("Publication") && all.contains("Published"),
        "the attribution is printed"
    );
    assert!(all.contains("Sputnik"), "the publication is printed");
    assert!(
        !all.contains("Related articles"),
        "related articles are printed"
    );
    assert!(!all.contains("Events reported"), "the sidebar is printed");
    assert!(!all.contains("Overview"), "the navigation is printed");
    // A 2-minute article fits on two sheets.
    assert!(pages.len() <= 2, "{} pages:\n{all}", pages.len());
    // No page ends on a heading.
    for (n, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        let is_heading = browser.eval(&format!(
            "[...document.querySelectorAll('main h2, main h3')].some(h => h.textContent.trim() === {})",
            serde_json::json!(last.trim())
        ));
        assert_eq!(
            is_heading,
            false,
            "page {} ends with the heading {last:?}",
            n + 1
        );
    }
}

#[test]
fn the_article_sidebar_lists_actors_by_prominence_compactly() {
    let (_site, server) = sample();
    let browser = Browser::start();
    for (width, article) in [1280, 1100, 390].iter().flat_map(|w| {
        [
            "2017-01-25-moscow-pivots-from-combatant-to-peacemaker",
            "2018-04-17-russia-wants-us-out-of-syria",
            "2016-russia-west-syria-cooperation",
        ]
        .map(|a| (*w, a))
    }) {
        browser.set_window_size(width, 900);
        browser.goto(&server.url(&format!("/articles/{article}/")));
        let m = browser.eval(&format!(
            "{SHOWN}
            const section = document.querySelector('.article-aside section');
            const items = [...section.querySelectorAll('ul.counted li')];
            ({{
                total: items.length,
                shown: items.filter(shown).length,
                counts: items.map(li => li.querySelector('.count') ? +li.querySelector('.count').textContent : 0),
                // A badge on a line of its own sits below its name's first line.
                dropped: items.filter(shown).filter(li => {{
                    const c = li.querySelector('.count');
                    if (!c) return false;
                    const name = li.querySelector('a').getClientRects()[0];
                    return c.getBoundingClientRect().top > name.bottom - 2;
                }}).map(li => li.querySelector('a').textContent),
                showAll: !!section.querySelector('details summary'),
            }})"
        ));
        let counts: Vec<u64> = m["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        assert_eq!(
            m["dropped"],
            serde_json::json!([]),
            "{article} {width}: {m}"
        );
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{article} {width}: {m}"
        );
        let total = m["total"].as_u64().unwrap();
        assert!(m["shown"].as_u64().unwrap() <= 8, "{width}: {m}");
        assert_eq!(m["showAll"], total > 8, "{m}");
        assert_eq!(
            m["dropped"],
            serde_json::json!([]),
            "{article} {width}: {m}"
        );
    }
}

#[test]
fn the_timeline_says_each_thing_once_and_shows_date_notes() {
    let (_site, server) = sample();
    let browser = Browser::start();
    browser.set_window_size(390, 900);
    browser.goto(&server.url("/timeline/"));
    let m = browser.eval(&format!(
        "{SHOWN}
        const text = document.body.innerText;
        const chart = document.querySelector('.chart');
        const hint = chart.querySelector('.chart-hint');
        ({{
            // A year-only group: its heading and its entries' dates.
            yearOnly: [...document.querySelectorAll('.tl-year')].flatMap(y =>
                [...y.querySelectorAll('.tl-month')].filter(h => !/[A-Z][a-z]+ [0-9]{{4}}/.test(h.textContent))
                    .map(h => [y.querySelector('h2').firstChild.textContent.trim(), h.textContent.trim(),
                               h.nextElementSibling.querySelector('.tl-date').innerText.trim()])),
            notes: [...document.querySelectorAll('.tl-entry time[title]')].length,
            noteShown: text.includes('The text says \\u201con Friday\\u201d, without a date.'),
            legend: [...document.querySelectorAll('.chart-legend text')].map(t => t.textContent),
            scrolls: chart.scrollWidth > chart.clientWidth,
            hint: !!hint && shown(hint),
            desc: document.querySelector('#chart-desc').textContent,
        }})"
    ));
    // \"2014\" heading, \"Month not known\", \"2014\": no third telling.
    for group in m["yearOnly"].as_array().unwrap() {
        assert_eq!(group[1], "Month not known", "{m}");
        assert!(!group[2].as_str().unwrap().contains("year only"), "{m}");
    }
    assert!(!m["yearOnly"].as_array().unwrap().is_empty(), "{m}");
    assert_eq!(m["notes"], 0, "date notes hidden in tooltips: {m}");
    assert_eq!(m["noteShown"], true, "{m}");
    assert!(
        m["legend"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "date known only to the year"),
        "{m}"
    );
    assert_eq!(m["scrolls"], true, "{m}");
    assert_eq!(m["hint"], true, "the chart scrolls without saying so: {m}");
    assert!(!m["desc"].as_str().unwrap().contains(" 1 events"), "{m}");
}

/// One page of each kind, and every index.
const PAGE_KINDS: [&str; 13] = [
    "/",
    "/briefing/",
    "/articles/",
    "/articles/2016-09-aleppo-violence-russia-us-deadlock/",
    "/articles/2018-04-17-russia-wants-us-out-of-syria/",
    "/timeline/",
    "/actors/",
    "/actors/russia/",
    "/actors/sergei-lavrov/",
    "/actors/carnegie-moscow-center/",
    "/sources/",
    "/sources/sputnik/",
    "/404.html",
];

#[test]
fn no_accessibility_violations_or_console_errors_in_light_or_dark() {
    let (_site, server) = sample();
    let browser = Browser::start();
    let mut found = Vec::new();
    for scheme in [Scheme::Light, Scheme::Dark] {
        browser.emulate_media(Media::Screen, scheme);
        for page in PAGE_KINDS {
            browser.clear_console();
            browser.goto(&server.url(page));
            for e in browser.console_errors() {
                found.push(format!("{page}: console: {e}"));
            }
            for v in browser.axe_violations() {
                found.push(format!("{page} ({scheme:?}): {v}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "axe-core and the console found:\n{}",
        found.join("\n")
    );
}

#[test]
fn pages_are_consistent_and_fit_a_narrow_phone() {
    let (_site, server) = sample();
    let browser = Browser::start();
    // One date format: full month names everywhere.
    for page in PAGE_KINDS {
        browser.goto(&server.url(page));
        let short = browser.eval(
            "[...document.querySelectorAll('main time, main .span')].map(t => t.innerText)
                .filter(t => /\\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\b/.test(t))",
        );
        assert_eq!(short, serde_json::json!([]), "abbreviated dates on {page}");
    }
    browser.goto(&server.url("/actors/russia/"));
    let also = browser.eval(
        "[...document.querySelectorAll('dl.facts dt')].find(d => d.textContent === 'Also called')
            .nextElementSibling.textContent.split(', ')",
    );
    assert!(
        !(also.as_array().unwrap().iter().any(|a| a == "Kremlin")
            && also.as_array().unwrap().iter().any(|a| a == "the Kremlin")),
        "{also}"
    );
    assert!(
        !browser
            .eval("document.body.innerText")
            .as_str()
            .unwrap()
            .contains("0 quotes"),
        "a country page counts no quotes"
    );
    // Roles on /actors/ are shown whole.
    browser.goto(&server.url("/actors/"));
    let cut = browser.eval(
        "[...document.querySelectorAll('.grid .role')]
            .filter(r => r.scrollWidth > r.clientWidth + 1 || r.scrollHeight > r.clientHeight + 1)
            .map(r => r.textContent)",
    );
    assert_eq!(cut, serde_json::json!([]), "roles cut off");
    // The home page's two columns start level.
    browser.goto(&server.url("/"));
    let tops = browser.eval(
        "['latest-h', 'actors-h'].map(id => document.getElementById(id).getBoundingClientRect().top)",
    );
    assert!(
        (tops[0].as_f64().unwrap() - tops[1].as_f64().unwrap()).abs() < 2.0,
        "headings out of line: {tops}"
    );
    // At 320 px every navigation item is on screen.
    browser.set_window_size(320, 800);
    for page in [
        "/",
        "/articles/2018-04-17-russia-wants-us-out-of-syria/",
        "/briefing/",
    ] {
        browser.goto(&server.url(page));
        let off = browser.eval(
            "[...document.querySelectorAll('.site-nav a')]
                .filter(a => a.getBoundingClientRect().right > innerWidth).map(a => a.textContent)",
        );
        assert_eq!(off, serde_json::json!([]), "{page}");
        let wide = browser.eval("document.documentElement.scrollWidth <= innerWidth");
        assert_eq!(wide, true, "{page} scrolls sideways at 320 px");
    }
}

/// Not a check: writes screenshots of every page kind of the sample (1280,
/// 390 and 320 px, light and dark, and printed to PDF) into
/// `$DOSSIER_SHOTS` (default `target/shots`) for a person to look at:
/// `cargo test --test browser -- --ignored look`.
#[test]
#[ignore = "writes screenshots for a person to look at"]
fn look() {
    let (site, server) = sample();
    let out = std::env::var_os("DOSSIER_SHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| common::repo().join("target/shots"));
    std::fs::create_dir_all(&out).unwrap();
    let pages: Vec<String> = std::env::var("DOSSIER_SHOT_PAGES")
        .map(|p| p.split(',').map(str::to_string).collect())
        .unwrap_or_else(|_| {
            [
                "/",
                "/articles/",
                "/timeline/",
                "/actors/",
                "/actors/russia/",
                "/sources/",
                "/sources/sputnik/",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain(
                std::fs::read_dir(site.root().join("output/articles"))
                    .unwrap()
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .take(1)
                    .map(|e| format!("/articles/{}/", e.file_name().to_string_lossy())),
            )
            .collect()
        });
    let browser = Browser::start();
    for page in &pages {
        let name = page.trim_matches('/').replace('/', "_");
        let name = if name.is_empty() { "home".into() } else { name };
        for (width, scheme) in [
            (1280, Scheme::Light),
            (390, Scheme::Light),
            (390, Scheme::Dark),
            (320, Scheme::Light),
            (1280, Scheme::Dark),
        ] {
            browser.set_window_size(width, 800);
            browser.emulate_media(Media::Screen, scheme);
            browser.goto(&server.url(page));
            browser.screenshot_top(
                &out.join(format!("{name}-{width}-{scheme:?}.png")),
                if width < 600 { 1600.0 } else { 1100.0 },
            );
        }
        browser.emulate_media(Media::Print, Scheme::Light);
        let pdf = out.join(format!("{name}-print.pdf"));
        std::fs::write(&pdf, browser.print_to_pdf()).unwrap();
    }
    eprintln!("screenshots in {}", out.display());
}
