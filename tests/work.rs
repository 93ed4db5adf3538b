//! Building is near-linear in the size of its input (issue #12), measured
//! as work rather than time: the bytes a build allocates are counted by this
//! test binary's allocator. Random, adversarial Markdown is repeated `n`,
//! `2n` and `4n` times; going from `2n` to `4n` may add at most about twice
//! the bytes that going from `n` to `2n` added, where a quadratic step
//! (copying the text so far for each piece, a message per finding that
//! copies its whole line) would add four times as many. Differences
//! between three builds of the same kind cancel the fixed cost: an input
//! that fails the build (lists nested too deep) is not compared with an
//! empty body, whose build succeeds and does other work.
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

/// How much more the build of `unit` × 4n allocates than × 2n, for each
/// byte more that × 2n allocates than × n (about 2 when the work is
/// linear, 4 when quadratic), with `n` making `unit` × n ~40 KB.
fn growth(unit: &str) -> (f64, String) {
    let n = (40_000 / unit.len()).max(1);
    // What a process does once (loading the highlighting grammars, the
    // time zone database) is done here, not in the first build counted.
    allocated(unit);
    let [once, twice, four] = [1, 2, 4].map(|k| allocated(&unit.repeat(k * n)));
    let first = twice.saturating_sub(once).max(1);
    let second = four.saturating_sub(twice);
    let ratio = second as f64 / first as f64;
    (
        ratio,
        format!(
            "{unit:?} × {n}, × {}, × {}: {once}, {twice}, {four} bytes",
            2 * n,
            4 * n
        ),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn doubling_the_input_at_most_doubles_the_work(
        unit in proptest::collection::vec(proptest::sample::select(PIECES), 1..6)
    ) {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let (ratio, seen) = growth(&unit.concat());
        prop_assert!(ratio < 3.0, "{seen} (ratio {ratio:.2})");
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
        // Nested too deep: the build fails, in time linear in the line.
        "- ",
    ] {
        let (ratio, seen) = growth(unit);
        assert!(ratio < 3.0, "{seen} (ratio {ratio:.2})");
    }
}
