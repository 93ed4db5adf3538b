//! The HTTP side of serve: answers requests from the site held in memory,
//! streams rebuild notices to the reload client.
//!
//! Pages live in a [`MemorySink`], not a folder, so this module does what a
//! static file server would: percent-decoding, refusing `..` and encoded
//! traversal, `index.html` for folder addresses (and a redirect from
//! `/a/b` to `/a/b/`), content types by extension, and the theme's 404 page
//! with status 404 for everything the site does not contain. Only the site's
//! own files can be served: a request names a key in a map, never a path on
//! disk.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;

use super::client;
use crate::engine::{BRIEFING_PAGE, MemorySink, lock};

/// What the server shares with the rebuild thread.
pub(crate) struct Shared {
    /// The last good site: output path → bytes.
    pub(crate) sink: MemorySink,
    /// The state of the last build.
    pub(crate) status: RwLock<Status>,
    /// Rebuild notices, as JSON, to every connected client.
    pub(crate) events: broadcast::Sender<Arc<str>>,
    /// The engine, shared by the rebuild thread and `/briefing.pdf` (which
    /// is made on request from the last good state, not on every save).
    pub(crate) engine: std::sync::Mutex<Option<crate::engine::Engine>>,
    /// The briefing page, made on request, with the generation it was made
    /// for (or a later one).
    briefing_page: std::sync::Mutex<Option<(u64, Arc<[u8]>)>>,
}

/// The state of the last build, as clients learn it when they connect.
#[derive(Debug, Default)]
pub(crate) struct Status {
    /// How many builds succeeded (pages carry it, to notice they are old).
    pub(crate) generation: u64,
    /// Whether any build succeeded (otherwise there is no site yet).
    pub(crate) built: bool,
    /// The errors of the last build, as the client shows them (`[]` when
    /// it succeeded).
    pub(crate) errors: serde_json::Value,
}

impl Shared {
    pub(crate) fn new() -> Shared {
        Shared {
            sink: MemorySink::new(),
            status: RwLock::new(Status {
                errors: serde_json::Value::Array(Vec::new()),
                ..Status::default()
            }),
            events: broadcast::channel(64).0,
            engine: std::sync::Mutex::new(None),
            briefing_page: std::sync::Mutex::new(None),
        }
    }

    /// The engine (held while a rebuild or a PDF is made).
    pub(crate) fn engine(&self) -> std::sync::MutexGuard<'_, Option<crate::engine::Engine>> {
        lock(&self.engine)
    }

    pub(crate) fn status(&self) -> std::sync::RwLockReadGuard<'_, Status> {
        self.status
            .read()
            .expect("invariant: no panics while holding the lock")
    }

    pub(crate) fn status_mut(&self) -> std::sync::RwLockWriteGuard<'_, Status> {
        self.status
            .write()
            .expect("invariant: no panics while holding the lock")
    }
}

/// The router: the event stream, the client script, the briefing's place,
/// and every other address looked up in the site.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(client::EVENTS_PATH, get(events))
        .route(client::SCRIPT_PATH, get(script))
        .route("/briefing.pdf", get(briefing))
        .fallback(page)
        .with_state(shared)
}

