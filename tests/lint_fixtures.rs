//! Every lint rule against its fixtures: `tests/fixtures/lint/NAME.md` is the
//! spec in, `NAME.md.expected` beside it the diagnostics out (with the edits
//! of their quick fixes). `UPDATE_EXPECT=1 cargo test --test lint_fixtures`
//! rewrites the expectations after a deliberate change.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use smallbatch::config::Config;
use smallbatch::lint::{
    LintContext, SessionFact, SessionFacts, SessionState, lint_spec, lint_spec_with,
};
use smallbatch::spec::{BlockCache, LineIndex, Spec};
use smallbatch::units::UnitKind;
use smallbatch::workspace::Workspace;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lint")
}

/// The specs the fixtures may depend on.
fn context() -> LintContext {
    LintContext {
        spec_ids: ["012-invoices", "013-payments"].map(String::from).into(),
        ..LintContext::default()
    }
}

/// The session facts of a fixture, from `NAME.sessions.json` beside it.
fn facts(path: &Path) -> Option<SessionFacts> {
    let json = fs::read_to_string(path.with_extension("sessions.json")).ok()?;
    let value: Value = serde_json::from_str(&json).expect("sessions fixture is JSON");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let pairs = |key: &str| value[key].as_array().cloned().unwrap_or_default();
    Some(SessionFacts {
        sessions: pairs("sessions")
            .iter()
            .map(|s| SessionFact {
                id: text(&s["id"]),
                kind: match s["kind"].as_str() {
                    Some("phase") => UnitKind::Phase,
                    Some("task") => UnitKind::Task,
                    _ => UnitKind::Scenario,
                },
                unit: text(&s["unit"]),
                state: match s["state"].as_str() {
                    Some("active") => SessionState::Active,
                    Some("paused") => SessionState::Paused,
                    Some("completed") => SessionState::Completed,
                    Some("abandoned") => SessionState::Abandoned,
                    _ => SessionState::Failed,
                },
                has_notes: s["hasNotes"].as_bool().unwrap_or(false),
                summary_template: s["summaryTemplate"].as_str().map(String::from),
                commit: s["commit"].as_str().map(String::from),
            })
            .collect(),
        unreadable: pairs("unreadable")
            .iter()
            .map(|p| (text(&p[0]), text(&p[1])))
            .collect(),
        configured_phases: Vec::new(),
    })
}

fn render(spec: &Spec, text: &str, facts: Option<&SessionFacts>) -> String {
    let mut out = String::new();
    for d in lint_spec_with(spec, text, &context(), facts) {
        let file_text = spec.file_text(text, d.file).unwrap_or(text);
        let index = LineIndex::new(file_text);
        let (line, col) = index.line_col(file_text, d.range.start);
        let (end_line, end_col) = index.line_col(file_text, d.range.end);
        let file = match d.file {
            smallbatch::spec::FileId::Spec => String::new(),
            smallbatch::spec::FileId::Linked(i) => format!("{} ", spec.feature_links[i].target),
            smallbatch::spec::FileId::Part(i) => format!("{} ", spec.parts[i].name),
        };
        let _ = writeln!(
            out,
            "{file}{line}:{col}-{end_line}:{end_col} {}[{}]: {}",
            d.severity.as_str(),
            d.code,
            d.message
        );
        let index = LineIndex::new(text);
        for fix in &d.fixes {
            let _ = writeln!(out, "  fix: {}", fix.title);
            for edit in &fix.edits {
                let (line, col) = index.line_col(text, edit.range.start);
                let (end_line, end_col) = index.line_col(text, edit.range.end);
                let _ = writeln!(
                    out,
                    "    {line}:{col}-{end_line}:{end_col} {:?}",
                    edit.new_text
                );
            }
        }
    }
    out
}

/// A fixture read as the workspace reads a spec, the fixtures folder being
/// the workspace: its linked files attached, or refused.
fn load(path: &Path) -> (Spec, String) {
    let text = fs::read_to_string(path).expect("fixture is readable");
    let root = fixtures_dir()
        .canonicalize()
        .expect("canonical fixtures folder");
    let ws = Workspace::new(root, Config::default()).expect("default globs");
    let path = path.canonicalize().expect("canonical fixture");
    let loaded = ws.read_spec_text(&path, text, &mut BlockCache::default());
    (loaded.spec, loaded.text)
}

#[test]
fn every_rule_matches_its_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut fixtures: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 13, "one fixture per rule at least");
    let mut failures = Vec::new();
    for path in &fixtures {
        let (spec, text) = load(path);
        let actual = render(&spec, &text, facts(path).as_ref());
        let expected_path = path.with_extension("md.expected");
        if update {
            fs::write(&expected_path, &actual).expect("write expectation");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Applying a rule's quick fix must clear the diagnostic.
#[test]
fn quick_fixes_clear_their_diagnostics() {
    for name in [
        "sb001_no_intent.md",
        "sb010_no_order.md",
        "sb011_unknown_entry.md",
        "sb012_unordered.md",
        "sb013_repeated_entry.md",
    ] {
        let (spec, text) = load(&fixtures_dir().join(name));
        let ctx = context();
        let diagnostics = lint_spec(&spec, &text, &ctx);
        let code = diagnostics
            .iter()
            .find(|d| !d.fixes.is_empty())
            .map(|d| d.code)
            .unwrap_or_else(|| panic!("{name} has a fixable diagnostic"));
        let before = diagnostics.iter().filter(|d| d.code == code).count();
        for fix_index in 0..2 {
            let Some(fix) = diagnostics
                .iter()
                .find(|d| d.code == code)
                .and_then(|d| d.fixes.get(fix_index))
            else {
                continue;
            };
            let mut fixed = text.clone();
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
            for edit in edits {
                fixed.replace_range(edit.range, &edit.new_text);
            }
            let after = lint_spec(&Spec::parse(&fixed), &fixed, &ctx)
                .iter()
                .filter(|d| d.code == code)
                .count();
            assert_eq!(
                after,
                before - 1,
                "{name}: fix `{}` left {code} in:\n{fixed}",
                fix.title
            );
        }
    }
}

/// Every diagnostic `check` reports on the fixtures covers at least one
/// character: an editor shows no squiggle for an empty range.
#[test]
fn no_diagnostic_of_the_fixtures_has_an_empty_range() {
    let dir = tempfile::tempdir().expect("temporary folder");
    fn copy_tree(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("folders");
        for entry in fs::read_dir(from).expect("a folder").flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().expect("a type").is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
    copy_tree(&fixtures_dir(), &dir.path().join("specs"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .expect("run smallbatch");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let diagnostics = report["diagnostics"].as_array().expect("a list");
    assert!(diagnostics.len() > 30, "{report}");
    let empty: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| (&d["line"], &d["column"]) == (&d["endLine"], &d["endColumn"]))
        .collect();
    assert!(empty.is_empty(), "empty ranges: {empty:#?}");
}
