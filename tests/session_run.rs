//! `smallbatch run` end to end: the real binary drives a real agent — a
//! shell script in a temporary git repository — and pauses by itself at a
//! commit, a checkpoint, the token threshold, the time limit, Ctrl-C, or
//! marks the session failed after too many failed runs.

use crate::support::repo;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use repo::*;
use serde_json::Value;

/// The configuration with the scripted agent and `run` settings.
fn config(run: &str) -> String {
    format!(
        "[session]\nrequire_green_to_start = false\n\n[run]\n{run}\n\n[agents]\ndefault = \"scripted\"\nscripted = [\"sh\", \"agent.sh\", \"{{context}}\", \"{{scenario}}\"]\n"
    )
}

/// A repository whose agent is `script`.
fn repo_with_agent(run: &str, script: &str) -> tempfile::TempDir {
    let dir = repo(Some(&config(run)));
    write(dir.path(), "agent.sh", script);
    dir
}

/// `smallbatch ARGS` with a git identity the agent's commits can use.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smallbatch"));
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Agent")
        .env("GIT_AUTHOR_EMAIL", "agent@example.com")
        .env("GIT_COMMITTER_NAME", "Agent")
        .env("GIT_COMMITTER_EMAIL", "agent@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir);
    command
}

fn run(dir: &Path, format: &str) -> Output {
    command(dir, &["run", SPEC_PATH, "--format", format])
        .output()
        .expect("run smallbatch")
}

