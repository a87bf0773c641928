//! Units of work (DESIGN §4), the facts about their sessions that the rules
//! read, and **the** progress rule: where a unit stands. Lint, the session
//! commands and the editor features all ask [`unit_progress`]; none has a
//! rule of its own. Pure: no I/O, no store types.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::spec::{Spec, UnitRef, normalize_name};

/// What a session implements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitOfWork {
    pub kind: UnitKind,
    pub name: String,
    /// 1-based place among the spec's units.
    pub index: usize,
    /// How many units the spec has.
    pub of: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Scenario,
    Phase,
    Task,
}

impl UnitKind {
    /// "scenario", "phase" or "task", for messages.
    pub fn word(self) -> &'static str {
        match self {
            UnitKind::Scenario => "scenario",
            UnitKind::Phase => "phase",
            UnitKind::Task => "task",
        }
    }

    /// The kind of a unit of the spec model.
    pub fn of(unit: &UnitRef) -> UnitKind {
        match unit {
            UnitRef::Scenario(_) => UnitKind::Scenario,
            UnitRef::PlanPhase(_) | UnitRef::ConfiguredPhase(_) => UnitKind::Phase,
            UnitRef::PlanTask(_) => UnitKind::Task,
        }
    }
}

/// What tells a unit's sessions apart from other units': its kind and its
/// name with case and spacing ignored.
pub type UnitKey = (UnitKind, String);

impl UnitOfWork {
    pub fn key(&self) -> UnitKey {
        (self.kind, normalize_name(&self.name))
    }

    /// "scenario 3 of 7".
    pub fn place(&self) -> String {
        format!("{} {} of {}", self.kind.word(), self.index, self.of)
    }

    /// "scenario 2 of 3 “Export an empty month”".
    pub fn label(&self) -> String {
        format!("{} “{}”", self.place(), self.name)
    }
}

/// A unit of a spec: where it is in the model, and its unit of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub unit: UnitRef,
    pub work: UnitOfWork,
    /// Its checkboxes are all ticked: done, even with no session.
    pub ticked: bool,
    /// The number written in its heading (`### Phase 0:` is 0).
    pub number: Option<u32>,
    /// Its name as written, LeanSpec's marks included (a phase's whole heading).
    pub written: String,
}

/// The spec's units in order (DESIGN §4), listed in one pass.
pub fn units_of(spec: &Spec, configured_phases: &[String]) -> Vec<Unit> {
    let units = spec.units(configured_phases);
    let of = units.len();
    units
        .iter()
        .enumerate()
        .map(|(i, unit)| Unit {
            ticked: spec.is_ticked(unit),
            unit: unit.clone(),
            work: UnitOfWork {
                kind: UnitKind::of(unit),
                name: spec.unit_name(unit),
                index: i + 1,
                of,
            },
            number: spec.unit_number(unit),
            written: spec.unit_written_name(unit),
        })
        .collect()
}

/// The unit of work of `unit`: its kind, name and 1-based place among the
/// spec's units; `None` when it is not one of them.
pub fn unit_of_work(
    spec: &Spec,
    unit: &UnitRef,
    configured_phases: &[String],
) -> Option<UnitOfWork> {
    units_of(spec, configured_phases)
        .into_iter()
        .find(|u| &u.unit == unit)
        .map(|u| u.work)
}

/// The first seven characters of a commit id, as git shows it.
pub fn short_commit(id: &str) -> &str {
    id.char_indices().nth(7).map_or(id, |(end, _)| &id[..end])
}

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

impl SessionState {
    pub fn is_open(self) -> bool {
        matches!(self, SessionState::Active | SessionState::Paused)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::Paused => "paused",
            SessionState::Completed => "completed",
            SessionState::Failed => "failed",
            SessionState::Abandoned => "abandoned",
        }
    }
}

