//! `smallbatch mcp` on the benchmark's repository: from launching the
//! process to the answer to `initialize`, and one `session_status` round
//! trip (request written → answer read), each in a fresh process with the
//! session named in `SMALLBATCH_SESSION`, as `run` starts it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One launch: (launch → initialize answered, session_status round trip).
fn one(root: &Path, session: &str) -> (Duration, Duration) {
    let launched = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .arg("mcp")
        .current_dir(root)
        .env("SMALLBATCH_SESSION", session)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("smallbatch mcp starts");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |message: Value| {
        writeln!(input, "{message}").expect("a request written");
        input.flush().expect("flushed");
    };
    let mut answer = |id: u64| -> Value {
        let mut line = String::new();
        loop {
            line.clear();
            let read = output.read_line(&mut line).expect("an answer read");
            assert!(read > 0, "the server closed its output");
            let message: Value = serde_json::from_str(&line).expect("JSON");
            if message["id"] == id {
                return message;
            }
        }
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"}}}),
    );
    let init = answer(1);
    let initialized = launched.elapsed();
    assert!(
        init["result"]["serverInfo"]["name"] == "smallbatch",
        "{init}"
    );
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let asked = Instant::now();
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "session_status", "arguments": {}}}));
    let status = answer(2);
    let round_trip = asked.elapsed();
    let result = &status["result"];
    assert!(result["isError"] == false, "{status}");
    assert_eq!(
        result["structuredContent"]["session"]["id"], session,
        "{status}"
    );
    drop(input);
    child
        .wait()
        .expect("the server exits at the end of its input");
    (initialized, round_trip)
}

/// `runs` launches after one discarded: the two series of timings.
pub fn measure(root: &Path, session: &str, runs: usize) -> (Vec<Duration>, Vec<Duration>) {
    one(root, session);
    (0..runs).map(|_| one(root, session)).unzip()
}
