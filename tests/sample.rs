//! The sample dossier: the five seed articles must be complete, attributed
//! and free of clipping noise.

mod common;

use std::fs;

use common::{TestSite, fold, repo, strip_links, visible_text};

/// Each seed, the article it became, and the seed lines that are clipping
/// noise (or moved into front matter) rather than article text.
const SEEDS: &[(&str, &str, &[&str])] = &[
    (
        "000_3848fc19d8af9796.txt",
        "2016-russia-west-syria-cooperation",
        &[
            "For a very different take read:",
            "Recommended: \"The rivalry between Moscow",
            "Photo: AP",
        ],
    ),
    (
        "001_3738d4a53225d4db.txt",
        "2018-04-17-russia-wants-us-out-of-syria",
        &[
            "What happens if Trump",
            "Harris vs. Trump",
            "April 17, 2018",
        ],
    ),
    (
        "002_5f306b4be6b3e14c.txt",
        "2015-10-us-says-no-to-russia-dialogue-on-syria",
        &["Tags: Russia"],
    ),
    (
        "003_ac69134685ffdbd2.txt",
        "2017-01-25-moscow-pivots-from-combatant-to-peacemaker",
        &["January 25, 2017", "Original url:", "<https://"],
    ),
    (
        "004_bac24e9c7e26cc71.txt",
        "2016-09-aleppo-violence-russia-us-deadlock",
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

/// Clipping noise that must appear on no page of the site.
const NOISE: &[&str] = &[
    "Subscribe",
    "log in or register",
    "Заголовок",
    "What happens if Trump tries",
    "Harris vs. Trump",
    "For a very different take",
    "Recommended:",
    "Go to the mediabank",
    "Original url",
    "- Sputnik International",
    "Newsfeed",
    "Tags: Russia",
];

fn seed_text(name: &str) -> String {
    let path = repo().join("../shared/seeds").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the seed articles are expected beside the repository at {}: {e}",
            path.display()
        )
    })
}

/// Markdown-ish seed lines: `# Title`, `By [Name](#)`, `**Credit**`.
fn clean_seed_line(line: &str) -> String {
    let line = line.trim().trim_start_matches("# ");
    let out = strip_links(line);
    fold(&out.replace("**", ""))
}

#[test]
fn every_sentence_of_every_seed_is_on_its_article_page() {
    let site = TestSite::sample();
    site.build_ok();
    for (seed, slug, noise) in SEEDS {
        let page = visible_text(&site.output(&format!("articles/{slug}/index.html")));
        for line in seed_text(seed).lines() {
            let wanted = clean_seed_line(line);
            let is_noise = noise
                .iter()
                .map(|n| fold(n))
                .any(|n| wanted.starts_with(&n) || (n.len() > 12 && wanted.contains(&n)));
            if wanted.is_empty() || is_noise {
                continue;
            }
            assert!(
                page.contains(&wanted),
                "{seed}: this line of the seed is missing from articles/{slug}/:\n  {wanted}"
            );
        }
    }
}

#[test]
fn no_clipping_noise_reaches_any_page() {
    let site = TestSite::sample();
    site.build_ok();
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let text = visible_text(&site.output(file));
        for noise in NOISE {
            assert!(
                !text.contains(noise),
                "{file} contains clipping noise `{noise}`"
            );
        }
    }
}

#[test]
fn every_article_has_complete_attribution() {
    let site = TestSite::sample();
    site.build_ok();
    for (_, slug, _) in SEEDS {
        let html = site.output(&format!("articles/{slug}/index.html"));
        let attribution = &html[html
            .find("class=\"attribution\"")
            .expect("attribution block")..];
        let attribution = &attribution[..attribution.find("</section>").unwrap()];
        for label in ["Publication", "Author", "Published", "Original"] {
            assert!(
                attribution.contains(&format!("<dt>{label}</dt>")),
                "{slug}: no {label}"
            );
        }
        assert!(
            attribution.contains("href=\"/sources/"),
            "{slug}: publication not linked"
        );
    }
    // Honest gaps: no invented authors, dates or URLs.
    let unknown = site.output("articles/2016-russia-west-syria-cooperation/index.html");
    assert!(unknown.contains("Not given in the original"));
    assert!(unknown.contains("Original URL not given"));
    assert!(unknown.contains("<time datetime=\"2016\" class=\"inexact\""));
    assert!(
        unknown.contains("upcoming presidency"),
        "the date note explains the inference"
    );
    let known =
        site.output("articles/2017-01-25-moscow-pivots-from-combatant-to-peacemaker/index.html");
    assert!(known.contains("By <span class=\"author\">Vladimir Frolov</span>"));
    assert!(known.contains("href=\"https://www.themoscowtimes.com/2017/01/25/moscow-pivots-from-combatant-to-peacemaker-in-syria-a56922\""));
    assert!(known.contains("<time datetime=\"2017-01-25\">25 January 2017</time>"));
    // State media is labelled where the reader sees the article.
    let sputnik = site.output("articles/2016-09-aleppo-violence-russia-us-deadlock/index.html");
    assert!(
        sputnik.contains("badge-state"),
        "state-owned label on the article"
    );
}

