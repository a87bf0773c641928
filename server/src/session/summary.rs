//! The summary template `complete` writes when no summary is given, and the
//! SB020 quick fix reinserts: prefilled from git, for the author to edit.

use std::fmt::Write as _;

use super::git::FileChanges;
use super::record::SessionRecord;
use crate::units::short_commit;

/// The prefilled summary of a completed session: what to write, then the
/// facts (commit, files added and changed, tests, pipeline).
pub fn prefilled_summary(record: &SessionRecord, changes: &FileChanges) -> String {
    format!(
        "TODO: what was built, the decisions taken and why, and what the next scenario should know.\n\n{}",
        summary_facts(record, changes)
    )
}

/// The facts of a completed session, one `- ` line each: its commit, the
/// files added, changed and deleted, the tests added, the pipeline.
pub fn summary_facts(record: &SessionRecord, changes: &FileChanges) -> String {
    let mut text = String::new();
    if let Some(end) = &record.git.end_commit {
        let message = record
            .git
            .commits
            .iter()
            .find(|c| &c.id == end)
            .map(|c| format!(" {}", c.summary))
            .unwrap_or_default();
        let _ = writeln!(text, "- Commit: `{}`{message}", short_commit(end));
    }
    let list = |paths: &[String]| {
        paths
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !changes.added.is_empty() {
        let _ = writeln!(text, "- Files added: {}", list(&changes.added));
    }
    if !changes.modified.is_empty() {
        let _ = writeln!(text, "- Files changed: {}", list(&changes.modified));
    }
    if !changes.deleted.is_empty() {
        let _ = writeln!(text, "- Files deleted: {}", list(&changes.deleted));
    }
    let tests: Vec<String> = changes
        .tests()
        .filter(|t| changes.added.iter().any(|a| a == t))
        .map(String::from)
        .collect();
    if !tests.is_empty() {
        let _ = writeln!(text, "- Tests added: {}", list(&tests));
    }
    if let Some(pipeline) = &record.pipeline {
        let _ = writeln!(
            text,
            "- Pipeline: `{}` {}",
            pipeline.command.join(" "),
            pipeline.status
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::prefilled_summary;
    use crate::session::git::FileChanges;
    use crate::session::record::{CommitFact, PipelineRun, SessionRecord, UnitKind, UnitOfWork};

    #[test]
    fn the_template_holds_the_commit_files_tests_and_pipeline() {
        let unit = UnitOfWork {
            kind: UnitKind::Scenario,
            name: "Export a month".into(),
            index: 1,
            of: 2,
        };
        let mut record =
            SessionRecord::new("e-20261121-001".into(), "specs/e.md".into(), unit, "t");
        record.git.end_commit = Some("abcdef1234567".into());
        record.git.commits = vec![CommitFact {
            id: "abcdef1234567".into(),
            summary: "Export a month".into(),
        }];
        record.pipeline = Some(PipelineRun {
            command: vec!["cargo".into(), "test".into()],
            status: "passed".into(),
            at: "t".into(),
        });
        let changes = FileChanges {
            added: vec!["src/export.rs".into(), "tests/export_test.rs".into()],
            modified: vec!["src/lib.rs".into()],
            deleted: Vec::new(),
        };
        let text = prefilled_summary(&record, &changes);
        assert!(text.starts_with("TODO: what was built"));
        assert!(
            text.contains("- Commit: `abcdef1` Export a month\n"),
            "{text}"
        );
        assert!(text.contains("- Files added: `src/export.rs`, `tests/export_test.rs`\n"));
        assert!(text.contains("- Files changed: `src/lib.rs`\n"));
        assert!(text.contains("- Tests added: `tests/export_test.rs`\n"));
        assert!(text.contains("- Pipeline: `cargo test` passed\n"));
    }
}
