//! SB013: a scenario listed twice in the order.

use super::edits::remove_line;
use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    let Some(order) = &spec.order else {
        return Vec::new();
    };
    let mut seen = vec![false; spec.scenarios.len()];
    let mut diagnostics = Vec::new();
    for (entry, &(_, scenario)) in order.entries.iter().zip(&rule.entries) {
        let Some(i) = scenario else {
            continue;
        };
        if !std::mem::replace(&mut seen[i], true) {
            continue;
        }
        diagnostics.push(
            Diagnostic::new(
                Code::SB013,
                Severity::Warning,
                entry.name_span.clone(),
                format!(
                    "`{}` is already in the Scenario order: each scenario is built once",
                    spec.scenarios[i].name
                ),
            )
            .with_fix(
                "Remove the repeat",
                vec![remove_line(rule.text, entry.line_span.clone())],
            ),
        );
    }
    diagnostics
}
