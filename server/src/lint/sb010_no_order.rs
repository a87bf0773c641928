//! SB010: two or more scenarios and no Scenario order.

use super::edits::{insert_section, title_range};
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::SectionKind;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    if spec.scenarios.len() < 2 || spec.order.is_some() {
        return Vec::new();
    }
    let range = spec
        .section(SectionKind::Scenarios)
        .map_or_else(|| title_range(spec), |s| s.heading.span.clone());
    let list: String = spec
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}\n", i + 1, s.name))
        .collect();
    vec![
        Diagnostic::new(
            Code::SB010,
            Severity::Error,
            range,
            format!(
                "the spec has {} scenarios and no Scenario order: add `## Scenario order` listing them in the order they will be built",
                spec.scenarios.len()
            ),
        )
        .with_fix(
            "Insert scenario order",
            vec![insert_section(spec, rule.text, SectionKind::Order, &list)],
        ),
    ]
}
