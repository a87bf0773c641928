//! The benchmarks' language-server client: a child process spoken to
//! over its standard input and output, as an editor does, with the
//! workspaces and documents the benchmarks open.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::common::ms;

/// The most any one reply may take before the bench gives up.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// `SMALLBATCH_CUCUMBER_LS`, else where `install-cucumber-ls.sh` puts it.
pub fn cucumber_bin() -> Option<PathBuf> {
    let bin = std::env::var_os("SMALLBATCH_CUCUMBER_LS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(
                "../target/cucumber-ls/node_modules/@cucumber/language-server/bin/cucumber-language-server.cjs",
            )
        });
    bin.is_file().then(|| bin.canonicalize().unwrap_or(bin))
}

pub fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .map(|o| format!("node {}", String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| "node not found".into())
}

// --- The client --------------------------------------------------------------

/// A message from the server and when it was read whole.
pub struct Message {
    pub at: Instant,
    pub body: Value,
}

/// A language server child process and a synchronous client for it. A
/// thread reads its output; requests from the server are answered as they
/// are met, and messages nobody waits for are dropped.
pub struct Server {
    pub child: Child,
    pub stdin: ChildStdin,
    pub inbox: Receiver<Message>,
    pub next_id: i64,
}

impl Server {
    pub fn smallbatch(root: &Path) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_smallbatch"));
        command.args(["lsp", "--stdio"]).current_dir(root);
        Server::spawn(&mut command).expect("start smallbatch lsp --stdio")
    }

    pub fn cucumber(bin: &Path, root: &Path) -> Result<Server, String> {
        let mut command = Command::new("node");
        command.arg(bin).arg("--stdio").current_dir(root);
        Server::spawn(&mut command).map_err(|e| format!("could not start node: {e}"))
    }

    pub fn spawn(command: &mut Command) -> std::io::Result<Server> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, inbox) = mpsc::channel();
        thread::spawn(move || read_messages(stdout, &sender));
        Ok(Server {
            child,
            stdin,
            inbox,
            next_id: 1,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one message; returns when its first byte was written.
    pub fn send(&mut self, message: &Value) -> Instant {
        let body = serde_json::to_vec(message).expect("JSON");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        let start = Instant::now();
        // A server that died is noticed by whoever waits for its reply.
        let _ = self
            .stdin
            .write_all(&framed)
            .and_then(|()| self.stdin.flush());
        start
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Sends a request and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Message, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(PATIENCE, |m| m["id"] == id && m.get("method").is_none())
            .ok_or_else(|| format!("no response to {method} within {PATIENCE:?}"))
    }

    /// The next message matching `wanted` within `within`, answering the
    /// server's requests meanwhile.
    pub fn wait(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> Option<Message> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.inbox.recv_timeout(left).ok()?;
            if message.body.get("id").is_some() && message.body.get("method").is_some() {
                let result = reply_to(&message.body);
                self.send(&json!({"jsonrpc": "2.0", "id": message.body["id"], "result": result}));
            }
            if wanted(&message.body) {
                return Some(message);
            }
        }
    }

    /// `initialize` then `initialized`; when the response was read.
    pub fn initialize(&mut self, root: &Path) -> Instant {
        self.try_initialize(root).expect("initialize")
    }

    pub fn try_initialize(&mut self, root: &Path) -> Result<Instant, String> {
        self.try_initialize_with(initialize_params(root))
    }

    /// `initialize` with these parameters, then `initialized`.
    pub fn try_initialize_with(&mut self, params: Value) -> Result<Instant, String> {
        let response = self.request("initialize", params)?;
        if let Some(error) = response.body.get("error") {
            return Err(format!("initialize failed: {error}"));
        }
        self.notify("initialized", json!({}));
        Ok(response.at)
    }

    /// Waits for the work-done progress of indexing to end. A server that
    /// says nothing of progress within `quiet` is taken not to index.
    pub fn await_indexing(&mut self, quiet: Duration) -> Indexing {
        let start = Instant::now();
        let first = self.wait(quiet, |m| {
            m["method"] == "window/workDoneProgress/create" || m["method"] == "$/progress"
        });
        let Some(first) = first else {
            return Indexing::NoProgress(quiet);
        };
        if first.body["params"]["value"]["kind"] == "end" {
            return Indexing::ended(start, &first);
        }
        match self.wait(PATIENCE, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        }) {
            Some(end) => Indexing::ended(start, &end),
            None => Indexing::Unfinished(PATIENCE),
        }
    }

    /// `didOpen` → the first `publishDiagnostics` for the document.
    pub fn open(&mut self, uri: &str, language: &str, text: &str) -> Published {
        self.try_open(uri, language, text).expect("diagnostics")
    }

    pub fn try_open(&mut self, uri: &str, language: &str, text: &str) -> Result<Published, String> {
        let start = self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        let message = self
            .diagnostics(uri, None)
            .ok_or_else(|| format!("no diagnostics for {uri} within {PATIENCE:?}"))?;
        Ok(Published::since(start, &message))
    }

    /// Inserts `text` at `line`:`character` as version `version` → the
    /// `publishDiagnostics` of that version.
    pub fn insert(
        &mut self,
        uri: &str,
        version: i64,
        line: usize,
        character: usize,
        text: &str,
    ) -> Duration {
        let at = json!({"line": line, "character": character});
        let start = self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": text}]
            }),
        );
        let published = self.diagnostics(uri, Some(version));
        published.expect("diagnostics of the edit").at - start
    }

    /// The diagnostics of `uri` (at `version`, if given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Option<Message> {
        self.wait(PATIENCE, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        })
    }

    /// `shutdown`, `exit`; kills a server that does not exit soon after.
    pub fn shutdown(mut self) {
        if self.request("shutdown", Value::Null).is_ok() {
            self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A document's diagnostics: how long they took and how many there were.
pub struct Published {
    pub took: Duration,
    pub count: usize,
}

impl Published {
    pub fn since(start: Instant, message: &Message) -> Published {
        let diagnostics = message.body["params"]["diagnostics"].as_array();
        Published {
            took: message.at - start,
            count: diagnostics.map_or(0, Vec::len),
        }
    }
}

/// What the server said about indexing after `initialized`.
pub enum Indexing {
    /// How long after `initialized`, and the end's message.
    Ended(Duration, String),
    NoProgress(Duration),
    Unfinished(Duration),
}

impl Indexing {
    pub fn ended(start: Instant, end: &Message) -> Indexing {
        let message = end.body["params"]["value"]["message"].as_str();
        Indexing::Ended(end.at - start, message.unwrap_or_default().to_string())
    }
}

impl std::fmt::Display for Indexing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Indexing::Ended(d, message) => write!(
                f,
                "indexing ended {:.0} ms after initialized: {message:?}",
                ms(*d)
            ),
            Indexing::NoProgress(d) => write!(
                f,
                "no indexing progress within {:.0} s of initialized; read then",
                d.as_secs_f64()
            ),
            Indexing::Unfinished(d) => {
                write!(f, "indexing not ended after {:.0} s", d.as_secs_f64())
            }
        }
    }
}

