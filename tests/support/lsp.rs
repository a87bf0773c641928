//! A test client for the language server: in process over in-memory pipes, or
//! the real binary over stdio. Messages the test did not read are an error at
//! `shutdown`, so nothing the server says goes unnoticed.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::Path;
use std::pin::Pin;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

type Reader = BufReader<Pin<Box<dyn AsyncRead + Send>>>;
type Writer = Pin<Box<dyn AsyncWrite + Send>>;

/// How long to wait for any one message before failing the test.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct TestClient {
    reader: Reader,
    writer: Writer,
    unread: VecDeque<Value>,
    next_id: i64,
    child: Option<tokio::process::Child>,
    /// Requests from the server that the test expects (answered with null).
    pub answered: Vec<Value>,
}

impl TestClient {
    /// The server in this process, over in-memory pipes.
    pub fn in_process() -> TestClient {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        tokio::spawn(smallbatch::lsp::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client_end);
        TestClient::over(Box::pin(read), Box::pin(write), None)
    }

    /// The real binary, `smallbatch lsp --stdio`, started in `cwd`.
    pub fn spawn(cwd: &Path) -> TestClient {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_smallbatch"))
            .args(["lsp", "--stdio"])
            .current_dir(cwd)
            // Verbose logs must all go to stderr: stdout is read as frames only.
            .env("SMALLBATCH_LOG", "debug")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start smallbatch lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        TestClient::over(Box::pin(stdout), Box::pin(stdin), Some(child))
    }

    fn over(
        read: Pin<Box<dyn AsyncRead + Send>>,
        write: Writer,
        child: Option<tokio::process::Child>,
    ) -> TestClient {
        TestClient {
            reader: BufReader::new(read),
            writer: write,
            unread: VecDeque::new(),
            next_id: 1,
            child,
            answered: Vec::new(),
        }
    }