/// `run --format json`, expecting `expected` as its exit status.
fn run_json(dir: &Path, expected: i32) -> Value {
    let output = run(dir, "json");
    assert_eq!(code(&output), expected, "{output:?}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("one JSON object ({e}): {output:?}"))
}

fn record(dir: &Path, outcome: &Value) -> Value {
    record_of(dir, outcome["sessionId"].as_str().expect("a session id"))
}

/// The one session record of the spec.
fn only_record(dir: &Path) -> Value {
    let paths = records(dir);
    assert_eq!(paths.len(), 1, "{paths:?}");
    serde_json::from_str(&fs::read_to_string(&paths[0]).expect("the record")).expect("JSON")
}

const COMMITTING_AGENT: &str = r#"echo "session $SMALLBATCH_SESSION on: $2"
grep -q "Scenario: Export a month with invoices" "$1" || { echo "no scenario in $1" >&2; exit 9; }
if grep -q "Export an empty month" "$1"; then echo "another scenario was handed over" >&2; exit 9; fi
mkdir -p src && echo "pub fn export() {}" > src/export.rs
git add src/export.rs && git commit -q -m "$2"
echo done
"#;

#[test]
fn run_hands_over_the_context_and_pauses_ready_to_complete_at_the_agents_commit() {
    let dir = repo_with_agent("", COMMITTING_AGENT);
    let outcome = run_json(dir.path(), 0);
    let id = outcome["sessionId"].as_str().expect("a session id");
    assert_eq!(outcome["resumed"], false);
    assert_eq!(outcome["trigger"], "commit", "{outcome}");
    assert_eq!(outcome["status"], "paused");
    assert_eq!(outcome["exitCode"], 0);
    let notes = outcome["notes"].as_str().expect("notes");
    assert!(
        notes.starts_with("committed ") && notes.contains("“Export a month with invoices”"),
        "{notes}"
    );
    assert!(
        outcome["nextSteps"][0]
            .as_str()
            .is_some_and(|s| s.contains("smallbatch complete"))
    );

    let record = record(dir.path(), &outcome);
    let run = &record["interactions"][0];
    assert_eq!(run["trigger"], "commit");
    assert_eq!(run["exitCode"], 0);
    assert_eq!(run["promptTokens"], outcome["contextTokens"]);
    assert!(run["outputTokens"].as_u64().is_some_and(|t| t > 0), "{run}");
    assert!(run["durationMs"].as_u64().is_some());
    assert_eq!(
        record["git"]["commits"][0]["summary"],
        "Export a month with invoices"
    );

    let log = fs::read_to_string(outcome["logFile"].as_str().expect("a log")).expect("the log");
    assert!(log.contains("=== run 1 ·"), "{log}");
    assert!(
        log.contains(&format!("session {id} on: Export a month with invoices")),
        "{log}"
    );
    assert!(log.contains("done"), "{log}");

    let completed = command(dir.path(), &["complete", SPEC_PATH])
        .output()
        .expect("complete");
    assert_eq!(code(&completed), 0, "{completed:?}");
    assert!(spec_text(dir.path()).contains("### Export a month with invoices"));
}

#[test]
fn a_checkpoint_pauses_with_the_agents_note_and_the_next_run_resumes() {
    let script = r#"if grep -q "API done, tests next" "$1"; then echo "resumed with the notes"; exit 0; fi
echo "step one"
echo "[CHECKPOINT] API done, tests next"
sleep 30
"#;
    let dir = repo_with_agent("", script);
    let output = run(dir.path(), "human");
    assert_eq!(code(&output), 0, "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("step one"),
        "the agent's output is shown: {stdout}"
    );
    let err = stderr(&output);
    assert!(err.contains("started ") && err.contains("paused "), "{err}");

    let first = only_record(dir.path());
    assert_eq!(first["status"], "paused");
    assert_eq!(first["notes"], "API done, tests next");
    assert_eq!(first["interactions"][0]["trigger"], "checkpoint");

    let again = run_json(dir.path(), 0);
    assert_eq!(again["resumed"], true);
    assert_eq!(again["sessionId"], first["id"]);
    assert_eq!(again["trigger"], "exit");
    assert_eq!(again["notes"], "the agent exited without a commit");
    let record = record(dir.path(), &again);
    assert_eq!(record["interactions"].as_array().map(Vec::len), Some(2));
    let log = fs::read_to_string(again["logFile"].as_str().expect("log")).expect("log");
    assert!(
        log.contains("=== run 2 ·") && log.contains("resumed with the notes"),
        "{log}"
    );
}

#[test]
fn the_token_threshold_and_the_time_limit_pause_the_session() {
    let chatty =
        "i=0; while [ $i -lt 40 ]; do echo 'twenty characters..'; i=$((i+1)); done\nsleep 30\n";
    let dir = repo_with_agent("token_threshold = 50", chatty);
    let outcome = run_json(dir.path(), 0);
    assert_eq!(outcome["trigger"], "tokens", "{outcome}");
    assert!(outcome["outputTokens"].as_u64().is_some_and(|t| t > 50));
    assert!(
        outcome["notes"]
            .as_str()
            .is_some_and(|n| n.contains("token threshold (50 tokens)"))
    );

    write(
        dir.path(),
        ".smallbatch/config.toml",
        &config("time_limit_minutes = 0.03\ncheckpoint_minutes = 0.01"),
    );
    write(dir.path(), "agent.sh", "sleep 30\n");
    let outcome = run_json(dir.path(), 0);
    assert_eq!(outcome["resumed"], true);
    assert_eq!(outcome["trigger"], "time", "{outcome}");
    assert_eq!(outcome["notes"], "the time limit passed (0.03 minutes)");
    let duration = outcome["durationMs"].as_u64().expect("duration");
    assert!((1_800..5_000).contains(&duration), "{duration}");
    let record = record(dir.path(), &outcome);
    // Two checkpoints of the first run's pause and the second's, and at
    // least two on the clock (every 0.6 s for 1.8 s).
    let checkpoints = record["checkpoints"].as_array().map_or(0, Vec::len);
    assert!(checkpoints >= 4, "{checkpoints}: {record}");
}

#[test]
fn failed_runs_mark_the_session_failed_and_three_failed_sessions_need_a_person() {
    let dir = repo_with_agent("max_failures = 2", "echo 'cannot build' >&2\nexit 3\n");
    let first = run_json(dir.path(), 1);
    assert_eq!(first["status"], "paused");
    assert_eq!(first["exitCode"], 3);
    assert!(
        first["notes"]
            .as_str()
            .is_some_and(|n| n.contains("failed runs: 1 of 2")),
        "{first}"
    );
    let second = run_json(dir.path(), 1);
    assert_eq!(second["sessionId"], first["sessionId"]);
    assert_eq!(second["status"], "failed");
    assert!(
        second["notes"]
            .as_str()
            .is_some_and(|n| n.starts_with("marked failed after 2 failed runs"))
    );

    write(
        dir.path(),
        ".smallbatch/config.toml",
        &config("max_failures = 1"),
    );
    let before = command(dir.path(), &["check", "--format", "json"])
        .output()
        .expect("check");
    assert!(!String::from_utf8_lossy(&before.stdout).contains("SB024"));
    for _ in 0..2 {
        let next = run_json(dir.path(), 1);
        assert_eq!(
            next["resumed"], false,
            "a failed session does not hold the spec"
        );
        assert_eq!(next["unit"]["name"], "Export a month with invoices");
        assert_eq!(next["status"], "failed");
    }
    let status = command(dir.path(), &["status", SPEC_PATH, "--verbose"])
        .output()
        .expect("status");
    let shown = String::from_utf8_lossy(&status.stdout);
    assert!(
        shown.contains("run-2 exit · exit 3") && shown.contains("notes: marked failed after 2"),
        "{shown}"
    );
    let check = command(dir.path(), &["check", "--format", "json"])
        .output()
        .expect("check");
    let found = String::from_utf8_lossy(&check.stdout);
    assert!(
        found.contains("SB024") && found.contains("needs a person"),
        "{found}"
    );
}

#[test]
fn a_second_run_is_refused_and_ctrl_c_pauses_with_interrupted() {
    let dir = repo_with_agent("", "echo ready\nsleep 30\n");
    let mut child = command(dir.path(), &["run", SPEC_PATH, "--format", "human"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn smallbatch");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("text");
    assert_eq!(first, "ready");
    let second = run(dir.path(), "human");
    assert_eq!(code(&second), 1, "{second:?}");
    assert!(
        stderr(&second).contains("an agent is already running"),
        "{second:?}"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let output = child.wait_with_output().expect("wait");
    assert_eq!(code(&output), 130, "{output:?}");
    let record = only_record(dir.path());
    assert_eq!(record["status"], "paused");
    assert_eq!(record["notes"], "interrupted");
    assert_eq!(record["interactions"][0]["trigger"], "interrupted");
}

#[test]
fn without_an_agent_run_cannot_run_and_changes_nothing() {
    let dir = repo(Some("[session]\nrequire_green_to_start = false\n"));
    let before = snapshot(dir.path());
    let output = run(dir.path(), "human");
    assert_eq!(code(&output), 2, "{output:?}");
    assert!(stderr(&output).contains("[agents]"), "{}", stderr(&output));
    assert_eq!(snapshot(dir.path()), before);

    write(
        dir.path(),
        ".smallbatch/config.toml",
        "[session]\nrequire_green_to_start = false\n[agents]\ndefault = \"x\"\nx = [\"smallbatch-no-such-agent\"]\n",
    );
    let output = run(dir.path(), "human");
    assert_eq!(code(&output), 2, "{output:?}");
    assert!(stderr(&output).contains("`smallbatch-no-such-agent` could not be started"));
    let record = only_record(dir.path());
    assert_eq!(
        record["status"], "paused",
        "the session does not stay active"
    );
}

#[test]
fn runs_own_lines_are_marked_and_apart_from_the_agents() {
    let dir = repo_with_agent("", COMMITTING_AGENT);
    let output = run(dir.path(), "human");
    assert_eq!(code(&output), 0, "{output:?}");
    let err = stderr(&output);
    assert!(!err.trim().is_empty(), "{output:?}");
    for line in err.lines() {
        assert!(
            line.starts_with("smallbatch: "),
            "a line of run's own on stderr without its mark: {line:?}\n{err}"
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some("done"),
        "stdout holds the agent's output: {stdout}"
    );
    assert!(!stdout.contains("smallbatch: "), "{stdout}");
}
