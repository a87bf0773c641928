//! What the session records say about one spec, as plain data: the lint
//! rules read these facts and know nothing of the session store.

use std::ops::Range;

use crate::spec::{FileId, Spec, normalize_name};

/// The state of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    Paused,
    Completed,
    Failed,
}

/// One session of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub id: String,
    /// The unit's name (a scenario or a phase).
    pub unit: String,
    pub state: SessionState,
    pub has_notes: bool,
    /// For a completed session: the summary prefilled from git, for the
    /// quick fix that reinserts it.
    pub summary_template: Option<String>,
}

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
