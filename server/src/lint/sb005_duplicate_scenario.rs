//! SB005: two scenarios with the same name in one spec.

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (i, scenario) in rule.spec.scenarios.iter().enumerate() {
        let key = rule.scenarios.key(i);
        if key.is_empty() {
            continue;
        }
        // The index keeps the first scenario of each name.
        if let Some(first) = rule.scenarios.get_key(key).filter(|&first| first != i) {
            let first = &rule.spec.scenarios[first];
            diagnostics.push(
                Diagnostic::new(
                    Code::SB005,
                    Severity::Error,
                    scenario.span.clone(),
                    format!(
                        "another scenario is already named `{}`: give each scenario its own name so the order and the log can tell them apart",
                        first.name
                    ),
                )
                .in_file(scenario.file),
            );
        }
    }
    diagnostics
}
