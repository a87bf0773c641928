//! The pipeline can never hang the session commands: it has a time limit,
//! it runs without the spec's lock, it says what it is running, and a
//! command waiting for a lock says so.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::repo;

use repo::*;

/// Runs smallbatch in the background.
fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run smallbatch")
}

/// Waits for the child; fails the test (killing it) when it is still
/// running after `patience` — a hang, not a slow machine.
fn finish(child: Child, patience: Duration) -> Output {
    let mut child = child;
    let until = Instant::now() + patience;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            panic!(
                "still running after {patience:?}: {:?}",
                child.wait_with_output()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// Whether the process runs (a zombie waiting to be reaped does not).
fn process_exists(pid: &str) -> bool {
    let stat = fs::read_to_string(Path::new("/proc").join(pid.trim()).join("stat"));
    stat.is_ok_and(|s| !s.contains(") Z "))
}

/// Scenario 6 of the issue.
#[test]
fn a_pipeline_that_never_ends_is_stopped_at_its_time_limit() {
    let config = "[session]\npipeline = [\"sh\", \"-c\", \"echo $$ > pipeline.pid; sleep 100000\"]\nrequire_green_to_start = false\npipeline_timeout_minutes = 0.05\n";
    let dir = repo(Some(config));
    let id = start_id(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let spec_before = spec_text(dir.path());

    let complete = spawn(dir.path(), &["complete", SPEC_PATH]);
    // While the pipeline runs, the spec's lock is free.
    while !dir.path().join("pipeline.pid").exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = smallbatch(dir.path(), &["status", SPEC_PATH]);
    assert_eq!(code(&status), 0, "{status:?}");
    let output = finish(complete, Duration::from_secs(60));
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("running `sh -c"), "{message}");
    assert!(message.contains("(pipeline)"), "{message}");
    assert!(message.contains("pipeline_timeout_minutes"), "{message}");
    assert!(message.contains("[session] pipeline"), "{message}");
    assert_eq!(record_of(dir.path(), &id)["status"], "active");
    assert_eq!(spec_text(dir.path()), spec_before);
    let pid = fs::read_to_string(dir.path().join("pipeline.pid")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!process_exists(&pid), "the pipeline {pid} was left running");
}

#[test]
fn a_pause_meanwhile_is_not_blocked() {
    let config = "[session]\npipeline = [\"sh\", \"-c\", \"touch pipeline.started; sleep 100000\"]\nrequire_green_to_start = false\npipeline_timeout_minutes = 0.05\n";
    let dir = repo(Some(config));
    start_id(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let mut complete = spawn(dir.path(), &["complete", SPEC_PATH]);
    while !dir.path().join("pipeline.started").exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pause = finish(
        spawn(
            dir.path(),
            &["pause", SPEC_PATH, "--notes", "while the tests run"],
        ),
        Duration::from_secs(60),
    );
    assert_eq!(code(&pause), 0, "{pause:?}");
    assert!(
        complete.try_wait().expect("wait").is_none(),
        "pause waited for the pipeline to end"
    );
    let output = finish(complete, Duration::from_secs(60));
    assert_eq!(code(&output), 1, "{output:?}");
}

#[test]
fn a_red_refusal_names_the_command_and_the_key() {
    let config = "[session]\npipeline = [\"sh\", \"-c\", \"echo broken; exit 3\"]\nrequire_green_to_start = false\n";
    let dir = repo(Some(config));
    start_id(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let output = smallbatch(dir.path(), &["complete", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("`sh -c 'echo broken; exit 3'`"),
        "{message}"
    );
    assert!(message.contains("[session] pipeline"), "{message}");
    assert!(message.contains("broken"), "{message}");
}

#[test]
fn a_pipeline_that_leaves_a_process_holding_its_output_does_not_hang_complete() {
    let config = "[session]\npipeline = [\"sh\", \"-c\", \"sleep 100000 & echo passed\"]\nrequire_green_to_start = false\n";
    let dir = repo(Some(config));
    let id = start_id(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let output = finish(
        spawn(dir.path(), &["complete", SPEC_PATH]),
        Duration::from_secs(60),
    );
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(record_of(dir.path(), &id)["status"], "completed");
}

#[test]
fn a_command_waiting_for_the_lock_says_so() {
    let dir = repo(None);
    start_id(dir.path());
    let lock_path = dir.path().join(".smallbatch/sessions/001-export.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .expect("the lock file");
    lock.lock().expect("hold the spec's lock");
    let pause = spawn(dir.path(), &["pause", SPEC_PATH, "--notes", "n"]);
    std::thread::sleep(Duration::from_millis(1_500));
    lock.unlock().expect("let go");
    let output = finish(pause, Duration::from_secs(60));
    assert_eq!(code(&output), 0, "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("waiting for another smallbatch command"),
        "{message}"
    );
}