/// One session of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub id: String,
    /// The unit it works on.
    pub kind: UnitKind,
    pub unit: String,
    pub state: SessionState,
    pub has_notes: bool,
    /// For a completed session: the summary prefilled from git, for the
    /// quick fix that reinserts it.
    pub summary_template: Option<String>,
    /// For a completed session: the commit that ended it.
    pub commit: Option<String>,
}

impl SessionFact {
    pub fn key(&self) -> UnitKey {
        (self.kind, normalize_name(&self.unit))
    }
}

/// Where a unit stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A session of it completed, at that commit, and none is open.
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
    /// session of the spec is open.
    Next,
    Pending,
}

impl Progress {
    pub fn is_open(&self) -> bool {
        matches!(self, Progress::Active { .. } | Progress::Paused { .. })
    }
}

/// A unit of the spec and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProgress {
    pub unit: UnitRef,
    pub work: UnitOfWork,
    /// The unit's name (`work.name`).
    pub name: String,
    pub progress: Progress,
}

/// THE progress rule: where a unit stands, given its sessions oldest
/// first. Abandoned sessions count for nothing. An open session wins (its
/// newest), even over an earlier completed one — a redo is running; then a
/// completed one (its newest commit); then a last session that failed.
pub fn progress_of<'a>(sessions: impl IntoIterator<Item = &'a SessionFact>) -> Progress {
    let sessions: Vec<&SessionFact> = sessions
        .into_iter()
        .filter(|s| s.state != SessionState::Abandoned)
        .collect();
    if let Some(open) = sessions.iter().rev().find(|s| s.state.is_open()) {
        let session = open.id.clone();
        return match open.state {
            SessionState::Paused => Progress::Paused { session },
            _ => Progress::Active { session },
        };
    }
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
        Some(s) if s.state == SessionState::Failed => Progress::Failed,
        _ => Progress::Pending,
    }
}

/// Every unit with where it stands (`sessions` oldest first): a unit whose
/// boxes are all ticked is done without a session; the first unit not done
/// becomes [`Progress::Next`] when no session is open.
pub fn unit_progress(units: &[Unit], sessions: &[SessionFact]) -> Vec<UnitProgress> {
    let mut by_unit: HashMap<UnitKey, Vec<&SessionFact>> = HashMap::new();
    for session in sessions {
        by_unit.entry(session.key()).or_default().push(session);
    }
    let mut progress: Vec<UnitProgress> = units
        .iter()
        .map(|unit| UnitProgress {
            unit: unit.unit.clone(),
            work: unit.work.clone(),
            name: unit.work.name.clone(),
            progress: match progress_of(
                by_unit.get(&unit.work.key()).into_iter().flatten().copied(),
            ) {
                Progress::Pending | Progress::Failed if unit.ticked => {
                    Progress::Done { commit: None }
                }
                progress => progress,
            },
        })
        .collect();
    let open = progress.iter().any(|u| u.progress.is_open());
    if !open
        && let Some(next) = progress
            .iter_mut()
            .find(|u| matches!(u.progress, Progress::Pending | Progress::Failed))
    {
        next.progress = Progress::Next;
    }
    progress
}

/// The facts of one spec's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionFacts {
    /// Every readable session of the spec, oldest first.
    pub sessions: Vec<SessionFact>,
    /// Records that could not be read: the path shown to the user and why.
    pub unreadable: Vec<(String, String)>,
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

    /// Whether the unit of `key` (its kind and name) has a completed session.
    pub fn has_completed(&self, key: &UnitKey) -> bool {
        self.sessions
            .iter()
            .any(|s| s.state == SessionState::Completed && &s.key() == key)
    }

    /// Whether a unit has a completed session.
    pub fn is_complete(&self, unit: &str) -> bool {
        self.of_unit(unit)
            .any(|s| s.state == SessionState::Completed)
    }
}

