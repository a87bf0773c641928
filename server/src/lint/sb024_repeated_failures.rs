//! SB024: a unit whose last three sessions failed needs a person.

use super::session_facts::{SessionState, unit_range};
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::normalize_name;

/// How many failed sessions in a row call for a person.
const FAILURES: usize = 3;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    let mut units: Vec<&str> = Vec::new();
    for session in &facts.sessions {
        if !units
            .iter()
            .any(|u| normalize_name(u) == normalize_name(&session.unit))
        {
            units.push(&session.unit);
        }
    }
    units
        .into_iter()
        .filter(|unit| {
            // Abandoned sessions are no failures, and none in between.
            let states: Vec<SessionState> = facts
                .of_unit(unit)
                .map(|s| s.state)
                .filter(|&s| s != SessionState::Abandoned)
                .collect();
            states.len() >= FAILURES
                && states[states.len() - FAILURES..]
                    .iter()
                    .all(|&s| s == SessionState::Failed)
        })
        .map(|unit| {
            let (file, range) = unit_range(rule.spec, unit);
            Diagnostic::new(
                Code::SB024,
                Severity::Warning,
                range,
                format!(
                    "the last {FAILURES} sessions of `{unit}` failed: it needs a person — split the {}, clarify it, or do it by hand",
                    facts
                        .of_unit(unit)
                        .last()
                        .map_or("unit", |s| s.kind.word())
                ),
            )
            .in_file(file)
        })
        .collect()
}
