//! `dossier build` end to end: pages, escaping, errors and the output folder.

mod common;

use std::fs;

use common::{TestSite, visible_text};
use dossier::Error;
use dossier::pipeline::{BuildOptions, build};

const SOURCE: &str = "---\nname: Example Wire\nkind: news agency\nownership: state-owned\ncountry: Nowhere\n---\nA wire service.\n";
const ACTOR: &str =
    "---\nname: Jane Roe\nkind: person\naliases: [Roe]\nrole: Minister\n---\nA minister.\n";

fn article(title: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nsource: Example Wire\nactors: [Jane Roe]\n---\n{body}"
    )
}

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/sources/example-wire.md", SOURCE)
        .write("content/actors/jane-roe.md", ACTOR)
        .write(
            "content/articles/first.md",
            &article(
                "First",
                "2020-01-02",
                "Jane Roe spoke. See [the second](second.md#details).\n",
            ),
        )
        .write(
            "content/articles/second.md",
            &article("Second", "2020-02", "## Details\n\nRoe again.\n"),
        );
    site
}

#[test]
fn builds_every_page_with_clean_urls() {
    let site = small_site();
    let report = site.build_ok();
    for page in [
        "index.html",
        "articles/index.html",
        "articles/first/index.html",
        "articles/second/index.html",
        "actors/index.html",
        "actors/jane-roe/index.html",
        "sources/index.html",
        "sources/example-wire/index.html",
        "timeline/index.html",
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "assets/style.css",
        "assets/highlight.css",
    ] {
        assert!(site.has_output(page), "missing {page}");
    }
    assert_eq!(report.pages, 12);
    let first = site.output("articles/first/index.html");
    assert!(first.contains("<a class=\"mention\" href=\"/actors/jane-roe/\">Jane Roe</a>"));
    assert!(first.contains("href=\"/articles/second/#details\""));
    let second = site.output("articles/second/index.html");
    assert!(second.contains("Linked from"), "backlink from first");
    assert!(second.contains("<time datetime=\"2020-02\" class=\"inexact\""));
}

#[test]
fn home_lists_articles_newest_first_and_feed_is_atom() {
    let site = small_site();
    site.build_ok();
    let home = visible_text(&site.output("index.html"));
    let (second, first) = (home.find("Second").unwrap(), home.find("First").unwrap());
    assert!(second < first, "newest first");
    let feed = site.output("feed.xml");
    assert!(feed.starts_with("<?xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert!(
        site.output("sitemap.xml")
            .contains("<loc>https://example.org/articles/first/</loc>")
    );
}

#[test]
fn front_matter_values_are_always_escaped() {
    let site = TestSite::new();
    site.write("content/sources/x.md", "---\nname: \"<b>Wire</b>\"\nkind: newspaper\n---\n")
        .write("content/actors/x.md", "---\nname: \"Evil <img src=x onerror=alert(1)>\"\nkind: person\n---\n")
        .write(
            "content/articles/a.md",
            "---\ntitle: \"<script>alert('t')</script>\"\ndate: 2020\nsource: \"<b>Wire</b>\"\nauthor: \"<i onmouseover=alert(1)>me</i>\"\nsummary: \"{{ site.title }} {% if true %}x{% endif %}\"\nactors: [\"Evil <img src=x onerror=alert(1)>\"]\n---\nBody.\n",
        );
    site.build_ok();
    for file in site
        .output_files()
        .iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".xml"))
    {
        let html = site.output(file);
        assert!(!html.contains("<script>alert"), "{file}");
        assert!(!html.contains("<img src=x"), "{file}");
        assert!(!html.contains("<i onmouseover"), "{file}");
        assert!(!html.contains("<b>Wire"), "{file}");
    }
    let page = site.output("articles/a/index.html");
    assert!(
        page.contains("&lt;script&gt;alert"),
        "the title is shown as text"
    );
    assert!(
        page.contains("{{ site.title }} {% if true %}x{% endif %}"),
        "template syntax in content is text"
    );
}