    /// `initialize` (offering `encodings`) then `initialized`; the result.
    pub async fn initialize(&mut self, root: &Path, encodings: &[&str]) -> Value {
        let uri = file_uri(root);
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri,
                    "workspaceFolders": [{"uri": uri, "name": "root"}],
                    "capabilities": {
                        "general": {"positionEncodings": encodings},
                        "window": {"workDoneProgress": true},
                        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true},
                                      "codeLens": {"refreshSupport": true},
                                      "inlayHint": {"refreshSupport": true},
                                      "applyEdit": true}
                    }
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result.expect("initialize succeeds")
    }

    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("JSON");
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer
            .write_all(header.as_bytes())
            .await
            .expect("write header");
        self.writer.write_all(&body).await.expect("write body");
        self.writer.flush().await.expect("flush");
    }

    /// Writes `bytes` as they are: for frames the server must refuse.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write bytes");
        self.writer.flush().await.expect("flush");
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        let response = self
            .take(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .await;
        match response.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// The next notification `method` whose params satisfy `wanted`.
    pub async fn notification(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        self.take(|m| m["method"] == method && m.get("id").is_none() && wanted(&m["params"]))
            .await["params"]
            .clone()
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let params = self
            .notification("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && version.is_none_or(|v| p["version"] == v)
            })
            .await;
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits for a message matching `wanted`, keeping the others unread.
    pub async fn take(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.unread.iter().position(&wanted) {
            return self.unread.remove(i).expect("present");
        }
        loop {
            let message = tokio::time::timeout(PATIENCE, self.read())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no such message within {PATIENCE:?}; unread: {:#?}",
                        self.unread
                    )
                });
            // Requests from the server are answered at once, so that nothing waits.
            if message.get("id").is_some() && message.get("method").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                self.send(&reply).await;
                self.answered.push(message.clone());
                if wanted(&message) {
                    return message;
                }
                continue;
            }
            if wanted(&message) {
                return message;
            }
            self.unread.push_back(message);
        }
    }

    async fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .await
                .expect("read a header");
            assert!(
                n > 0,
                "the server closed its output; unread: {:#?}",
                self.unread
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.parse::<usize>().expect("a length"));
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.reader
            .read_exact(&mut body)
            .await
            .expect("read a body");
        serde_json::from_slice(&body).expect("the body is JSON")
    }

    /// Reads every message matching `wanted` until none has come for
    /// `quiet`, and returns how many there were: for messages whose number
    /// is not the test's subject (re-published diagnostics).
    pub async fn drain(&mut self, wanted: impl Fn(&Value) -> bool, quiet: Duration) -> usize {
        let before = self.unread.len();
        self.unread.retain(|m| !wanted(m));
        let mut count = before - self.unread.len();
        while let Ok(message) = tokio::time::timeout(quiet, self.read()).await {
            if message.get("id").is_some() && message.get("method").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                self.send(&reply).await;
                self.answered.push(message.clone());
            }
            if wanted(&message) {
                count += 1;
            } else if message.get("method").is_none() || message.get("id").is_none() {
                self.unread.push_back(message);
            }
        }
        count
    }

    /// Drops unread messages that match `noise` (e.g. progress, logs).
    pub fn ignore(&mut self, noise: impl Fn(&Value) -> bool) {
        self.unread.retain(|m| !noise(m));
    }

    /// shutdown, exit; fails when a message was left unread or the server
    /// did not exit with status 0.
    pub async fn shutdown(mut self) {
        self.request("shutdown", Value::Null)
            .await
            .expect("shutdown succeeds");
        if let Some(status) = self.exit().await {
            assert!(status.success(), "the server exited with {status}");
        }
    }

    /// shutdown, then exit, dropping the unread messages that match `noise`
    /// — also those that arrive while the shutdown is answered (a refresh
    /// after a command may publish late).
    pub async fn shutdown_ignoring(mut self, noise: impl Fn(&Value) -> bool) {
        self.request("shutdown", Value::Null)
            .await
            .expect("shutdown succeeds");
        self.ignore(noise);
        if let Some(status) = self.exit().await {
            assert!(status.success(), "the server exited with {status}");
        }
    }

    /// exit (with or without a shutdown before it); the binary's exit status.
    /// Fails when a message was left unread.
    pub async fn exit(mut self) -> Option<std::process::ExitStatus> {
        self.notify("exit", Value::Null).await;
        let status = match self.child.take() {
            Some(mut child) => Some(
                tokio::time::timeout(PATIENCE, child.wait())
                    .await
                    .expect("the server exits after exit")
                    .expect("wait for the server"),
            ),
            None => None,
        };
        let unread: Vec<&Value> = self
            .unread
            .iter()
            .filter(|m| m["method"] != "$/progress" && m["method"] != "window/logMessage")
            .collect();
        assert!(unread.is_empty(), "messages left unread: {unread:#?}");
        status
    }
}

pub fn file_uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .expect("an absolute path")
        .as_str()
        .to_string()
}

/// Applies LSP text edits (UTF-16 positions) to a text.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().expect("line") as usize;
        let character = p["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let range = &e["range"];
            let new_text = e["newText"].as_str().expect("newText");
            (offset(&range["start"]), offset(&range["end"]), new_text)
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

/// The lenses' (line, title) pairs.
pub async fn lenses(client: &mut TestClient, uri: &str) -> Vec<(u64, String)> {
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("code lenses");
    lenses
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            let line = l["range"]["start"]["line"].as_u64().expect("a line");
            (
                line,
                l["command"]["title"].as_str().expect("a title").to_string(),
            )
        })
        .collect()
}

/// The titles and commands of the code actions at a position.
pub async fn actions_at(
    client: &mut TestClient,
    uri: &str,
    line: u32,
    character: u32,
) -> Vec<(String, Value)> {
    let at = json!({"line": line, "character": character});
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
        )
        .await
        .expect("code actions");
    actions
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a.get("command").is_some())
        .map(|a| {
            (
                a["title"].as_str().expect("a title").to_string(),
                a["command"].clone(),
            )
        })
        .collect()
}
