//! Which memory pages back the process's heap: 4 KiB pages, or 2 MiB
//! transparent huge pages where they were measured to pay.
//!
//! A process-wide setting, below every stage: `main`, the pipeline and the
//! engine call it, and it depends on nothing in the crate.
//!
//! Huge pages save page faults, which on this machine's virtual memory are
//! dear, and cost the unused rest of partly filled 2 MiB pages. They pay
//! where the heap grows fast and densely:
//!
//! - A build through its cache decodes ~250 MiB within its first 100 ms
//!   (10,000 articles): faulting that in 4 KiB at a time took a fifth of
//!   its time (52,000 faults; about 1,000 with huge pages). The pipeline
//!   turns them on before it reads the cache.
//! - A build from nothing grows most of its heap while it reads the
//!   dossier and renders its Markdown (texts, front matter, bodies,
//!   snippets: ~300 of its ~380 MiB at 10,000 articles). The engine has
//!   huge pages there and 4 KiB pages from the graph on
//!   (`Engine::huge_pages_while_reading`). Measured cold, interleaved
//!   (medians of five or six rounds) at 10,000 articles: 4 KiB pages
//!   throughout 2.29–2.48 s and 369–372 MiB; huge pages throughout
//!   2.27–2.34 s and 399–409 MiB, over the 400 MiB that size must stay
//!   under; huge pages while reading only 2.14–2.18 s and 380–387 MiB. At
//!   100,000 articles the last is as fast as huge pages throughout (24.1
//!   against 24.7 s, two runs each); at 1,000 it is 0.275 → 0.26 s (and
//!   0.305 → 0.285 s in another run) for 76 → ~100 MiB.
//! - The PDF fills its memory over its whole length: it peaked ~50 MiB
//!   higher with them and was no faster (the sample's). It is laid out
//!   with 4 KiB pages.
//!
//! So the command line starts without them; the two builds above turn them
//! on for their part, and the PDF turns them off again for its own.

/// Lets the kernel back this process's heap with 2 MiB pages from now on
/// (mimalloc asks for them), or not.
pub fn allow_huge_pages(allowed: bool) {
    // Only a hint to the kernel (`prctl`, which kernels before 3.15
    // refuse): the build is the same either way.
    let _ = rustix::thread::disable_transparent_huge_pages(!allowed);
}
