//! The Atom feed and the sitemap against the rules their validators apply
//! (RFC 4287 as the W3C feed validator checks it; the sitemaps.org
//! protocol), and against the dossier's own rule: a feed entry states only
//! what the article says (no invented author, no invented day).
//!
//! The W3C validator is a web service, not something a test can run, so
//! the rules it reported on this feed are checked here on the parsed XML.

mod common;

use common::TestSite;
use roxmltree::{Document, Node};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The sample dossier published at an absolute URL.
fn published_sample() -> TestSite {
    let site = TestSite::sample();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace(
            "base_url: \"/\"",
            "base_url: \"https://example.org/dossier/\"",
        ),
    );
    site
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == Some(ATOM))
        .filter(|c| c.tag_name().name() == name)
        .collect()
}

fn text<'a>(node: Node<'a, '_>) -> &'a str {
    node.text().unwrap_or("").trim()
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn is_rfc3339(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok() && s.contains('T')
}

/// What the W3C feed validator would report as an error or a warning for
/// the parts of RFC 4287 a generated feed can get wrong.
fn atom_problems(xml: &str) -> Vec<String> {
    let doc = Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    let mut problems = Vec::new();
    if feed.tag_name().name() != "feed" || feed.tag_name().namespace() != Some(ATOM) {
        return vec!["the root is not an Atom feed".into()];
    }
    let one = |node: Node, name: &str, problems: &mut Vec<String>| -> Option<String> {
        let found = children(node, name);
        if found.len() != 1 {
            problems.push(format!(
                "{} has {} <{name}> (exactly one required)",
                node.tag_name().name(),
                found.len()
            ));
        }
        found.first().map(|n| text(*n).to_string())
    };
    let id = one(feed, "id", &mut problems).unwrap_or_default();
    if !is_absolute(&id) {
        problems.push(format!("feed <id> {id:?} is not an absolute IRI"));
    }
    one(feed, "title", &mut problems);
    let updated = one(feed, "updated", &mut problems).unwrap_or_default();
    if !is_rfc3339(&updated) {
        problems.push(format!(
            "feed <updated> {updated:?} is not an RFC 3339 date-time"
        ));
    }
    let links = children(feed, "link");
    match links.iter().find(|l| l.attribute("rel") == Some("self")) {
        Some(l) => {
            let href = l.attribute("href").unwrap_or("");
            if !is_absolute(href) {
                problems.push(format!("self link {href:?} is not absolute"));
            }
        }
        None => problems.push("no self link (the validator warns)".into()),
    }
    let feed_author = children(feed, "author")
        .iter()
        .any(|a| children(*a, "name").iter().any(|n| !text(*n).is_empty()));
    let mut ids = std::collections::HashSet::new();
    for entry in children(feed, "entry") {
        let id = one(entry, "id", &mut problems).unwrap_or_default();
        if !is_absolute(&id) {
            problems.push(format!("entry <id> {id:?} is not an absolute IRI"));
        }
        if !ids.insert(id.clone()) {
            problems.push(format!("entry id {id} is used twice"));
        }
        one(entry, "title", &mut problems);
        let updated = one(entry, "updated", &mut problems).unwrap_or_default();
        if !is_rfc3339(&updated) {
            problems.push(format!("{id}: <updated> {updated:?} is not RFC 3339"));
        }
        for published in children(entry, "published") {
            if !is_rfc3339(text(published)) {
                problems.push(format!("{id}: <published> is not RFC 3339"));
            }
        }
        let alternate = children(entry, "link")
            .into_iter()
            .find(|l| l.attribute("rel").unwrap_or("alternate") == "alternate");
        match alternate.and_then(|l| l.attribute("href")) {
            Some(href) if is_absolute(href) => {}
            other => problems.push(format!("{id}: alternate link {other:?} is not absolute")),
        }
        let authors = children(entry, "author");
        if !feed_author && authors.is_empty() {
            problems.push(format!("{id}: no author and the feed has none"));
        }
        for author in authors {
            if children(author, "name").iter().all(|n| text(*n).is_empty()) {
                problems.push(format!("{id}: <author> without a name"));
            }
        }
        for source in children(entry, "source") {
            for needed in ["id", "title", "updated"] {
                if children(source, needed).is_empty() {
                    problems.push(format!(
                        "{id}: <source> lacks <{needed}> (the validator warns)"
                    ));
                }
            }
        }
    }
    problems
}

/// Problems with a sitemap under the sitemaps.org protocol.
fn sitemap_problems(xml: &str, base: &str) -> Vec<String> {
    let doc = Document::parse(xml).expect("the sitemap is well-formed XML");
    let root = doc.root_element();
    let mut problems = Vec::new();
    if root.tag_name().name() != "urlset" || root.tag_name().namespace() != Some(SITEMAP) {
        problems.push("the root is not a sitemaps.org <urlset>".into());
    }
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(text)
        .collect();
    if locs.is_empty() {
        problems.push("no <loc>".into());
    }
    for loc in locs {
        if !is_absolute(loc) {
            problems.push(format!("<loc>{loc}</loc> is not an absolute URL"));
        } else if !loc.starts_with(base) {
            problems.push(format!("<loc>{loc}</loc> is outside {base}"));
        }
    }
    problems
}

#[test]
fn with_an_absolute_base_url_the_feed_and_sitemap_are_valid() {
    let site = published_sample();
    let report = site.build_ok();
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.code == "relative-base-url"),
        "{:?}",
        report.warnings
    );
    assert_eq!(
        atom_problems(&site.output("feed.xml")),
        Vec::<String>::new()
    );
    assert_eq!(
        sitemap_problems(&site.output("sitemap.xml"), "https://example.org/dossier/"),
        Vec::<String>::new()
    );
}

