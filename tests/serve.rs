//! `carnet serve` through real HTTP on 127.0.0.1: pages, 404, the live-reload stream after an
//! edit, the findings' overlay, an unreadable post, a port in use and Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails rather than hangs.
const TIMEOUT: Duration = Duration::from_secs(20);

struct Serving {
    child: Child,
    /// `127.0.0.1:PORT`.
    address: String,
    /// The server's stderr, line by line.
    stderr: mpsc::Receiver<String>,
}

impl Serving {
    fn start(site: &std::path::Path) -> Serving {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("carnet"))
            .args(["serve", "--port", "0"])
            .current_dir(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (lines, stderr) = mpsc::channel();
        let errors = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in errors.lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        assert!(line.contains("/blog/"), "{line}");
        Serving {
            child,
            address,
            stderr,
        }
    }

    /// Reads the server's stderr until a line holding every one of `wanted` arrives.
    fn wait_stderr(&self, wanted: &[&str]) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        while let Ok(line) = self
            .stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if wanted.iter().all(|w| line.contains(w)) {
                return line;
            }
            seen.push(line);
        }
        panic!("no line with {wanted:?} on stderr: {seen:#?}");
    }

    fn connect(&self, path: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        stream
    }

    /// The status and body at `path`.
    fn get(&self, path: &str) -> (u16, String) {
        let mut response = String::new();
        self.connect(path).read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response.split_once("\r\n\r\n").unwrap().1.to_string();
        (status, body)
    }

    /// The status and body at `path` once `ready` holds of them, or when the time is up.
    fn get_until(&self, path: &str, ready: impl Fn(u16, &str) -> bool) -> (u16, String) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let (status, body) = self.get(path);
            if ready(status, &body) || Instant::now() > deadline {
                return (status, body);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server as Ctrl-C does and checks that it exits cleanly.
    fn interrupt(mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().unwrap();
        panic!("the server did not stop on Ctrl-C");
    }
}

