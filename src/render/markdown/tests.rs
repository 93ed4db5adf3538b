//! Markdown rendering tests: fragments in, HTML and facts out.

use super::links::{join, relative, scheme_of};
use super::*;
use crate::config::SiteConfig;
use crate::test_support::{PUTIN, RUSSIA, TASS, site_with};

const OTHER: (&str, &str) = (
    "content/articles/other.md",
    "---\ntitle: Other\ndate: 2015\nsource: TASS\n---\n## Background\n\nText.\n",
);

fn render_with(config: SiteConfig, body: &str) -> (RenderedBody, Vec<Diagnostic>) {
    let text = format!("---\ntitle: A\ndate: 2016\nsource: TASS\n---\n{body}");
    let (site, diagnostics) = site_with(
        config,
        &[("content/articles/a.md", &text), OTHER],
        &[PUTIN, RUSSIA],
        &[TASS],
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let urls = Urls::new("/", "/");
    let matcher = MentionMatcher::new(&site);
    let article = site
        .articles
        .iter()
        .find(|a| a.path.ends_with("/a.md"))
        .unwrap();
    render_body(
        BodyContext {
            site: &site,
            urls: &urls,
            matcher: &matcher,
        },
        Body {
            path: &article.path,
            text: &article.text,
            body_start: article.body_start,
            self_actor: None,
        },
    )
}

fn render(body: &str) -> (RenderedBody, Vec<Diagnostic>) {
    render_with(SiteConfig::for_tests(), body)
}

#[test]
fn first_mention_of_each_actor_is_linked_and_all_are_counted() {
    let (out, diags) =
        render("Putin spoke. Then Vladimir Putin left Moscow, and Putin returned.\n");
    assert!(diags.is_empty());
    assert_eq!(
        out.html.matches("href=\"/actors/vladimir-putin/\"").count(),
        1,
        "{}",
        out.html
    );
    assert_eq!(out.html.matches("href=\"/actors/russia/\"").count(), 1);
    let putin = &out.facts.mentions[0];
    assert_eq!(putin.count, 3);
    assert_eq!(&*putin.snippet, "Putin spoke.");
    assert_eq!(
        &*out.facts.mentions[1].snippet,
        "Then Vladimir Putin left Moscow, and Putin returned."
    );
}

#[test]
fn mention_modes_all_and_off() {
    let mut config = SiteConfig::for_tests();
    config.actors.link_mentions = MentionLinks::All;
    let (out, _) = render_with(config.clone(), "Putin and Putin.\n");
    assert_eq!(out.html.matches("class=\"mention\"").count(), 2);
    config.actors.link_mentions = MentionLinks::Off;
    let (out, _) = render_with(config, "Putin and Putin.\n");
    assert_eq!(out.html.matches("class=\"mention\"").count(), 0);
    assert_eq!(out.facts.mentions[0].count, 2);
}

#[test]
fn mentions_are_never_found_in_code_links_images_or_headings() {
    let body = "## Putin in Moscow\n\n`Putin` and [Putin's speech](https://e.org) and ![Putin](<> \"AP\")\n\n```\nPutin\n```\n";
    let (out, _) = render(body);
    assert!(out.facts.mentions.is_empty(), "{:?}", out.facts.mentions);
    assert!(!out.html.contains("class=\"mention\""), "{}", out.html);
}

#[test]
fn mention_links_never_nest_inside_links() {
    let (out, _) = render("[Moscow said](other.md) that Moscow agrees.\n");
    let html = &out.html;
    let first_link_end = html.find("</a>").unwrap();
    assert!(!html[..first_link_end].contains("mention"), "{html}");
    assert_eq!(html.matches("<a ").count(), 2, "{html}");
}

#[test]
fn links_to_other_articles_resolve_and_missing_ones_are_located_errors() {
    let (out, diags) = render("See [that](other.md#background) and [this](gone.md).\n");
    assert!(
        out.html.contains("href=\"/articles/other/#background\""),
        "{}",
        out.html
    );
    assert_eq!(out.facts.links.len(), 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "broken-link");
    assert_eq!(diags[0].position(), "content/articles/a.md:6:37");
    assert!(diags[0].message.contains("gone.md"));
    assert!(out.html.contains("this"), "link text is kept");
}

/// The hint names the closest file by its name (not by the `.md` every
/// article shares) as the link to write from this file.
#[test]
fn a_broken_link_suggests_the_link_to_write_from_this_file() {
    let (_, diags) = render("[p](vladimir-puttin.md) [q](../tas.md) [r](nope.md)\n");
    let helps: Vec<&str> = diags.iter().map(|d| d.help.as_deref().unwrap()).collect();
    assert_eq!(helps.len(), 3, "{diags:?}");
    assert!(
        helps[0].starts_with("did you mean `../actors/vladimir-putin.md`?"),
        "{}",
        helps[0]
    );
    assert!(
        helps[1].starts_with("did you mean `../sources/tass.md`?"),
        "{}",
        helps[1]
    );
    assert!(!helps[2].contains("did you mean"), "{}", helps[2]);
}

#[test]
fn a_relative_link_joined_to_its_file_is_the_file_it_was_made_for() {
    for (from, to, link) in [
        ("content/articles/a.md", "content/articles/b.md", "b.md"),
        (
            "content/articles/a.md",
            "content/actors/x.md",
            "../actors/x.md",
        ),
        (
            "content/articles/2016/a.md",
            "content/actors/x.md",
            "../../actors/x.md",
        ),
        ("content/articles/a.md", "content/photo.jpg", "../photo.jpg"),
        (
            "content/a.md",
            "content/articles/2016/b.md",
            "articles/2016/b.md",
        ),
    ] {
        assert_eq!(relative(from, to), link);
        assert_eq!(join(from, link).as_deref(), Some(to));
    }
}

#[test]
fn links_to_registry_files_resolve() {
    let (out, diags) =
        render("[profile](../actors/vladimir-putin.md) and [agency](../sources/tass.md)\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(out.html.contains("href=\"/actors/vladimir-putin/\""));
    assert!(out.html.contains("href=\"/sources/tass/\""));
}

