//! `dossier serve`: build the site into memory, serve it on a local port,
//! and rebuild through the engine on every save, telling open pages what
//! changed so they update in place.
//!
//! Three threads, each with one job: the watcher's (`watch`: file-system
//! events → the input paths of one save), the rebuild thread (owns the
//! [`Engine`]; changed paths → pages in the shared
//! [`MemorySink`](crate::engine::MemorySink) → one
//! notice to every client), and the HTTP server (`http`, a single-threaded
//! tokio runtime: requests are memory lookups). The reload client and the
//! messages it hears are in `client`.
//!
//! Serve never touches `output/`: its pages stay in memory, rendered with
//! the served address as base URL, so each served file equals what
//! `dossier build --base-url <address>` writes, plus the reload client's
//! `<script>` tag in HTML pages. A failed rebuild keeps the last good site
//! and shows its errors in the browser; nothing about the content stops the
//! server.

pub(crate) mod client;
pub(crate) mod http;
pub(crate) mod watch;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;

use log::{debug, info, warn};

use crate::diagnostic::{Code, Diagnostic, plural};
use crate::engine::{Engine, EngineOptions, Outcome};
use crate::error::{Error, Result};
use http::Shared;

/// The port serve tries first.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after a taken one serve tries.
const PORT_TRIES: u16 = 20;

/// What the user asked `serve` to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The dossier folder (holding `site.yaml`).
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port asked for: used, or the command fails (0 lets the system
    /// choose). Without one, [`DEFAULT_PORT`] or the next free one after it.
    pub port: Option<u16>,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Show a progress bar for the first build (on a terminal).
    pub progress: bool,
    /// Colour diagnostics on the terminal.
    pub color: bool,
}

/// Serves the dossier until Ctrl-C.
///
/// # Errors
/// Only environment failures: no free port, a watcher that cannot start.
/// Content errors are shown in the browser and the terminal, never
/// returned.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .map_err(Error::io("open", &options.root))?;
    // Anything else in a dossier can be broken and fixed while serving; a
    // folder without settings is the wrong folder.
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Error::Usage(format!(
            "`{}` has no {}: not a dossier folder (choose one with -C DIR, or create one with `dossier init`)",
            root.display(),
            crate::config::CONFIG_FILE
        )));
    }
    let listener = listen(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(Error::io("bind", "the server socket"))?;
    if address.ip().is_unspecified() {
        warn!(
            "listening on all interfaces ({}): anyone who can reach this machine can read the dossier",
            address
        );
    }
    let url = site_url(address);

    let shared = Arc::new(Shared::new());
    let mut engine = Engine::new(
        &root,
        EngineOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
            progress: options.progress,
            strict: false,
            // `/briefing.pdf` is served: the briefing page links to it.
            pdf: true,
            // Made when a browser asks for it: rebuilds stay proportional
            // to the edit.
            briefing_on_request: true,
            single_build: false,
        },
    );
    // Watch before the first build, so that a save during it is not lost.
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::watch(&root, tx)?;

    let first = engine.build(&shared.sink);
    *shared.engine() = Some(engine);
    let mut rebuilder = Rebuilder {
        shared: Arc::clone(&shared),
        color: options.color,
        pending: BTreeSet::new(),
        warned: BTreeSet::new(),
    };
    match first {
        Ok(outcome) => {
            let warnings = outcome.warnings.len();
            rebuilder.print_new_warnings(&outcome.warnings);
            info!(
                "Built {} page{} in {} ms{}",
                outcome.pages,
                plural(outcome.pages),
                outcome.elapsed.as_millis(),
                warning_note(warnings)
            );
            rebuilder.succeeded(&outcome);
        }
        Err(e) => rebuilder.failed(e),
    }
    // The one line a user (or a test) reads to find the site.
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }

    std::thread::Builder::new()
        .name("dossier-rebuild".into())
        .spawn(move || {
            while let Some(changed) = watch::next_changes(&root, &rx, |errors| {
                for e in errors {
                    warn!("watching: {e}");
                }
            }) {
                if let Some(first) = changed.first {
                    debug!(
                        "  settled {:>8.1} ms after the first event",
                        first.elapsed().as_secs_f64() * 1000.0
                    );
                }
                watch::watch_new_folders(&mut watcher, &root, &changed.paths);
                rebuilder.rebuild(changed.paths);
            }
        })
        .map_err(Error::io("start", "the rebuild thread"))?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(Error::io("start", "the server runtime"))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(Error::io("configure", "the server socket"))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(Error::io("configure", "the server socket"))?;
        let app = http::router(shared);
        tokio::select! {
            served = axum::serve(listener, app) => {
                served.map_err(Error::io("serve", url.as_str()))
            }
            _ = tokio::signal::ctrl_c() => {
                // Nothing to clean up: serve writes no file.
                info!("Stopped");
                Ok(())
            }
        }
    })
}

