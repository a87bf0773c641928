//! Linked `.feature` files and spec files are read only when they are
//! regular files inside the workspace: a link through `..` or a symbolic
//! link to a file elsewhere never shows that file's content, and a link to a
//! FIFO or to standard input never blocks `check`, the session commands or
//! the language server.

#![cfg(unix)]

use crate::support::lsp;
use crate::support::repo;

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lsp::{TestClient, file_uri};
use serde_json::{Value, json};

/// What a file outside the workspace holds: it must appear in no output.
const SECRET: &str = "SECRET_KEY=hunter2";

/// How long a command may run before it is taken to hang.
const DEADLINE: Duration = Duration::from_secs(30);

const SPEC_PATH: &str = "specs/001-export/README.md";

/// A clean spec that links `target` as its feature file.
fn spec_linking(target: &str) -> String {
    format!(
        "# Export invoices\n\n## Intent\nAccountants re-type invoices.\n\n\
         ## Feature description\nThe export streams rows.\n\n## Scenarios\n\n\
         ### Scenario: Export a month\n* Given a month\n* Then I get a CSV\n\n\
         Errors: [errors]({target}).\n"
    )
}

/// A folder holding a workspace (`ws/`, marked by `.smallbatch/`) and,
/// beside it, `outside/secret.feature` holding [`SECRET`].
struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("temporary folder");
    let top = dir.path().canonicalize().expect("canonical");
    let root = top.join("ws");
    fs::create_dir_all(root.join(".smallbatch")).expect("workspace");
    let outside = top.join("outside/secret.feature");
    fs::create_dir_all(outside.parent().expect("parent")).expect("outside folder");
    fs::write(&outside, format!("{SECRET}\n")).expect("secret");
    Setup {
        _dir: dir,
        root,
        outside,
    }
}

fn write(root: &Path, path: &str, text: &str) {
    repo::write(root, path, text);
}

