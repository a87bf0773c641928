//! The resume context: what a paused session left behind — what was done,
//! notes, next steps, files changed and spec edits since the start — on top
//! of the unit's context load.

use std::fmt::Write as _;

use super::load::{ContextInput, ContextLoad};
use super::prose::estimate_tokens;
use super::{fenced, section_or};
use crate::session::diff::{TextDiff, unified_diff};
use crate::session::record::{SessionRecord, UnitOfWork};
use crate::units::short_commit;

/// What a resume context is built from.
#[derive(Debug, Clone, Copy)]
pub struct ResumeInput<'a> {
    /// The paused session.
    pub record: &'a SessionRecord,
    /// Files changed since the session started (from git).
    pub files_changed: &'a [String],
    /// The spec's text when the session started, when known.
    pub spec_at_start: Option<&'a str>,
    /// The unit's context load, on the spec as it is now.
    pub context: ContextInput<'a>,
}

/// The text handed to the agent when a paused session resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeContext {
    /// Markdown.
    pub text: String,
    pub tokens: usize,
}

impl ResumeContext {
    /// What was done, notes, next steps, files changed and spec edits since
    /// the start, then the unit's context load.
    pub fn build(input: &ResumeInput<'_>) -> ResumeContext {
        let record = input.record;
        let mut text = format!(
            "# Resuming session {}\n\nThe session of {} “{}” was paused. Go on from where it stopped.\n\n",
            record.id,
            UnitOfWork::place(&record.unit),
            record.unit.name
        );
        text.push_str(&done_part(record));
        text.push_str(&section_or(
            "Notes",
            record.notes.as_deref().unwrap_or_default(),
            "None.",
        ));
        let steps: String = record
            .next_steps
            .iter()
            .enumerate()
            .map(|(i, step)| format!("{}. {}\n", i + 1, step.trim()))
            .collect();
        text.push_str(&section_or("Next steps", &steps, "None recorded."));
        let files: String = input
            .files_changed
            .iter()
            .map(|f| format!("- `{f}`\n"))
            .collect();
        text.push_str(&section_or(
            "Files changed since the start",
            &files,
            "None.",
        ));
        text.push_str(&section_or(
            "Spec edits since the start",
            &spec_edits(input.spec_at_start, input.context.text),
            "",
        ));
        text.push_str("---\n\n");
        // What resuming adds comes out of the unit's budget, so the whole
        // stays within it (the unit's own text permitting).
        let budget = input.context.budget.saturating_sub(estimate_tokens(&text));
        let load = ContextLoad::build(&ContextInput {
            budget,
            ..input.context
        });
        text.push_str(&load.text);
        ResumeContext {
            tokens: estimate_tokens(&text),
            text,
        }
    }
}

/// The completed tasks and the commits made so far.
fn done_part(record: &SessionRecord) -> String {
    let mut done: String = record
        .completed_tasks
        .iter()
        .map(|task| format!("- {}\n", task.trim()))
        .collect();
    for commit in &record.git.commits {
        let _ = writeln!(
            done,
            "- commit `{}`: {}",
            short_commit(&commit.id),
            commit.summary.trim()
        );
    }
    section_or("What was done", &done, "Nothing recorded yet.")
}

/// The spec's edits since the start as a fenced unified diff.
fn spec_edits(at_start: Option<&str>, now: &str) -> String {
    let Some(at_start) = at_start else {
        return "Unknown: the spec's text at the start was not recorded.".to_string();
    };
    match unified_diff(at_start, now) {
        TextDiff::Unchanged => "No changes.".to_string(),
        TextDiff::Unified(hunks) => fenced("diff", &hunks),
        too_large @ TextDiff::TooLarge { .. } => format!("Not shown: {too_large}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::context::SPEC;
    use crate::session::record::{CommitFact, UnitKind};
    use crate::spec::{Spec, UnitRef};

    fn paused_record() -> SessionRecord {
        let mut record = SessionRecord::new(
            "001-csv-export-20261121-002".into(),
            "specs/001-csv-export/README.md".into(),
            UnitOfWork {
                kind: UnitKind::Scenario,
                name: "Export an empty month".into(),
                index: 2,
                of: 3,
            },
            "2026-11-21T10:00:00Z",
        );
        record.completed_tasks = vec!["wrote the header row".into()];
        record.notes = Some("The writer flushes twice.".into());
        record.next_steps = vec!["test an empty month".into(), "commit".into()];
        record.git.commits = vec![CommitFact {
            id: "0123456789abcdef".into(),
            summary: "Header row".into(),
        }];
        record
    }

    #[test]
    fn the_resume_context_holds_notes_next_steps_files_and_a_diff() {
        let spec = Spec::parse(SPEC);
        let at_start = SPEC.replace("- Rows are streamed.\n", "- Rows are buffered.\n");
        let record = paused_record();
        let files = ["src/export.rs".to_string()];
        let unit = UnitRef::Scenario(1);
        let input = ResumeInput {
            record: &record,
            files_changed: &files,
            spec_at_start: Some(&at_start),
            context: ContextInput::new(&spec, SPEC, &unit),
        };
        let resume = ResumeContext::build(&input);
        let text = &resume.text;
        assert!(text.starts_with("# Resuming session 001-csv-export-20261121-002\n"));
        assert!(text.contains("scenario 2 of 3 “Export an empty month”"));
        assert!(text.contains(
            "## What was done\n\n- wrote the header row\n- commit `0123456`: Header row\n"
        ));
        assert!(text.contains("## Notes\n\nThe writer flushes twice.\n"));
        assert!(text.contains("## Next steps\n\n1. test an empty month\n2. commit\n"));
        assert!(text.contains("## Files changed since the start\n\n- `src/export.rs`\n"));
        assert!(
            text.contains("## Spec edits since the start\n\n```diff\n@@ -"),
            "{text}"
        );
        assert!(text.contains("\n-- Rows are buffered.\n+- Rows are streamed.\n"));
        assert!(text.contains("## This scenario"));
        assert_eq!(resume.tokens, estimate_tokens(text));

        let unchanged = ResumeContext::build(&ResumeInput {
            spec_at_start: Some(SPEC),
            ..input
        });
        assert!(
            unchanged
                .text
                .contains("## Spec edits since the start\n\nNo changes.\n")
        );
    }

    #[test]
    fn a_diff_of_a_spec_with_fences_gets_a_longer_fence() {
        let spec = Spec::parse(SPEC);
        let at_start = SPEC.replace(
            "```\n\n## Scenario order",
            "```\n\nMore.\n\n## Scenario order",
        );
        let record = paused_record();
        let unit = UnitRef::Scenario(1);
        let resume = ResumeContext::build(&ResumeInput {
            record: &record,
            files_changed: &[],
            spec_at_start: Some(&at_start),
            context: ContextInput::new(&spec, SPEC, &unit),
        });
        assert!(resume.text.contains("````diff\n"), "{}", resume.text);
    }
}