/// Our answer to a request from the server: an empty settings object per
/// `workspace/configuration` item, else null.
pub fn reply_to(request: &Value) -> Value {
    match request["method"].as_str() {
        Some("workspace/configuration") => {
            let items = request["params"]["items"].as_array().map_or(1, Vec::len);
            Value::Array(vec![json!({}); items])
        }
        _ => Value::Null,
    }
}

pub fn initialize_params(root: &Path) -> Value {
    let uri = file_uri(root);
    json!({
        "processId": std::process::id(),
        "rootUri": uri,
        "workspaceFolders": [{"uri": uri, "name": "bench"}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "window": {"workDoneProgress": true},
            "workspace": {
                "configuration": true,
                "workspaceFolders": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true}
            },
            "textDocument": {"publishDiagnostics": {"versionSupport": true}}
        }
    })
}

/// Reads framed messages until the server closes its output.
pub fn read_messages(stdout: ChildStdout, sender: &Sender<Message>) {
    let mut reader = BufReader::new(stdout);
    while let Some(body) = read_message(&mut reader) {
        let at = Instant::now();
        let Ok(body) = serde_json::from_slice(&body) else {
            continue;
        };
        if sender.send(Message { at, body }).is_err() {
            return;
        }
    }
}

pub fn read_message(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

// --- Workspaces and generated documents ----------------------------------------

/// A temporary workspace root, marked by `.smallbatch/` (default configuration).
pub fn workspace() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::create_dir(dir.path().join(".smallbatch")).expect(".smallbatch");
    dir
}

pub fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
    fs::write(path, text).expect("write");
}

/// A `file://` URI, percent-encoding all but unreserved characters and `/`.
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().expect("a UTF-8 path").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}
