//! `smallbatch check` end to end: the real binary in temporary workspaces —
//! exit statuses, the three output formats, which files are specs, files
//! that cannot be read, configuration errors and paths relative to the
//! working directory.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// A workspace holding `files` (path, bytes).
fn workspace(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    dir
}

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    fs::write(path, bytes).expect("write a file");
}

/// Runs `smallbatch ARGS` in `dir`.
fn smallbatch(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run smallbatch")
}

fn status(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {output:?}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `smallbatch check --format json ARGS` in `dir`: the exit status and the report.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = smallbatch(dir, &all);
    let report = serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}):\n{}\nstderr:\n{}",
            stdout(&output),
            stderr(&output)
        )
    });
    (status(&output), report)
}

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().expect("diagnostics")
}

/// The distinct paths the report's diagnostics are in.
fn paths(report: &Value) -> Vec<String> {
    let mut paths: Vec<String> = diagnostics(report)
        .iter()
        .map(|d| d["path"].as_str().expect("a path").to_string())
        .collect();
    paths.dedup();
    paths
}

/// (path, line, column, code) of every diagnostic.
fn located(report: &Value) -> Vec<(String, u64, u64, String)> {
    diagnostics(report)
        .iter()
        .map(|d| {
            (
                d["path"].as_str().expect("path").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["code"].as_str().expect("code").to_string(),
            )
        })
        .collect()
}

const NOT_UTF8: &[u8] = b"# Broken\n\n## Intent\nab\xff\xfe\n";
const VALID_FEATURE: &[u8] = b"Feature: Export\n  Scenario: One month\n    Given invoices\n    When I export\n    Then I get a file\n";
const BAD_FEATURE: &[u8] =
    b"Feature: Export\n  Scenario: One month\n    Given invoices\n  this is not gherkin\n";
/// A spec with every section; the lint may still have opinions, so tests
/// that need a known outcome use SB000 or Gherkin errors instead.
const SPEC: &[u8] = b"# Export\n\n## Intent\nWhy.\n\n## Feature description\nHow.\n\n## Scenarios\n\n```gherkin\nFeature: Export\n  Scenario: One month\n    Given invoices\n    When I export\n    Then I get a file\n```\n";

#[test]
fn version_prints_the_version() {
    let dir = workspace(&[]);
    let output = smallbatch(dir.path(), &["--version"]);
    assert_eq!(status(&output), 0);
    assert!(stdout(&output).starts_with("smallbatch "), "{output:?}");
}