impl SessionFacts {
    /// Every unit of the spec, in order, with where it stands (the rule of
    /// [`unit_progress`]).
    pub fn progress(&self, spec: &Spec) -> Vec<UnitProgress> {
        unit_progress(&units_of(spec, &self.configured_phases), &self.sessions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(unit: &str, state: SessionState, n: usize) -> SessionFact {
        SessionFact {
            id: format!("{unit}-{n}"),
            kind: UnitKind::Scenario,
            unit: unit.into(),
            state,
            has_notes: false,
            summary_template: None,
            commit: (state == SessionState::Completed).then(|| format!("c{n}")),
        }
    }

    const SPEC: &str = "# T\n## Scenarios\n### Scenario: One\n* Then a\n### Scenario: Two\n* Then b\n### Scenario: Three\n* Then c\n";

    fn progress(sessions: Vec<SessionFact>) -> Vec<Progress> {
        let units = units_of(&Spec::parse(SPEC), &[]);
        unit_progress(&units, &sessions)
            .into_iter()
            .map(|u| u.progress)
            .collect()
    }

    #[test]
    fn a_ticked_task_is_done_without_a_session() {
        let spec = Spec::parse("# T\n## Plan\n- [x] One\n- [ ] Two\n- [ ] Three\n");
        let units = units_of(&spec, &[]);
        assert_eq!(units[0].work.kind, UnitKind::Task);
        let progress: Vec<Progress> = unit_progress(&units, &[])
            .into_iter()
            .map(|u| u.progress)
            .collect();
        assert_eq!(
            progress,
            [
                Progress::Done { commit: None },
                Progress::Next,
                Progress::Pending
            ]
        );
        // An open session on a ticked task still wins: a redo is running.
        let mut redo = fact("One", SessionState::Active, 1);
        redo.kind = UnitKind::Task;
        let progress = unit_progress(&units, &[redo]);
        assert!(progress[0].progress.is_open());
    }

    #[test]
    fn the_first_unfinished_unit_is_next_unless_a_session_is_open() {
        use SessionState::*;
        assert_eq!(
            progress(vec![]),
            [Progress::Next, Progress::Pending, Progress::Pending]
        );
        let done = Progress::Done {
            commit: Some("c1".into()),
        };
        assert_eq!(
            progress(vec![fact("One", Completed, 1)]),
            [done.clone(), Progress::Next, Progress::Pending]
        );
        let paused = Progress::Paused {
            session: "Two-2".into(),
        };
        assert_eq!(
            progress(vec![fact("One", Completed, 1), fact("Two", Paused, 2)]),
            [done, paused, Progress::Pending]
        );
        assert_eq!(
            progress(vec![fact("One", Failed, 1)]),
            [Progress::Next, Progress::Pending, Progress::Pending]
        );
    }

    #[test]
    fn an_open_session_wins_over_a_completed_one() {
        use SessionState::*;
        let redo = progress(vec![fact("one", Completed, 1), fact("ONE", Active, 2)]);
        assert_eq!(
            redo[0],
            Progress::Active {
                session: "ONE-2".into()
            }
        );
        assert_eq!(
            redo[1],
            Progress::Pending,
            "no next while a session is open"
        );
    }

    #[test]
    fn abandoned_sessions_count_for_nothing() {
        use SessionState::*;
        assert_eq!(
            progress(vec![fact("One", Failed, 1), fact("One", Abandoned, 2)])[0],
            Progress::Next
        );
        assert_eq!(
            progress_of(&[fact("One", Failed, 1), fact("One", Abandoned, 2)]),
            Progress::Failed
        );
        assert_eq!(
            progress_of(&[fact("One", Completed, 1), fact("One", Abandoned, 2)]),
            Progress::Done {
                commit: Some("c1".into())
            }
        );
    }

    #[test]
    fn a_phase_and_a_scenario_of_one_name_are_two_units() {
        let mut phase = fact("One", SessionState::Completed, 1);
        phase.kind = UnitKind::Phase;
        assert_eq!(progress(vec![phase])[0], Progress::Next);
    }

    #[test]
    fn short_commits_are_seven_characters() {
        assert_eq!(short_commit("0123456789abcdef"), "0123456");
        assert_eq!(short_commit("abc"), "abc");
    }
}
