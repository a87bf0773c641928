//! The README's examples, held to the real binary so they cannot drift: its
//! example spec checks clean, and its session transcript is what the
//! commands print on the fixture it describes.

use crate::support::repo;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    fs::read_to_string(path).expect("README.md")
}

/// The body of the first block fenced with `fence` + `info` after the line
/// `after` (a heading), without the fences.
fn fenced_block(text: &str, after: &str, fence: &str, info: &str) -> String {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("README has `{after}`"));
    let opening = format!("{fence}{info}\n");
    let body_start = text[start..]
        .find(&opening)
        .map(|i| start + i + opening.len())
        .unwrap_or_else(|| panic!("a `{fence}{info}` block after `{after}`"));
    let closing = format!("\n{fence}\n");
    let body_end = text[body_start..]
        .find(&closing)
        .map(|i| body_start + i + 1)
        .unwrap_or_else(|| panic!("the `{fence}{info}` block after `{after}` is closed"));
    text[body_start..body_end].to_string()
}

#[test]
fn the_example_spec_checks_clean() {
    let spec = fenced_block(&readme(), "## What a spec looks like", "````", "markdown");
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    fs::create_dir_all(root.join(".smallbatch")).expect("workspace");
    repo::write(root, "specs/014-csv-export/README.md", &spec);
    let output = repo::smallbatch(root, &["check", "--format", "json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}"));
    assert_eq!(report["files"], 1, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(repo::code(&output), 0, "{output:?}");
}

/// The workspace the README's transcripts run in (see its README).
fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/readme")
}

/// One `$ command` of a transcript and what the README shows it printing.
#[derive(Debug)]
struct Step {
    command: String,
    shown: String,
}

/// The steps of a ```text transcript: each `$ ` line and the lines up to
/// the next one, trailing blank lines dropped.
fn steps(transcript: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in transcript.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                shown: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.shown.push_str(line);
            step.shown.push('\n');
        }
    }
    for step in &mut steps {
        step.shown = step.shown.trim_end().to_string();
    }
    steps
}

/// Output with what differs from run to run replaced: the date in session
/// ids (8 digits) and abbreviated commit hashes (7 hex digits).
fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let hex = word
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        if word.len() == 8 && word.chars().all(|c| c.is_ascii_digit()) {
            out.push_str("<date>");
        } else if word.len() == 7 && hex && has_digit {
            out.push_str("<hash>");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Copies a folder's files (hidden ones too) into another.
fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a kind").is_dir() {
            fs::create_dir_all(&target).expect("a folder");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[test]
fn the_session_transcript_is_what_the_commands_print() {
    let text = readme();
    let transcript = fenced_block(&text, "## A session, start to complete", "```", "text");
    let steps = steps(&transcript);
    assert!(steps.len() >= 5, "a transcript: {transcript}");

    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical").join("demo");
    fs::create_dir_all(&root).expect("workspace");
    copy_tree(&fixture_dir(), &root);
    fs::remove_file(root.join("README.md")).expect("the fixture's own README");
    repo::git(&root, &["init", "-q", "-b", "main"]);
    repo::commit(&root, &["."], "Initial spec");

    // The configured pipeline is `cargo test`: a stand-in that passes.
    let bin = dir.path().join("bin");
    repo::write(&bin, "cargo", "#!/bin/sh\necho 'test result: ok'\n");
    make_executable(&bin.join("cargo"));
    let smallbatch = Path::new(env!("CARGO_BIN_EXE_smallbatch"));
    let path = std::env::join_paths(
        [
            bin.clone(),
            smallbatch.parent().expect("a folder").to_path_buf(),
        ]
        .into_iter()
        .chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");

    let shown_root = "/tmp/demo";
    for step in &steps {
        if step.command.starts_with("git add") {
            // What the agent wrote for the scenario.
            repo::write(&root, "src/export.rs", "pub fn export() {}\n");
            repo::write(
                &root,
                "tests/export_test.rs",
                "#[test]\nfn three_rows() {}\n",
            );
        }
        let output = std::process::Command::new("sh")
            // stderr into stdout, in the order a terminal shows them.
            .args(["-c", &format!("exec 2>&1; {}", step.command)])
            .current_dir(&root)
            .env("PATH", &path)
            .env("GIT_AUTHOR_NAME", "Ana")
            .env("GIT_AUTHOR_EMAIL", "ana@example.com")
            .env("GIT_COMMITTER_NAME", "Ana")
            .env("GIT_COMMITTER_EMAIL", "ana@example.com")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir.path())
            .output()
            .expect("run the command");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let printed = printed.replace(&root.to_string_lossy().into_owned(), shown_root);
        assert_eq!(
            normalized(printed.trim_end()),
            normalized(&step.shown),
            "`{}` prints what the README shows",
            step.command
        );
    }

    // The summary `complete` wrote is the one the README shows.
    let shown_summary = fenced_block(
        &text,
        "wrote this into the spec's Session log",
        "```",
        "markdown",
    );
    let spec = fs::read_to_string(root.join("specs/014-csv-export/README.md")).expect("the spec");
    let written = spec
        .split_once("## Session log\n\n")
        .map(|(_, log)| log)
        .expect("a Session log");
    assert_eq!(normalized(written), normalized(&shown_summary));
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}
