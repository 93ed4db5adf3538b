//! Edit-to-browser latency of a live-reloading server: the time from writing
//! an article's file to the open tab's DOM holding the new text, measured in
//! a real headless Chromium. Not a test: `bench/serve.sh` runs it and
//! BENCHMARKS.md has the method and the figures.
//!
//! ```text
//! cargo bench --bench serve_latency -- dossier|hugo SITE FILE PAGE [EDITS]
//! ```
//!
//! Both clocks are the machine's wall clock: the write's time is taken just
//! before the write, the DOM's time in the page as `performance.timeOrigin +
//! performance.now()` when a `MutationObserver` first sees the new text (an
//! in-place update), or the new document's `domInteractive` when the server
//! made the browser reload the page.

#[path = "../tests/common/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use browser::Browser;

struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects a child's output lines; returns the first line `first` accepts.
fn follow(
    stream: impl std::io::Read + Send + 'static,
    log: Arc<Mutex<Vec<String>>>,
    first: impl Fn(&str) -> bool + Send + 'static,
) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if first(&line) {
                let _ = tx.send(line.clone());
            }
            log.lock().unwrap().push(line);
        }
    });
    rx
}

fn start(kind: &str, site: &Path) -> Server {
    let log = Arc::new(Mutex::new(Vec::new()));
    match kind {
        "dossier" => {
            let bin = std::env::var("DOSSIER_BIN")
                .map(PathBuf::from)
                .unwrap_or_else(|_| PathBuf::from("target/release/dossier"));
            let mut child = Command::new(bin)
                .args(["--color", "never", "-C"])
                .arg(site)
                .args(["serve", "--port", "0"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("dossier serve starts");
            follow(child.stderr.take().unwrap(), Arc::clone(&log), |_| false);
            let rx = follow(child.stdout.take().unwrap(), Arc::clone(&log), |l| {
                l.contains("http://")
            });
            let line = rx
                .recv_timeout(Duration::from_secs(600))
                .expect("serve prints its address");
            let url = line
                .split_whitespace()
                .find(|w| w.starts_with("http://"))
                .unwrap()
                .trim_end_matches('/')
                .to_string();
            Server { child, url, log }
        }
        "hugo" => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = Command::new("hugo")
                .args(["server", "--bind", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .arg("-s")
                .arg(site)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("hugo server starts (apt-get install hugo)");
            follow(child.stderr.take().unwrap(), Arc::clone(&log), |_| false);
            let rx = follow(child.stdout.take().unwrap(), Arc::clone(&log), |l| {
                l.contains("Web Server is available")
            });
            rx.recv_timeout(Duration::from_secs(600))
                .expect("hugo serves");
            Server {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log,
            }
        }
        other => panic!("unknown server {other}: dossier or hugo"),
    }
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// The time the server itself reports for its last rebuild, in ms.
fn server_time(kind: &str, log: &[String]) -> Option<f64> {
    let line = log.iter().rev().find(|l| match kind {
        "dossier" => l.starts_with("changed "),
        _ => l.contains("Total in"),
    })?;
    let before_ms = line.rsplit_once(" ms")?.0;
    before_ms.rsplit(' ').next()?.parse().ok()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [kind, site, file, page, rest @ ..] = args.as_slice() else {
        eprintln!("usage: serve_latency dossier|hugo SITE FILE PAGE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = rest.first().map_or(20, |n| n.parse().unwrap());
    let site = Path::new(site);
    let file = site.join(file);
    let original = std::fs::read_to_string(&file).unwrap();

    let server = start(kind, site);
    let browser = Browser::start();
    browser.goto(&format!("{}{page}", server.url));
    if kind == "dossier" {
        browser
            .wait_for(
                "window.__dossier && window.__dossier.connected",
                Duration::from_secs(60),
            )
            .unwrap();
    } else {
        // livereload.js connects its WebSocket after the load event.
        std::thread::sleep(Duration::from_secs(2));
    }

    let mut latencies = Vec::new();
    let mut server_ms = Vec::new();
    // Per edit: write → notice heard, heard → page fetched, fetched → swapped.
    let mut steps: Vec<[f64; 3]> = Vec::new();
    let mut text = original.clone();
    for i in 0..edits {
        let token = format!("Latency probe {i} {:x}", now_ms() as u64);
        browser.eval(&format!(
            "window.__token = {token:?}; window.__seen = null;
             if (!window.__observing) {{
               window.__observing = true;
               new MutationObserver(() => {{
                 if (!window.__seen && window.__token && document.body.textContent.includes(window.__token))
                   window.__seen = performance.timeOrigin + performance.now();
               }}).observe(document.documentElement, {{childList: true, subtree: true, characterData: true}});
             }}"
        ));
        let log_len = server.log.lock().unwrap().len();
        text.push_str(&format!("\n{token}.\n"));
        let wrote = now_ms();
        std::fs::write(&file, &text).unwrap();
        let probe = format!(
            "(() => {{
               if (!document.body || !document.body.textContent.includes({token:?})) return null;
               if (performance.timeOrigin > {wrote}) return performance.timeOrigin
                 + performance.getEntriesByType('navigation')[0].domInteractive;
               return window.__seen || null;
             }})()"
        );
        let clock = Instant::now();
        let seen = loop {
            if let Ok(v) = browser.try_eval(&probe)
                && let Some(t) = v.as_f64()
            {
                break t;
            }
            assert!(
                clock.elapsed() < Duration::from_secs(60),
                "edit {i} never reached the page; server log:\n{}",
                server.log.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        latencies.push(seen - wrote);
        if kind == "dossier" {
            let t = browser.eval("window.__dossier.times || {}");
            if let (Some(heard), Some(fetched), Some(swapped)) = (
                t["heard"].as_f64(),
                t["fetched"].as_f64(),
                t["swapped"].as_f64(),
            ) {
                steps.push([heard - wrote, fetched - heard, swapped - fetched]);
            }
        }
        // Let the server finish reporting and settle before the next edit.
        std::thread::sleep(Duration::from_millis(400));
        let log = server.log.lock().unwrap();
        if log.len() > log_len
            && let Some(ms) = server_time(kind, &log[log_len..])
        {
            server_ms.push(ms);
        }
    }
    std::fs::write(&file, &original).unwrap();

    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    server_ms.sort_by(f64::total_cmp);
    let server_median = if server_ms.is_empty() {
        f64::NAN
    } else {
        percentile(&server_ms, 50.0)
    };
    println!(
        "{kind:8} {:>6} edits  median {:>7.1} ms  p90 {:>7.1} ms  min {:>7.1}  max {:>7.1}  server-reported rebuild median {:>6.1} ms",
        sorted.len(),
        percentile(&sorted, 50.0),
        percentile(&sorted, 90.0),
        sorted[0],
        sorted[sorted.len() - 1],
        server_median,
    );
    if !steps.is_empty() {
        let median = |i: usize| {
            let mut v: Vec<f64> = steps.iter().map(|s| s[i]).collect();
            v.sort_by(f64::total_cmp);
            percentile(&v, 50.0)
        };
        println!(
            "dossier  steps (medians): write → notice heard {:.1} ms, fetch {:.1} ms, parse + swap {:.1} ms",
            median(0),
            median(1),
            median(2)
        );
    }
}
