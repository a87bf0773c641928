//! SB006: a scenario with no `Then` step.

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    rule.spec
        .scenarios
        .iter()
        .filter(|s| !s.has_outcome())
        .map(|s| {
            Diagnostic::new(
                Code::SB006,
                Severity::Warning,
                s.span.clone(),
                format!(
                    "scenario `{}` has no `Then` step: say which outcome shows it works",
                    s.name
                ),
            )
            .in_file(s.file)
        })
        .collect()
}
