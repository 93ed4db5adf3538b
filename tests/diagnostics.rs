//! The exact text a user sees for bad input, pinned by snapshots: file,
//! line and column, the offending line with a caret, and what to do.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).

mod common;

use common::TestSite;

#[test]
fn rendered_errors_for_common_mistakes() {
    let site = TestSite::with_registry(&[
        (
            "content/articles/typo.md",
            "---\ntitle: A\ndate: 2016\nsoruce: Wire\n---\n",
        ),
        (
            "content/articles/date.md",
            "---\ntitle: B\ndate: 2016-02-30\nsource: Wire\n---\n",
        ),
        (
            "content/articles/actor.md",
            "---\ntitle: C\ndate: 2016\nsource: Wire\nactors: [Vladimir Puttin]\n---\n",
        ),
        (
            "content/articles/link.md",
            "---\ntitle: D\ndate: 2016\nsource: Wire\n---\nSee [the other](other-artcle.md).\n",
        ),
        (
            "content/articles/other-article.md",
            "---\ntitle: E\ndate: 2016\nsource: Wire\n---\n",
        ),
        (
            "content/articles/tabs.md",
            "---\ntitle: F\ndate: 2016\nsource: Wire\ntags:\n\t- x\n---\n",
        ),
    ]);
    let text: Vec<String> = site.build_err().iter().map(|d| d.render(false)).collect();
    insta::assert_snapshot!(text.join("\n"));
}
