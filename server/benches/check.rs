//! `cargo bench --bench check`: generates corpora and prints how fast
//! `smallbatch check` is.
//!
//! (a) 300 LeanSpec-sized specs (about 200 lines each: front matter, a
//!     gherkin block, an order and a log) checked by a cold `smallbatch`
//!     process, wall time from spawn to exit;
//! (b) one 12,000-line `.feature` with 2,000 scenarios, parsed and linted
//!     in process.
//!
//! Each figure is the median (and min/max) of several runs.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use smallbatch::lint::{LintContext, lint_feature, lint_spec};
use smallbatch::spec::Spec;
use smallbatch::spec::gherkin::{Flavor, parse};

mod common;
mod corpus;
use common::{machine, median, timings};
use corpus::{SMALL_SPEC, Shape, generate_feature, generate_spec};

const SPECS: usize = 300;
const PROCESS_RUNS: usize = 21;
const FEATURE_RUNS: usize = 51;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_workspace(dir.path());
    let lines: usize = fs::read_dir(dir.path().join("specs"))
        .expect("specs")
        .map(|e| {
            let text =
                fs::read_to_string(e.expect("entry").path().join("README.md")).expect("spec");
            text.lines().count()
        })
        .sum();
    println!("machine: {}", machine());
    println!();
    println!("(a) {SPECS} specs, {lines} lines in all, `smallbatch check` from a cold process");
    let binary = env!("CARGO_BIN_EXE_smallbatch");
    let mut runs = Vec::new();
    for _ in 0..PROCESS_RUNS {
        let start = Instant::now();
        let status = Command::new(binary)
            .args(["check", "--format", "json"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .status()
            .expect("run smallbatch");
        runs.push(start.elapsed());
        assert!(status.code().is_some_and(|c| c <= 1), "check ran: {status}");
    }
    report(&mut runs, Some((SPECS, "specs")));

    println!();
    let feature = generate_feature(2_000);
    println!(
        "(b) one .feature: {} lines, 2,000 scenarios, {} KiB: parse + lint in process",
        feature.lines().count(),
        feature.len() / 1024
    );
    let mut runs = Vec::new();
    for _ in 0..FEATURE_RUNS {
        let start = Instant::now();
        let doc = parse(&feature, Flavor::Classic);
        let diagnostics = lint_feature(&doc, &feature);
        std::hint::black_box((&doc, &diagnostics));
        runs.push(start.elapsed());
    }
    report(&mut runs, None);

    println!();
    let spec_text = generate_spec(
        0,
        &Shape {
            description: 80,
            scenarios: 2_000,
            logged: 3,
        },
    );
    println!(
        "(c) one spec with the same 2,000 scenarios in a gherkin block ({} lines): parse + lint in process",
        spec_text.lines().count()
    );
    let ctx = LintContext::default();
    let mut runs = Vec::new();
    for _ in 0..FEATURE_RUNS {
        let start = Instant::now();
        let spec = Spec::parse(&spec_text);
        let diagnostics = lint_spec(&spec, &spec_text, &ctx);
        std::hint::black_box((&spec, &diagnostics));
        runs.push(start.elapsed());
    }
    report(&mut runs, None);
}

fn report(runs: &mut [Duration], per: Option<(usize, &str)>) {
    print!("{}", timings(runs));
    if let Some((n, what)) = per {
        print!("   {:.0} {what}/s", n as f64 / median(runs).as_secs_f64());
    }
    println!();
}

fn write_workspace(root: &Path) {
    for i in 0..SPECS {
        let folder = root.join(format!("specs/{:04}-feature-{i}", i + 1));
        fs::create_dir_all(&folder).expect("folder");
        fs::write(folder.join("README.md"), generate_spec(i, &SMALL_SPEC)).expect("spec");
    }
}
