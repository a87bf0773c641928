//! The summaries of completed sessions in a context load: the latest few
//! whole, older ones by their first sentence; over the budget the oldest
//! collapse first, then go.

use std::fmt::Write as _;

use super::prose::first_sentences;

/// Summaries of this many latest completed sessions are given whole; older
/// ones by their first sentence, so the load stays small however long the
/// history grows.
const WHOLE_SUMMARIES: usize = 3;

/// The summaries part, and what was cut to fit, when anything was.
pub(super) struct FittedSummaries {
    pub text: String,
    pub note: Option<String>,
}

/// The summaries that fit the budget beside `fixed` characters of the
/// rest: the latest few whole and the older ones by their first sentence;
/// then, over the budget, collapse the oldest first, then drop them.
pub(super) fn fit_summaries(
    summaries: &[(String, String)],
    budget: usize,
    fixed: usize,
) -> FittedSummaries {
    let usual = summaries.len().saturating_sub(WHOLE_SUMMARIES);
    let (mut collapsed, mut dropped) = (usual, 0);
    loop {
        let text = summaries_part(summaries, collapsed, dropped);
        let fits = (fixed + text.chars().count()).div_ceil(4) <= budget;
        if fits || dropped == summaries.len() {
            let note = match (collapsed - usual, dropped) {
                (0, 0) => None,
                (n, 0) => Some(format!(
                    "the summaries of earlier sessions: {n} more collapsed to their first sentence"
                )),
                (_, d) => Some(format!(
                    "the summaries of earlier sessions: the oldest {d} of {} left out",
                    summaries.len()
                )),
            };
            return FittedSummaries { text, note };
        }
        if collapsed < summaries.len() {
            collapsed += 1;
        } else {
            dropped += 1;
        }
    }
}

/// The summaries with the first `collapsed` cut to their first sentence and
/// the first `dropped` left out.
pub(super) fn summaries_part(
    summaries: &[(String, String)],
    collapsed: usize,
    dropped: usize,
) -> String {
    if summaries.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Completed sessions\n\n");
    match dropped {
        0 => {}
        1 => out.push_str("1 earlier summary omitted.\n\n"),
        n => {
            let _ = write!(out, "{n} earlier summaries omitted.\n\n");
        }
    }
    for (i, (name, summary)) in summaries.iter().enumerate().skip(dropped) {
        let body = if i < collapsed {
            first_sentence(summary)
        } else {
            summary.trim().to_string()
        };
        let _ = write!(out, "### {}\n{body}\n\n", name.trim());
    }
    out
}

/// A summary collapsed: its first sentence as plain text (see
/// [`first_sentences`]; the first non-blank line when it has none outside
/// code), with `…` when more followed.
fn first_sentence(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_line = lines.next().unwrap_or_default();
    let more_lines = lines.next().is_some();
    let first = first_sentences(text, 1);
    if first.is_empty() {
        return if more_lines {
            format!("{first_line} …")
        } else {
            first_line.to_string()
        };
    }
    if more_lines || first_sentences(text, 2).len() > first.len() {
        format!("{first} …")
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::context::{ContextInput, ContextLoad, SPEC};
    use crate::spec::{Spec, UnitRef};

    #[test]
    fn only_the_latest_summaries_are_whole_and_files_are_capped() {
        let spec = Spec::parse(SPEC);
        let summaries: Vec<(String, String)> = (1..=5)
            .map(|n| (format!("S{n}"), format!("S{n} first line.\nS{n} detail.")))
            .collect();
        let files: Vec<String> = (1..=20).map(|n| format!("src/f{n}.rs")).collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            relevant_files: &files,
            budget: 100_000,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains("### S1\nS1 first line. …\n"),
            "{}",
            load.text
        );
        assert!(load.text.contains("### S2\nS2 first line. …\n"));
        for n in 3..=5 {
            assert!(
                load.text
                    .contains(&format!("### S{n}\nS{n} first line.\nS{n} detail."))
            );
        }
        assert!(load.text.contains("- `src/f15.rs`\n- … and 5 more\n"));
        assert!(!load.text.contains("src/f16.rs"));
    }

    #[test]
    fn older_summaries_collapse_to_their_first_sentence() {
        let spec = Spec::parse(SPEC);
        let written = |what: &str| {
            format!(
                "{what} streamed through `csv::Writer` in `src/export.rs`. Rows are not \
                 buffered, e.g. for big months.\n\n- Commit: `abcdef1` {what}\n\
                 - Files changed: `src/export.rs`\n"
            )
        };
        let summaries: Vec<(String, String)> = ["One", "Two", "Three", "Four"]
            .iter()
            .map(|n| (n.to_string(), written(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains(
                "### One\nOne streamed through `csv::Writer` in `src/export.rs`. …\n\n### Two\n"
            ),
            "{}",
            load.text
        );
        assert!(
            load.text
                .contains(&format!("### Two\n{}", written("Two").trim()))
        );
        assert_eq!(load.text.matches("Rows are not buffered").count(), 3);
    }

    #[test]
    fn a_collapsed_summary_is_plain_text_with_a_mark_when_more_followed() {
        assert_eq!(first_sentence("Did it."), "Did it.");
        assert_eq!(first_sentence("  Did it.  \n\n"), "Did it.");
        assert_eq!(first_sentence("Built it. Then tested it."), "Built it. …");
        assert_eq!(first_sentence("Built it\n- Commit: `abc`"), "Built it …");
        assert_eq!(
            first_sentence("**Streamed** rows via [csv](https://x.y/a.rs), i.e. lazily. More."),
            "Streamed rows via csv, i.e. lazily. …"
        );
        assert_eq!(
            first_sentence(
                "TODO: what was built, the decisions taken and why, and what the next scenario should know.\n\n- Commit: `abcdef1` Export a month\n"
            ),
            "TODO: what was built, the decisions taken and why, and what the next scenario should know. …"
        );
        assert_eq!(first_sentence("```\nlet x = 1;\n```"), "``` …");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn summaries_collapse_oldest_first_then_drop_under_a_small_budget() {
        let spec = Spec::parse(SPEC);
        let long = |name: &str| format!("{name} first line.\n{}", "More detail. ".repeat(40));
        let summaries: Vec<(String, String)> = ["One", "Two", "Three"]
            .iter()
            .map(|n| (n.to_string(), long(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let base = ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        };
        let full = ContextLoad::build(&base);
        assert!(!full.over_budget);
        assert_eq!(full.text.matches("More detail.").count(), 120);

        // Room for the fixed parts and a little more: the oldest collapse.
        let without = ContextLoad::build(&ContextInput {
            summaries: &[],
            ..base
        });
        let budget = without.tokens + 300;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(load.tokens <= budget, "{} > {budget}", load.tokens);
        assert!(load.text.contains("### One\nOne first line. …\n"));
        assert!(
            load.text
                .contains("### Three\nThree first line.\nMore detail.")
        );

        // Room for almost nothing: every summary collapses, then the oldest go.
        let budget = without.tokens + 25;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(
            load.text
                .contains("2 earlier summaries omitted.\n\n### Three\nThree first line. …\n"),
            "{}",
            load.text
        );
        assert!(!load.text.contains("### One"));
        assert!(!load.over_budget);

        let load = ContextLoad::build(&ContextInput { budget: 10, ..base });
        assert!(load.over_budget);
        assert!(load.text.contains("3 earlier summaries omitted."));
    }
}