/// A test that fails leaves no server behind.
impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads an event stream until `wanted` arrives.
fn wait_for(stream: &mut TcpStream, wanted: &str) -> String {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = Vec::new();
    let mut buffer = [0; 1024];
    while Instant::now() < deadline {
        let read = stream.read(&mut buffer).unwrap();
        assert!(
            read > 0,
            "stream closed: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..read]);
        if String::from_utf8_lossy(&seen).contains(wanted) {
            return String::from_utf8_lossy(&seen).into_owned();
        }
    }
    panic!("no {wanted:?} in {}", String::from_utf8_lossy(&seen));
}

/// Checks that no event comes on the stream for `quiet`.
fn assert_quiet(stream: &mut TcpStream, quiet: Duration) {
    stream.set_read_timeout(Some(quiet)).unwrap();
    let mut buffer = [0; 1024];
    match stream.read(&mut buffer) {
        Ok(read) => panic!("unexpected: {}", String::from_utf8_lossy(&buffer[..read])),
        Err(error) => assert!(
            matches!(
                error.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "{error}"
        ),
    }
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
}

fn blog() -> tempfile::TempDir {
    common::site_with_config(
        "title: Carnet\nbaseurl: /blog\n",
        &[
            (
                "_posts/2024-01-01-premier.md",
                "---\ntitle: Premier billet\ntags: [rust]\n---\nBonjour à tous.\n",
            ),
            (
                "_posts/2024-01-02-second.md",
                "---\ntitle: Second billet\n---\nLa suite.\n",
            ),
        ],
    )
}

#[test]
fn pages_are_served_at_their_permalinks_and_reload_after_an_edit() {
    let site = blog();
    let server = Serving::start(site.path());
    let (status, index) = server.get("/blog/");
    assert_eq!(status, 200);
    assert!(index.contains("Premier billet") && index.contains("Second billet"));
    assert!(index.contains("new EventSource(\"/__carnet/events\")"));
    let (status, post) = server.get("/blog/2024/01/01/premier.html");
    assert_eq!(status, 200);
    assert!(post.contains("Bonjour à tous."), "{post}");
    assert!(!post.contains("carnet-findings"));
    let (status, tag) = server.get("/blog/tags/rust/");
    assert_eq!(status, 200);
    assert!(tag.contains("Premier billet") && !tag.contains("Second billet"));
    assert_eq!(server.get("/blog/2024/01/01/absent.html").0, 404);
    assert_eq!(server.get("/2024/01/01/premier.html").0, 404);

    let mut events = server.connect("/__carnet/events");
    let head = wait_for(&mut events, ": carnet");
    assert!(head.contains("text/event-stream"), "{head}");
    common::write(
        site.path(),
        "_posts/2024-01-01-premier.md",
        "---\ntitle: Premier billet revu\ntags: [rust]\n---\nBonjour, voir (ici)[https://example.org].\n",
    );
    // Two reloads, the new page then its findings; rebuilding reads the post again: that must not
    // count as another change.
    if wait_for(&mut events, "data: reload")
        .matches("data: reload")
        .count()
        < 2
    {
        wait_for(&mut events, "data: reload");
    }
    assert_quiet(&mut events, Duration::from_millis(1500));
    let (status, post) = server.get("/blog/2024/01/01/premier.html");
    assert_eq!(status, 200);
    assert!(post.contains("Bonjour, voir"), "{post}");
    assert!(post.contains("carnet-findings"), "{post}");
    assert_eq!(
        post.matches("5:15 error[reversed-link]").count(),
        1,
        "{post}"
    );
    let (_, tag) = server.get("/blog/tags/rust/");
    assert!(tag.contains("Premier billet revu"), "{tag}");
    let (_, index) = server.get("/blog/");
    assert!(index.contains("Premier billet revu"), "{index}");

    common::write(
        site.path(),
        "_posts/2024-01-02-second.md",
        b"---\ntitle: x\n---\n\xff\n",
    );
    wait_for(&mut events, "data: reload");
    let (status, page) = server.get_until("/blog/", |status, _| status == 500);
    assert_eq!(status, 500);
    assert!(
        page.contains("2024-01-02-second.md") && page.contains("UTF-8"),
        "{page}"
    );
    // A change made while the site cannot be built shows once it can.
    common::write(
        site.path(),
        "_posts/2024-01-01-premier.md",
        "---\ntitle: Premier billet encore\n---\nBonjour.\n",
    );
    wait_for(&mut events, "data: reload");
    common::write(
        site.path(),
        "_posts/2024-01-02-second.md",
        "---\ntitle: Revenu\n---\n",
    );
    let (status, index) = server.get_until("/blog/", |status, body| {
        status == 200 && body.contains("Premier billet encore")
    });
    assert_eq!(status, 200);
    assert!(index.contains("Revenu") && index.contains("Premier billet encore"));
    server.interrupt();
}

#[test]
fn findings_and_unreadable_posts_are_printed_in_the_terminal() {
    let site = blog();
    let server = Serving::start(site.path());
    let mut events = server.connect("/__carnet/events");
    wait_for(&mut events, ": carnet");
    common::write(
        site.path(),
        "_posts/2024-01-01-premier.md",
        "---\ntitle: Premier billet\n---\nVoir (ici)[https://example.org].\n",
    );
    server.wait_stderr(&["2024-01-01-premier.md:4:6: error[reversed-link]"]);
    common::write(
        site.path(),
        "_posts/2024-01-02-second.md",
        b"---\ntitle: x\n---\n\xff\n",
    );
    server.wait_stderr(&["error", "2024-01-02-second.md", "UTF-8"]);
    server.interrupt();
}

/// A post moved by its front matter leaves its old URL (404) for its new one, and the lists
/// follow it.
#[test]
fn a_post_moved_by_its_date_leaves_its_old_url() {
    let site = blog();
    let server = Serving::start(site.path());
    let mut events = server.connect("/__carnet/events");
    wait_for(&mut events, ": carnet");
    common::write(
        site.path(),
        "_posts/2024-01-01-premier.md",
        "---\ntitle: Premier billet\ndate: 2024-03-05\ntags: [go]\n---\nBonjour à tous.\n",
    );
    wait_for(&mut events, "data: reload");
    let moved = server.get_until("/blog/2024/01/01/premier.html", |status, _| status == 404);
    assert_eq!(moved.0, 404);
    let (status, post) = server.get("/blog/2024/03/05/premier.html");
    assert_eq!(status, 200);
    assert!(post.contains("Bonjour à tous."), "{post}");
    assert_eq!(server.get("/blog/tags/rust/").0, 404);
    let (status, tag) = server.get("/blog/tags/go/");
    assert_eq!(status, 200);
    assert!(tag.contains("Premier billet"), "{tag}");
    let (_, index) = server.get("/blog/");
    let (first, second) = (
        index.find("Premier billet").unwrap(),
        index.find("Second billet").unwrap(),
    );
    assert!(first < second, "the moved post is now the newest: {index}");
    let (_, older) = server.get("/blog/2024/01/02/second.html");
    assert!(older.contains("2024/03/05/premier.html"), "{older}");
    server.interrupt();
}

#[test]
fn a_port_in_use_is_named_with_the_way_out() {
    let site = blog();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = common::carnet()
        .current_dir(site.path())
        .args(["serve", "--port", &port])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("127.0.0.1:{port}: address already in use"))
            && stderr.contains("--port"),
        "{stderr}"
    );
}