#[test]
fn with_a_relative_base_url_build_and_check_say_the_feed_cannot_be_valid() {
    let site = TestSite::sample();
    // The checks above do catch the relative URLs of today's default.
    site.build_ok();
    assert!(!atom_problems(&site.output("feed.xml")).is_empty());
    assert!(!sitemap_problems(&site.output("sitemap.xml"), "").is_empty());

    let report = site.build_ok();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.code == "relative-base-url")
        .unwrap_or_else(|| panic!("no warning: {:?}", report.warnings));
    assert_eq!(warning.path, "site.yaml");
    assert!(warning.message.contains("feed.xml") && warning.message.contains("sitemap.xml"));
    assert!(
        warning
            .help
            .as_deref()
            .unwrap_or("")
            .contains("base_url: https://")
    );

    let findings = dossier::check::check(site.root(), false).unwrap();
    assert!(
        findings
            .sorted()
            .iter()
            .any(|d| d.code == "relative-base-url"),
        "check does not report it"
    );
}

#[test]
fn feed_entries_state_only_what_the_articles_say() {
    let site = published_sample();
    site.build_ok();
    let xml = site.output("feed.xml");
    let doc = Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    // The feed's author is whoever compiled the dossier (the site title
    // when site.yaml names nobody).
    let feed_author: Vec<&str> = children(feed, "author")
        .iter()
        .flat_map(|a| children(*a, "name"))
        .map(text)
        .collect();
    assert_eq!(feed_author, ["Russia, the US and the Syrian war"]);
    for entry in children(feed, "entry") {
        let id = text(children(entry, "id")[0]);
        let authors: Vec<&str> = children(entry, "author")
            .iter()
            .flat_map(|a| children(*a, "name"))
            .map(text)
            .collect();
        // Only the Frolov piece has a byline.
        if id.contains("moscow-pivots") {
            assert_eq!(authors, ["Vladimir Frolov"], "{id}");
        } else {
            assert_eq!(authors, Vec::<&str>::new(), "{id}: invented author");
        }
        let dc_date: Vec<&str> = entry
            .children()
            .filter(|c| c.tag_name().namespace() == Some(DC) && c.tag_name().name() == "date")
            .map(text)
            .collect();
        let published = children(entry, "published");
        let summary = children(entry, "summary")
            .first()
            .map(|s| text(*s).to_string())
            .unwrap_or_default();
        if id.ends_with("/2016-russia-west-syria-cooperation/") {
            assert_eq!(dc_date, ["2016"], "the year, at its precision");
            assert!(published.is_empty(), "{id}: a year-only date claims a day");
            assert!(summary.contains("year only"), "{id}: {summary}");
        } else if id.ends_with("/2016-09-aleppo-violence-russia-us-deadlock/") {
            assert_eq!(dc_date, ["2016-09"]);
            assert!(published.is_empty(), "{id}: a month-only date claims a day");
            assert!(summary.contains("month only"), "{id}: {summary}");
        }
        assert_eq!(dc_date.len(), 1, "{id}");
        if dc_date[0].len() == 10 {
            assert_eq!(text(published[0]), format!("{}T00:00:00Z", dc_date[0]));
        } else {
            assert!(published.is_empty(), "{id}: an inexact date claims a day");
            assert!(
                summary.contains("only: the exact date is not known"),
                "{summary}"
            );
        }
        assert!(
            !xml.contains("2016-01-01T00:00:00Z"),
            "an invented 1 January"
        );
    }
}

/// The `content` of `<meta name|property="key">` in a page.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    ["name", "property"].iter().find_map(|attr| {
        let start = html.find(&format!("<meta {attr}=\"{key}\" content=\""))?;
        let rest = &html[start..];
        let rest = &rest[rest.find("content=\"").unwrap() + 9..];
        Some(&rest[..rest.find('"').unwrap()])
    })
}

#[test]
fn shared_links_preview_the_page_itself() {
    let site = published_sample();
    site.build_ok();
    let article = site.output("articles/2016-09-aleppo-violence-russia-us-deadlock/index.html");
    let url = "https://example.org/dossier/articles/2016-09-aleppo-violence-russia-us-deadlock/";
    let summary = "After a UN Security Council meeting at which Western diplomats";
    for key in ["description", "og:description", "twitter:description"] {
        assert!(
            meta(&article, key).is_some_and(|d| d.starts_with(summary)),
            "{key}: {:?}",
            meta(&article, key)
        );
    }
    assert_eq!(meta(&article, "og:type"), Some("article"));
    assert_eq!(meta(&article, "og:url"), Some(url));
    assert!(article.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert_eq!(
        meta(&article, "og:site_name"),
        Some("Russia, the US and the Syrian war")
    );
    assert_eq!(
        meta(&article, "og:title"),
        Some("Aleppo Violence Shows Russia, US at a &#39;Deadlock&#39; Over Syria")
    );
    assert_eq!(meta(&article, "twitter:card"), Some("summary"));

    let home = site.output("index.html");
    assert_eq!(meta(&home, "og:type"), Some("website"));
    assert_eq!(meta(&home, "og:url"), Some("https://example.org/dossier/"));
    assert!(meta(&home, "description").is_some_and(|d| d.starts_with("Reporting and opinion")));
    // Every page names an icon that exists (browsers ask for
    // /favicon.ico otherwise, and log a 404).
    assert!(home.contains("<link rel=\"icon\" href=\"/dossier/assets/favicon.svg\""));
    assert!(site.has_output("assets/favicon.svg"));

    // Without a host, no Open Graph URL (it must be absolute).
    let local = TestSite::sample();
    local.build_ok();
    assert_eq!(meta(&local.output("index.html"), "og:url"), None);
}
