//! `cargo bench --bench lsp`: drives the real `smallbatch lsp --stdio` over
//! its standard input and output, as an editor does, and prints:
//!
//! 1. launch → the `initialize` response;
//! 2. `didOpen` of a 12,000-line `.feature` (2,000 scenarios) → its
//!    `publishDiagnostics`;
//! 3. `didOpen` of a ~1 MB spec (front matter, sections, a gherkin block, the
//!    order and a log, under `specs/`) → its `publishDiagnostics`;
//! 4. 200 one-character incremental edits of that spec, one at a time, each
//!    → the `publishDiagnostics` of its version (p50 and p99);
//! 5. the server's resident memory (VmRSS) once it has indexed a workspace
//!    of 1,000 specs;
//! 6. the `.feature` of (2) through Cucumber's own language server (npm
//!    `@cucumber/language-server`, installed by `install-cucumber-ls.sh`),
//!    and the ratio of the two medians.
//!
//! Times run from the first byte of the message written to the reply read
//! whole. Figures are medians (with min and max) over fresh servers. Tests
//! never assert on time; this program only prints.

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

mod common;
mod corpus;
use common::{machine, median, ms, timings};
use corpus::{BIG_SPEC, SMALL_SPEC, generate_feature, generate_spec};

const LAUNCHES: usize = 21;
const OPENS: usize = 21;
const CUCUMBER_OPENS: usize = 11;
const EDITS: usize = 200;
const INDEXED_SPECS: usize = 1_000;
/// The most any one reply may take before the bench gives up.
const PATIENCE: Duration = Duration::from_secs(60);
/// How long a server may stay silent after `initialized` before we take it
/// that it is not indexing.
const QUIET: Duration = Duration::from_millis(300);

fn main() {
    println!("machine: {}", machine());
    let feature = generate_feature(2_000);
    let spec = generate_spec(0, &BIG_SPEC);

    println!();
    println!("(1) launch → initialize response, `smallbatch lsp --stdio` in an empty workspace");
    report(&mut launches());

    println!();
    println!(
        "(2) didOpen → publishDiagnostics: one .feature, {} lines, 2,000 scenarios, {} KiB",
        feature.lines().count(),
        feature.len() / 1024
    );
    let smallbatch = report_published(&opens(&feature, "features/generated.feature", "gherkin"));

    println!();
    println!(
        "(3) didOpen → publishDiagnostics: one spec, {} lines, {:.2} MB, {} scenarios in a gherkin block",
        spec.lines().count(),
        spec.len() as f64 / 1e6,
        BIG_SPEC.scenarios
    );
    report_published(&opens(&spec, "specs/big/README.md", "markdown"));

    println!();
    println!(
        "(4) {EDITS} one-character edits of that spec (incremental didChange) → publishDiagnostics of each version"
    );
    report_percentiles(&mut edits(&spec));

    println!();
    println!("(5) resident memory after indexing {INDEXED_SPECS} specs");
    memory();

    println!();
    println!(
        "(6) the .feature of (2) through Cucumber's language server: didOpen → publishDiagnostics"
    );
    cucumber(&feature, smallbatch);
}

// --- The measurements -------------------------------------------------------

/// (1): spawn to the `initialize` response, fresh process each time.
fn launches() -> Vec<Duration> {
    let dir = workspace();
    (0..LAUNCHES)
        .map(|_| {
            let start = Instant::now();
            let mut server = Server::smallbatch(dir.path());
            let reply = server.initialize(dir.path());
            server.shutdown();
            reply - start
        })
        .collect()
}

/// (2), (3): `didOpen` of `text` at `path` in a workspace → diagnostics,
/// on a fresh server each time.
fn opens(text: &str, path: &str, language: &str) -> Vec<Published> {
    let dir = workspace();
    write(&dir.path().join(path), text);
    let uri = file_uri(&dir.path().join(path));
    (0..OPENS)
        .map(|_| {
            let mut server = Server::smallbatch(dir.path());
            server.initialize(dir.path());
            server.await_indexing(QUIET);
            let published = server.open(&uri, language, text);
            server.shutdown();
            published
        })
        .collect()
}

