//! Work no caller needs to wait for: freeing what a command has finished
//! with, on a thread of its own.
//!
//! Freeing a dossier's engine or a large briefing's pages takes tens to
//! hundreds of milliseconds of small deallocations. A command that exits
//! next need not spend them on its own thread, and a caller that goes on (a
//! server, a test) has them done on the other core.

/// Runs `work` on a detached thread named `name`. Where no thread can be
/// started, `work` is dropped unrun, which frees whatever it owns: give it
/// only freeing to do, whose skipping costs memory, never a result.
pub(crate) fn free_in_background(name: &str, work: impl FnOnce() + Send + 'static) {
    let _ = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(work);
}
