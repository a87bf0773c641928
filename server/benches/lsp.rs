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

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

mod client;
mod common;
mod corpus;
use client::{Published, Server, cucumber_bin, file_uri, node_version, workspace, write};
use common::{machine, median, ms, timings};
use corpus::{BIG_SPEC, SMALL_SPEC, generate_feature, generate_spec};

const LAUNCHES: usize = 21;
const OPENS: usize = 21;
const CUCUMBER_OPENS: usize = 11;
const EDITS: usize = 200;
const INDEXED_SPECS: usize = 1_000;
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
