//! The preview's HTTP side: answers every request from the last good build in
//! memory, so no request can reach the file system at all — `..`, encoded
//! slashes, absolute paths and symbolic links have nothing to escape into.
//! Suspicious paths are still refused with 400 so the intent is visible.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::render::FileSet;

/// What the server shows right now. Replaced whole after each rebuild.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Rendered pages of the last good build; they win over `statics`.
    pub pages: Arc<FileSet>,
    /// The search bundle (`pagefind/…`).
    pub search: Arc<FileSet>,
    /// The theme's and the site's static files.
    pub statics: Arc<FileSet>,
    /// `/` or the sub-path of `base_url`, such as `/skills/`.
    pub base_path: String,
    /// The error page while the latest edit does not build.
    pub error_page: Option<Arc<str>>,
}

pub type Shared = Arc<RwLock<Arc<Snapshot>>>;

/// How long and how many connections the preview keeps open.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request head must arrive whole within this, and an idle keep-alive
    /// connection is closed after it (hyper arms one timer whenever it waits
    /// for a request head). It never applies while a response streams, so
    /// open reload streams stay open.
    pub header_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog
    /// until one closes.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(15),
            // Each open preview tab holds one reload stream; browsers open up
            // to six more connections per page.
            max_connections: 128,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then
/// gives requests in flight a moment (open reload streams never end).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A permit first: beyond the cap, connections wait unaccepted.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                // Out of file descriptors and the like: let connections close.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Pages stream in several writes (the reload script is appended); without
        // NODELAY, Nagle and delayed ACKs stall each response by ~40 ms.
        let _ = tcp.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(tcp), service)
                .await;
            drop(permit);
        });
    }
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_millis(300), permits.acquire_many(all)).await;
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolution {
    File(String),
    Redirect(String),
    NotFound,
    BadRequest,
}

pub fn router(state: Shared) -> Router {
    Router::new().fallback(handle).with_state(state)
}

async fn handle(State(state): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "只支持 GET 和 HEAD 请求");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = state
        .read()
        .expect("snapshot lock is never poisoned: writers only swap an Arc")
        .clone();
    let wants_last_good = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "last-good"));
    let response = match resolve(&snapshot, uri.path()) {
        Resolution::File(path)
            if path.ends_with(".html") && !wants_last_good && snapshot.error_page.is_some() =>
        {
            error_page(&snapshot)
        }
        Resolution::File(path) => {
            let bytes = snapshot
                .pages
                .get(&path)
                .or_else(|| snapshot.search.get(&path))
                .or_else(|| snapshot.statics.get(&path))
                .unwrap_or_default();
            file(StatusCode::OK, &path, bytes.to_vec())
        }
        Resolution::Redirect(to) => Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .expect("static header names"),
        Resolution::NotFound if snapshot.error_page.is_some() && !wants_last_good => {
            error_page(&snapshot)
        }
        Resolution::NotFound => match snapshot.pages.get("404.html") {
            Some(bytes) => file(StatusCode::NOT_FOUND, "404.html", bytes.to_vec()),
            None => plain(StatusCode::NOT_FOUND, "找不到这个页面"),
        },
        Resolution::BadRequest => plain(StatusCode::BAD_REQUEST, "请求的路径无效"),
    };
    if method == Method::HEAD {
        strip_body(response)
    } else {
        response
    }
}

/// Maps a raw (still percent-encoded) request path to a file of the snapshot.
pub fn resolve(snapshot: &Snapshot, raw_path: &str) -> Resolution {
    let Some(path) = decode_strictly(raw_path) else {
        return Resolution::BadRequest;
    };
    if !path.starts_with('/')
        || path.contains(['\\', '\0'])
        || path.split('/').any(|s| s == ".." || s == ".")
    {
        return Resolution::BadRequest;
    }
    let base = snapshot.base_path.as_str();
    let Some(relative) = path.strip_prefix(base) else {
        // `/skills` and `/` lead to the site's home under its sub-path.
        return if format!("{path}/") == base || path == "/" {
            Resolution::Redirect(base.to_owned())
        } else {
            Resolution::NotFound
        };
    };
    if relative.starts_with('/') {
        return Resolution::NotFound;
    }
    let file = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    if snapshot.pages.contains(&file)
        || snapshot.search.contains(&file)
        || snapshot.statics.contains(&file)
    {
        return Resolution::File(file);
    }
    if !relative.is_empty() && snapshot.pages.contains(&format!("{relative}/index.html")) {
        return Resolution::Redirect(format!("{}/", raw_path));
    }
    Resolution::NotFound
}

