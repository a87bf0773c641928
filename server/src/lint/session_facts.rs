//! Where the session rules put their diagnostics. The facts they read are
//! [`crate::units::SessionFacts`]: plain data, no store types.

use std::ops::Range;

use crate::spec::{FileId, Spec, normalize_name, strip_marks};

pub use crate::units::{Progress, SessionFact, SessionFacts, SessionState, UnitProgress};

/// Where a diagnostic about a unit goes: its scenario's name, its plan
/// phase's heading, else the spec's title.
pub fn unit_range(spec: &Spec, unit: &str) -> (FileId, Range<usize>) {
    if let Some(i) = spec.find_scenario(unit) {
        let scenario = &spec.scenarios[i];
        return (scenario.file, scenario.name_span.clone());
    }
    let key = normalize_name(unit);
    let named = |name: &str| normalize_name(&strip_marks(name)) == key;
    if let Some(phase) = spec.phases.iter().find(|p| named(&p.name)) {
        return (phase.file, phase.heading.span.clone());
    }
    if let Some(task) = spec.tasks.iter().find(|t| named(&t.name)) {
        return (task.file, task.name_span.clone());
    }
    (FileId::Spec, super::edits::title_range(spec))
}
