//! What the command line prints, end to end with the real binary: text
//! from specs shown safely on a terminal, errors as JSON objects, each
//! cause of an error said once, and help for every argument.

use serde_json::Value;

use crate::support::repo;

use repo::*;

/// A spec whose scenario names hold terminal escape sequences (a colour, a
/// window title ended by BEL) and a right-to-left override.
const ESCAPING_SPEC: &str = "# Colours

## Intent
Names may hold anything.

## Feature description
Nothing more.

## Scenarios

```gherkin
Feature: Colours
  Scenario: Paint it \u{1b}[31mred\u{1b}[0m
    Given a wall
    When I paint it
    Then it is red

  Scenario: Set the \u{1b}]0;title\u{7} and \u{202e}reverse
    Given a title
    Then it is set
```

## Scenario order
1. Paint it \u{1b}[31mred\u{1b}[0m
";

const ESCAPING_SPEC_PATH: &str = "specs/002-colours/README.md";

/// Characters a terminal acts on rather than shows.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[test]
fn escape_sequences_from_a_spec_are_shown_escaped_in_human_output() {
    let dir = repo(None);
    write(dir.path(), ESCAPING_SPEC_PATH, ESCAPING_SPEC);
    for args in [
        vec!["check"],
        vec!["check", "--format", "github"],
        vec!["status", ESCAPING_SPEC_PATH],
        vec!["context", ESCAPING_SPEC_PATH],
        vec!["start", ESCAPING_SPEC_PATH],
        vec!["status", ESCAPING_SPEC_PATH, "--verbose"],
        vec!["sessions"],
    ] {
        let output = smallbatch(dir.path(), &args);
        let (out, err) = (String::from_utf8_lossy(&output.stdout), stderr(&output));
        assert!(
            raw_controls(&out).is_empty() && raw_controls(&err).is_empty(),
            "{args:?} printed {:?} / {:?}:\n{out}\n{err}",
            raw_controls(&out),
            raw_controls(&err)
        );
        assert!(
            out.contains("Paint it \\u{1b}[31mred\\u{1b}[0m")
                || out.contains("Set the \\u{1b}]0;title\\u{7} and \\u{202e}reverse"),
            "{args:?}: {out}"
        );
    }
    let status = smallbatch(dir.path(), &["status", ESCAPING_SPEC_PATH]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("Set the \\u{1b}]0;title\\u{7} and \\u{202e}reverse"),
        "{text}"
    );
}

#[test]
fn json_output_keeps_the_names_exact() {
    let dir = repo(None);
    write(dir.path(), ESCAPING_SPEC_PATH, ESCAPING_SPEC);
    let status = json(dir.path(), &["status", ESCAPING_SPEC_PATH], 0);
    assert_eq!(
        status["units"][0]["name"], "Paint it \u{1b}[31mred\u{1b}[0m",
        "{status}"
    );
    let output = smallbatch(dir.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Set the \u{1b}]0;title\u{7} and \u{202e}reverse")),
        "{messages:?}"
    );
}

#[test]
fn the_carets_stay_under_an_escaped_range() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "specs/a.md",
        "# A\n\n## Intent\nWhy.\n\n## Feature description\nWhat.\n\n## Scenarios\n\n```gherkin\nFeature: F\n  Scenario: \u{1b}x\n    Given a\n```\n",
    );
    let output = smallbatch(dir.path(), &["check"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("|   Scenario: \\u{1b}x"))
        .unwrap_or_else(|| panic!("the source line in:\n{text}"));
    let carets = lines[at + 1];
    let source = lines[at];
    let first = carets.find('^').expect("carets");
    assert_eq!(&source[first..], "Scenario: \\u{1b}x", "{text}");
    assert_eq!(carets[first..].len(), "Scenario: \\u{1b}x".len(), "{text}");
}

/// Runs a command with `--format json`: its exit status, its one JSON
/// object and its stderr.
fn json_error(dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = smallbatch(dir, &all);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is one JSON object ({e}): {stdout:?}"));
    (code(&output), value, stderr(&output))
}

/// The error object: its kind and message.
fn error_of(value: &Value) -> (&str, &str) {
    let error = value["error"]
        .as_object()
        .unwrap_or_else(|| panic!("an error object: {value}"));
    assert_eq!(error.len(), 2, "{value}");
    (
        error["kind"].as_str().expect("a kind"),
        error["message"].as_str().expect("a message"),
    )
}