#[test]
fn photo_captions_become_figures_with_credits() {
    let site = TestSite::sample();
    site.build_ok();
    let html = site.output("articles/2018-04-17-russia-wants-us-out-of-syria/index.html");
    assert_eq!(
        html.matches("<figure class=\"figure figure-missing\">")
            .count(),
        3
    );
    assert!(html.contains("<span class=\"credit\">Hassan Ammar/AP</span>"));
    assert!(html.contains("<span class=\"credit\">Mukhtar Kholdorbekov/Reuters</span>"));
}

#[test]
fn sub_headings_become_headings() {
    let site = TestSite::sample();
    site.build_ok();
    let html = site.output("articles/2018-04-17-russia-wants-us-out-of-syria/index.html");
    for heading in [
        "Avoiding a military conflict",
        "The (non-)threat of sanctions",
        "A diplomatic role for Washington",
    ] {
        assert!(
            html.contains(&format!(">{heading} <a class=\"anchor\"")),
            "{heading}"
        );
    }
}

#[test]
fn the_sample_dossier_checks_clean() {
    let findings = dossier::check::check(&repo(), false).unwrap();
    let text: Vec<String> = findings.iter().map(|d| d.render(false)).collect();
    // The sample is not published anywhere: its `base_url` is `/`, and
    // check says what that costs (no valid feed or sitemap). Nothing else.
    let codes: Vec<&str> = findings.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["relative-base-url"], "{}", text.join("\n"));
}

/// Positions of the slugs' links in a page, in page order.
fn order_of(html: &str, slugs: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = slugs
        .iter()
        .map(|s| {
            let at = html
                .find(&format!("/articles/{s}/\""))
                .unwrap_or_else(|| panic!("{s} not linked"));
            (at, s.to_string())
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn an_inexact_date_sorts_at_the_end_of_its_period() {
    // The Russia Direct piece is dated `2016` ("late 2016" says its note):
    // it comes after the September 2016 article everywhere.
    let site = TestSite::sample();
    site.build_ok();
    let (year, september) = (
        "2016-russia-west-syria-cooperation",
        "2016-09-aleppo-violence-russia-us-deadlock",
    );
    let newest_first = [year.to_string(), september.to_string()];
    for page in ["index.html", "articles/index.html"] {
        assert_eq!(
            order_of(&site.output(page), &[year, september]),
            newest_first,
            "{page}"
        );
    }
    // On the timeline, by the articles' own entries (events link to their
    // article earlier).
    let timeline = site.output("timeline/index.html");
    let entry = |slug: &str| timeline.find(&format!("id=\"a-{slug}\"")).unwrap();
    assert!(entry(september) < entry(year), "timeline");
    let page = site.output(&format!("articles/{year}/index.html"));
    let pager = &page[page.find("class=\"pager\"").unwrap()..];
    assert!(
        pager.contains(&format!("/articles/{september}/\" rel=\"prev\"")),
        "{pager}"
    );
    assert!(
        pager.contains(
            "/articles/2017-01-25-moscow-pivots-from-combatant-to-peacemaker/\" rel=\"next\""
        ),
        "{pager}"
    );
}

#[test]
fn state_media_are_labelled_wherever_their_articles_are_named() {
    let site = TestSite::sample();
    site.build_ok();
    // /articles/: the ownership, not a plain "state media" for both kinds.
    let list = site.output("articles/index.html");
    let row = |slug: &str| {
        let at = list.find(&format!("/articles/{slug}/\"")).unwrap();
        list[at..at + list[at..].find("</li>").unwrap()].to_string()
    };
    assert!(row("2016-09-aleppo-violence-russia-us-deadlock").contains("State-owned media"));
    assert!(row("2016-russia-west-syria-cooperation").contains("State-funded media"));
    assert!(!row("2017-01-25-moscow-pivots-from-combatant-to-peacemaker").contains("badge-state"));
    // Quotes on actor pages name their publication with its label.
    let churkin = site.output("actors/vitaly-churkin/index.html");
    let quotes = &churkin[churkin.find("id=\"quotes-h\"").expect("Churkin is quoted")..];
    let sputnik = quotes
        .find("(Sputnik International")
        .expect("a Sputnik quote");
    assert!(
        quotes[sputnik..sputnik + 200].contains("State-owned media"),
        "{}",
        &quotes[sputnik..sputnik + 200]
    );
    // Timeline events name the publication that reported them.
    let timeline = site.output("timeline/index.html");
    let event = &timeline[timeline.find("id=\"e-").unwrap()..];
    let event = &event[..event.find("</li>").unwrap()];
    assert!(event.contains("reported in"), "{event}");
    let sputnik_event = timeline
        .match_indices(
            "reported in <a href=\"/articles/2016-09-aleppo-violence-russia-us-deadlock/\"",
        )
        .next()
        .map(|(at, _)| &timeline[at..at + 400])
        .expect("an event from the Sputnik piece");
    assert!(
        sputnik_event.contains(
            "(Sputnik International) <span class=\"badge badge-state\">State-owned media</span>"
        ),
        "{sputnik_event}"
    );
}
