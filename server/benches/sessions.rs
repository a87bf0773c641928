//! `cargo bench --bench sessions`: generates a git repository of 2,000
//! files and 10,000 commits (through `git fast-import`, in one process),
//! a spec of 20 scenarios whose first 19 were done by 19 completed sessions
//! (records written through the library, five kept and fourteen archived as
//! `keep = 5` leaves them), then prints how long `smallbatch context`,
//! `start` and `resume` take from a cold process, spawn to exit, and how
//! big the context load is against the whole spec with its summaries.
//!
//! Every run of `start` and `resume` begins from the same state: the
//! spec's session folder and the spec's text are put back after each run.
//! Each figure is the median (and min/max) of several runs. With
//! `SMALLBATCH_BENCH_KEEP=<folder>` the generated repository is copied
//! there at the end (for profiling).

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use smallbatch::session::record::{CommitFact, PhaseRecord};
use smallbatch::session::{
    FixedClock, SessionRecord, SessionStore, Status, Timestamp, UnitKind, UnitOfWork,
    estimate_tokens,
};

const FILES: usize = 2_000;
const COMMITS: usize = 10_000;
const SCENARIOS: usize = 20;
const COMPLETED: usize = 19;
const RUNS: usize = 21;
const SPEC_ID: &str = "020-checkout";
const SPEC_PATH: &str = "specs/020-checkout/README.md";
/// Commits made during each completed session.
const SESSION_COMMITS: usize = 5;
/// Commits made since the paused session started (HEAD included).
const PAUSED_COMMITS: usize = 9;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical folder");
    let generated = Instant::now();
    let commits = write_repository(&root);
    let spec_text = fs::read_to_string(root.join(SPEC_PATH)).expect("the spec");
    write_completed_sessions(&root, &commits, &spec_text);
    println!("machine: {}", machine());
    println!();
    println!(
        "repository: {FILES} files, {} commits; spec {SPEC_PATH}: {} lines, {SCENARIOS} scenarios, \
         {COMPLETED} completed sessions (generated in {:.1} s)",
        commits.len(),
        spec_text.lines().count(),
        generated.elapsed().as_secs_f64()
    );
    let sessions = root.join(".smallbatch/sessions");
    let completed_state = Snapshot::take(&root, &sessions);

    println!();
    println!("(1) `smallbatch context {SPEC_PATH} --format json`, cold process");
    let mut runs = Vec::new();
    let mut preview = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["context", SPEC_PATH, "--format", "json"]);
        preview = json_of(&output);
        if run > 0 {
            runs.push(elapsed);
        }
    }
    assert_eq!(preview["unit"]["index"], SCENARIOS, "{preview}");
    report(&mut runs);

    println!();
    println!(
        "(2) `smallbatch start {SPEC_PATH} --format json`, cold process, scenario 20 each run"
    );
    let mut runs = Vec::new();
    let mut started = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["start", SPEC_PATH, "--format", "json"]);
        started = json_of(&output);
        assert_eq!(started["unit"]["index"], SCENARIOS, "{started}");
        completed_state.restore();
        if run > 0 {
            runs.push(elapsed);
        }
    }
    report(&mut runs);

    write_paused_session(&root, &commits);
    let paused_state = Snapshot::take(&root, &sessions);
    println!();
    println!(
        "(3) `smallbatch resume {SPEC_PATH} --format json`, cold process, a session paused \
         {PAUSED_COMMITS} commits ago (notes, next steps, a spec edit)"
    );
    let mut runs = Vec::new();
    let mut resumed = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["resume", SPEC_PATH, "--format", "json"]);
        resumed = json_of(&output);
        assert_eq!(resumed["unit"]["index"], SCENARIOS, "{resumed}");
        paused_state.restore();
        if run > 0 {
            runs.push(elapsed);
        }
    }
    report(&mut runs);

    println!();
    let load = preview["tokens"].as_u64().expect("tokens") as usize;
    let log_start = spec_text.find("## Session log").expect("a session log");
    let full = estimate_tokens(&spec_text);
    let log = estimate_tokens(&spec_text[log_start..]);
    println!(
        "(4) context load of scenario 20: {load} tokens (estimated, chars / 4); over budget: {}",
        preview["overBudget"]
    );
    println!(
        "    the full spec with all {COMPLETED} summaries (its session log): {full} tokens \
         ({log} of them the log)"
    );
    println!(
        "    load / full: {:.1} %   (budget 3,000 tokens; target under 3,000 and under 20 %)",
        load as f64 * 100.0 / full as f64
    );
    println!(
        "    the loads the commands wrote: start {} tokens, resume {} tokens",
        started["contextTokens"], resumed["contextTokens"]
    );
    println!("    the load's parts (tokens):");
    for (heading, tokens) in parts(preview["text"].as_str().unwrap_or_default()) {
        println!("      {tokens:>5}  {heading}");
    }
    if let Ok(keep) = std::env::var("SMALLBATCH_BENCH_KEEP") {
        let _ = std::process::Command::new("cp")
            .args(["-a", &format!("{}/.", root.display()), &keep])
            .status();
    }
}

