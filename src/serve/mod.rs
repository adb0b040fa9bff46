//! `carnet serve`: the HTML export of the site served from memory, rebuilt when a file changes,
//! with pages that reload themselves and show the lint findings of the post just changed (once
//! linted, after the pages).

mod build;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

pub use build::{Findings, Pages, Preview, Spent};

use crate::escape::html as escape_html;
use crate::lint::Diagnostic;

/// The path of the live-reload event stream, outside any `baseurl`.
pub const EVENTS: &str = "/__carnet/events";

/// How long an event stream waits before sending a comment, so a dead connection is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Another program listens on the address.
    #[error("{0}: address already in use; pick another port with --port")]
    InUse(String),
    /// Anything else the system refused.
    #[error("{address}: cannot listen: {message}")]
    Bind {
        /// The address asked for.
        address: String,
        /// What the system said.
        message: String,
    },
}

/// The running preview: its pages, and the count of rebuilds that open pages wait on.
pub struct State {
    pages: RwLock<Pages>,
    /// The lint findings shown, by the file of their page.
    findings: RwLock<Findings>,
    baseurl: String,
    generation: Mutex<u64>,
    rebuilt: Condvar,
}

impl State {
    /// The first pages of a site whose `baseurl` is `baseurl`.
    pub fn new(pages: Pages, baseurl: &str) -> Arc<State> {
        Arc::new(State {
            pages: RwLock::new(pages),
            findings: RwLock::new(Findings::new()),
            baseurl: baseurl.trim_end_matches('/').to_string(),
            generation: Mutex::new(0),
            rebuilt: Condvar::new(),
        })
    }

    /// Replaces the pages and tells every open page to reload.
    pub fn replace(&self, pages: Pages) {
        *self.pages.write().unwrap_or_else(|e| e.into_inner()) = pages;
        self.reload();
    }

    /// Shows `findings` on their pages instead of the last ones; open pages reload when what the
    /// pages show changed.
    pub fn show(&self, findings: Findings) {
        let mut shown = self.findings.write().unwrap_or_else(|e| e.into_inner());
        let overlays = |findings: &Findings| -> BTreeMap<String, String> {
            findings
                .iter()
                .map(|(file, list)| (file.clone(), overlay(list)))
                .collect()
        };
        let changed = overlays(&shown) != overlays(&findings);
        *shown = findings;
        drop(shown);
        if changed {
            self.reload();
        }
    }

    fn reload(&self) {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.rebuilt.notify_all();
    }

    /// The URL path of the site's home page.
    pub fn home(&self) -> String {
        format!("{}/", self.baseurl)
    }
}

/// Listens on `host:port`; a port taken is a [`ServeError::InUse`] naming it.
pub fn bind(host: &str, port: u16) -> Result<(Server, SocketAddr), ServeError> {
    let address = format!("{host}:{port}");
    let server = Server::http(&address).map_err(|error| {
        let in_use = error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        if in_use {
            ServeError::InUse(address.clone())
        } else {
            ServeError::Bind {
                address: address.clone(),
                message: error.to_string(),
            }
        }
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind {
            address,
            message: "not an IP address".to_string(),
        })?;
    Ok((server, bound))
}

/// Answers one request, on its own thread so that event streams do not hold the others up.
pub fn respond(state: &Arc<State>, request: Request) {
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        let path = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_string();
        if path == EVENTS {
            stream_events(&state, request);
            return;
        }
        let (status, content_type, body) = page(&state, &path);
        let response = Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", content_type))
            .with_header(header("Cache-Control", "no-store"));
        // A client gone before the answer is not the server's problem.
        let _ = request.respond(response);
    });
}

/// The status, type and bytes served at `path`.
fn page(state: &State, path: &str) -> (u16, &'static str, Vec<u8>) {
    let pages = state.pages.read().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = &pages.error {
        let body = format!(
            "<h1>The site cannot be built</h1>\n<pre>{}</pre>",
            escape_html(error)
        );
        return (500, "text/html; charset=utf-8", html_page(&body));
    }
    let Some(rel) = path.strip_prefix(&state.baseurl) else {
        return not_found(path);
    };
    let mut file = build::page_file(rel);
    if !pages.files.contains_key(&file) && !file.contains('.') {
        file.push_str("/index.html");
    }
    let Some(bytes) = pages.files.get(&file) else {
        return not_found(path);
    };
    let content_type = content_type(&file);
    if content_type.starts_with("text/html") {
        let findings = state.findings.read().unwrap_or_else(|e| e.into_inner());
        let findings = findings.get(&file).map_or(&[][..], Vec::as_slice);
        return (200, content_type, with_reload(bytes, findings));
    }
    (200, content_type, bytes.to_vec())
}

fn not_found(path: &str) -> (u16, &'static str, Vec<u8>) {
    let body = format!(
        "<h1>Not found</h1>\n<p>No page at <code>{}</code>.</p>",
        escape_html(path)
    );
    (404, "text/html; charset=utf-8", html_page(&body))
}

fn html_page(body: &str) -> Vec<u8> {
    let page = format!(
        "<!doctype html>\n<meta charset=\"utf-8\">\n<title>carnet serve</title>\n{body}\n</body>"
    );
    with_reload(page.as_bytes(), &[])
}

/// The findings' overlay of a page, nothing when there are none.
fn overlay(findings: &[Diagnostic]) -> String {
    let mut extra = String::new();
    if !findings.is_empty() {
        extra.push_str(
            "<div id=\"carnet-findings\" style=\"position:fixed;bottom:0;left:0;right:0;\
             max-height:40%;overflow:auto;background:#fff3f3;color:#600;border-top:2px solid #c00;\
             font:14px/1.4 monospace;padding:.5em 1em;z-index:2147483647\">\n",
        );
        for d in findings {
            extra.push_str(&format!(
                "<div>{}:{} {}[{}] {}</div>\n",
                d.start.line,
                d.start.column,
                d.severity,
                d.rule.name,
                escape_html(&d.message)
            ));
        }
        extra.push_str("</div>\n");
    }
    extra
}

/// A page with the live-reload script, and the findings' overlay when there are any.
fn with_reload(html: &[u8], findings: &[Diagnostic]) -> Vec<u8> {
    let mut extra = format!(
        "<script>new EventSource(\"{EVENTS}\").onmessage = () => location.reload();</script>\n"
    );
    extra.push_str(&overlay(findings));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// A Server-Sent Events stream: one `reload` event per rebuild, until the page goes away.
fn stream_events(state: &State, request: Request) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\n: carnet\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    let mut seen = *state.generation.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let generation = state.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (generation, _) = state
            .rebuilt
            .wait_timeout_while(generation, KEEP_ALIVE, |g| *g == seen)
            .unwrap_or_else(|e| e.into_inner());
        let message = if *generation == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = *generation;
            "data: reload\n\n".to_string()
        };
        drop(generation);
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("xml") => "application/atom+xml; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The changed files a watcher reported that matter to the preview: the site's Markdown files.
/// Each once, whatever the number of events.
pub fn relevant(paths: Vec<PathBuf>, site: &crate::site::Site) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| {
            site.relative(path)
                .is_some_and(|rel| crate::site::classify(&rel).is_some())
        })
        .collect();
    paths.sort();
    paths.dedup();
    paths
}
