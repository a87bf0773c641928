//! LeanSpec's own history in the front matter (`updated_at`, `transitions`,
//! `completed_at`, `completed`) moves with the status smallbatch sets, as
//! LeanSpec's CLI moves it; every other key stays as written.

use crate::support::repo;

use smallbatch::session::{SystemClock, Timestamp};

const FRONT_MATTER: &str = "---
status: planned
created: '2025-11-02'
tags:
  - export
priority: high # soon
created_at: '2025-11-02T00:00:00Z'
updated_at: '2025-11-04T06:45:54.057Z'
transitions:
  - status: complete
    at: '2025-11-05T13:35:26.669Z'
  - status: planned
    at: '2025-11-06T07:00:00.000Z'
completed_at: '2025-11-05T13:35:26.669Z'
completed: '2025-11-05'
depends_on:
  - 012-sub-spec-files
---
";

const BODY: &str = "
# Export invoices

## Intent
Accountants re-type invoices.

## Feature description
Streams rows.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month with invoices
    Given a month
    Then a CSV
```
";

fn now() -> Timestamp {
    smallbatch::session::Clock::now(&SystemClock)
}

/// The value of a top-level `key: '…'` line of the front matter.
fn value<'t>(text: &'t str, key: &str) -> &'t str {
    let prefix = format!("{key}: ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{key} in {text}"))
}

/// The quoted LeanSpec time `'2026-01-02T03:04:05.000Z'` as a timestamp,
/// checking its shape.
fn leanspec_time(quoted: &str) -> Timestamp {
    let inner = quoted
        .strip_prefix('\'')
        .and_then(|q| q.strip_suffix('\''))
        .unwrap_or_else(|| panic!("single-quoted: {quoted}"));
    assert_eq!(inner.len(), 24, "milliseconds and Z: {inner}");
    inner.parse().expect("an RFC 3339 time")
}

#[test]
fn start_and_complete_write_leanspec_history() {
    let dir = repo::repo(None);
    let path = dir.path().join(repo::SPEC_PATH);
    repo::write(
        dir.path(),
        repo::SPEC_PATH,
        &format!("{FRONT_MATTER}{BODY}"),
    );
    repo::commit(dir.path(), &["specs"], "A LeanSpec spec");

    let before = now();
    repo::start(dir.path());
    let started = std::fs::read_to_string(&path).expect("the spec");
    let at = leanspec_time(value(&started, "updated_at"));
    assert!(at >= before && at <= now(), "{started}");
    let stamp = value(&started, "updated_at");
    let expected = FRONT_MATTER
        .replacen("status: planned\n", "status: in-progress\n", 1)
        .replace("'2025-11-04T06:45:54.057Z'", stamp)
        .replace(
            "    at: '2025-11-06T07:00:00.000Z'\n",
            &format!(
                "    at: '2025-11-06T07:00:00.000Z'\n  - status: in-progress\n    at: {stamp}\n"
            ),
        );
    assert_eq!(started, format!("{expected}{BODY}"));

    repo::commit_export(dir.path(), "Export a month with invoices");
    let before = now();
    repo::json(
        dir.path(),
        &["complete", repo::SPEC_PATH, "--summary", "Done."],
        0,
    );
    let completed = std::fs::read_to_string(&path).expect("the spec");
    let stamp = value(&completed, "updated_at");
    let at = leanspec_time(stamp);
    assert!(at >= before && at <= now(), "{completed}");
    assert_eq!(value(&completed, "status"), "complete");
    assert_eq!(value(&completed, "completed_at"), stamp);
    assert_eq!(
        value(&completed, "completed"),
        format!("'{}'", &stamp[1..11])
    );
    assert!(
        completed.contains(&format!("  - status: in-progress\n    at: {}\n  - status: complete\n    at: {stamp}\ncompleted_at:", value(&started, "updated_at"))),
        "{completed}"
    );
    for kept in [
        "created: '2025-11-02'\n",
        "tags:\n  - export\n",
        "priority: high # soon\n",
        "created_at: '2025-11-02T00:00:00Z'\n",
        "depends_on:\n  - 012-sub-spec-files\n---\n",
    ] {
        assert!(completed.contains(kept), "{kept} in {completed}");
    }
}

#[test]
fn a_spec_without_leanspec_history_gets_none() {
    let dir = repo::repo(None);
    repo::start(dir.path());
    let started = repo::spec_text(dir.path());
    assert_eq!(
        started,
        repo::SPEC.replacen("status: planned", "status: in-progress", 1)
    );
}