/// The load's `## ` parts (the title part first) with their estimated tokens.
fn parts(text: &str) -> Vec<(String, usize)> {
    let mut parts: Vec<(String, String)> = vec![("(title and unit)".into(), String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("## ") {
            parts.push((heading.trim().to_string(), String::new()));
        }
        if let Some(last) = parts.last_mut() {
            last.1.push_str(line);
        }
    }
    parts
        .into_iter()
        .map(|(heading, text)| (heading, estimate_tokens(&text)))
        .collect()
}

/// Runs the binary in `root`; the time from spawn to exit.
fn time(root: &Path, args: &[&str]) -> (Duration, Output) {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("run smallbatch");
    let elapsed = start.elapsed();
    assert!(output.status.success(), "{args:?}: {output:?}");
    (elapsed, output)
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

/// The files of a spec's session folder (and the spec's text), to put back.
struct Snapshot {
    folder: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
    spec: PathBuf,
    spec_text: Vec<u8>,
}

impl Snapshot {
    fn take(root: &Path, sessions: &Path) -> Snapshot {
        let mut files = Vec::new();
        collect(sessions, &mut files);
        let spec = root.join(SPEC_PATH);
        Snapshot {
            folder: sessions.to_path_buf(),
            spec_text: fs::read(&spec).expect("the spec"),
            spec,
            files,
        }
    }

    fn restore(&self) {
        fs::remove_dir_all(&self.folder).expect("remove the sessions");
        for (path, bytes) in &self.files {
            fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            fs::write(path, bytes).expect("write back");
        }
        fs::write(&self.spec, &self.spec_text).expect("write the spec back");
    }
}

fn collect(folder: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(folder).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            let bytes = fs::read(&path).expect("a file");
            files.push((path, bytes));
        }
    }
}

/// The path of generated file `n`: 40 folders of 50 files, one in ten of
/// them tests.
fn file_path(n: usize) -> String {
    let area = n / 50;
    if n % 10 == 9 {
        format!("tests/area_{area:02}/case_{n:04}_test.rs")
    } else {
        format!("src/area_{area:02}/module_{n:04}.rs")
    }
}

fn file_text(n: usize, version: usize) -> String {
    format!(
        "//! Module {n}, version {version}.\n\npub fn value_{n}() -> u64 {{\n    {version}\n}}\n\n\
         pub fn name_{n}() -> &'static str {{\n    \"module {n}\"\n}}\n"
    )
}

/// The file commit `c` (1-based, after the first) changes: 500 commits
/// touch 500 different files, and each block of 500 other ones.
fn changed_by(c: usize) -> usize {
    (c * 7 + c / 500 * 131) % FILES
}

