//! The sample dossier in a real browser (headless Chromium): what a reader
//! sees, at phone and desktop widths, light and dark, on screen and printed.
//! Chromium must be installed (`scripts/test` does it); a missing browser
//! fails these tests rather than skipping them.

mod common;

use common::TestSite;
use common::browser::{Browser, StaticServer};

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
