//! SB023: a paused session without notes.

use super::session_facts::{SessionState, unit_range};
use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    facts
        .sessions
        .iter()
        .filter(|s| s.state == SessionState::Paused && !s.has_notes)
        .map(|session| {
            let (file, range) = unit_range(rule.spec, &session.unit);
            Diagnostic::new(
                Code::SB023,
                Severity::Warning,
                range,
                format!(
                    "session {} of `{}` is paused without notes: the next session will not know where it stopped; pause it again with `--notes`",
                    session.id, session.unit
                ),
            )
            .in_file(file)
        })
        .collect()
}