#[test]
fn errors_name_file_line_and_column_and_are_all_reported() {
    let site = small_site();
    site.write(
        "content/articles/bad-yaml.md",
        "---\ntitle: A\ndate: 2020\nsource: Example Wire\nactors: [a, b\n---\n",
    )
    .write(
        "content/articles/bad-date.md",
        "---\ntitle: B\ndate: 2020-02-30\nsource: Example Wire\n---\n",
    )
    .write(
        "content/articles/missing.md",
        "---\ndate: 2020\nsource: Example Wire\n---\n",
    )
    .write(
        "content/articles/typo.md",
        "---\ntitle: C\ndate: 2020\nsoruce: Example Wire\n---\n",
    )
    .write(
        "content/articles/link.md",
        "---\ntitle: D\ndate: 2020\nsource: Example Wire\n---\nSee [x](nowhere.md).\n",
    );
    let errors = site.build_err();
    let positions: Vec<String> = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.position(), d.code))
        .collect();
    assert_eq!(
        positions,
        [
            "content/articles/bad-date.md:3:7 bad-date",
            "content/articles/bad-yaml.md:5:9 yaml",
            "content/articles/link.md:6:5 broken-link",
            "content/articles/missing.md:1:1 missing-field",
            "content/articles/typo.md:4:1 unknown-key",
        ]
    );
    let typo = errors.iter().find(|d| d.path.ends_with("typo.md")).unwrap();
    assert!(
        typo.help
            .as_deref()
            .unwrap()
            .contains("did you mean `source`?")
    );
    let rendered = typo.render(false);
    assert!(
        rendered.contains("soruce: Example Wire"),
        "shows the offending line:\n{rendered}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = small_site();
    site.build_ok();
    let before = site.output_snapshot();
    site.write(
        "content/articles/first.md",
        &article("First, edited", "2020-13-01", "Changed.\n"),
    );
    site.build_err();
    assert_eq!(site.output_snapshot(), before);
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    let site = small_site();
    let first = site.build_ok();
    assert_eq!(first.stats.unchanged, 0);
    let again = site.build_ok();
    assert_eq!(again.stats.written, 0, "nothing changed");
    assert_eq!(again.stats.unchanged, first.stats.written);
    site.write(
        "content/articles/second.md",
        &article("Second", "2020-02", "## Details\n\nRoe again, edited.\n"),
    );
    let edited = site.build_ok();
    assert_eq!(
        edited.stats.written, 3,
        "the article, the actor page quoting its first mention, and the briefing holding every article"
    );
    assert!(
        site.output("articles/second/index.html")
            .contains("again, edited.")
    );
    assert!(
        site.output("actors/jane-roe/index.html")
            .contains("again, edited.")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = small_site();
    site.write(
        "content/articles/wip.md",
        "---\ntitle: WIP\ndate: 2020\nsource: Example Wire\ndraft: true\n---\n",
    );
    site.build_ok();
    assert!(!site.has_output("articles/wip/index.html"));
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        drafts: true,
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(
        site.output("articles/wip/index.html")
            .contains("badge-draft")
    );
}

#[test]
fn output_and_base_url_can_be_overridden() {
    let site = small_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("public");
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(out.clone()),
        base_url: Some("https://example.org/dossier".into()),
        ..BuildOptions::default()
    })
    .unwrap();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"/dossier/timeline/\""),
        "links carry the base path"
    );
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("https://example.org/dossier/articles/first/"));
    assert!(
        !site.has_output("index.html"),
        "nothing written to the default output"
    );
}

#[test]
fn refuses_to_build_into_the_project_or_a_foreign_folder() {
    let site = small_site();
    site.write("notes/thesis.txt", "precious");
    for output in [".", "content", "notes", "/"] {
        let err = build(&BuildOptions {
            root: site.root().to_path_buf(),
            output: Some(output.into()),
            ..BuildOptions::default()
        })
        .unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{output}: {err}");
    }
    assert_eq!(
        fs::read_to_string(site.root().join("notes/thesis.txt")).unwrap(),
        "precious"
    );
    assert!(site.root().join("content/articles/first.md").is_file());
}

