//! What the session records say about one spec, as plain data: the lint
//! rules read these facts and know nothing of the session store.

use std::ops::Range;

use crate::spec::{FileId, Spec, UnitRef, normalize_name};

/// The state of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    Paused,
    Completed,
    Failed,
    /// Given up by a person: it counts for nothing.
    Abandoned,
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
    /// For a completed session: the commit that ended it.
    pub commit: Option<String>,
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

/// Where a unit stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A session of it completed, at that commit.
    Done {
        commit: Option<String>,
    },
    Active {
        session: String,
    },
    Paused {
        session: String,
    },
    /// Its last session failed.
    Failed,
    /// The unit `start` would pick: the first unfinished one, when no
    /// session is open.
    Next,
    Pending,
}

/// A unit of the spec and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProgress {
    pub unit: UnitRef,
    pub name: String,
    pub progress: Progress,
}

impl SessionFacts {
    /// Every unit of the spec, in order, with where it stands.
    pub fn progress(&self, spec: &Spec) -> Vec<UnitProgress> {
        let mut units: Vec<UnitProgress> = spec
            .units(&self.configured_phases)
            .into_iter()
            .map(|unit| {
                let name = spec.unit_name(&unit);
                let progress = self.unit_progress(&name);
                UnitProgress {
                    unit,
                    name,
                    progress,
                }
            })
            .collect();
        let open = units.iter().any(|u| {
            matches!(
                u.progress,
                Progress::Active { .. } | Progress::Paused { .. }
            )
        });
        if !open
            && let Some(next) = units
                .iter_mut()
                .find(|u| matches!(u.progress, Progress::Pending | Progress::Failed))
        {
            next.progress = Progress::Next;
        }
        units
    }

    fn unit_progress(&self, unit: &str) -> Progress {
        let sessions: Vec<&SessionFact> = self
            .of_unit(unit)
            .filter(|s| s.state != SessionState::Abandoned)
            .collect();
        if let Some(done) = sessions
            .iter()
            .rev()
            .find(|s| s.state == SessionState::Completed)
        {
            return Progress::Done {
                commit: done.commit.clone(),
            };
        }
        match sessions.last() {
            Some(s) if s.state == SessionState::Active => Progress::Active {
                session: s.id.clone(),
            },
            Some(s) if s.state == SessionState::Paused => Progress::Paused {
                session: s.id.clone(),
            },
            Some(_) => Progress::Failed,
            None => Progress::Pending,
        }
    }
}

impl SessionFacts {
    /// The sessions of a unit as markdown lines, newest first, for a hover:
    /// `` - `id` completed · abc1234 ``.
    pub fn describe_unit(&self, unit: &str) -> Option<String> {
        let mut lines: Vec<String> = self
            .of_unit(unit)
            .map(|s| {
                let state = match s.state {
                    SessionState::Active => "active",
                    SessionState::Paused => "paused",
                    SessionState::Completed => "completed",
                    SessionState::Failed => "failed",
                    SessionState::Abandoned => "abandoned",
                };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(unit: &str, state: SessionState) -> SessionFact {
        SessionFact {
            id: format!("{unit}-1"),
            unit: unit.into(),
            state,
            has_notes: false,
            summary_template: None,
            commit: (state == SessionState::Completed).then(|| "abc1234".to_string()),
        }
    }

    const SPEC: &str = "# T\n## Scenarios\n### Scenario: One\n* Then a\n### Scenario: Two\n* Then b\n### Scenario: Three\n* Then c\n";

    fn progress(sessions: Vec<SessionFact>) -> Vec<Progress> {
        let facts = SessionFacts {
            sessions,
            ..SessionFacts::default()
        };
        facts
            .progress(&Spec::parse(SPEC))
            .into_iter()
            .map(|u| u.progress)
            .collect()
    }

    #[test]
    fn the_first_unfinished_unit_is_next_unless_a_session_is_open() {
        assert_eq!(
            progress(vec![]),
            [Progress::Next, Progress::Pending, Progress::Pending]
        );
        let done = Progress::Done {
            commit: Some("abc1234".into()),
        };
        assert_eq!(
            progress(vec![fact("One", SessionState::Completed)]),
            [done.clone(), Progress::Next, Progress::Pending]
        );
        assert_eq!(
            progress(vec![
                fact("One", SessionState::Completed),
                fact("Two", SessionState::Paused)
            ]),
            [
                done,
                Progress::Paused {
                    session: "Two-1".into()
                },
                Progress::Pending
            ]
        );
        assert_eq!(
            progress(vec![fact("One", SessionState::Failed)]),
            [Progress::Next, Progress::Pending, Progress::Pending]
        );
    }
}
