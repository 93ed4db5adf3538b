//! `dossier init` and `dossier new`: files a user starts from.
//!
//! `init` writes a complete, buildable dossier (settings, one example article
//! with its publication and actors, and a copy of the built-in theme to
//! edit). `new` writes one article whose front matter is a filled-in
//! template. Neither overwrites anything: an existing file is an error.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::model::{PartialDate, Slug, date};
use crate::render::theme::DEFAULT_THEME;

fn site_yaml(title: &str) -> String {
    format!(
        r#"# Settings for this dossier. Every key is optional except `title`.
title: {title}
# subtitle: "A line under the title"
# description: "A paragraph introducing the dossier, shown on the home page."
# base_url: "https://example.org/my-dossier/"   # where it will be published; the feed and sitemap need it ("/" works on any host, without them)
# language: en
# author: "Who compiled it"
# organisation: "Who it is for"
# theme: default        # a folder under themes/; files it lacks come from the built-in theme
# output: output        # where `dossier build` writes the site
# home_articles: 20     # how many of the newest articles the home page lists
# markdown:
#   smart_punctuation: true
#   highlight_code: true
#   allow_raw_html: false   # raw HTML in articles is shown as text unless this is true
# actors:
#   link_mentions: first    # first, all or off
#   auto_create: false      # make pages for front-matter actors with no registry entry
"#,
        title = yaml_string(title)
    )
}

const EXAMPLE_ARTICLE: &str = r#"---
title: "Example: how a clipped article is written"
date: 2024-05
date_note: "The clipping gives no day; May 2024 is when it was saved."
source: Example Gazette
author: Jane Roe
url: https://example.org/2024/05/example
kind: analysis
summary: "A short article that shows every part of the format. Replace it with your own."
actors:
  - Example Ministry
events:
  - date: 2024-04-30
    title: The Example Ministry publishes its annual report
    actors: [Example Ministry]
quotes:
  - by: Example Ministry
    text: "We publish every figure we have."
tags: [example]
---

Articles are Markdown. The first time the text names an actor from
`content/actors/` — here, the Example Ministry — the name links to its page.

![A photo the clipping did not keep](<> "Photo: Example Agency")

An image alone in a paragraph becomes a figure: the alt text is the caption
and the title is the credit. Leave the address empty, as above, when the
clipping did not keep the photo.

> “Quotes ending in an attribution line are credited to the actor named.”
>
> — Example Ministry spokesperson
"#;

const EXAMPLE_ACTOR: &str = r#"---
name: Example Ministry
kind: government
aliases: [the Ministry]
role: An example government body
---

A short profile of the actor: who they are and why they matter to this dossier.
"#;

const EXAMPLE_SOURCE: &str = r#"---
name: Example Gazette
url: https://example.org/
country: Nowhere
kind: newspaper
ownership: private
owner: Example Media Ltd
---

What a reader should know about this publication: who owns it, and how
independent it is.
"#;

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("invariant: strings serialise")
}

fn write_new_file(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(Error::io("create folder", parent))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(Error::io("create", path))?;
    std::io::Write::write_all(&mut file, contents.as_bytes()).map_err(Error::io("write", path))
}

/// Creates a new dossier in `dir`.
///
/// # Errors
/// When `dir` exists and is not empty, or on I/O failure.
pub fn init(dir: &Path, title: &str) -> Result<Vec<PathBuf>> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(Error::io("read", dir))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "`{}` already exists and is not empty; choose a new folder",
            dir.display()
        )));
    }
    let mut files: Vec<(PathBuf, String)> = vec![
        (dir.join(CONFIG_FILE), site_yaml(title)),
        (
            dir.join(".gitignore"),
            "/output/\n/.output.staging/\n/.output.cache/\n/.output.lock\n".to_string(),
        ),
        (
            dir.join("content/articles/example-article.md"),
            EXAMPLE_ARTICLE.to_string(),
        ),
        (
            dir.join("content/actors/example-ministry.md"),
            EXAMPLE_ACTOR.to_string(),
        ),
        (
            dir.join("content/sources/example-gazette.md"),
            EXAMPLE_SOURCE.to_string(),
        ),
    ];
    for (path, contents) in DEFAULT_THEME {
        files.push((dir.join("themes/default").join(path), contents.to_string()));
    }
    for (path, contents) in &files {
        write_new_file(path, contents)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes a new article for `title` under `root`.
///
/// # Errors
/// A bad date, a title that makes no file name, an existing file, or I/O.
pub fn new_article(
    root: &Path,
    title: &str,
    source: Option<&str>,
    date: Option<&str>,
) -> Result<PathBuf> {
    crate::config::require_dossier(root)?;
    // Nothing is guessed: without --date the field is left for the author
    // (a draft with an empty date is reported by `check --drafts`).
    let date = match date {
        Some(text) => PartialDate::parse(text)
            .map_err(|e| Error::Usage(format!("--date: {}", e.0)))?
            .to_string(),
        None => "\"\"".to_string(),
    };
    let slug = Slug::from_text(title)
        .ok_or_else(|| Error::Usage(format!("cannot make a file name from the title `{title}`")))?;
    let path = root.join("content/articles").join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(format!(
            "`{}` already exists; choose another title or edit that file",
            path.display()
        )));
    }
    let source = source.map_or_else(
        || "\"Publication name\"  # as named in content/sources/".to_string(),
        yaml_string,
    );
    let text = format!(
        r#"---
title: {title}
date: {date}          # as printed on the article: 2017-01-25 (a day), 2016-11 (a month) or 2015 (a year)
# date_note: "How an inexact date was inferred"
source: {source}
# source_note: "How the publication was identified, if the clipping does not say"
# author: "Byline, if given (leave out rather than guess)"
# url: https://…          # the original address
# retrieved: {today}
# kind: news            # news, analysis, op-ed, interview, statement or report
# summary: "One or two sentences for lists and feeds."
actors: []              # names, aliases or slugs from content/actors/
# events:
#   - date: 2016-09
#     title: What happened
#     actors: []
# quotes:
#   - by: Actor name
#     text: "The words, as quoted."
# credits:
#   - caption: What the photo shows
#     credit: Photographer / Agency
tags: []
draft: true             # remove when ready; drafts are built only with --drafts
---

The article's text, sentence for sentence.
"#,
        title = yaml_string(title),
        today = date::today(),
    );
    write_new_file(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{ArticleMeta, parse_doc};

    #[test]
    fn new_article_front_matter_parses() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("site.yaml"), "title: T\n").unwrap();
        let path = new_article(
            root.path(),
            "Talks resume in “Astana”",
            Some("TASS"),
            Some("2017-01"),
        )
        .unwrap();
        assert!(
            path.ends_with("content/articles/talks-resume-in-astana.md"),
            "{}",
            path.display()
        );
        let text = fs::read_to_string(&path).unwrap();
        let doc = parse_doc::<ArticleMeta>("content/articles/x.md", text).unwrap();
        assert_eq!(doc.meta.title.value, "Talks resume in “Astana”");
        assert_eq!(doc.meta.source.value, "TASS");
        assert!(doc.meta.draft);
        assert!(
            new_article(root.path(), "Talks resume in “Astana”", None, None).is_err(),
            "no overwrite"
        );
    }

    #[test]
    fn init_refuses_a_non_empty_folder() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("keep.txt"), "mine").unwrap();
        assert!(init(root.path(), "X").is_err());
        assert_eq!(
            fs::read_to_string(root.path().join("keep.txt")).unwrap(),
            "mine"
        );
    }
}
