//! The context load (DESIGN §6): what an agent is handed when a session
//! starts — the spec's title and the unit's place, the intent in two
//! sentences, the feature description, the unit's own text, the relevant
//! files, the summaries of completed sessions and the rules of the session.
//! It never holds the other scenarios. The resume context puts what a paused
//! session left behind on top of the load.
//!
//! [`load`] builds the load from the spec model within its budget,
//! [`feature`] fits the feature description, [`summaries`] the summaries of
//! completed sessions, [`resume`] builds the resume context, [`prose`]
//! summarises text (first sentences, token estimates) and [`files`] finds
//! the relevant files.

mod feature;
mod files;
mod load;
mod prose;
mod resume;
mod summaries;

pub use files::{paths_named_in, relevant_files};
pub use load::{ContextInput, ContextLoad, DEFAULT_BUDGET};
pub use prose::{estimate_tokens, first_sentences};
pub use resume::{ResumeContext, ResumeInput};

/// `## heading`, the body and a blank line; nothing when the body is empty.
pub(super) fn part(heading: &str, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        String::new()
    } else {
        format!("## {heading}\n\n{body}\n\n")
    }
}

/// A fenced code block, its fence longer than any backtick run inside.
pub(super) fn fenced(lang: &str, body: &str) -> String {
    let longest = body
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    // Only line breaks are trimmed: a diff's blank context line is a space.
    format!(
        "{fence}{lang}\n{}\n{fence}",
        body.trim_end_matches(['\n', '\r'])
    )
}

/// `## heading` and the body, or `empty` when the body is blank.
pub(super) fn section_or(heading: &str, body: &str, empty: &str) -> String {
    let body = if body.trim().is_empty() {
        empty
    } else {
        body.trim_end()
    };
    format!("## {heading}\n\n{body}\n\n")
}

/// A spec of three scenarios with an intent, a feature description, an
/// order and a session log.
#[cfg(test)]
pub(super) const SPEC: &str = "---\nstatus: in-progress\n---\n\n# Export invoices as CSV\n\n## Intent\nAccountants re-type invoices by hand, e.g. every month. Exporting removes that work! They open the file anywhere.\n\n## Feature description\n- Rows are streamed.\n<!-- hint: constraints -->\n- Only the invoice module changes.\n\n## Scenarios\n\n```gherkin\nFeature: Invoice export\n  Scenario: Export a month with invoices\n    Given a month with 3 invoices\n    When I export the full month\n    Then I get a CSV with 3 rows\n\n  Scenario: Export an empty month\n    Given a month with no invoices\n    When I export the empty month\n    Then I get only the header row\n\n  Scenario: Refuse an open month\n    Given the current month is open\n    When I export the open month\n    Then I am told to close it first\n```\n\n## Scenario order\n1. Export a month with invoices\n2. Export an empty month\n3. Refuse an open month\n\n## Session log\n### Export a month with invoices\nStreamed through `csv::Writer` in `src/export.rs`.\n";
