//! Property tests: the front-matter splitter and the Markdown + mention
//! pipeline never panic on any input, and what they produce stays well-formed.

use dossier::config::SiteConfig;
use dossier::load::front_matter::split;
use dossier::load::{Loaded, parse_doc};
use dossier::model::{self, ModelOptions, Site};
use dossier::render::markdown::{Body, BodyContext, render_body};
use dossier::render::mentions::MentionMatcher;
use dossier::render::urls::Urls;
use proptest::prelude::*;

fn site() -> Site {
    let actors = [
        (
            "content/actors/putin.md",
            "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n---\n",
        ),
        (
            "content/actors/russia.md",
            "---\nname: Russia\nkind: country\naliases: [Moscow, Russian]\n---\n",
        ),
        (
            "content/actors/x.md",
            "---\nname: \"<i>X</i>\"\nkind: group\naliases: [\"a&b\"]\n---\n",
        ),
    ];
    let loaded = Loaded {
        actors: actors
            .iter()
            .map(|(p, t)| std::sync::Arc::new(parse_doc(p, t.to_string()).unwrap()))
            .collect(),
        ..Loaded::default()
    };
    model::build(loaded, SiteConfig::for_tests(), ModelOptions::default()).0
}

/// Markdown made of the pieces most likely to interact badly.
fn tricky_markdown() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Putin",
        "Vladimir Putin",
        "Moscow",
        "Russians",
        "a&b",
        "<i>X</i>",
        "[",
        "]",
        "(",
        ")",
        "`",
        "```\n",
        "**",
        "*",
        "_",
        "<a href=\"x\">",
        "</a>",
        "<script>",
        "> ",
        "— ",
        "\n",
        "\n\n",
        "# ",
        "## ",
        " ",
        "https://e.org",
        "![",
        "](",
        "javascript:",
        "&amp;",
        "\"",
        "'",
        "{{",
        "%}",
        "|",
        "- ",
        "1. ",
        "[^1]",
        "[^1]: note",
        "<!--",
        "-->",
        "\\",
        "    ",
        "\t",
        "é",
        "ﷺ",
        "\u{202e}",
        "Putin's",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

/// Checks that `<a` tags in `html` are balanced and never nested.
fn anchors_well_formed(html: &str) -> Result<(), String> {
    let mut depth = 0i32;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<a ") || rest.starts_with("<a>") {
            depth += 1;
            if depth > 1 {
                return Err(format!("nested link in {html}"));
            }
        } else if rest.starts_with("</a>") {
            depth -= 1;
            if depth < 0 {
                return Err(format!("unbalanced </a> in {html}"));
            }
        }
        rest = &rest[1..];
    }
    if depth != 0 {
        return Err(format!("unclosed link in {html}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn splitter_never_panics_and_stays_in_bounds(text in "(---\n|\\.\\.\\.\n|[a-z: ]{0,8}\n|\r\n|\n){0,12}") {
        if let Ok(s) = split(&text) {
            prop_assert!(s.body_start <= text.len());
            prop_assert!(text[..s.body_start].contains(s.yaml));
            let head = &text[..s.body_start];
            prop_assert!(head.trim_end().ends_with("---") || head.trim_end().ends_with("..."));
        }
    }

    #[test]
    fn markdown_and_mentions_stay_well_formed(body in tricky_markdown()) {
        let site = site();
        let urls = Urls::new("/", "/");
        let matcher = MentionMatcher::new(&site);
        let text = format!("---\ntitle: T\n---\n{body}");
        let (out, _) = render_body(
            BodyContext { site: &site, urls: &urls, matcher: &matcher },
            Body { path: "content/articles/a.md", text: &text, body_start: 17, self_actor: None },
        );
        prop_assert!(anchors_well_formed(&out.html).is_ok(), "{}", anchors_well_formed(&out.html).unwrap_err());
        let lower = out.html.to_lowercase();
        prop_assert!(!lower.contains("<script"), "{}", out.html);
        prop_assert!(!lower.contains("href=\"javascript:"), "{}", out.html);
        prop_assert!(!lower.contains("<i>x</i>"), "actor names are escaped: {}", out.html);
        for m in &out.facts.mentions {
            prop_assert!(m.count > 0);
        }
    }
}