#[test]
fn with_format_json_a_refusal_or_failure_is_one_json_object() {
    let dir = repo(None);
    let refusals: [&[&str]; 3] = [
        &["pause", SPEC_PATH, "--notes", "x"],
        &["resume", SPEC_PATH],
        &["complete", SPEC_PATH],
    ];
    for args in refusals {
        let (status, value, err) = json_error(dir.path(), args);
        assert_eq!(status, 1, "{args:?}");
        let (kind, message) = error_of(&value);
        assert_eq!(kind, "refused", "{value}");
        assert!(message.contains("no open session"), "{message}");
        assert_eq!(err.trim(), format!("refused: {message}"), "{args:?}");
    }
    let failures: [&[&str]; 6] = [
        &["start", "no-such-spec"],
        &["status", "no-such-spec"],
        &["context", "no-such-spec"],
        &["run", "no-such-spec"],
        &["sessions", "--spec", "no-such-spec"],
        &["pause", "no-such-spec", "--notes", "x"],
    ];
    for args in failures {
        let (status, value, err) = json_error(dir.path(), args);
        assert_eq!(status, 2, "{args:?}");
        let (kind, message) = error_of(&value);
        assert_eq!(kind, "failed", "{value}");
        assert!(
            message.contains("no spec named `no-such-spec`"),
            "{message}"
        );
        assert_eq!(err.trim(), format!("error: {message}"), "{args:?}");
    }
}

#[test]
fn a_configuration_error_is_one_json_object_too() {
    let dir = repo(Some("[session]\nkep = 3\n"));
    for args in [vec!["check"], vec!["status", SPEC_PATH]] {
        let (status, value, err) = json_error(dir.path(), &args);
        assert_eq!(status, 2, "{args:?}");
        let (kind, message) = error_of(&value);
        assert_eq!(kind, "failed");
        assert!(
            message.contains(".smallbatch/config.toml:2:1: unknown key `kep`"),
            "{message}"
        );
        assert!(err.contains(message), "{err}");
    }
    // Other formats keep stdout for their own output.
    let output = smallbatch(dir.path(), &["check", "--format", "github"]);
    assert_eq!(code(&output), 2);
    assert!(output.stdout.is_empty(), "{output:?}");
}

#[test]
fn the_cause_of_an_error_is_said_once() {
    let dir = repo(None);
    write(
        dir.path(),
        ".smallbatch/sessions/001-export",
        "not a folder",
    );
    for args in [vec!["status", SPEC_PATH], vec!["start", SPEC_PATH]] {
        let output = smallbatch(dir.path(), &args);
        assert_eq!(code(&output), 2, "{args:?}: {output:?}");
        let err = stderr(&output);
        assert!(err.contains("001-export"), "{err}");
        assert_eq!(err.matches("Not a directory").count(), 1, "{args:?}: {err}");
        let (_, value, _) = json_error(dir.path(), &args);
        let (_, message) = error_of(&value);
        assert_eq!(message.matches("Not a directory").count(), 1, "{message}");
    }
    // A cause the message does not say yet is still added.
    std::fs::create_dir_all(dir.path().join("summary.md")).expect("a folder");
    let output = smallbatch(
        dir.path(),
        &["complete", SPEC_PATH, "--summary-file", "summary.md"],
    );
    assert_eq!(code(&output), 2, "{output:?}");
    let err = stderr(&output);
    assert!(
        err.starts_with("error: cannot read the summary file summary.md: "),
        "{err}"
    );
    assert_eq!(err.matches("Is a directory").count(), 1, "{err}");
}

/// The arguments and options of a `--help` text that have no description
/// (only a name, possible values or a default).
fn undescribed(help: &str) -> Vec<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let lines: Vec<&str> = help.lines().collect();
    let mut missing = Vec::new();
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_block = matches!(*line, "Arguments:" | "Options:");
            continue;
        }
        let item = line.trim_start();
        if !in_block || indent(line) > 6 || !item.starts_with(['-', '<', '[']) {
            continue;
        }
        let (name, rest) = item.split_once("  ").unwrap_or((item, ""));
        let description = if rest.trim().is_empty() {
            lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || indent(l) > indent(line))
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .unwrap_or_default()
        } else {
            rest.trim()
        };
        if description.is_empty()
            || description.starts_with('[')
            || description.starts_with("Possible values:")
        {
            missing.push(name.to_string());
        }
    }
    missing
}

#[test]
fn every_argument_of_every_command_has_help() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Every subcommand `smallbatch --help` lists.
    let top = smallbatch(dir.path(), &["--help"]);
    let top = String::from_utf8_lossy(&top.stdout).into_owned();
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|&name| name != "help")
        .collect();
    for expected in ["check", "lsp", "start", "abandon", "run"] {
        assert!(commands.contains(&expected), "{expected} in {commands:?}");
    }
    let mut missing = Vec::new();
    for command in commands {
        let output = smallbatch(dir.path(), &[command, "--help"]);
        assert_eq!(code(&output), 0, "{output:?}");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("Options:"), "{command}: {help}");
        missing.extend(
            undescribed(&help)
                .into_iter()
                .map(|name| format!("{command} {name}")),
        );
    }
    assert!(missing.is_empty(), "no help for: {missing:?}");
    // The parser sees a bare name as undescribed.
    assert_eq!(
        undescribed(
            "Arguments:\n  <SPEC>\n          \n\nOptions:\n      --format <F>\n          Possible values:\n  -h, --help\n          Print help\n"
        ),
        ["<SPEC>", "--format <F>"]
    );
}