/// Listens on `ip` at the port asked for, or without one at
/// [`DEFAULT_PORT`] or the next free port after it: a port given on the
/// command line is one the user means (a bookmark, a firewall rule), so
/// it is never silently swapped for another.
fn listen(ip: IpAddr, port: Option<u16>) -> Result<TcpListener> {
    match port {
        None => bind(ip, DEFAULT_PORT, PORT_TRIES),
        Some(port) => bind(ip, port, 1).map_err(|err| match err {
            Error::Usage(_) => Error::Usage(format!(
                "port {port} is taken (by another `dossier serve`?): stop what uses it, \
                 choose another with --port, or leave --port out to use the next free \
                 port from {DEFAULT_PORT}"
            )),
            other => other,
        }),
    }
}

/// Binds `port` on `ip`, or the first free one of the `tries` ports from it.
fn bind(ip: IpAddr, port: u16, tries: u16) -> Result<TcpListener> {
    let mut last = None;
    let tries = if port == 0 { 1 } else { tries };
    for candidate in (0..tries).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    warn!("port {port} is taken; using {candidate}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(Error::io("listen on", format!("{ip}:{candidate}"))(e)),
        }
    }
    Err(Error::Usage(format!(
        "no free port from {port} to {}: {}; choose one with --port",
        port.saturating_add(tries - 1),
        last.map_or_else(String::new, |e| e.to_string())
    )))
}

