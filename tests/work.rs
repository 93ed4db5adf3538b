//! Building is near-linear in the size of its input (issue #12), measured
//! as work rather than time: the bytes a build allocates are counted by this
//! test binary's allocator. Random, adversarial Markdown is repeated `n` and
//! `2n` times; doubling the input may at most about double the bytes
//! allocated beyond an empty body's, where a quadratic step (copying the
//! text so far for each piece, a message per finding that copies its whole
//! line) would quadruple them.
//!
//! The tests of this binary take [`SERIAL`] for their whole run, so no
//! other test allocates while one measures.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::TestSite;
use proptest::prelude::*;

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size.saturating_sub(layout.size()), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Bytes allocated by one build of an article with this body. Without the
/// build cache: a build that succeeds saves it and one that fails does not,
/// which would make the fixed cost differ between the two.
fn allocated(body: &str) -> usize {
    let site = TestSite::with_registry(&[(
        "content/articles/a.md",
        &format!("---\ntitle: A\ndate: 2020-01-02\nsource: Wire\n---\n{body}\n"),
    )]);
    site.write(
        "content/actors/russia.md",
        "---\nname: Russia\nkind: country\naliases: [Moscow]\n---\n",
    );
    let before = ALLOCATED.load(Ordering::Relaxed);
    let _ = dossier::pipeline::build(&dossier::pipeline::BuildOptions {
        root: site.root().to_path_buf(),
        no_cache: true,
        ..Default::default()
    });
    ALLOCATED.load(Ordering::Relaxed) - before
}

/// Pieces that have each made some step of the build super-linear, or
/// that stress the parser: headings, sentence ends, quotes, brackets,
/// lists, broken and unsafe links, fragments, footnotes, mentions.
const PIECES: &[&str] = &[
    "# a\n\n",
    "## Main\n\n",
    "a.",
    "'a",
    "\"a",
    "[",
    "]",
    "- ",
    "> ",
    "*a",
    "_",
    "`",
    "<b>",
    "&amp;",
    "[x](gone.md) ",
    "[y](javascript:x) ",
    "[z](#nowhere) ",
    "[^n]",
    "\n\n[^n]: note\n\n",
    "Russia ",
    "Moscow said. ",
    "<press@example.org> ",
    "\n",
    " ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn doubling_the_input_at_most_doubles_the_work(
        unit in proptest::collection::vec(proptest::sample::select(PIECES), 1..6)
    ) {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let unit: String = unit.concat();
        let n = (40_000 / unit.len()).max(1);
        let base = allocated("");
        let once = allocated(&unit.repeat(n)).saturating_sub(base).max(1);
        let twice = allocated(&unit.repeat(2 * n)).saturating_sub(base);
        let ratio = twice as f64 / once as f64;
        prop_assert!(
            ratio < 3.0,
            "{unit:?} × {n}: {once} bytes, × {}: {twice} bytes (ratio {ratio:.2})",
            2 * n
        );
    }
}

#[test]
fn known_adversarial_inputs_do_linear_work() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for unit in [
        "'a",
        "[x](gone.md) ",
        "# a\n\n",
        "[z](#nowhere) ",
        "Russia a.",
    ] {
        let n = 40_000 / unit.len();
        let base = allocated("");
        let once = allocated(&unit.repeat(n)).saturating_sub(base).max(1);
        let twice = allocated(&unit.repeat(2 * n)).saturating_sub(base);
        let ratio = twice as f64 / once as f64;
        assert!(ratio < 3.0, "{unit:?}: ratio {ratio:.2} ({once} → {twice})");
    }
}