#[test]
fn exit_0_when_nothing_is_wrong() {
    let dir = workspace(&[("features/export.feature", VALID_FEATURE)]);
    let (status, report) = check_json(dir.path(), &["features/export.feature"]);
    assert_eq!(report["files"], 1, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(status, 0);
}

#[test]
fn exit_0_with_no_spec_roots() {
    let dir = workspace(&[("README.md", b"# Hello\n")]);
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(report["files"], 0, "{report}");
    assert_eq!(status, 0);
}

#[test]
fn exit_1_when_errors_are_found() {
    let dir = workspace(&[("specs/broken.md", NOT_UTF8)]);
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(
        located(&report),
        [("specs/broken.md".to_string(), 4, 3, "SB000".to_string())]
    );
    assert_eq!(report["errors"], 1);
    assert_eq!(status, 1);
}

#[test]
fn exit_2_when_a_path_does_not_exist() {
    let dir = workspace(&[("specs/a.md", SPEC)]);
    let output = smallbatch(dir.path(), &["check", "specs/a.md", "specs/nope.md"]);
    assert_eq!(status(&output), 2);
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(err.contains("specs/nope.md"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn exit_2_for_an_unknown_format() {
    let dir = workspace(&[]);
    let output = smallbatch(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(status(&output), 2);
}

#[test]
fn json_is_one_object_of_the_documented_shape() {
    let dir = workspace(&[("specs/broken.md", NOT_UTF8), ("specs/ok.md", SPEC)]);
    let (_, report) = check_json(dir.path(), &[]);
    let object = report.as_object().expect("an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["diagnostics", "errors", "files", "warnings"]);
    assert_eq!(report["files"], 2);
    for diagnostic in diagnostics(&report) {
        let mut keys: Vec<&str> = diagnostic
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "endColumn",
                "endLine",
                "line",
                "message",
                "path",
                "severity"
            ]
        );
    }
    let broken = &diagnostics(&report)
        .iter()
        .find(|d| d["path"] == "specs/broken.md")
        .expect("the broken file is reported");
    assert_eq!(broken["severity"], "error");
    assert_eq!(broken["endLine"], 4);
    assert_eq!(broken["endColumn"], 4);
    assert!(
        broken["message"]
            .as_str()
            .expect("message")
            .contains("UTF-8"),
        "{broken}"
    );
}

#[test]
fn github_prints_workflow_annotations() {
    let dir = workspace(&[("specs/broken.md", NOT_UTF8)]);
    let output = smallbatch(dir.path(), &["check", "--format", "github"]);
    assert_eq!(status(&output), 1);
    let out = stdout(&output);
    let first = out.lines().next().expect("an annotation");
    assert!(
        first.starts_with(
            "::error file=specs/broken.md,line=4,col=3,endLine=4,endColumn=4,title=SB000::"
        ),
        "{out}"
    );
    // The message's own `(`, `:` and `,` stay readable; nothing breaks the line.
    assert!(first.contains("not valid UTF-8"), "{out}");
}

#[test]
fn human_is_rustc_like_with_a_summary() {
    let dir = workspace(&[("specs/broken.md", NOT_UTF8)]);
    let output = smallbatch(dir.path(), &["check"]);
    assert_eq!(status(&output), 1);
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("specs/broken.md:4:3: error[SB000]: the file is not valid UTF-8"),
        "{out}"
    );
    assert_eq!(lines[1], "4 | ab\u{FFFD}\u{FFFD}");
    assert_eq!(lines[2], "  |   ^");
    assert_eq!(
        lines.last().copied(),
        Some("1 file checked: 1 error, 0 warnings")
    );
}

#[test]
fn markdown_outside_the_spec_roots_gets_no_diagnostics() {
    let dir = workspace(&[
        ("docs/README.md", b"# Notes without any section\n"),
        ("docs/notes.md", NOT_UTF8),
        ("README.md", b"# Project\n"),
        ("specs/broken.md", NOT_UTF8),
    ]);
    let (status, report) = check_json(dir.path(), &["docs", "specs", "README.md"]);
    assert_eq!(paths(&report), ["specs/broken.md"], "{report}");
    assert_eq!(report["files"], 1, "{report}");
    assert_eq!(status, 1);
}

#[test]
fn front_matter_kind_spec_makes_a_spec_anywhere() {
    let mut declared = b"---\nkind: spec\n---\n".to_vec();
    declared.extend_from_slice(NOT_UTF8);
    let dir = workspace(&[
        ("docs/design.md", &declared),
        ("docs/other.md", b"# Other\n"),
    ]);
    let (_, report) = check_json(dir.path(), &["docs"]);
    assert_eq!(report["files"], 1, "{report}");
    // Not UTF-8: reported because the front matter says it is a spec.
    assert_eq!(paths(&report), ["docs/design.md"], "{report}");
}

#[test]
fn an_explicit_markdown_file_that_cannot_be_read_is_reported() {
    let dir = workspace(&[("notes.md", NOT_UTF8)]);
    let (status, report) = check_json(dir.path(), &["notes.md"]);
    assert_eq!(
        located(&report),
        [("notes.md".to_string(), 4, 3, "SB000".to_string())]
    );
    assert_eq!(status, 1);
}

#[test]
fn an_explicit_feature_file_is_checked_for_gherkin_errors() {
    let dir = workspace(&[
        ("features/bad.feature", BAD_FEATURE),
        ("features/ok.feature", VALID_FEATURE),
    ]);
    let (status, report) = check_json(dir.path(), &["features/bad.feature", "features/ok.feature"]);
    assert_eq!(report["files"], 2, "{report}");
    let found = located(&report);
    assert!(!found.is_empty(), "{report}");
    for (path, line, _, code) in &found {
        assert_eq!(
            (path.as_str(), code.as_str()),
            ("features/bad.feature", "SB004")
        );
        assert_eq!(*line, 4, "{report}");
    }
    assert_eq!(status, 1);
}

#[test]
fn problems_in_linked_files_are_reported_in_those_files() {
    let spec = b"# Export\n\n## Intent\nWhy.\n\n## Scenarios\nSee [errors](features/export%20errors.feature) and [enc](features/enc.feature#top).\n";
    let dir = workspace(&[
        ("specs/001-export/README.md", spec),
        (
            "specs/001-export/features/export errors.feature",
            BAD_FEATURE,
        ),
        (
            "specs/001-export/features/enc.feature",
            b"Feature: x\n  \xff\n",
        ),
    ]);
    let (status, report) = check_json(dir.path(), &[]);
    let found = located(&report);
    assert!(
        found.contains(&(
            "specs/001-export/features/enc.feature".to_string(),
            2,
            3,
            "SB000".to_string()
        )),
        "{report}"
    );
    assert!(
        found.iter().any(|(path, line, _, code)| path
            == "specs/001-export/features/export errors.feature"
            && *line == 4
            && code == "SB004"),
        "{report}"
    );
    assert_eq!(report["files"], 1, "{report}");
    assert_eq!(status, 1);
}

#[test]
fn unreadable_and_huge_files_do_not_stop_the_others() {
    let dir = workspace(&[
        ("specs/001-good/README.md", SPEC),
        ("specs/002-broken/README.md", NOT_UTF8),
        ("specs/004-also-good.md", SPEC),
    ]);
    // A 50 MB spec: many sections of many lines.
    let mut big = SPEC.to_vec();
    let mut section = 0;
    while big.len() < 50_000_000 {
        big.extend_from_slice(format!("\n## Notes {section}\n\n").as_bytes());
        for line in 0..40 {
            big.extend_from_slice(
                format!("Line {line} of section {section}: padding text for a big spec.\n")
                    .as_bytes(),
            );
        }
        section += 1;
    }
    write(dir.path(), "specs/003-big/README.md", &big);

    let (status, report) = check_json(dir.path(), &[]);
    assert!(status == 0 || status == 1, "exit {status}: {report}");
    assert_eq!(report["files"], 4, "{report}");
    let found = located(&report);
    assert!(
        found.contains(&(
            "specs/002-broken/README.md".to_string(),
            4,
            3,
            "SB000".to_string()
        )),
        "{report}"
    );
    // The big spec was checked, not refused.
    assert!(
        !found
            .iter()
            .any(|(path, _, _, code)| path == "specs/003-big/README.md" && code == "SB000"),
        "{report}"
    );
}

#[test]
fn a_file_over_64_mib_is_reported_not_read() {
    let dir = workspace(&[("specs/001-good/README.md", SPEC)]);
    let file = fs::File::create(dir.path().join("specs/huge.md")).expect("create");
    file.set_len(65 * 1024 * 1024).expect("grow the file");
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(report["files"], 2, "{report}");
    let huge = diagnostics(&report)
        .iter()
        .find(|d| d["path"] == "specs/huge.md")
        .expect("the huge file is reported");
    assert_eq!(huge["code"], "SB000");
    assert_eq!(
        (huge["line"].as_u64(), huge["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(
        huge["message"]
            .as_str()
            .expect("message")
            .contains("too large"),
        "{huge}"
    );
    assert_eq!(status, 1);
}

#[test]
fn a_bad_config_exits_2_naming_file_line_and_key() {
    let dir = workspace(&[
        (
            ".smallbatch/config.toml",
            b"specs = [\"specs/**/*.md\"]\n\n[session]\nkep = 3\n",
        ),
        ("specs/a.md", SPEC),
    ]);
    let output = smallbatch(dir.path(), &["check"]);
    assert_eq!(status(&output), 2);
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(err.contains(".smallbatch/config.toml:4:1:"), "{err}");
    assert!(err.contains("`kep`"), "{err}");
    assert!(err.contains("[session]"), "{err}");
}

#[test]
fn a_config_with_a_wrong_type_exits_2() {
    let dir = workspace(&[(
        ".smallbatch/config.toml",
        b"[run]\nmax_failures = \"three\"\n",
    )]);
    let output = smallbatch(dir.path(), &["check"]);
    assert_eq!(status(&output), 2);
    let err = stderr(&output);
    assert!(err.contains(".smallbatch/config.toml:2:16:"), "{err}");
    assert!(err.contains("`max_failures`"), "{err}");
}

#[test]
fn configured_spec_roots_are_used() {
    let dir = workspace(&[
        (
            ".smallbatch/config.toml",
            b"specs = [\"docs/specs/*.md\"]\n",
        ),
        ("docs/specs/broken.md", NOT_UTF8),
        ("specs/broken.md", NOT_UTF8),
    ]);
    let (_, report) = check_json(dir.path(), &[]);
    assert_eq!(paths(&report), ["docs/specs/broken.md"], "{report}");
}

#[test]
fn paths_are_relative_to_the_working_directory() {
    let dir = workspace(&[
        (".smallbatch/config.toml", b""),
        ("specs/broken.md", NOT_UTF8),
        ("docs/guide/notes.txt", b"notes\n"),
    ]);
    // From a subfolder, the workspace root is found by walking up.
    let (_, report) = check_json(&dir.path().join("docs/guide"), &[]);
    assert_eq!(paths(&report), ["../../specs/broken.md"], "{report}");
    // An absolute argument is still shown relative to the working directory.
    let absolute = dir.path().join("specs/broken.md");
    let absolute = absolute.to_str().expect("a UTF-8 temporary path");
    let (_, report) = check_json(dir.path(), &[absolute]);
    assert_eq!(paths(&report), ["specs/broken.md"], "{report}");
}

#[test]
fn diagnostics_are_sorted_by_path_then_position() {
    let dir = workspace(&[
        ("specs/b.md", NOT_UTF8),
        ("specs/a.md", b"ok\n\xff\n"),
        ("specs/c/README.md", b"\xff"),
    ]);
    let (_, report) = check_json(dir.path(), &["specs/c", "specs/b.md", "specs"]);
    assert_eq!(
        paths(&report),
        ["specs/a.md", "specs/b.md", "specs/c/README.md"],
        "{report}"
    );
    assert_eq!(report["files"], 3, "{report}");
}