/// Writes the repository with `git fast-import` and checks out `main`;
/// returns the commit ids, oldest first. The first commit adds the 2,000
/// files, each later one changes one file; the last adds the spec.
fn write_repository(root: &Path) -> Vec<String> {
    git(root, &["init", "-q", "-b", "main"]);
    let mut stream = String::with_capacity(8 << 20);
    let data = |stream: &mut String, text: &str| {
        let _ = write!(stream, "data {}\n{text}\n", text.len());
    };
    let header = |stream: &mut String, c: usize, message: &str| {
        let at = 1_780_000_000 + c * 600;
        let _ = writeln!(
            stream,
            "commit refs/heads/main\nmark :{c}\nauthor Ana <ana@example.com> {at} +0000\n\
             committer Ana <ana@example.com> {at} +0000"
        );
        data(stream, message);
    };
    header(&mut stream, 1, "Initial import");
    for n in 0..FILES {
        let _ = writeln!(stream, "M 100644 inline {}", file_path(n));
        data(&mut stream, &file_text(n, 0));
    }
    for c in 2..COMMITS {
        let n = changed_by(c);
        header(&mut stream, c, &format!("Change module {n} (step {c})"));
        let _ = writeln!(stream, "from :{}", c - 1);
        let _ = writeln!(stream, "M 100644 inline {}", file_path(n));
        data(&mut stream, &file_text(n, c));
    }
    header(&mut stream, COMMITS, "Write the checkout spec");
    let _ = writeln!(stream, "from :{}", COMMITS - 1);
    let _ = writeln!(stream, "M 100644 inline {SPEC_PATH}");
    data(&mut stream, &spec(0));

    let mut import = git_command(root, &["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    import
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("feed fast-import");
    assert!(import.wait().expect("fast-import").success());
    git(root, &["reset", "-q", "--hard", "main"]);
    fs::create_dir_all(root.join(".smallbatch")).expect(".smallbatch");
    fs::write(
        root.join(".smallbatch/config.toml"),
        "[session]\nrequire_green_to_start = false\n",
    )
    .expect("configuration");
    let ids = git(root, &["rev-list", "--reverse", "main"]);
    let ids: Vec<String> = ids.lines().map(str::to_string).collect();
    assert_eq!(ids.len(), COMMITS);
    ids
}

fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "ana@example.com")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "ana@example.com");
    command
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir, args).output().expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn scenario_name(k: usize) -> String {
    const WHAT: [&str; 10] = [
        "Pay with a saved card",
        "Pay with a new card",
        "Apply a discount code",
        "Refuse an expired code",
        "Split a payment",
        "Retry a declined card",
        "Pay by bank transfer",
        "Show the tax breakdown",
        "Keep the cart after a timeout",
        "Email the receipt",
    ];
    format!("{} (case {})", WHAT[k % WHAT.len()], k + 1)
}

/// The summary session `k` left in the spec's log.
fn summary(k: usize) -> String {
    let a = changed_by(k * 500 + 496);
    let b = changed_by(k * 500 + 498);
    format!(
        "Implemented in `{}` and `{}`; the handler validates the input before it reaches the \
         payment provider and returns a typed error otherwise.\nTests: `{}` covers the happy \
         path and the refusal. Commit step {}; the pipeline passed.\nLeft for later: the \
         retry budget is a constant, to move into the configuration.\n",
        file_path(a),
        file_path(b),
        file_path(b / 10 * 10 + 9),
        k * 500 + 500
    )
}

/// The spec with its log of the 19 summaries; `edit` changes a line of
/// the feature description (the paused session's spec at its start has
/// edit 1, the committed one edit 0).
fn spec(edit: usize) -> String {
    let mut s = String::from(
        "---\nstatus: in-progress\npriority: high\ntags: [payments, checkout]\ncreated: \
         2026-09-01\n---\n\n# Checkout\n\n## Intent\nShoppers abandon a third of their carts at \
         the payment step because it asks for the same details twice. A single checkout page \
         that remembers cards and applies codes at once should halve that. Support staff also \
         spend hours on receipts that never arrived. This spec covers the page, the payment \
         calls and the receipts.\n\n## Feature description\n",
    );
    for line in 0..30 {
        let _ = writeln!(
            s,
            "- Rule {line}{}: the checkout keeps {} within {} ms and logs every refusal with \
             its reason, in `src/area_{:02}/module_{:04}.rs`.",
            if line == 7 && edit == 1 {
                " (draft)"
            } else {
                ""
            },
            ["the cart", "the card token", "the totals"][line % 3],
            50 + line * 10,
            line,
            line * 50
        );
    }
    s.push_str("\n## Scenarios\n\n```gherkin\nFeature: Checkout\n");
    for k in 0..SCENARIOS {
        let _ = write!(
            s,
            "\n  @checkout\n  Scenario: {}\n    Given a cart with {} items worth {} EUR\n    \
             And a shopper signed in as \"ana{k}\"\n    When the shopper pays at step {k}\n    \
             Then the order {k} is confirmed\n    And a receipt is emailed within 5 minutes\n",
            scenario_name(k),
            k + 1,
            (k + 1) * 12
        );
    }
    s.push_str("```\n\n## Scenario order\n");
    for k in 0..SCENARIOS {
        let _ = writeln!(s, "{}. {}", k + 1, scenario_name(k));
    }
    s.push_str("\n## Session log\n");
    for k in 0..COMPLETED {
        let _ = write!(s, "\n### {}\n{}", scenario_name(k), summary(k));
    }
    s
}