#[test]
fn dangerous_urls_are_removed_with_a_warning() {
    for dest in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
    ] {
        let (out, diags) = render(&format!("[click](<{dest}>) and ![img](<{dest}>)\n"));
        assert!(
            !out.html.to_lowercase().contains("script:"),
            "{dest}: {}",
            out.html
        );
        assert!(!out.html.contains("data:"), "{dest}: {}", out.html);
        assert!(out.html.contains("click"));
        assert_eq!(diags.len(), 2, "{dest}: {diags:?}");
        assert!(diags.iter().all(|d| d.code == "unsafe-url"));
    }
}

#[test]
fn raw_html_is_text_unless_allowed() {
    let body = "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there\n";
    let (out, _) = render(body);
    assert!(!out.html.contains("<script"), "{}", out.html);
    assert!(!out.html.contains("<img"), "{}", out.html);
    assert!(out.html.contains("&lt;script&gt;"));
    let mut config = SiteConfig::for_tests();
    config.markdown.allow_raw_html = true;
    let (out, _) = render_with(config, body);
    assert!(out.html.contains("<script>"));
}

#[test]
fn template_syntax_in_content_is_just_text() {
    let (out, _) = render("{{ config.title }} and {% raw %}\n");
    assert!(
        out.html.contains("{{ config.title }} and {% raw %}"),
        "{}",
        out.html
    );
}

#[test]
fn an_image_alone_is_a_figure_with_caption_and_credit() {
    let (out, diags) = render("![Teddy bears near the chancellery](<> \"Photo: AP\")\n\nText.\n");
    assert!(diags.is_empty());
    assert!(
        out.html
            .contains("<figure class=\"figure figure-missing\">"),
        "{}",
        out.html
    );
    assert!(out.html.contains("<figcaption>Teddy bears near the chancellery <span class=\"credit\">Photo: AP</span></figcaption>"));
    assert_eq!(
        out.facts.figures,
        [Credit {
            caption: Some("Teddy bears near the chancellery".into()),
            credit: "Photo: AP".into()
        }]
    );
}