/// The reload stream: a greeting with the current build, then one message
/// per rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the status, so no rebuild falls between.
    let rx = shared.events.subscribe();
    let hello = {
        let status = shared.status();
        client::hello(status.generation, &status.errors)
    };
    let stream = futures_util::stream::unfold((Some(hello), rx), |(first, mut rx)| async move {
        let data: String = match first {
            Some(hello) => hello,
            None => match rx.recv().await {
                Ok(message) => message.to_string(),
                Err(broadcast::error::RecvError::Lagged(_)) => client::lagged(0),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        };
        Some((Ok(Event::default().data(data)), (None, rx)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Bytes::from_static(client::SCRIPT.as_bytes()),
    )
}

/// The briefing PDF, made on request from the last good build, so an
/// author can watch it change as they edit.
async fn briefing(State(shared): State<Arc<Shared>>, method: Method) -> Response {
    if !shared.status().built {
        return unbuilt(&shared);
    }
    let made = {
        let shared = Arc::clone(&shared);
        tokio::task::spawn_blocking(move || {
            let engine = shared.engine();
            let engine = engine.as_ref()?;
            let state = engine.state()?;
            Some(crate::briefing::pdf(
                engine.root(),
                state,
                &crate::briefing::Selection::default(),
            ))
        })
        .await
    };
    match made {
        Ok(Some(Ok(bytes))) => {
            let mut response = respond(StatusCode::OK, "application/pdf", Bytes::from(bytes));
            if method == Method::HEAD {
                *response.body_mut() = Body::empty();
            }
            response
        }
        Ok(Some(Err(e))) => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            Bytes::from(format!("the briefing could not be made: {e}\n")),
        ),
        _ => not_found(&shared, &method),
    }
}

/// Any other address: a file of the site, or 404.
async fn page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            Bytes::from_static(b"method not allowed\n"),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let key = match output_file(uri.path()) {
        Ok(key) => key,
        Err(Refused) => {
            return respond(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                Bytes::from_static(b"bad path\n"),
            );
        }
    };
    if !shared.status().built {
        return unbuilt(&shared);
    }
    if key == BRIEFING_PAGE {
        return briefing_page(shared, method).await;
    }
    if let Some(bytes) = shared.sink.get(&key) {
        return file(&shared, &key, bytes, StatusCode::OK);
    }
    // `/articles/x` names the folder `/articles/x/`: redirect, so that the
    // page's relative links resolve as on a static host.
    let folder = format!("{key}/index.html");
    if !key.ends_with("index.html")
        && (folder == BRIEFING_PAGE || shared.sink.get(&folder).is_some())
    {
        let mut location = format!("{}/", uri.path());
        if let Some(query) = uri.query() {
            location.push('?');
            location.push_str(query);
        }
        let mut response = respond(StatusCode::MOVED_PERMANENTLY, "text/plain", Bytes::new());
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    not_found(&shared, &method)
}

/// The briefing page, made from the engine's last good state when first
/// asked for after a rebuild (making it on every save would cost more than
/// the rest of an edit; see [`crate::engine::EngineOptions`]).
async fn briefing_page(shared: Arc<Shared>, method: Method) -> Response {
    // Read before the engine: a page made from a newer state may be kept
    // under an older generation (and is then made again), never the reverse.
    let generation = shared.status().generation;
    let cached = lock(&shared.briefing_page)
        .as_ref()
        .filter(|(made_for, _)| *made_for == generation)
        .map(|(_, bytes)| bytes.clone());
    let made = match cached {
        Some(bytes) => Ok(Ok(Some(bytes))),
        None => {
            let shared = Arc::clone(&shared);
            tokio::task::spawn_blocking(move || {
                let page = shared.engine().as_ref().map(|e| e.briefing_page());
                let page: Option<Arc<[u8]>> = match page {
                    Some(Ok(Some(bytes))) => Some(bytes.into()),
                    Some(Err(e)) => return Err(e),
                    _ => None,
                };
                if let Some(bytes) = &page {
                    *lock(&shared.briefing_page) = Some((generation, bytes.clone()));
                }
                Ok(page)
            })
            .await
        }
    };
    match made {
        Ok(Ok(Some(bytes))) => file(&shared, BRIEFING_PAGE, bytes, StatusCode::OK),
        Ok(Err(e)) => {
            // Findings (a failing template) are shown as the terminal
            // shows them: file, line, column and the line itself.
            let why = match e {
                crate::error::Error::Content(found) => found
                    .sorted()
                    .iter()
                    .map(|d| d.render(false))
                    .collect::<Vec<_>>()
                    .join("\n\n"),
                other => other.to_string(),
            };
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                Bytes::from(format!("the briefing page could not be made:\n\n{why}\n")),
            )
        }
        _ => not_found(&shared, &method),
    }
}

/// The theme's 404 page, with status 404.
fn not_found(shared: &Shared, _method: &Method) -> Response {
    if !shared.status().built {
        return unbuilt(shared);
    }
    match shared.sink.get("404.html") {
        Some(bytes) => file(shared, "404.html", bytes, StatusCode::NOT_FOUND),
        None => respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            Bytes::from_static(b"not found\n"),
        ),
    }
}

/// Before the first good build: a page whose client shows the errors.
fn unbuilt(shared: &Shared) -> Response {
    let generation = shared.status().generation;
    respond(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        Bytes::from(client::placeholder(generation)),
    )
}

/// A file of the site; HTML gets the reload client.
fn file(shared: &Shared, key: &str, bytes: Arc<[u8]>, status: StatusCode) -> Response {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Bytes::from(client::inject(&bytes, shared.status().generation))
    } else {
        Bytes::from_owner(bytes)
    };
    respond(status, kind, body)
}

fn respond(status: StatusCode, kind: &'static str, body: Bytes) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Every response is the current build: never let the browser reuse one.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A request path that tries to leave the site (`..`, or an encoded `/`,
/// `\` or NUL that would make one).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused;

/// The output file a request path names: percent-decoded, `index.html`
/// for a folder. Paths with `.`/`..` segments (plain or encoded),
/// backslashes, NUL or invalid UTF-8 are refused.
pub(crate) fn output_file(path: &str) -> Result<String, Refused> {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    let decoded = String::from_utf8(bytes).map_err(|_| Refused)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refused);
    }
    let rest = decoded.strip_prefix('/').ok_or(Refused)?;
    let mut segments: Vec<&str> = rest.split('/').collect();
    let folder = segments.last() == Some(&"");
    if folder {
        segments.pop();
    }
    for segment in &segments {
        if segment.is_empty() || *segment == "." || *segment == ".." {
            return Err(Refused);
        }
    }
    let mut key = segments.join("/");
    if folder {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

/// The content type of an output file, by its extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_their_index_page() {
        assert_eq!(output_file("/").unwrap(), "index.html");
        assert_eq!(
            output_file("/articles/a-b/").unwrap(),
            "articles/a-b/index.html"
        );
        assert_eq!(output_file("/feed.xml").unwrap(), "feed.xml");
        assert_eq!(
            output_file("/media/a%20map.png").unwrap(),
            "media/a map.png"
        );
        assert_eq!(
            output_file("/actors/%D0%BF%D1%83%D1%82%D0%B8%D0%BD/").unwrap(),
            "actors/путин/index.html"
        );
    }

    #[test]
    fn traversal_is_refused_plain_or_encoded() {
        for path in [
            "/../etc/passwd",
            "/articles/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/articles/%2e%2e%2f%2e%2e%2fsite.yaml",
            "/..%5c..%5csite.yaml",
            "/a/./b",
            "//etc/passwd",
            "/a%00.html",
            "/%ff",
            "relative",
        ] {
            assert_eq!(output_file(path), Err(Refused), "{path}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/timeline.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("media/MAP.PNG"), "image/png");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
