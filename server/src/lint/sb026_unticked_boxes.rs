//! SB026: a completed unit whose checkboxes are not all ticked. Applies
//! once a spec's sessions are tracked.

use super::{Code, Diagnostic, Rule, Severity, TextEdit};
use crate::units::units_of;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    let spec = rule.spec;
    units_of(spec, &facts.configured_phases)
        .iter()
        .filter(|unit| facts.has_completed(&unit.work.key()))
        .filter_map(|unit| {
            let unticked: Vec<TextEdit> = spec
                .unit_boxes(&unit.unit)
                .into_iter()
                .filter(|b| !b.checked)
                .map(|b| TextEdit {
                    range: b.span.clone(),
                    new_text: "[x]".to_string(),
                })
                .collect();
            let first = unticked.first()?.range.clone();
            let kind = unit.work.kind.word();
            let (what, boxes) = match unticked.len() {
                1 if spec.unit_boxes(&unit.unit).len() == 1 => ("its box is".to_string(), "box"),
                1 => ("1 of its boxes is".to_string(), "boxes"),
                n => (format!("{n} of its boxes are"), "boxes"),
            };
            Some(
                Diagnostic::new(
                    Code::SB026,
                    Severity::Warning,
                    first,
                    format!(
                        "the {kind} “{}” is complete, but {what} not ticked: tick {}",
                        unit.work.name,
                        if unticked.len() == 1 { "it" } else { "them" }
                    ),
                )
                .with_fix(format!("Tick the {kind}'s {boxes}"), unticked)
                .in_file(spec.unit_file(&unit.unit)),
            )
        })
        .collect()
}
