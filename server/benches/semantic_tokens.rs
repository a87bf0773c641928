//! `cargo bench --bench semantic_tokens`: semantic tokens of the 12,001-line
//! `.feature` of `cargo bench --bench lsp` (2,000 scenarios), from the real
//! `smallbatch lsp --stdio` and, in the same run, from Cucumber's language
//! server when it is installed (`install-cucumber-ls.sh`). Prints:
//!
//! 1. `textDocument/semanticTokens/full` of the open file, on a fresh
//!    server each time (opened, its diagnostics read, then the request);
//! 2. the same through Cucumber's language server, and the ratio of the
//!    two medians;
//! 3. `textDocument/semanticTokens/full/delta` after a one-character edit,
//!    200 edits one at a time on one server: each edit's diagnostics are
//!    read, then the delta against the last result is asked (p50, p99).
//!
//! Times run from the request's first byte written to its reply read
//! whole. Tests never assert on time; this program only prints.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

mod client;
mod common;
mod corpus;
use client::{
    Server, cucumber_bin, file_uri, initialize_params as editor_params, node_version, workspace,
    write,
};
use common::{machine, median, ms, timings};
use corpus::generate_feature;

const FULLS: usize = 21;
const CUCUMBER_FULLS: usize = 11;
const EDITS: usize = 200;

fn main() {
    println!("machine: {}", machine());
    let feature = generate_feature(2_000);
    let dir = workspace();
    let path = dir.path().join("features/generated.feature");
    write(&path, &feature);
    let uri = file_uri(&path);

    println!();
    println!(
        "(1) semanticTokens/full: one .feature, {} lines, 2,000 scenarios, {} KiB, fresh server each run",
        feature.lines().count(),
        feature.len() / 1024
    );
    let (mut ours, count) = fulls(dir.path(), &uri, &feature, FULLS, None);
    println!("{}", timings(&mut ours));
    println!("    tokens per result: {count}");
    let ours = median(&mut ours);

    println!();
    println!("(2) the same through Cucumber's language server");
    match cucumber_bin() {
        None => {
            println!("    skipped: Cucumber's language server is not installed. Install it with");
            println!(
                "        server/benches/install-cucumber-ls.sh, or set SMALLBATCH_CUCUMBER_LS"
            );
        }
        Some(bin) => {
            println!("    {}, {}", bin.display(), node_version());
            let (mut theirs, count) = fulls(dir.path(), &uri, &feature, CUCUMBER_FULLS, Some(&bin));
            println!("{}", timings(&mut theirs));
            println!("    tokens per result: {count}");
            let theirs = median(&mut theirs);
            println!(
                "    ratio Cucumber / smallbatch: {:.0}× ({:.2} ms / {:.2} ms)",
                theirs.as_secs_f64() / ours.as_secs_f64(),
                ms(theirs),
                ms(ours)
            );
        }
    }

    println!();
    println!(
        "(3) semanticTokens/full/delta after a one-character edit of that file, {EDITS} edits"
    );
    report_percentiles(&mut deltas(dir.path(), &uri, &feature));
}

/// (1), (2): the file opened on a fresh server, its diagnostics read, then
/// `semanticTokens/full`; `runs` times. Cucumber's server (with `bin`) is
/// asked after its first reindex, as in the lsp benchmark.
fn fulls(
    root: &Path,
    uri: &str,
    text: &str,
    runs: usize,
    cucumber: Option<&Path>,
) -> (Vec<Duration>, usize) {
    let mut took = Vec::with_capacity(runs);
    let mut count = 0;
    for _ in 0..runs {
        let mut server = match cucumber {
            Some(bin) => Server::cucumber(bin, root).expect("start Cucumber's server"),
            None => Server::smallbatch(root),
        };
        server
            .try_initialize_with(initialize_params(root))
            .expect("initialize");
        if cucumber.is_some() {
            server.wait(Duration::from_secs(10), |m| {
                m["method"] == "workspace/semanticTokens/refresh"
            });
        }
        server.try_open(uri, "cucumber", text).expect("diagnostics");
        let start = Instant::now();
        let reply = server
            .request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": uri}}),
            )
            .expect("semantic tokens");
        took.push(reply.at - start);
        count = reply.body["result"]["data"]
            .as_array()
            .map_or(0, |d| d.len() / 5);
        server.shutdown();
    }
    (took, count)
}

/// (3): one server, the file open and its full result read; each edit
/// inserts one character into a step (or takes it out again), its
/// diagnostics are read, and the delta against the last result is asked.
fn deltas(root: &Path, uri: &str, text: &str) -> Vec<Duration> {
    let steps: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("Given"))
        .map(|(n, _)| n)
        .collect();
    let mut server = Server::smallbatch(root);
    server
        .try_initialize_with(initialize_params(root))
        .expect("initialize");
    server.try_open(uri, "cucumber", text).expect("diagnostics");
    let full = server
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("semantic tokens");
    let mut previous = full.body["result"]["resultId"].clone();
    let mut took = Vec::with_capacity(EDITS);
    let mut edits_seen = 0;
    for k in 0..EDITS {
        let version = k as i64 + 2;
        let line = steps[(k / 2 * 37) % steps.len()];
        let at = json!({"line": line, "character": 10});
        let change = if k % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "7"})
        } else {
            json!({"range": {"start": at, "end": {"line": line, "character": 11}}, "text": ""})
        };
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        server
            .diagnostics(uri, Some(version))
            .expect("diagnostics of the edit");
        let start = Instant::now();
        let reply = server
            .request(
                "textDocument/semanticTokens/full/delta",
                json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
            )
            .expect("delta");
        took.push(reply.at - start);
        let result = &reply.body["result"];
        assert!(
            result["edits"].is_array(),
            "a delta, not a full result: {result}"
        );
        edits_seen += result["edits"].as_array().map_or(0, Vec::len);
        previous = result["resultId"].clone();
    }
    server.shutdown();
    println!("    edits in the {EDITS} deltas: {edits_seen}");
    took
}

/// What an editor says at `initialize`, with semantic tokens (full with
/// deltas, and ranges; Cucumber's server registers its provider only for
/// a client that offers dynamic registration).
fn initialize_params(root: &Path) -> serde_json::Value {
    let mut params = editor_params(root);
    params["capabilities"]["textDocument"]["semanticTokens"] = json!({
        "dynamicRegistration": true,
        "requests": {"full": {"delta": true}, "range": true},
        "tokenTypes": ["namespace", "type", "class", "enum", "interface", "struct", "typeParameter",
                       "parameter", "variable", "property", "enumMember", "event", "function", "method",
                       "macro", "keyword", "modifier", "comment", "string", "number", "regexp",
                       "operator", "decorator"],
        "tokenModifiers": ["declaration", "definition", "readonly", "static", "deprecated",
                           "abstract", "async", "modification", "documentation", "defaultLibrary"],
        "formats": ["relative"]
    });
    params
}

/// p50 and p99 by nearest rank, with min and max.
fn report_percentiles(runs: &mut [Duration]) {
    runs.sort();
    let rank = |p: f64| runs[((p * runs.len() as f64).ceil() as usize).max(1) - 1];
    println!(
        "    p50 {:.3} ms   p99 {:.3} ms   min {:.3} ms   max {:.3} ms   ({} edits)",
        ms(rank(0.50)),
        ms(rank(0.99)),
        ms(runs[0]),
        ms(runs[runs.len() - 1]),
        runs.len()
    );
}
