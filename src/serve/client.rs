//! The reload client's side of serve: the script the browser runs, the tag
//! that injects it into served pages, and the messages the server sends it.
//!
//! The client is injected by the server into each HTML response, never
//! written by `build`, so a served page equals the built page plus one
//! `<script>` tag before `</body>`. Messages are JSON over Server-Sent
//! Events: which output files a rebuild changed or removed, and the errors
//! of a failed build (shown as an overlay, rendered exactly as the terminal
//! shows them).

use serde_json::json;

use crate::diagnostic::Diagnostic;

/// The address of the client script.
pub(crate) const SCRIPT_PATH: &str = "/__dossier/reload.js";

/// The address of the event stream.
pub(crate) const EVENTS_PATH: &str = "/__dossier/events";

/// The client script (see the file for how it updates a page in place).
pub(crate) const SCRIPT: &str = include_str!("reload.js");

/// `html` with the client's `<script>` tag before its last `</body>` (or at
/// the end when there is none). `generation` is the build the page comes
/// from, so a client that connects after a rebuild knows it is behind.
pub(crate) fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" data-generation="{generation}"></script>"#);
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// A page for when there is no site to show yet (the first build failed):
/// the client on it shows the errors and loads the site once it builds.
/// Its own words are for a browser without scripts only: under the
/// client's overlay they showed through.
pub(crate) fn placeholder(generation: u64) -> Vec<u8> {
    inject(
        b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
          <title>dossier: build failed</title></head><body>\
          <noscript><p>The dossier has not built yet: its errors are in the terminal.</p></noscript>\
          </body></html>",
        generation,
    )
}

/// The errors of a failed build, as the client shows them.
pub(crate) fn errors_json(errors: &[Diagnostic]) -> serde_json::Value {
    errors
        .iter()
        .map(|d| {
            let mut value = d.to_json();
            value["text"] = d.render(false).into();
            value
        })
        .collect()
}

/// What a client hears when it connects: the current build and its errors.
pub(crate) fn hello(generation: u64, errors: &serde_json::Value) -> String {
    json!({"hello": true, "generation": generation, "errors": errors}).to_string()
}

/// What a client hears after a rebuild.
pub(crate) fn rebuilt(
    generation: u64,
    written: &[String],
    removed: &[String],
    errors: &serde_json::Value,
) -> String {
    json!({
        "generation": generation,
        "written": written,
        "removed": removed,
        "errors": errors,
    })
    .to_string()
}

/// What a client hears when it missed messages: reload.
pub(crate) fn lagged(generation: u64) -> String {
    json!({"lagged": true, "generation": generation}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><pre></body></pre></BODY></html>";
        let out = String::from_utf8(inject(page, 7)).unwrap();
        assert_eq!(
            out,
            "<html><body><pre></body></pre><script src=\"/__dossier/reload.js\" \
             data-generation=\"7\"></script></BODY></html>"
        );
        let bare = String::from_utf8(inject(b"<p>x", 1)).unwrap();
        assert!(bare.starts_with("<p>x<script src="), "{bare}");
    }

    #[test]
    fn errors_carry_the_terminal_rendering() {
        let d = Diagnostic::error(
            crate::diagnostic::Code::Yaml,
            "content/articles/a.md",
            "bad value",
        )
        .at(crate::diagnostic::Location::of_line_col("title: [\n", 1, 8))
        .help("close the bracket");
        let json = errors_json(std::slice::from_ref(&d));
        assert_eq!(json[0]["path"], "content/articles/a.md");
        assert_eq!(json[0]["line"], 1);
        assert_eq!(json[0]["text"], d.render(false));
    }
}
