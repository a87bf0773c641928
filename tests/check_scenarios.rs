//! The scenarios of `smallbatch check`, run through the real binary in
//! temporary workspaces.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

/// A workspace holding `files` (path, text).
fn workspace(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        fs::write(path, text).expect("write a file");
    }
    dir
}

/// Runs `smallbatch check --format json ARGS` in `dir`: the exit status and the report.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run smallbatch");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}):\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("an exit code"), report)
}

/// The diagnostics with `code`, as (line, column, endLine, endColumn).
fn positions(report: &Value, code: &str) -> Vec<(u64, u64, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            let n = |k: &str| d[k].as_u64().expect("a number");
            (n("line"), n("column"), n("endLine"), n("endColumn"))
        })
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect()
}

const COMPLETE: &str = include_str!("fixtures/lint/clean.md");

#[test]
fn a_complete_spec_has_no_problems_and_exits_0() {
    let dir = workspace(&[
        ("specs/014-export/README.md", COMPLETE),
        ("specs/012-invoices/README.md", COMPLETE),
    ]);
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(report["files"], 2, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["warnings"], 0, "{report}");
    assert_eq!(report["diagnostics"], Value::Array(vec![]));
    assert_eq!(status, 0);
}

#[test]
fn a_spec_without_intent_gets_sb001_on_its_title_and_exits_1() {
    let spec = "\n# Export invoices\n\n## Feature description\nStreams rows.\n\n## Scenarios\n\n### Scenario: Export a month\n* Given a month\n* Then a CSV\n";
    let dir = workspace(&[("specs/export.md", spec)]);
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(positions(&report, "SB001"), [(2, 1, 2, 18)], "{report}");
    assert_eq!(report["diagnostics"][0]["path"], "specs/export.md");
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(status, 1);
}

#[test]
fn order_problems_point_at_their_exact_lines() {
    let spec = "# Export invoices

## Intent
Accountants re-type invoices.

## Feature description
Streams rows.

## Scenarios

```gherkin
Feature: Invoice export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario: Export an empty month
    Given an empty month
    Then only the header

  Scenario: Export a year
    Given a year
    Then twelve CSVs
```

## Scenario order
1. Export a month
2. Export a decade
3. Export an empty month
4. Export a month
";
    let dir = workspace(&[("specs/export.md", spec)]);
    let (status, report) = check_json(dir.path(), &[]);
    assert_eq!(positions(&report, "SB011"), [(28, 4, 28, 19)], "{report}");
    assert_eq!(positions(&report, "SB012"), [(21, 3, 21, 26)], "{report}");
    assert_eq!(positions(&report, "SB013"), [(30, 4, 30, 18)], "{report}");
    assert_eq!(
        codes(&report),
        ["SB012", "SB011", "SB013"],
        "sorted by position"
    );
    assert_eq!(status, 1);
}

#[test]
fn a_gherkin_error_points_at_the_spec_line_and_character_column() {
    let spec = "# 請求書のエクスポート 📄

## Intent
経理は毎月 😩 請求書を打ち直している。

## Feature description
Streams rows 🚀.

## Scenarios

```gherkin
Feature: Invoice export 📄 請求書
  Scenario: Export a month — 月 📅
    Given a month with 請求書 🧾
    🙈 this 行 is not Gherkin
    Then a CSV
```

## Scenario order
1. Export a month — 月 📅
";
    let dir = workspace(&[("specs/export.md", spec)]);
    let (status, report) = check_json(dir.path(), &[]);
    // The 4th line inside the block is line 15 of the spec; the error starts
    // after four spaces and ends after 23 characters (the emoji counts as one).
    assert_eq!(positions(&report, "SB004"), [(15, 5, 15, 28)], "{report}");
    assert_eq!(status, 1);
}

#[test]
fn a_leanspec_spec_parses_and_a_missing_dependency_is_sb041() {
    let spec = "---
status: planned
priority: high
depends_on:
  - 044-auth
  - 099-ledger
created: 2026-11-20
---

# Billing export

## Overview
Finance needs invoices as CSV.

## Design
Streams rows.

## Plan

### Phase 1: Schema
- [ ] add the table

### Phase 2: Export endpoint
- [ ] stream rows
";
    let dir = workspace(&[
        ("specs/045-billing-export/README.md", spec),
        ("specs/044-auth/README.md", COMPLETE),
    ]);
    let (_, report) = check_json(dir.path(), &["specs/045-billing-export"]);
    assert_eq!(positions(&report, "SB041"), [(6, 5, 6, 15)], "{report}");
    assert_eq!(
        codes(&report),
        ["SB041"],
        "phases are units: no SB003; Overview is the intent: {report}"
    );
    assert_eq!(report["errors"], 0);
}
