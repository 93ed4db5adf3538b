//! A headless Chromium for integration tests, synchronous to use.
//!
//! The browser is the system's Chromium (`/usr/bin/chromium`, or
//! `DOSSIER_CHROMIUM`), driven over the DevTools protocol by the
//! `headless_chrome` crate (built without its `fetch` feature, so it never
//! downloads a browser). A missing Chromium is a test failure with the
//! command that installs it, never a skip: `scripts/test` installs it.
//!
//! ```ignore
//! let server = StaticServer::start(&site.root().join("output"));
//! let browser = Browser::start();
//! browser.goto(&server.url("/timeline/"));
//! browser.wait_for("document.querySelectorAll('.tl-entry').length > 0", SECS_10).unwrap();
//! assert_eq!(browser.eval("document.title"), json!("Timeline"));
//! assert!(browser.console_errors().is_empty());
//! ```
//!
//! [`StaticServer`] serves a built `output/` folder on `127.0.0.1:0`, with
//! content types, so pages load their styles and scripts as on a real host.

use std::cell::Cell;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use headless_chrome::protocol::cdp::{Emulation, Log, Page, Runtime};
use headless_chrome::{Browser as Chrome, LaunchOptions, Tab};
use serde_json::{Value, json};

/// Where Chromium is, or a panic that says how to install it.
fn chromium_path() -> PathBuf {
    if let Some(path) = std::env::var_os("DOSSIER_CHROMIUM") {
        return PathBuf::from(path);
    }
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(candidate).is_file() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "browser tests need Chromium, and none was found (looked at /usr/bin/chromium, \
         /usr/bin/chromium-browser, /usr/bin/google-chrome and $DOSSIER_CHROMIUM). \
         Run `scripts/test`, which installs it, or `apt-get install chromium`."
    )
}

/// The colour scheme a page is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

/// The CSS media type a page is rendered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Screen,
    Print,
}

/// One headless Chromium with one tab. The process and its profile folder
/// are removed when it is dropped.
pub struct Browser {
    tab: Arc<Tab>,
    // Field order matters: the tab goes before the browser that owns it.
    _chrome: Chrome,
    _profile: tempfile::TempDir,
    console: Arc<Mutex<Vec<String>>>,
    /// The viewport, kept for full-page screenshots.
    size: Cell<(u32, u32)>,
}