#[test]
fn unknown_site_yaml_keys_are_errors_with_a_suggestion() {
    let site = small_site();
    site.write("site.yaml", "title: T\nbase_ulr: https://x.org/\n");
    let errors = site.build_err();
    assert_eq!(errors[0].position(), "site.yaml:2:1");
    assert!(
        errors[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `base_url`?")
    );
}

#[test]
fn a_user_theme_overrides_single_templates() {
    let site = small_site();
    site.write(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom lost page for {{ site.title }}</p>{% endblock main %}",
    )
    .write("site.yaml", "title: T\ntheme: mine\n");
    site.build_ok();
    assert!(site.output("404.html").contains("Custom lost page for T"));
    assert!(
        site.output("index.html").contains("class=\"hero\""),
        "other templates are built in"
    );
}

/// Every page kind, with the navigation entry its header marks as the
/// current page (`None`: no entry is).
const PAGES_AND_NAV: [(&str, Option<&str>); 11] = [
    ("index.html", Some("Overview")),
    ("articles/index.html", Some("Articles")),
    ("articles/first/index.html", Some("Articles")),
    ("actors/index.html", Some("Actors")),
    ("actors/jane-roe/index.html", Some("Actors")),
    ("sources/index.html", Some("Sources")),
    ("sources/example-wire/index.html", Some("Sources")),
    ("timeline/index.html", Some("Timeline")),
    ("briefing/index.html", Some("Briefing")),
    ("404.html", None),
    ("articles/second/index.html", Some("Articles")),
];

/// The header and footer are rendered once per build (the header once per
/// section), not once per page: each page still gets its own section's
/// header, with the right entry marked as the current page.
#[test]
fn every_page_gets_its_own_sections_header_and_the_footer() {
    let site = small_site();
    site.build_ok();
    for (page, current) in PAGES_AND_NAV {
        let html = site.output(page);
        assert_eq!(
            html.matches("<header class=\"site-header\">").count(),
            1,
            "{page}"
        );
        let marked: Vec<&str> = html
            .split("aria-current=\"page\">")
            .skip(1)
            .map(|after| &after[..after.find('<').unwrap()])
            .collect();
        assert_eq!(marked, current.into_iter().collect::<Vec<_>>(), "{page}");
        assert!(
            html.contains("2 articles · 1 actor · 1 source · 0 events"),
            "{page}: the footer"
        );
    }
}

/// A theme can replace the header or the footer alone, as any template:
/// they see `site` and `section`.
#[test]
fn a_theme_can_replace_the_header_and_the_footer_alone() {
    let site = small_site();
    site.write(
        "themes/mine/templates/header.html",
        "<header class=\"mine\">{{ site.title }}: {{ section }}</header>\n",
    )
    .write(
        "themes/mine/templates/footer.html",
        "<footer class=\"mine\">{{ site.counts.articles }} articles</footer>\n",
    )
    .write("site.yaml", "title: T\ntheme: mine\n");
    site.build_ok();
    for (page, section) in [
        ("index.html", "home"),
        ("articles/first/index.html", "article"),
        ("actors/jane-roe/index.html", "actor"),
        ("timeline/index.html", "timeline"),
        ("briefing/index.html", "briefing"),
        ("404.html", "not-found"),
    ] {
        let html = site.output(page);
        assert!(
            html.contains(&format!(
                "<header class=\"mine\">T: {section}</header>\n<main"
            )),
            "{page}"
        );
        assert!(
            html.contains("<footer class=\"mine\">2 articles</footer>\n</body>"),
            "{page}"
        );
        assert!(!html.contains("site-header"), "{page}");
    }
}

/// A header that fails while rendering is located in the theme's file,
/// and reported together with a failing page template, not instead of it.
#[test]
fn a_failing_header_is_reported_with_the_pages_failures() {
    let site = small_site();
    site.write(
        "themes/mine/templates/header.html",
        "<header>{{ range(end=10000000) }}</header>\n",
    )
    .write(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{ range(end=10000000) }}{% endblock main %}",
    )
    .write("site.yaml", "title: T\ntheme: mine\n");
    let places: Vec<String> = site.build_err().iter().map(|d| d.position()).collect();
    assert!(
        places
            .iter()
            .any(|p| p.starts_with("themes/mine/templates/header.html")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|p| p.starts_with("themes/mine/templates/404.html")),
        "{places:?}"
    );
    assert!(!site.has_output("index.html"), "nothing is published");
}