fn mkfifo(path: &Path) {
    fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// What a finished command printed.
struct Finished {
    _logs: tempfile::TempDir,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Finished {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Waits for `child`, whose output goes to `out` and `err`; kills it and
/// fails the test when it has not ended by [`DEADLINE`].
fn wait(mut child: Child, what: &str, logs: tempfile::TempDir) -> Finished {
    let out = logs.path().join("stdout");
    let err = logs.path().join("stderr");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for smallbatch") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`smallbatch {what}` hung; it printed:\n{}\n{}",
                fs::read_to_string(&out).unwrap_or_default(),
                fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Finished {
        code: status.code(),
        stdout: fs::read_to_string(&out).expect("stdout"),
        stderr: fs::read_to_string(&err).expect("stderr"),
        _logs: logs,
    }
}

/// Starts `smallbatch ARGS` in `dir` with `stdin` as its standard input and
/// its output in files of a folder of its own.
fn spawn(dir: &Path, args: &[&str], stdin: Stdio) -> (Child, tempfile::TempDir) {
    let logs = tempfile::tempdir().expect("log folder");
    let out = logs.path().join("stdout");
    let err = logs.path().join("stderr");
    let child = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(File::create(&out).expect("stdout file"))
        .stderr(File::create(&err).expect("stderr file"))
        .spawn()
        .expect("start smallbatch");
    (child, logs)
}

/// Runs `smallbatch ARGS` in `dir` under the watchdog.
fn run(dir: &Path, args: &[&str]) -> Finished {
    let (child, logs) = spawn(dir, args, Stdio::null());
    wait(child, &args.join(" "), logs)
}

/// The one diagnostic of `check --format json` at the spec, with its code.
fn only_diagnostic(report: &Finished) -> Value {
    let report: Value = serde_json::from_str(&report.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", report.stdout));
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{report:#}");
    diagnostics[0].clone()
}

/// Checks the workspace in every format and asserts each reports SB042 at
/// the link `target` with `why`, exits 1 and never shows the secret.
fn assert_refused_in_every_format(root: &Path, target: &str, why: &str) {
    let link_line = spec_linking("x").lines().count();
    for format in ["human", "json", "github"] {
        let finished = run(root, &["check", "--format", format]);
        assert_eq!(finished.code, Some(1), "{format}: {}", finished.all());
        assert!(
            !finished.all().contains("hunter2"),
            "{format} shows the file's content:\n{}",
            finished.all()
        );
        assert!(
            finished.all().contains("SB042"),
            "{format}: {}",
            finished.all()
        );
        assert!(finished.all().contains(why), "{format}: {}", finished.all());
        let at_link = match format {
            "human" => format!("{SPEC_PATH}:{link_line}:"),
            "github" => format!("file={SPEC_PATH},line={link_line},"),
            _ => String::new(),
        };
        assert!(
            finished.stdout.contains(&at_link),
            "{format} points at the link: {}",
            finished.all()
        );
        if format == "json" {
            let diagnostic = only_diagnostic(&finished);
            assert_eq!(diagnostic["code"], "SB042");
            assert_eq!(diagnostic["path"], SPEC_PATH);
            assert_eq!(diagnostic["line"], link_line);
            assert_eq!(diagnostic["severity"], "error");
            let message = diagnostic["message"].as_str().expect("message");
            assert!(message.contains(&format!("`{target}`")), "{message}");
        }
    }
}

#[test]
fn a_link_through_dot_dot_to_a_file_outside_is_reported_not_read() {
    let setup = setup();
    write(
        &setup.root,
        SPEC_PATH,
        &spec_linking("../../../outside/secret.feature"),
    );
    assert_refused_in_every_format(
        &setup.root,
        "../../../outside/secret.feature",
        "outside the workspace",
    );
}

#[test]
fn a_link_to_a_symbolic_link_to_a_file_outside_is_reported_not_read() {
    let setup = setup();
    write(
        &setup.root,
        SPEC_PATH,
        &spec_linking("features/errors.feature"),
    );
    let link = setup.root.join("specs/001-export/features/errors.feature");
    fs::create_dir_all(link.parent().expect("parent")).expect("folders");
    symlink(&setup.outside, &link).expect("symbolic link");
    assert_refused_in_every_format(
        &setup.root,
        "features/errors.feature",
        "outside the workspace",
    );
}

#[test]
fn a_symbolic_link_spec_to_a_file_outside_is_not_read() {
    let setup = setup();
    let secret_spec = setup.outside.with_file_name("secret.md");
    fs::write(&secret_spec, format!("{SECRET}\n")).expect("secret spec");
    fs::create_dir_all(setup.root.join("specs")).expect("specs");
    symlink(&secret_spec, setup.root.join("specs/leak.md")).expect("symbolic link");
    for args in [&["check"][..], &["check", "specs"]] {
        let finished = run(&setup.root, args);
        assert!(
            !finished.all().contains("hunter2"),
            "{args:?} shows the file's content:\n{}",
            finished.all()
        );
        assert_eq!(finished.code, Some(1), "{args:?}: {}", finished.all());
        assert!(
            finished.stdout.contains("specs/leak.md")
                && finished.stdout.contains("outside the workspace"),
            "{args:?}: {}",
            finished.all()
        );
    }
}

#[test]
fn a_link_to_a_fifo_does_not_block_check() {
    let setup = setup();
    write(
        &setup.root,
        SPEC_PATH,
        &spec_linking("features/errors.feature"),
    );
    mkfifo(&setup.root.join("specs/001-export/features/errors.feature"));
    let finished = run(&setup.root, &["check", "--format", "json"]);
    assert_eq!(finished.code, Some(1), "{}", finished.all());
    let diagnostic = only_diagnostic(&finished);
    assert_eq!(diagnostic["code"], "SB042", "{diagnostic}");
    assert_eq!(diagnostic["path"], SPEC_PATH);
    let message = diagnostic["message"].as_str().expect("message");
    assert!(message.contains("is not a regular file"), "{message}");
    assert!(message.contains("features/errors.feature"), "{message}");
}

#[test]
fn a_spec_that_is_a_fifo_does_not_block_check() {
    let setup = setup();
    write(&setup.root, "specs/a.md", &spec_linking("a.feature"));
    write(&setup.root, "specs/a.feature", "Feature: A\n");
    mkfifo(&setup.root.join("specs/fifo.md"));
    // Found by the walk, and named on the command line.
    let walked = run(&setup.root, &["check"]);
    assert_eq!(walked.code, Some(0), "{}", walked.all());
    let named = run(&setup.root, &["check", "specs/fifo.md"]);
    assert_eq!(named.code, Some(1), "{}", named.all());
    assert!(
        named.stdout.contains("specs/fifo.md") && named.stdout.contains("not a regular file"),
        "{}",
        named.all()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_to_standard_input_does_not_read_it() {
    let setup = setup();
    write(
        &setup.root,
        SPEC_PATH,
        &spec_linking("features/errors.feature"),
    );
    let link = setup.root.join("specs/001-export/features/errors.feature");
    fs::create_dir_all(link.parent().expect("parent")).expect("folders");
    symlink("/proc/self/fd/0", &link).expect("symbolic link");
    let (mut child, logs) = spawn(&setup.root, &["check"], Stdio::piped());
    // Text is waiting on standard input, and it stays open while `check` runs.
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"STDIN_TEXT_MUST_NOT_SHOW\n")
        .expect("write stdin");
    let finished = wait(child, "check", logs);
    drop(stdin);
    assert!(
        !finished.all().contains("STDIN_TEXT_MUST_NOT_SHOW"),
        "check read its standard input:\n{}",
        finished.all()
    );
    assert_eq!(finished.code, Some(1), "{}", finished.all());
    assert!(finished.stdout.contains("SB042"), "{}", finished.all());
}

#[test]
fn status_and_start_do_not_hang_on_a_spec_linking_a_fifo() {
    let dir = repo::repo(None);
    let spec = format!(
        "{}\nErrors: [errors](features/errors.feature).\n",
        repo::SPEC
    );
    write(dir.path(), repo::SPEC_PATH, &spec);
    repo::commit(dir.path(), &["specs"], "Link the errors");
    mkfifo(&dir.path().join("specs/001-export/features/errors.feature"));
    let status = run(dir.path(), &["status", repo::SPEC_PATH]);
    assert!(status.code.is_some(), "{}", status.all());
    assert!(
        status.stdout.contains("Export a month with invoices"),
        "{}",
        status.all()
    );
    let start = run(dir.path(), &["start", repo::SPEC_PATH]);
    assert!(start.code.is_some(), "{}", start.all());
}

#[tokio::test]
async fn the_server_answers_after_opening_a_spec_linking_a_fifo() {
    let setup = setup();
    let text = spec_linking("features/errors.feature");
    write(&setup.root, SPEC_PATH, &text);
    mkfifo(&setup.root.join("specs/001-export/features/errors.feature"));
    let mut client = TestClient::spawn(&setup.root);
    client.initialize(&setup.root, &["utf-16"]).await;
    let uri = file_uri(&setup.root.join(SPEC_PATH));
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    let line = text
        .lines()
        .position(|l| l.starts_with("### Scenario"))
        .expect("a scenario heading");
    for _ in 0..30 {
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 8}}),
            )
            .await;
        assert!(hover.is_ok(), "{hover:?}");
    }
    let diagnostics = client.diagnostics(&uri, Some(1)).await;
    let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, [&json!("SB042")], "{diagnostics:#?}");
    client.ignore(|_| true);
    client.shutdown().await;
}
