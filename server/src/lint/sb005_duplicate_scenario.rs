//! SB005: two scenarios with the same name in one spec.

use std::collections::HashMap;

use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::normalize_name;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut diagnostics = Vec::new();
    for (i, scenario) in rule.spec.scenarios.iter().enumerate() {
        let key = normalize_name(&scenario.name);
        if key.is_empty() {
            continue;
        }
        if let Some(&first) = seen.get(&key) {
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
        } else {
            seen.insert(key, i);
        }
    }
    diagnostics
}
