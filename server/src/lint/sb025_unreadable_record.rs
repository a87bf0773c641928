//! SB025: a session record that cannot be read (names the file). It is left
//! as it is; the other sessions still work.

use super::edits::title_range;
use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    facts
        .unreadable
        .iter()
        .map(|(path, why)| {
            Diagnostic::new(
                Code::SB025,
                Severity::Error,
                title_range(rule.spec),
                format!(
                    "the session record {path} cannot be read ({why}): repair or remove it; smallbatch leaves it untouched"
                ),
            )
        })
        .collect()
}
