//! SB012: a scenario missing from the order.

use std::collections::HashSet;

use super::edits::line_break;
use super::{Code, Diagnostic, Rule, Severity, TextEdit};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    let Some(order) = &spec.order else {
        return Vec::new();
    };
    let listed: HashSet<&str> = rule.entries.iter().map(|(key, _)| key.as_str()).collect();
    let section = &spec.sections[order.section];
    let newline = line_break(rule.text);
    spec.scenarios
        .iter()
        .enumerate()
        .filter(|&(i, _)| !listed.contains(rule.scenarios.key(i)))
        .map(|(_, scenario)| {
            let edit = match order.entries.last() {
                Some(last) => TextEdit {
                    range: last.line_span.end..last.line_span.end,
                    new_text: format!(
                        "{newline}{}{}",
                        next_marker(&rule.text[last.line_span.clone()]),
                        scenario.name
                    ),
                },
                None => TextEdit {
                    range: section.body_span.start..section.body_span.start,
                    new_text: format!("{newline}1. {}{newline}", scenario.name),
                },
            };
            Diagnostic::new(
                Code::SB012,
                Severity::Warning,
                scenario.span.clone(),
                format!(
                    "scenario `{}` is not in the Scenario order: add it where it should be built",
                    scenario.name
                ),
            )
            .in_file(scenario.file)
            .with_fix("Append to the scenario order", vec![edit])
        })
        .collect()
}

/// The list marker that follows `line`'s: the next number, or the same bullet.
fn next_marker(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let number: u64 = trimmed[..digits].parse().unwrap_or(0);
        let delimiter = trimmed[digits..].chars().next().unwrap_or('.');
        format!("{indent}{}{delimiter} ", number + 1)
    } else {
        let bullet = trimmed.chars().next().unwrap_or('-');
        format!("{indent}{bullet} ")
    }
}