impl Browser {
    /// Launches Chromium headless with a fresh profile, a 1280×900 window,
    /// and console and exception reporting on.
    pub fn start() -> Browser {
        let path = chromium_path();
        let profile = tempfile::tempdir().expect("a temporary profile folder");
        let extra: Vec<&OsStr> = [
            "--disable-component-update",
            "--disable-background-networking",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--mute-audio",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions {
            headless: true,
            sandbox: false,
            enable_gpu: false,
            path: Some(path.clone()),
            user_data_dir: Some(profile.path().to_path_buf()),
            window_size: Some((1280, 900)),
            args: extra,
            // The crate closes an idle connection after 30 s by default;
            // a slow test machine can idle longer between two steps.
            idle_browser_timeout: Duration::from_secs(600),
            ..LaunchOptions::default()
        };
        let chrome = Chrome::new(options).unwrap_or_else(|e| {
            panic!(
                "could not start Chromium at {}: {e}. Run `scripts/test`, which installs \
                 chromium, or check that `{} --headless --no-sandbox about:blank` runs.",
                path.display(),
                path.display()
            )
        });
        let tab = chrome.new_tab().expect("a new Chromium tab");
        tab.set_default_timeout(Duration::from_secs(30));
        let console = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&console);
        tab.add_event_listener(Arc::new(
            move |event: &headless_chrome::protocol::cdp::types::Event| {
                use headless_chrome::protocol::cdp::types::Event;
                let message = match event {
                    Event::LogEntryAdded(e)
                        if e.params.entry.level == Log::LogEntryLevel::Error =>
                    {
                        let entry = &e.params.entry;
                        Some(format!(
                            "{} ({})",
                            entry.text,
                            entry.url.as_deref().unwrap_or("no url")
                        ))
                    }
                    Event::RuntimeExceptionThrown(e) => {
                        let d = &e.params.exception_details;
                        let what = d
                            .exception
                            .as_ref()
                            .and_then(|x| x.description.clone())
                            .unwrap_or_else(|| d.text.clone());
                        Some(format!(
                            "uncaught: {what} ({}:{})",
                            d.url.as_deref().unwrap_or("?"),
                            d.line_number
                        ))
                    }
                    Event::RuntimeConsoleAPICalled(e)
                        if e.params.Type == Runtime::ConsoleAPICalledEventTypeOption::Error =>
                    {
                        let args: Vec<String> = e
                            .params
                            .args
                            .iter()
                            .map(|a| {
                                a.value
                                    .as_ref()
                                    .map(|v| v.to_string())
                                    .or_else(|| a.description.clone())
                                    .unwrap_or_default()
                            })
                            .collect();
                        Some(format!("console.error: {}", args.join(" ")))
                    }
                    _ => None,
                };
                if let Some(message) = message {
                    sink.lock().unwrap().push(message);
                }
            },
        ))
        .expect("an event listener");
        tab.enable_log().expect("Log.enable");
        tab.enable_runtime().expect("Runtime.enable");
        let browser = Browser {
            tab,
            _chrome: chrome,
            _profile: profile,
            console,
            size: Cell::new((1280, 900)),
        };
        browser.set_window_size(1280, 900);
        browser
    }

    /// The underlying tab, for DevTools calls this API does not wrap.
    pub fn tab(&self) -> &Tab {
        &self.tab
    }

    /// Opens `url` and waits until the page and its sub-resources loaded.
    pub fn goto(&self, url: &str) {
        self.tab
            .navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("could not open {url}: {e}"));
        self.wait_for(
            "document.readyState === 'complete'",
            Duration::from_secs(30),
        )
        .unwrap_or_else(|e| panic!("{url} did not finish loading: {e}"));
    }

    /// Evaluates a JavaScript expression in the page and returns its value
    /// as JSON. A promise is awaited. A thrown exception panics with its
    /// message. DOM nodes and functions are not JSON: return plain data.
    pub fn eval(&self, js: &str) -> Value {
        self.try_eval(js)
            .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
    }

    /// [`Browser::eval`] that returns a thrown exception as an error.
    pub fn try_eval(&self, js: &str) -> Result<Value, String> {
        let result = self
            .tab
            // Lets scripts use `await` at the top level.
            .call_method(cdp::<Runtime::Evaluate>(json!({
                "expression": js,
                "returnByValue": true,
                "awaitPromise": true,
                "replMode": true,
            })))
            .map_err(|e| e.to_string())?;
        if let Some(d) = result.exception_details {
            let what = d.exception.and_then(|x| x.description).unwrap_or(d.text);
            return Err(what);
        }
        Ok(result.result.value.unwrap_or(Value::Null))
    }

    /// Polls a JavaScript condition every 50 ms until it is truthy, or
    /// fails with the last value or error after `timeout`.
    pub fn wait_for(&self, js_condition: &str, timeout: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            let last = self.try_eval(js_condition);
            match &last {
                Ok(v) if truthy(v) => return Ok(()),
                _ => {}
            }
            if start.elapsed() > timeout {
                return Err(format!(
                    "`{js_condition}` still not true after {timeout:?} (last: {last:?})"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sets the viewport in CSS pixels (device scale 1, desktop mode, so a
    /// page wider than the viewport overflows instead of being zoomed out).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.tab
            .call_method(cdp::<Emulation::SetDeviceMetricsOverride>(json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": false,
            })))
            .expect("Emulation.setDeviceMetricsOverride");
        self.size.set((width, height));
    }

    /// Renders the page for `media` in the given colour scheme.
    pub fn emulate_media(&self, media: Media, scheme: Scheme) {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some(
                    match media {
                        Media::Screen => "screen",
                        Media::Print => "print",
                    }
                    .to_string(),
                ),
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".to_string(),
                    value: match scheme {
                        Scheme::Light => "light",
                        Scheme::Dark => "dark",
                    }
                    .to_string(),
                }]),
            })
            .expect("Emulation.setEmulatedMedia");
    }

    /// Saves a PNG of the whole page (not only the viewport) at `path`.
    pub fn screenshot(&self, path: &Path) {
        let size = self
            .eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        let (w, h) = self.size.get();
        let width = size[0].as_f64().unwrap_or(w as f64);
        let height = size[1].as_f64().unwrap_or(h as f64);
        let png = self
            .tab
            .call_method(cdp::<Page::CaptureScreenshot>(json!({
                "format": "png",
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                "captureBeyondViewport": true,
            })))
            .expect("Page.captureScreenshot");
        let bytes = base64::prelude::BASE64_STANDARD
            .decode(png.data)
            .expect("DevTools sends base64");
        std::fs::write(path, bytes).expect("writing the screenshot");
    }

    /// Prints the page to PDF (A4, backgrounds off, as a reader would) and
    /// returns the bytes.
    pub fn print_to_pdf(&self) -> Vec<u8> {
        self.tab
            .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
                paper_width: Some(8.27),
                paper_height: Some(11.69),
                ..Default::default()
            }))
            .expect("Page.printToPDF")
    }

    /// Errors the page reported so far: console errors, uncaught
    /// exceptions, failed loads (a 404 for a stylesheet or the favicon).
    pub fn console_errors(&self) -> Vec<String> {
        self.console.lock().unwrap().clone()
    }

    /// Forgets the errors reported so far (before opening the next page).
    pub fn clear_console(&self) {
        self.console.lock().unwrap().clear();
    }
}

/// A DevTools command from its JSON parameters, as the protocol documents
/// them (the generated structs have no `Default` to fill in the rest).
fn cdp<T: serde::de::DeserializeOwned>(params: Value) -> T {
    serde_json::from_value(params).expect("valid DevTools parameters")
}

/// JavaScript truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A static file server over a folder, for the browser: one thread per
/// connection, `GET` and `HEAD`, `index.html` for folders, content types
/// by extension, 404 for anything else. It stops with the test process.
pub struct StaticServer {
    port: u16,
}

impl StaticServer {
    /// Serves `root` on `127.0.0.1` at a free port.
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = serve(&root, stream);
                });
            }
        });
        StaticServer { port }
    }

    /// The address of `path` (starting with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(OsStr::to_str).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve(root: &Path, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    // Keep-alive: answer requests on this connection until it closes.
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
        }
        let mut parts = request.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let file = resolve(root, path);
        let (status, kind, body) = match file.as_ref().and_then(|f| std::fs::read(f).ok()) {
            Some(bytes) => ("200 OK", content_type(file.as_ref().unwrap()), bytes),
            None => (
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found".to_vec(),
            ),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\n\r\n",
            body.len()
        )?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
    }
}

/// The file a URL path names under `root`: percent-decoded, never outside
/// `root`, `index.html` for a folder.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path);
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("-"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