fn unit(k: usize) -> UnitOfWork {
    UnitOfWork {
        kind: UnitKind::Scenario,
        name: scenario_name(k),
        index: k + 1,
        of: SCENARIOS,
    }
}

/// A store whose clock says day `k` after 2026-10-01.
fn store_on(root: &Path, k: usize) -> (SessionStore, String) {
    let day = Timestamp::from_utc(2026, 10, 1, 9, 0, 0).expect("a date");
    let at = Timestamp::from_unix_seconds(day.unix_seconds() + k as i64 * 86_400);
    let store = SessionStore::with_clock(root, Arc::new(FixedClock::new(at)));
    (store, at.to_string())
}

/// The 19 completed sessions, one a day, each over five commits, written
/// as `complete` leaves them; then `keep = 5` archives the oldest 14.
fn write_completed_sessions(root: &Path, commits: &[String], spec_text: &str) {
    for k in 0..COMPLETED {
        let (store, now) = store_on(root, k);
        let first = k * 500 + 500 - SESSION_COMMITS;
        let range = first..first + SESSION_COMMITS;
        let files: Vec<String> = range
            .clone()
            .map(|c| file_path(changed_by(c + 1)))
            .collect();
        store
            .start(SPEC_ID, false, |id| {
                let mut record = SessionRecord::new(id, SPEC_PATH.into(), unit(k), &now);
                record.status = Status::Completed;
                record.agent = Some("claude".into());
                record.branch = Some("main".into());
                record.git.start_commit = Some(commits[first - 1].clone());
                record.git.end_commit = Some(commits[range.end - 1].clone());
                record.git.commits = range
                    .clone()
                    .map(|c| CommitFact {
                        id: commits[c].clone(),
                        summary: format!("Change module {} (step {})", changed_by(c + 1), c + 1),
                    })
                    .collect();
                record.phases = vec![PhaseRecord {
                    phase: "implementation".into(),
                    started_at: now.clone(),
                    completed_at: Some(now.clone()),
                    summary: Some(summary(k).trim().to_string()),
                    files_changed: files.clone(),
                }];
                record.context_tokens = Some(1_500);
                record
                    .extra
                    .insert("specAtStart".into(), spec_text.to_string().into());
                record
            })
            .expect("a completed record");
    }
    let (store, _) = store_on(root, COMPLETED);
    let archived = store.retain(SPEC_ID, 5).expect("retention");
    assert_eq!(archived.len(), COMPLETED - 5);
}

/// Scenario 20's session, started `PAUSED_COMMITS` commits ago (when the
/// spec read slightly differently), then paused with notes.
fn write_paused_session(root: &Path, commits: &[String]) {
    let (store, now) = store_on(root, COMPLETED + 1);
    let start = commits.len() - PAUSED_COMMITS - 1;
    store
        .start(SPEC_ID, false, |id| {
            let mut record = SessionRecord::new(id, SPEC_PATH.into(), unit(SCENARIOS - 1), &now);
            record.status = Status::Paused;
            record.agent = Some("claude".into());
            record.branch = Some("main".into());
            record.git.start_commit = Some(commits[start].clone());
            record.notes = Some(
                "The receipt template renders; the mailer is stubbed and the retry is not written."
                    .into(),
            );
            record.next_steps = vec![
                "wire the mailer to the queue".into(),
                "test the 5-minute deadline".into(),
            ];
            record.context_tokens = Some(1_500);
            record.extra.insert("specAtStart".into(), spec(1).into());
            record
        })
        .expect("the paused record");
}

fn report(runs: &mut [Duration]) {
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "    median {:.2} ms   min {:.2} ms   max {:.2} ms   ({} runs)",
        ms(runs[runs.len() / 2]),
        ms(runs[0]),
        ms(runs[runs.len() - 1]),
        runs.len()
    );
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}
