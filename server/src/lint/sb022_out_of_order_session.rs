//! SB022: a session active or paused while an earlier unit is not complete.

use super::session_facts::unit_range;
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::normalize_name;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    let names: Vec<String> = rule
        .spec
        .units(&facts.configured_phases)
        .iter()
        .map(|unit| rule.spec.unit_name(unit))
        .collect();
    let mut diagnostics = Vec::new();
    for session in facts.sessions.iter().filter(|s| {
        matches!(
            s.state,
            super::session_facts::SessionState::Active | super::session_facts::SessionState::Paused
        )
    }) {
        let key = normalize_name(&session.unit);
        let Some(place) = names.iter().position(|n| normalize_name(n) == key) else {
            continue;
        };
        let Some(earlier) = names[..place].iter().find(|n| !facts.is_complete(n)) else {
            continue;
        };
        let (file, range) = unit_range(rule.spec, &session.unit);
        diagnostics.push(
            Diagnostic::new(
                Code::SB022,
                Severity::Info,
                range,
                format!(
                    "session {} works on `{}` while the earlier `{earlier}` is not complete",
                    session.id, session.unit
                ),
            )
            .in_file(file),
        );
    }
    diagnostics
}