/// Percent-decodes a path, refusing encoded slashes and backslashes (which
/// would change how the path splits), malformed escapes and invalid UTF-8.
fn decode_strictly(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = raw
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())?;
            if byte == b'/' || byte == b'\\' || byte == 0 {
                return None;
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of an output file, with a charset for every text type.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn file(status: StatusCode, path: &str, bytes: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type(path))
        // A preview must always show the latest save.
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(Body::from(bytes))
        .expect("static header names")
}

fn error_page(snapshot: &Snapshot) -> Response {
    let html = snapshot.error_page.as_deref().unwrap_or_default();
    file(
        StatusCode::INTERNAL_SERVER_ERROR,
        "error.html",
        html.as_bytes().to_vec(),
    )
}

fn plain(status: StatusCode, text: &str) -> Response {
    file(
        status,
        "message.txt",
        format!("{} {text}\n", status.as_u16()).into_bytes(),
    )
}

fn strip_body(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(base: &str) -> Snapshot {
        let mut pages = FileSet::default();
        for path in [
            "index.html",
            "404.html",
            "regions/nanyang/index.html",
            "topics/企业职工培训/index.html",
        ] {
            pages.insert(path, "<p>page</p>");
        }
        let mut statics = FileSet::default();
        statics.insert("assets/style.css", "body{}");
        Snapshot {
            pages: Arc::new(pages),
            search: Arc::default(),
            statics: Arc::new(statics),
            base_path: base.to_owned(),
            error_page: None,
        }
    }

    #[test]
    fn pages_and_assets_under_the_base_path() {
        let s = snapshot("/skills/");
        assert_eq!(
            resolve(&s, "/skills/"),
            Resolution::File("index.html".into())
        );
        assert_eq!(
            resolve(&s, "/skills/regions/nanyang/"),
            Resolution::File("regions/nanyang/index.html".into())
        );
        assert_eq!(
            resolve(&s, "/skills/assets/style.css"),
            Resolution::File("assets/style.css".into())
        );
        assert_eq!(
            resolve(&s, "/skills/regions/nanyang"),
            Resolution::Redirect("/skills/regions/nanyang/".into())
        );
        assert_eq!(
            resolve(&s, "/skills"),
            Resolution::Redirect("/skills/".into())
        );
        assert_eq!(resolve(&s, "/"), Resolution::Redirect("/skills/".into()));
        assert_eq!(resolve(&s, "/regions/nanyang/"), Resolution::NotFound);
        let encoded = format!(
            "/skills/topics/{}/",
            crate::render::urls::encode_segment("企业职工培训")
        );
        assert_eq!(
            resolve(&s, &encoded),
            Resolution::File("topics/企业职工培训/index.html".into())
        );
    }

    #[test]
    fn traversal_is_refused() {
        let s = snapshot("/");
        for path in [
            "/../etc/passwd",
            "/assets/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/assets%2f..%2f..%2fetc%2fpasswd",
            "/assets%2F%2E%2E%2Fetc",
            "/..%5c..%5cetc%5cpasswd",
            "/assets\\..\\secret",
            "/%00",
            "/%c0%ae%c0%ae/etc/passwd",
            "/./index.html",
            "/%zz",
        ] {
            assert_eq!(resolve(&s, path), Resolution::BadRequest, "{path}");
        }
        for path in [
            "//etc/passwd",
            "/etc/passwd",
            "/Cargo.toml",
            "/content/site.yaml",
        ] {
            assert_eq!(resolve(&s, path), Resolution::NotFound, "{path}");
        }
    }

    #[test]
    fn text_types_carry_a_charset() {
        for path in [
            "a.html",
            "a.css",
            "a.js",
            "a.svg",
            "a.json",
            "a.csv",
            "sitemap.xml",
            "feed.xml",
            "robots.txt",
        ] {
            assert!(content_type(path).ends_with("charset=utf-8"), "{path}");
        }
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("pagefind/wasm.unknown.pagefind"),
            "application/octet-stream"
        );
    }
    /// Runs `run` on a free loopback port with the given limits; the runtime
    /// lives as long as the returned value.
    fn start(
        limits: Limits,
    ) -> (
        tokio::runtime::Runtime,
        std::net::SocketAddr,
        tower_livereload::Reloader,
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let livereload =
            tower_livereload::LiveReloadLayer::new().custom_prefix(crate::serve::LIVERELOAD_PREFIX);
        let reloader = livereload.reloader();
        let state: Shared = Arc::new(RwLock::new(Arc::new(snapshot("/"))));
        let app = router(state).layer(livereload);
        runtime.spawn(run(listener, app, limits, std::future::pending()));
        (runtime, addr, reloader)
    }

    fn connect(addr: std::net::SocketAddr) -> std::net::TcpStream {
        let stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// Reads until the server closes; how long that took.
    fn time_to_close(stream: &mut std::net::TcpStream) -> Duration {
        use std::io::Read;
        let started = std::time::Instant::now();
        let mut sink = Vec::new();
        match stream.read_to_end(&mut sink) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("still open after {:?}: {e}", started.elapsed()),
        }
        started.elapsed()
    }

    const SHORT: Limits = Limits {
        header_timeout: Duration::from_millis(400),
        max_connections: 8,
    };

    #[test]
    fn a_half_sent_request_is_cut_off() {
        use std::io::Write;
        let (_runtime, addr, _) = start(SHORT);
        let mut slow = connect(addr);
        slow.write_all(b"GET /index.ht").unwrap();
        let waited = time_to_close(&mut slow);
        assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    }

    #[test]
    fn an_idle_keep_alive_connection_is_closed() {
        use std::io::{BufRead, BufReader, Write};
        let (_runtime, addr, _) = start(SHORT);
        let mut idle = connect(addr);
        idle.write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(idle.try_clone().unwrap());
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let waited = time_to_close(&mut idle);
        assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    }

    #[test]
    fn reload_streams_outlive_the_idle_timeout() {
        use std::io::{BufRead, BufReader, Write};
        let (_runtime, addr, reloader) = start(SHORT);
        let mut stream = connect(addr);
        write!(
            stream,
            "GET {}/event-stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
            crate::serve::LIVERELOAD_PREFIX
        )
        .unwrap();
        let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
        let mut next_event = || lines.find_map(|l| l.strip_prefix("event: ").map(str::to_owned));
        assert_eq!(next_event().as_deref(), Some("init"));
        std::thread::sleep(SHORT.header_timeout * 4);
        reloader.reload();
        assert_eq!(next_event().as_deref(), Some("reload"));
    }

    #[test]
    fn connections_beyond_the_cap_wait_for_a_free_one() {
        use std::io::{BufRead, BufReader, Write};
        let (_runtime, addr, _) = start(Limits {
            header_timeout: Duration::from_secs(30),
            max_connections: 2,
        });
        let first = connect(addr);
        let _second = connect(addr);
        let mut third = connect(addr);
        third
            .write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        third
            .set_read_timeout(Some(Duration::from_millis(700)))
            .unwrap();
        let mut reader = BufReader::new(third.try_clone().unwrap());
        let mut status = String::new();
        assert!(
            reader.read_line(&mut status).is_err(),
            "served beyond the cap: {status}"
        );
        drop(first);
        third
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    }
}