#[test]
fn attributed_blockquotes_are_quotes() {
    let body = "> “We need a serious process.”\n>\n> — Vitaly Churkin, and Putin agreed\n\n> Just a quote.\n";
    let (out, _) = render(body);
    assert!(
        out.html.contains("<blockquote class=\"quote\">"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<footer class=\"quote-attribution\">"),
        "{}",
        out.html
    );
    assert_eq!(out.facts.quotes.len(), 1);
    let quote = &out.facts.quotes[0];
    assert_eq!(quote.text, "“We need a serious process.”");
    assert_eq!(quote.attribution, "Vitaly Churkin, and Putin agreed");
    assert!(quote.by.is_some(), "Putin is registered");
    assert_eq!(
        out.html.matches("<blockquote>").count(),
        1,
        "plain quote stays plain"
    );
}

#[test]
fn headings_get_unique_ids_and_anchors() {
    let (out, _) = render("## Background\n\n## Background\n\n### Custom {#mine}\n");
    let ids: Vec<&str> = out.facts.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["background", "background-1", "mine"]);
    assert!(
        out.html.contains(
            "<h2 id=\"background-1\">Background <a class=\"anchor\" href=\"#background-1\""
        ),
        "{}",
        out.html
    );
}

#[test]
fn fragment_links_are_recorded_for_checking() {
    let (out, _) = render("[up](#nowhere)\n\n## Here\n");
    assert_eq!(out.fragment_links.len(), 1);
    let problems = check_fragments_for(&out);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("#nowhere"));
}

fn check_fragments_for(out: &RenderedBody) -> Vec<Diagnostic> {
    let (site, _) = crate::test_support::site(&[], &[], &[]);
    check_fragments(
        &site,
        "content/articles/a.md",
        &out.facts.anchors,
        &out.fragment_links,
        |_| Vec::new(),
    )
}

#[test]
fn code_is_highlighted_with_classes() {
    let (out, _) = render("```python\nprint('hi')\n```\n");
    assert!(
        out.html
            .contains("<pre class=\"code\" data-lang=\"python\"><code>"),
        "{}",
        out.html
    );
    assert!(out.html.contains("hl-"), "{}", out.html);
}

#[test]
fn scheme_detection() {
    assert_eq!(scheme_of("https://x"), Some("https".into()));
    assert_eq!(scheme_of(" JAVASCRIPT:x"), Some("javascript".into()));
    assert_eq!(scheme_of("other.md"), None);
    assert_eq!(scheme_of("a/b:c"), None);
    assert_eq!(
        join("content/articles/a.md", "../actors/x.md").as_deref(),
        Some("content/actors/x.md")
    );
    assert_eq!(join("content/articles/a.md", "../../../etc/passwd"), None);
}

#[test]
fn words_are_counted_like_split_whitespace() {
    for text in [
        "",
        " ",
        "one",
        " two  words ",
        "a\nb\tc\r\nd",
        "«quoted» — dash",
        // Across the 64-byte chunks the count works in.
        &"word ".repeat(40),
        &"x".repeat(64),
        &format!("{} {}", "a".repeat(63), "b".repeat(70)),
        &format!("{}\n{}", " ".repeat(64), "c ".repeat(33)),
    ] {
        assert_eq!(
            count_words(text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
    // Texts of every length up to a few chunks, spaces anywhere.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let text: String = (0..seed % 200)
            .map(|i| {
                // Bytes one bit away from a space (`!`, `\u{b}`, `\u{c}`),
                // and multi-byte characters whose bytes have the high bit.
                [
                    ' ', '\n', 'a', 'é', '\t', 'b', '\r', '!', '\u{b}', '\u{c}', '\u{a0}', '‘',
                ][((seed >> (i % 58)) % 12) as usize]
            })
            .collect();
        // ASCII spacing only: `\u{b}`, `\u{c}` and `\u{a0}` are inside
        // words here, unlike for `split_whitespace`.
        let ascii = text
            .split([' ', '\n', '\t', '\r'])
            .filter(|w| !w.is_empty());
        assert_eq!(count_words(&text), ascii.count(), "{text:?}");
    }
}