/// The address pages are rendered for: the bound address, or the
/// loopback one when bound to every interface.
fn site_url(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// What a rebuild needs: the shared state (which holds the engine) and
/// how to report.
struct Rebuilder {
    shared: Arc<Shared>,
    color: bool,
    /// Paths changed since the last good build: a failed rebuild may have
    /// been interrupted before the engine took them all in, so the next
    /// attempt names them again.
    pending: BTreeSet<PathBuf>,
    /// The warnings of the last good build: a rebuild prints the ones that
    /// are new, not every standing one on every save.
    warned: BTreeSet<WarningKey>,
}

impl Rebuilder {
    /// Rebuilds after `changed` and tells every client what happened.
    fn rebuild(&mut self, changed: BTreeSet<PathBuf>) {
        let summary = describe(&changed);
        self.pending.extend(changed);
        let paths: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let built = self.shared.status().built;
        let result = {
            let mut engine = self.shared.engine();
            let engine = engine
                .as_mut()
                .expect("invariant: set before the first rebuild");
            if built {
                engine.rebuild(&paths, &self.shared.sink)
            } else {
                // Nothing good was ever built: build everything afresh.
                engine.build(&self.shared.sink)
            }
        };
        match result {
            // The tail of a save the last rebuild already read (an editor's
            // save can reach the watcher as two batches), or a file saved
            // unedited: nothing to report, no page to reload.
            Ok(outcome) if built && self.no_change(&outcome) => {
                debug!(
                    "{summary}: the bytes the last build read, nothing changed ({} ms)",
                    outcome.elapsed.as_millis()
                );
                self.pending.clear();
            }
            Ok(outcome) => {
                self.print_new_warnings(&outcome.warnings);
                let pages = outcome.written.len();
                info!(
                    "changed {summary} → {pages} file{} rewritten, {} removed in {} ms{}",
                    plural(pages),
                    outcome.removed.len(),
                    outcome.elapsed.as_millis(),
                    warning_note(outcome.warnings.len())
                );
                for stage in &outcome.timings {
                    debug!("  {stage}");
                }
                self.pending.clear();
                self.succeeded(&outcome);
            }
            Err(e) => {
                info!("changed {summary}");
                self.failed(e)
            }
        }
    }

    /// Whether a rebuild left everything as it was: no input differed, no
    /// file of the site changed, no error is showing, and the warnings are
    /// the ones printed already (a stray file saved beside the content is
    /// no input, but its warning is news).
    fn no_change(&self, outcome: &Outcome) -> bool {
        let no_error = self
            .shared
            .status()
            .errors
            .as_array()
            .is_some_and(Vec::is_empty);
        !outcome.inputs_changed
            && outcome.written.is_empty()
            && outcome.removed.is_empty()
            && no_error
            && outcome
                .warnings
                .iter()
                .map(warning_key)
                .collect::<BTreeSet<_>>()
                == self.warned
    }

    /// Prints the warnings the last good build did not have.
    fn print_new_warnings(&mut self, warnings: &[Diagnostic]) {
        let new: Vec<Diagnostic> = warnings
            .iter()
            .filter(|w| !self.warned.contains(&warning_key(w)))
            .cloned()
            .collect();
        print_diagnostics(&new, self.color);
        self.warned = warnings.iter().map(warning_key).collect();
    }

    fn succeeded(&self, outcome: &Outcome) {
        let message = {
            let mut status = self.shared.status_mut();
            status.generation += 1;
            status.built = true;
            status.errors = serde_json::Value::Array(Vec::new());
            // The briefing page is made on request (see `http`), from every
            // article: a rebuild that succeeded may have changed it.
            let mut written = outcome.written.clone();
            written.push(crate::engine::BRIEFING_PAGE.to_string());
            client::rebuilt(
                status.generation,
                &written,
                &outcome.removed,
                &status.errors,
            )
        };
        // No receivers is fine: no page is open.
        let _ = self.shared.events.send(message.into());
    }

    /// Reports a failed build in the terminal and the browser. Content,
    /// template and I/O problems alike keep the server running.
    fn failed(&self, error: Error) {
        let errors: Vec<Diagnostic> = match error {
            Error::Content(diagnostics) => diagnostics
                .sorted()
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect(),
            other => vec![Diagnostic::error(Code::Build, "(build)", other.to_string())],
        };
        print_diagnostics(&errors, self.color);
        let serving = if self.shared.status().built {
            "still serving the last good build"
        } else {
            "there is no site to serve until they are fixed"
        };
        warn!(
            "the dossier has {} error{}; {serving}",
            errors.len(),
            plural(errors.len())
        );
        let message = {
            let mut status = self.shared.status_mut();
            status.errors = client::errors_json(&errors);
            client::rebuilt(status.generation, &[], &[], &status.errors)
        };
        let _ = self.shared.events.send(message.into());
    }
}

/// A warning as the writer knows it: file, message and the line it is on
/// (its text, not its number, so a line added above does not make it new).
type WarningKey = (String, String, Option<String>);

fn warning_key(warning: &Diagnostic) -> WarningKey {
    (
        warning.path.clone(),
        warning.message.clone(),
        warning.location.as_ref().map(|l| l.line_text.clone()),
    )
}

/// `content/articles/a.md`, or `content/articles/a.md and 2 more`.
fn describe(changed: &BTreeSet<PathBuf>) -> String {
    let mut paths = changed.iter();
    let first = paths
        .next()
        .map_or_else(String::new, |p| p.display().to_string());
    match changed.len() {
        0 | 1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

fn warning_note(warnings: usize) -> String {
    if warnings > 0 {
        format!(" ({warnings} warning{})", plural(warnings))
    } else {
        String::new()
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: bool) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics {
        let _ = writeln!(out, "{}\n", d.render(color));
    }
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        warn!("could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_url_is_the_address_served() {
        let v4: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert_eq!(site_url(v4), "http://127.0.0.1:1111/");
        let any: SocketAddr = "0.0.0.0:1112".parse().unwrap();
        assert_eq!(site_url(any), "http://127.0.0.1:1112/");
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        assert_eq!(site_url(v6), "http://[::1]:8080/");
    }

    #[test]
    fn a_taken_port_moves_to_the_next_free_one() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let next = bind("127.0.0.1".parse().unwrap(), port, PORT_TRIES).unwrap();
        assert_ne!(next.local_addr().unwrap().port(), port);
        assert!(next.local_addr().unwrap().port() > port);
    }

    #[test]
    fn a_taken_port_asked_for_is_an_error_not_another_port() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = listen("127.0.0.1".parse().unwrap(), Some(port)).unwrap_err();
        assert!(
            err.to_string().contains(&format!("port {port} is taken")),
            "{err}"
        );
    }
}
