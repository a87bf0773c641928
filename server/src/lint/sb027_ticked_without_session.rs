//! SB027: a ticked task (or a phase with every box ticked) with no
//! completed session. Applies only once the spec has session records: on a
//! spec without them a ticked box simply means done.

use super::{Code, Diagnostic, Rule, Severity};
use crate::units::units_of;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts.filter(|f| !f.sessions.is_empty()) else {
        return Vec::new();
    };
    let spec = rule.spec;
    units_of(spec, &facts.configured_phases)
        .iter()
        .filter(|unit| unit.ticked)
        .filter(|unit| !facts.has_completed(&unit.work.key()))
        .filter_map(|unit| {
            let range = spec.unit_boxes(&unit.unit).first()?.span.clone();
            let kind = unit.work.kind.word();
            Some(Diagnostic::new(
                Code::SB027,
                Severity::Info,
                range,
                format!(
                    "the {kind} “{}” is ticked, but no session of it completed: it counts as done; start it with --force to redo it in a session",
                    unit.work.name
                ),
            )
            .in_file(spec.unit_file(&unit.unit)))
        })
        .collect()
}
