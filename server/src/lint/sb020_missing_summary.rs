//! SB020: a completed session whose unit has no summary in the Session log.

use super::session_facts::{SessionState, unit_range};
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::{log_summary_edit, normalize_name};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    let mut reported: Vec<String> = Vec::new();
    let mut diagnostics = Vec::new();
    for session in facts
        .sessions
        .iter()
        .filter(|s| s.state == SessionState::Completed)
    {
        let key = normalize_name(&session.unit);
        if rule.spec.has_summary(&session.unit) || reported.contains(&key) {
            continue;
        }
        reported.push(key);
        let (file, range) = unit_range(rule.spec, &session.unit);
        let mut diagnostic = Diagnostic::new(
                Code::SB020,
                Severity::Warning,
                range,
                format!(
                    "session {} completed `{}`, but the Session log has no summary of it: the next session reads the summary instead of the history",
                    session.id, session.unit
                ),
            )
            .in_file(file);
        if let Some(template) = &session.summary_template {
            let edit = log_summary_edit(rule.spec, rule.text, &session.unit, template);
            diagnostic = diagnostic.with_fix("Insert a summary prefilled from git", vec![edit]);
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}