/// The built-in theme lists an article's actors through the
/// `actor_mention(m)` component of its `components.html`, rendered once per
/// actor and count. Themes from before it keep building the same list: an
/// `article.html` of their own that lists `a.actor` and `a.mentions`
/// itself, or a `components.html` of their own without the component (or
/// with another component of that name). A theme can restyle the list by
/// defining the component in its `components.html`.
#[test]
fn themes_with_and_without_the_actor_mention_component_list_actors() {
    let site = small_site();
    site.build_ok();
    let page = "articles/first/index.html";
    let item = "<li><a href=\"/actors/jane-roe/\">Jane Roe</a> <span class=\"count\" title=\"mentions in the text\">1</span>";
    assert!(site.output(page).contains(item));
    site.write("site.yaml", "title: T\ntheme: mine\n");

    let built_in = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/components.html"),
    )
    .unwrap();
    let start = built_in.find("{% component actor_mention(m) %}").unwrap();
    let end = built_in.find("{% endcomponent actor_mention %}").unwrap()
        + "{% endcomponent actor_mention %}".len();
    let without = format!("{}{}", &built_in[..start], &built_in[end..]);
    let components = "themes/mine/templates/components.html";
    for (case, text) in [
        ("without the component", without.clone()),
        (
            "another component of that name",
            format!(
                "{without}{{% component actor_mention(who) %}}{{{{ who }}}}{{% endcomponent actor_mention %}}"
            ),
        ),
    ] {
        site.write(components, &text);
        site.build_ok();
        assert!(site.output(page).contains(item), "{case}");
    }

    site.write(
        components,
        &format!("{without}{{% component actor_mention(m) %}}<li class=\"mine\">{{{{ m.actor.name }}}} ({{{{ m.mentions }}}})</li>{{% endcomponent actor_mention %}}"),
    );
    site.build_ok();
    assert!(
        site.output(page)
            .contains("<li class=\"mine\">Jane Roe (1)</li>")
    );

    fs::remove_file(site.root().join(components)).unwrap();
    site.write(
        "themes/mine/templates/article.html",
        "{% extends \"base.html\" %}{% block main %}<ul>{% for a in page.actors %}<li><a href=\"{{ a.actor.url }}\">{{ a.actor.name }}</a> <span class=\"count\" title=\"mentions in the text\">{{ a.mentions }}</span>{% endfor %}</ul>{% endblock main %}",
    );
    site.build_ok();
    assert!(site.output(page).contains(item));
}

/// An `actor_mention` component that fails is a content error located in
/// the theme's file, as for the other components.
#[test]
fn a_failing_actor_mention_component_is_a_located_error() {
    let site = small_site();
    site.write(
        "themes/mine/templates/components.html",
        &fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates/components.html"),
        )
        .unwrap()
        .replace(
            "{% component actor_mention(m) %}",
            "{% component actor_mention(m) %}{{ range(end=10000000) }}",
        ),
    )
    .write("site.yaml", "title: T\ntheme: mine\n");
    let err = build(&BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap_err();
    let Error::Content(findings) = err else {
        panic!("expected a content error, got {err:?}");
    };
    let shown = format!("{:?}", findings.sorted());
    assert!(shown.contains("components.html"), "{shown}");
}