/// (4): one server, the spec open; each edit inserts one character at the
/// start of a feature-description line and waits for that version's
/// diagnostics.
fn edits(spec: &str) -> Vec<Duration> {
    let dir = workspace();
    let path = dir.path().join("specs/big/README.md");
    write(&path, spec);
    let uri = file_uri(&path);
    let lines: Vec<usize> = spec
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- Constraint"))
        .map(|(n, _)| n)
        .collect();
    let mut server = Server::smallbatch(dir.path());
    server.initialize(dir.path());
    server.await_indexing(QUIET);
    server.open(&uri, "markdown", spec);
    let took = (0..EDITS)
        .map(|k| server.insert(&uri, k as i64 + 2, lines[k % lines.len()], 2, "x"))
        .collect();
    server.shutdown();
    took
}

/// (5): VmRSS of a server that indexed 1,000 specs, and of one in an empty
/// workspace for scale.
fn memory() {
    let dir = workspace();
    for i in 0..INDEXED_SPECS {
        let folder = dir.path().join(format!("specs/{:04}-feature-{i}", i + 1));
        write(&folder.join("README.md"), &generate_spec(i, &SMALL_SPEC));
    }
    let empty = workspace();
    for (what, root) in [
        (format!("{INDEXED_SPECS} specs"), dir.path()),
        ("an empty workspace".to_string(), empty.path()),
    ] {
        let mut server = Server::smallbatch(root);
        server.initialize(root);
        let indexing = server.await_indexing(Duration::from_secs(3));
        let (rss, peak) = resident_memory(server.pid());
        println!(
            "    {what}: VmRSS {:.1} MB   VmHWM {:.1} MB   ({indexing})",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        server.shutdown();
    }
}

/// (6): Cucumber's language server on the `.feature` of (2), when installed.
fn cucumber(feature: &str, smallbatch: Duration) {
    let Some(bin) = cucumber_bin() else {
        println!("    skipped: Cucumber's language server is not installed. Install it with");
        println!("        server/benches/install-cucumber-ls.sh");
        println!("    (npm install --prefix target/cucumber-ls --install-strategy=nested \\");
        println!("        @cucumber/language-server), or set");
        println!("    SMALLBATCH_CUCUMBER_LS to the path of its bin/cucumber-language-server.cjs");
        return;
    };
    println!("    {}, {}", bin.display(), node_version());
    match cucumber_opens(&bin, feature) {
        Ok(runs) => {
            let theirs = report_published(&runs);
            println!(
                "    ratio Cucumber / smallbatch: {:.0}× ({:.2} ms / {:.2} ms)",
                theirs.as_secs_f64() / smallbatch.as_secs_f64(),
                ms(theirs),
                ms(smallbatch)
            );
        }
        Err(error) => println!("    skipped: {error}"),
    }
}

fn cucumber_opens(bin: &Path, feature: &str) -> Result<Vec<Published>, String> {
    let dir = workspace();
    let path = dir.path().join("features/generated.feature");
    write(&path, feature);
    let uri = file_uri(&path);
    let mut runs = Vec::new();
    for _ in 0..CUCUMBER_OPENS {
        let mut server = Server::cucumber(bin, dir.path())?;
        server.try_initialize(dir.path())?;
        // Its first reindex ends with a semantic-tokens refresh; open after it.
        server.wait(Duration::from_secs(10), |m| {
            m["method"] == "workspace/semanticTokens/refresh"
        });
        runs.push(server.try_open(&uri, "cucumber", feature)?);
        server.shutdown();
    }
    Ok(runs)
}

/// `SMALLBATCH_CUCUMBER_LS`, else where `install-cucumber-ls.sh` puts it.
fn cucumber_bin() -> Option<PathBuf> {
    let bin = std::env::var_os("SMALLBATCH_CUCUMBER_LS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(
                "../target/cucumber-ls/node_modules/@cucumber/language-server/bin/cucumber-language-server.cjs",
            )
        });
    bin.is_file().then(|| bin.canonicalize().unwrap_or(bin))
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .map(|o| format!("node {}", String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| "node not found".into())
}

// --- The client --------------------------------------------------------------

/// A message from the server and when it was read whole.
struct Message {
    at: Instant,
    body: Value,
}

/// A language server child process and a synchronous client for it. A
/// thread reads its output; requests from the server are answered as they
/// are met, and messages nobody waits for are dropped.
struct Server {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Message>,
    next_id: i64,
}

