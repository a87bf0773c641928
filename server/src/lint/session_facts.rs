//! What the session records say about one spec, as plain data: the lint
//! rules read these facts and know nothing of the session store.

use std::ops::Range;

use crate::spec::{FileId, Spec, normalize_name};
use crate::units::{unit_progress, units_of};

pub use crate::units::{Progress, SessionFact, SessionState, UnitProgress};

/// The facts of one spec's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionFacts {
    /// Every readable session of the spec, oldest first.
    pub sessions: Vec<SessionFact>,
    /// Records that could not be read: the path shown to the user and why.
    pub unreadable: Vec<(String, String)>,
    /// The estimated tokens of each unit's context load, by unit name.
    pub context_tokens: Vec<(String, usize)>,
    pub token_budget: usize,
    /// The configured phases, for specs with neither scenarios nor a plan.
    pub configured_phases: Vec<String>,
}

impl SessionFacts {
    /// The sessions of a unit, oldest first.
    pub fn of_unit<'a>(&'a self, unit: &str) -> impl Iterator<Item = &'a SessionFact> + 'a {
        let key = normalize_name(unit);
        self.sessions
            .iter()
            .filter(move |s| normalize_name(&s.unit) == key)
    }

    /// Whether a unit has a completed session.
    pub fn is_complete(&self, unit: &str) -> bool {
        self.of_unit(unit)
            .any(|s| s.state == SessionState::Completed)
    }
}

impl SessionFacts {
    /// Every unit of the spec, in order, with where it stands (the rule of
    /// [`crate::units::unit_progress`]).
    pub fn progress(&self, spec: &Spec) -> Vec<UnitProgress> {
        unit_progress(&units_of(spec, &self.configured_phases), &self.sessions)
    }
}

impl SessionFacts {
    /// The sessions of a unit as markdown lines, newest first, for a hover:
    /// `` - `id` completed · abc1234 ``.
    pub fn describe_unit(&self, unit: &str) -> Option<String> {
        let mut lines: Vec<String> = self
            .of_unit(unit)
            .map(|s| {
                let state = s.state.as_str();
                let commit = s
                    .commit
                    .as_ref()
                    .map(|c| format!(" · {}", &c[..c.len().min(7)]))
                    .unwrap_or_default();
                format!("- `{}` {state}{commit}", s.id)
            })
            .collect();
        if lines.is_empty() {
            return None;
        }
        lines.reverse();
        Some(format!("Sessions:\n{}", lines.join("\n")))
    }
}

/// Where a diagnostic about a unit goes: its scenario's name, its plan
/// phase's heading, else the spec's title.
pub fn unit_range(spec: &Spec, unit: &str) -> (FileId, Range<usize>) {
    if let Some(i) = spec.find_scenario(unit) {
        let scenario = &spec.scenarios[i];
        return (scenario.file, scenario.name_span.clone());
    }
    let key = normalize_name(unit);
    if let Some(phase) = spec.phases.iter().find(|p| normalize_name(&p.name) == key) {
        return (FileId::Spec, phase.heading.span.clone());
    }
    (FileId::Spec, super::edits::title_range(spec))
}
