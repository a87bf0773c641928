//! SB021: a log entry for a unit with no completed session. Applies once a
//! spec's sessions are tracked (it has at least one session record).

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let (Some(facts), Some(log)) = (rule.facts, &rule.spec.log) else {
        return Vec::new();
    };
    if facts.sessions.is_empty() {
        return Vec::new();
    }
    log.entries
        .iter()
        .filter(|entry| !facts.is_complete(&entry.heading.text))
        .map(|entry| {
            Diagnostic::new(
                Code::SB021,
                Severity::Warning,
                entry.heading.text_span.clone(),
                format!(
                    "the log has a summary for `{}`, but no session of it completed: complete its session, or move the text out of the Session log",
                    entry.heading.text
                ),
            )
        })
        .collect()
}
