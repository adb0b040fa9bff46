//! `carnet lsp` through its stdio protocol: the messages an editor sends, the answers it gets.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long any one answer may take before the test fails rather than hangs.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A language client talking to the server over its standard input and output.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(site: &Path) -> Client {
        let binary = assert_cmd::cargo::cargo_bin("carnet");
        let mut child = Command::new(binary)
            .arg("lsp")
            .current_dir(site)
            .env_remove("CARNET_NO_CACHE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(value) = header.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).unwrap();
            if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, skipping the notifications that come first.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(TIMEOUT)
            .expect("the server answered in time")
    }

    fn initialize(&mut self, root: &Path) {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
        );
        assert_eq!(result["serverInfo"]["name"], "carnet");
        assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 1);
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    /// Shuts the server down as an editor does and checks that it exits cleanly.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().unwrap();
        panic!("the server did not exit after `exit`");
    }
}

/// A test that fails leaves no server behind.
impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap();
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<(String, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn blog() -> tempfile::TempDir {
    common::site_with_config(
        "title: Blog\nbaseurl: /blog\n",
        &[
            (
                "_posts/2024-01-01-premier.md",
                "---\ntitle: Premier\ntags: [rust, écriture]\n---\nBonjour.\n",
            ),
            (
                "_posts/2024-01-02-second.md",
                "---\ntitle: Second\ntags: [rust]\ncategories: notes\n---\nSuite.\n",
            ),
        ],
    )
}

const BROKEN: &str =
    "---\ntitle: Été 🙂\n---\n\nÉté 🙂 [vide]() puis (texte)[https://example.org]\n";

#[test]
fn findings_come_with_rule_codes_and_utf16_ranges_then_clear_once_fixed() {
    let site = blog();
    let post = common::write(site.path(), "_posts/2024-02-01-brouillon.md", BROKEN);
    let uri = uri(&post);
    let mut client = Client::start(site.path());
    client.initialize(site.path());
    client.open(&uri, BROKEN);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(
        codes(&diagnostics),
        [
            ("empty-link".to_string(), 4),
            ("reversed-link".to_string(), 4)
        ]
    );
    let empty = &diagnostics[0];
    // "Été 🙂 " is 7 UTF-16 units (the emoji takes two) but 12 bytes.
    assert_eq!(empty["range"]["start"], json!({"line": 4, "character": 7}));
    assert_eq!(empty["range"]["end"], json!({"line": 4, "character": 15}));
    assert_eq!(empty["severity"], 1);
    assert_eq!(empty["source"], "carnet");
    assert!(empty["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#rules"));

    let reversed = diagnostics[1].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": reversed["range"],
            "context": {"diagnostics": [reversed]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "[texte](https://example.org)");
    assert_eq!(edit["range"], reversed["range"]);
    assert_eq!(actions[0]["isPreferred"], true);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Disable reversed-link for this line"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable reversed-link for this file"),
        "{titles:?}"
    );
    let line_edit = &actions
        .iter()
        .find(|a| a["title"] == "Disable reversed-link for this line")
        .unwrap()["edit"]["changes"][&uri][0];
    assert_eq!(
        line_edit["newText"],
        " <!-- carnet-disable-line reversed-link -->"
    );
    assert_eq!(
        line_edit["range"]["start"],
        json!({"line": 4, "character": 49})
    );

    let fixed = "---\ntitle: Été 🙂\n---\n\nÉté 🙂 [vide](https://example.org/a) puis [texte](https://example.org)\n";
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": fixed}],
        }),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn a_suppression_comment_from_a_code_action_silences_the_finding() {
    let site = blog();
    let post = common::write(site.path(), "_posts/2024-02-01-brouillon.md", BROKEN);
    let uri = uri(&post);
    let mut client = Client::start(site.path());
    client.initialize(site.path());
    client.open(&uri, BROKEN);
    assert_eq!(client.diagnostics(&uri).len(), 2);
    let silenced = BROKEN.replace(
        "example.org]\n",
        "example.org] <!-- carnet-disable-line reversed-link -->\n",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": silenced}]}),
    );
    assert_eq!(
        codes(&client.diagnostics(&uri)),
        [("empty-link".to_string(), 4)]
    );
    client.shutdown();
}

#[test]
fn hover_and_completion_know_the_sites_posts_and_tags_and_follow_file_changes() {
    let site = blog();
    let text = "---\ntitle: Lien\ntags:\n  - ru\n---\nVoir [le premier]({% post_url 2024-01-01-premier %}).\n{% post_url 2024\n";
    let post = common::write(site.path(), "_posts/2024-02-01-lien.md", text);
    let uri = uri(&post);
    let mut client = Client::start(site.path());
    client.initialize(site.path());
    client.open(&uri, text);
    client.diagnostics(&uri);

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 30}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("_posts/2024-01-01-premier.md"), "{shown}");
    assert!(shown.contains("/blog/2024/01/01/premier.html"), "{shown}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("**`title`**"), "{shown}");
    assert!(
        shown.contains("URL: `/blog/2024/02/01/lien.html`"),
        "{shown}"
    );

    let complete = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let items = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let names = complete(&mut client, 6, 16);
    assert!(
        names.contains(&"2024-01-01-premier".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"2024-01-02-second".to_string()),
        "{names:?}"
    );
    assert_eq!(complete(&mut client, 3, 6), ["rust", "écriture"]);

    common::write(
        site.path(),
        "_posts/2024-01-03-troisieme.md",
        "---\ntitle: Trois\ntags: [rouille]\n---\n",
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(site.path(), "_posts/2024-01-03-troisieme.md"), "type": 1}]}),
    );
    client.diagnostics(&uri);
    assert_eq!(complete(&mut client, 3, 6), ["rouille", "rust", "écriture"]);
    assert!(complete(&mut client, 6, 16).contains(&"2024-01-03-troisieme".to_string()));
    client.shutdown();
}

fn uri_of(root: &Path, rel: &str) -> String {
    uri(&root.join(rel))
}