#[test]
fn init_creates_a_dossier_that_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new");
    dossier::scaffold::init(&root, "My dossier").unwrap();
    // Its only finding: it does not say yet where it will be published,
    // so its feed and sitemap cannot be valid.
    let findings = dossier::check::check(&root, false).unwrap().sorted();
    let codes: Vec<&str> = findings.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["relative-base-url"], "{findings:?}");
    let report = build(&BuildOptions {
        root: root.clone(),
        base_url: Some("https://example.org/new/".into()),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = fs::read_to_string(root.join("output/articles/example-article/index.html")).unwrap();
    assert!(page.contains(
        "<a class=\"mention\" href=\"/new/actors/example-ministry/\">Example Ministry</a>"
    ));
    // Everything the build made at the top of the dossier (the site, its
    // cache, its lock) is in the `.gitignore` init wrote: `git status`
    // after a build shows only the user's own files.
    let ignored = fs::read_to_string(root.join(".gitignore")).unwrap();
    for entry in fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if ["site.yaml", "content", "themes", ".gitignore"].contains(&name.as_str()) {
            continue;
        }
        assert!(
            ignored.lines().any(|line| line.trim_matches('/') == name),
            "`{name}` is not in .gitignore:\n{ignored}"
        );
    }
}

#[test]
fn unknown_actors_get_pages_only_when_auto_create_is_on() {
    let site = small_site();
    site.write(
        "content/articles/third.md",
        "---\ntitle: Third\ndate: 2020-03\nsource: Example Wire\nactors: [Jane Roe, John Doe]\n---\nText.\n",
    );
    let report = site.build_ok();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == "unknown-actor" && w.message.contains("John Doe"))
    );
    assert!(
        !site.has_output("actors/john-doe/index.html"),
        "not silently invented"
    );
    site.write(
        "site.yaml",
        "title: Test dossier\nbase_url: https://example.org/\nactors:\n  auto_create: true\n",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = site.output("actors/john-doe/index.html");
    assert!(
        page.contains("created from article front matter"),
        "says it has no profile"
    );
    assert!(page.contains("href=\"/articles/third/\""));
}

#[test]
fn unregistered_names_whose_long_slugs_collide_each_get_a_page() {
    let long = "Ministry of Foreign Affairs of the Russian Federation press service ".repeat(3);
    let site = TestSite::with_registry(&[
        (
            "content/articles/a.md",
            &format!("---\ntitle: A\ndate: 2016-01-02\nsource: \"{long}one\"\n---\nText.\n"),
        ),
        (
            "content/articles/b.md",
            &format!("---\ntitle: B\ndate: 2016-01-03\nsource: \"{long}two\"\n---\nText.\n"),
        ),
    ]);
    site.build_ok();
    let sources: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| {
            f.starts_with("sources/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .collect();
    // Wire (registered) plus the two unregistered publications.
    assert_eq!(sources.len(), 3, "{sources:?}");
}

#[test]
fn an_auto_created_actor_that_cannot_have_a_page_is_reported() {
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2016-01-02\nsource: Wire\nactors: [\"«»\", \"Sergei Lavrov\"]\n---\nText.\n",
    )]);
    site.write(
        "site.yaml",
        "title: Test dossier\nbase_url: \"https://example.org/\"\nactors:\n  auto_create: true\n",
    );
    let report = site.build_ok();
    let warning = report
        .warnings
        .iter()
        .find(|d| d.message.contains("«»"))
        .expect("the unusable name is reported");
    assert_eq!(warning.position(), "content/articles/a.md:5:10");
    assert!(site.has_output("actors/sergei-lavrov/index.html"));
}

#[test]
fn a_dossier_whose_articles_share_one_date_gives_it_once_on_the_home_page() {
    let site = TestSite::with_registry(&[(
        "content/articles/only.md",
        "---\ntitle: Only\ndate: 2024-05\nsource: Wire\n---\nText.\n",
    )]);
    site.build_ok();
    let home = site.output("index.html");
    assert!(
        home.contains("<strong>May 2024</strong> publication date<"),
        "not `May 2024 – May 2024`: {home}"
    );
}