impl Server {
    fn smallbatch(root: &Path) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_smallbatch"));
        command.args(["lsp", "--stdio"]).current_dir(root);
        Server::spawn(&mut command).expect("start smallbatch lsp --stdio")
    }

    fn cucumber(bin: &Path, root: &Path) -> Result<Server, String> {
        let mut command = Command::new("node");
        command.arg(bin).arg("--stdio").current_dir(root);
        Server::spawn(&mut command).map_err(|e| format!("could not start node: {e}"))
    }

    fn spawn(command: &mut Command) -> std::io::Result<Server> {
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

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one message; returns when its first byte was written.
    fn send(&mut self, message: &Value) -> Instant {
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

    fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, method: &str, params: Value) -> Result<Message, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(PATIENCE, |m| m["id"] == id && m.get("method").is_none())
            .ok_or_else(|| format!("no response to {method} within {PATIENCE:?}"))
    }

    /// The next message matching `wanted` within `within`, answering the
    /// server's requests meanwhile.
    fn wait(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> Option<Message> {
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
    fn initialize(&mut self, root: &Path) -> Instant {
        self.try_initialize(root).expect("initialize")
    }

    fn try_initialize(&mut self, root: &Path) -> Result<Instant, String> {
        let response = self.request("initialize", initialize_params(root))?;
        if let Some(error) = response.body.get("error") {
            return Err(format!("initialize failed: {error}"));
        }
        self.notify("initialized", json!({}));
        Ok(response.at)
    }

    /// Waits for the work-done progress of indexing to end. A server that
    /// says nothing of progress within `quiet` is taken not to index.
    fn await_indexing(&mut self, quiet: Duration) -> Indexing {
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
    fn open(&mut self, uri: &str, language: &str, text: &str) -> Published {
        self.try_open(uri, language, text).expect("diagnostics")
    }

    fn try_open(&mut self, uri: &str, language: &str, text: &str) -> Result<Published, String> {
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
    fn insert(
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
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Option<Message> {
        self.wait(PATIENCE, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        })
    }

    /// `shutdown`, `exit`; kills a server that does not exit soon after.
    fn shutdown(mut self) {
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
struct Published {
    took: Duration,
    count: usize,
}

impl Published {
    fn since(start: Instant, message: &Message) -> Published {
        let diagnostics = message.body["params"]["diagnostics"].as_array();
        Published {
            took: message.at - start,
            count: diagnostics.map_or(0, Vec::len),
        }
    }
}

/// What the server said about indexing after `initialized`.
enum Indexing {
    /// How long after `initialized`, and the end's message.
    Ended(Duration, String),
    NoProgress(Duration),
    Unfinished(Duration),
}

impl Indexing {
    fn ended(start: Instant, end: &Message) -> Indexing {
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
fn reply_to(request: &Value) -> Value {
    match request["method"].as_str() {
        Some("workspace/configuration") => {
            let items = request["params"]["items"].as_array().map_or(1, Vec::len);
            Value::Array(vec![json!({}); items])
        }
        _ => Value::Null,
    }
}

fn initialize_params(root: &Path) -> Value {
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
fn read_messages(stdout: ChildStdout, sender: &Sender<Message>) {
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

fn read_message(reader: &mut impl BufRead) -> Option<Vec<u8>> {
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
fn workspace() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::create_dir(dir.path().join(".smallbatch")).expect(".smallbatch");
    dir
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
    fs::write(path, text).expect("write");
}

/// A `file://` URI, percent-encoding all but unreserved characters and `/`.
fn file_uri(path: &Path) -> String {
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

// --- Reporting ---------------------------------------------------------------------

/// The times of `runs` (see [`report`]) and how many diagnostics came;
/// returns the median.
fn report_published(runs: &[Published]) -> Duration {
    let mut times: Vec<Duration> = runs.iter().map(|p| p.took).collect();
    report(&mut times);
    let mut counts: Vec<usize> = runs.iter().map(|p| p.count).collect();
    counts.dedup();
    println!("    diagnostics published per run: {counts:?}");
    median(&mut times)
}

fn report(runs: &mut [Duration]) {
    println!("{}", timings(runs));
}

/// p50 and p99 by nearest rank, with min and max.
fn report_percentiles(runs: &mut [Duration]) {
    runs.sort();
    let rank = |p: f64| runs[((p * runs.len() as f64).ceil() as usize).max(1) - 1];
    println!(
        "    p50 {:.2} ms   p99 {:.2} ms   min {:.2} ms   max {:.2} ms   ({} edits)",
        ms(rank(0.50)),
        ms(rank(0.99)),
        ms(runs[0]),
        ms(runs[runs.len() - 1]),
        runs.len()
    );
}

/// VmRSS and VmHWM of a process, in KiB.
fn resident_memory(pid: u32) -> (u64, u64) {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
