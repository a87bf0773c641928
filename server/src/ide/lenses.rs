//! Lenses: above the title, how far the spec is; above every unit of work
//! (a scenario written in the spec, a phase of the plan), where it stands
//! and the session command it calls for.

use std::collections::BTreeSet;
use std::ops::Range;

use super::navigation::{plan_unit_place, plan_unit_span};
use super::short_commit;
use crate::spec::{FileId, Spec, UnitRef};
use crate::units::{Progress, UnitProgress};

/// A session command a lens or a code action runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCommand {
    Start,
    Pause,
    Resume,
    Complete,
    Abandon,
}

/// What a click on a lens does: run a command on a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LensAction {
    pub command: SessionCommand,
    pub unit: UnitRef,
    /// The unit's name, as the command takes it.
    pub name: String,
}

/// A lens, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// The bytes of the spec the lens sits above (its line is what counts).
    pub anchor: Range<usize>,
    pub title: String,
    /// `None` for a lens that only informs.
    pub action: Option<LensAction>,
}

/// Every lens of a spec: the title's, then each unit's, in the order of
/// `progress` (the units with where they stand).
pub fn lenses(spec: &Spec, progress: &[UnitProgress]) -> Vec<Lens> {
    let mut lenses = vec![title_lens(spec, progress)];
    let of = progress.len();
    for (n, unit) in progress.iter().enumerate() {
        if let Some(anchor) = unit_anchor(spec, &unit.unit) {
            lenses.extend(unit_lenses(unit, anchor, n + 1, of));
        }
    }
    lenses
}

/// The lenses of the units written in the spec's sub-spec file `part`
/// (its plan), anchored in that file's text.
pub fn part_lenses(spec: &Spec, progress: &[UnitProgress], part: usize) -> Vec<Lens> {
    let of = progress.len();
    let mut lenses = Vec::new();
    for (n, unit) in progress.iter().enumerate() {
        if let Some((file, anchor)) = plan_unit_place(spec, &unit.unit)
            && file == FileId::Part(part)
        {
            lenses.extend(unit_lenses(unit, anchor, n + 1, of));
        }
    }
    lenses
}

/// On the title (or the first line): how many units are done, how many
/// scenarios there are and how many of them the order lists, and the unit
/// of the open session.
fn title_lens(spec: &Spec, progress: &[UnitProgress]) -> Lens {
    let index = spec.scenario_index();
    let ordered: BTreeSet<usize> = spec
        .order
        .iter()
        .flat_map(|order| &order.entries)
        .filter_map(|entry| index.get(&entry.name))
        .collect();
    let total = spec.scenarios.len();
    let noun = if total == 1 { "scenario" } else { "scenarios" };
    let done = progress
        .iter()
        .filter(|u| matches!(u.progress, Progress::Done { .. }))
        .count();
    let mut title = match progress.first().map(|u| &u.unit) {
        Some(UnitRef::Scenario(_)) | None => format!(
            "{done}/{} done · {total} {noun} · {} in order",
            progress.len(),
            ordered.len()
        ),
        Some(first) => {
            let kind = progress[0].work.kind.word();
            let plural = if progress.len() == 1 { "" } else { "s" };
            let configured = if matches!(first, UnitRef::ConfiguredPhase(_)) {
                " (configured)"
            } else {
                ""
            };
            format!(
                "{done}/{n} done · {n} {kind}{plural}{configured}",
                n = progress.len()
            )
        }
    };
    let open = progress.iter().find_map(|u| match u.progress {
        Progress::Active { .. } => Some(("active", u)),
        Progress::Paused { .. } => Some(("paused", u)),
        _ => None,
    });
    if let Some((state, unit)) = open {
        title.push_str(&format!(" · {state}: {}", unit.name));
    }
    Lens {
        anchor: spec.title.as_ref().map_or(0..0, |t| t.span.clone()),
        title,
        action: None,
    }
}

/// Where a unit's lenses go: its scenario's keyword line or its phase's
/// heading; `None` for a unit not written in the spec itself.
fn unit_anchor(spec: &Spec, unit: &UnitRef) -> Option<Range<usize>> {
    match unit {
        UnitRef::Scenario(i) => {
            let scenario = spec.scenarios.get(*i)?;
            (scenario.file == FileId::Spec).then(|| scenario.span.clone())
        }
        UnitRef::PlanPhase(_) | UnitRef::PlanTask(_) => plan_unit_span(spec, unit),
        UnitRef::ConfiguredPhase(_) => None,
    }
}

/// The lenses of the `n`-th of `of` units: its state and next action.
fn unit_lenses(unit: &UnitProgress, anchor: Range<usize>, n: usize, of: usize) -> Vec<Lens> {
    let label = |title: String| Lens {
        anchor: anchor.clone(),
        title,
        action: None,
    };
    let action = |title: &str, command| Lens {
        anchor: anchor.clone(),
        title: title.to_string(),
        action: Some(LensAction {
            command,
            unit: unit.unit.clone(),
            name: unit.name.clone(),
        }),
    };
    match &unit.progress {
        Progress::Done { commit } => vec![label(match commit {
            Some(commit) => format!("✔ done · {}", short_commit(commit)),
            None => "✔ done".to_string(),
        })],
        Progress::Active { .. } => vec![
            action("✓ Complete", SessionCommand::Complete),
            action("⏸ Pause", SessionCommand::Pause),
            action("✕ Abandon", SessionCommand::Abandon),
        ],
        Progress::Paused { .. } => vec![
            action("⟳ Resume", SessionCommand::Resume),
            action("✕ Abandon", SessionCommand::Abandon),
        ],
        Progress::Next => vec![action("▶ Start session", SessionCommand::Start)],
        Progress::Pending => vec![label(format!("○ pending · {n} of {of}"))],
        Progress::Failed => vec![label(format!("✗ failed · {n} of {of}"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::{Fixture, session};
    use crate::units::{SessionFacts, SessionState};

    /// The lenses of a fixture whose marks are the anchors, one per lens
    /// in order (a line with several lenses is marked once per lens).
    fn check(marked: &str, titles: &[&str]) {
        check_with(&SessionFacts::default(), marked, titles);
    }

    fn check_with(facts: &SessionFacts, marked: &str, titles: &[&str]) {
        let fixture = Fixture::ranges(marked);
        let spec = Spec::parse(&fixture.text);
        let progress = facts.progress(&spec);
        let lenses = lenses(&spec, &progress);
        let found: Vec<(&str, Range<usize>)> = lenses
            .iter()
            .map(|l| (l.title.as_str(), l.anchor.clone()))
            .collect();
        let expected: Vec<(&str, Range<usize>)> = titles
            .iter()
            .copied()
            .zip(fixture.ranges.iter().cloned())
            .collect();
        assert_eq!(found, expected);
    }

    /// Three scenarios, each line that gets lenses marked once, the third
    /// `third` times.
    fn three_scenarios(third: usize) -> String {
        let mark = "    ^^^^^^^^^^^^^\n";
        let marks = "    ^^^^^^^^^^^^^^^\n".repeat(third);
        format!(
            "# Export\n^^^^^^^^\n## Scenarios\n### Scenario: One\n{mark}* Then x\n### Scenario: Two\n{mark}* Then y\n### Scenario: Three\n{marks}* Then z\n"
        )
    }

    #[test]
    fn every_unit_gets_a_lens_the_later_ones_their_place() {
        check(
            &three_scenarios(1),
            &[
                "0/3 done · 3 scenarios · 0 in order",
                "▶ Start session",
                "○ pending · 2 of 3",
                "○ pending · 3 of 3",
            ],
        );
    }

    #[test]
    fn done_failed_and_open_units_say_so() {
        let facts = SessionFacts {
            sessions: vec![
                session("One-1", "One", SessionState::Completed, Some("abc1234def")),
                session("Two-1", "Two", SessionState::Failed, None),
                session("Three-1", "Three", SessionState::Active, None),
            ],
            ..SessionFacts::default()
        };
        check_with(
            &facts,
            &three_scenarios(3),
            &[
                "1/3 done · 3 scenarios · 0 in order · active: Three",
                "✔ done · abc1234",
                "✗ failed · 2 of 3",
                "✓ Complete",
                "⏸ Pause",
                "✕ Abandon",
            ],
        );
    }

    #[test]
    fn the_phases_of_a_plan_are_units_too() {
        check(
            "# Build
^^^^^^^
## Plan
### Phase 1: Design
^^^^^^^^^^^^^^^^^^^
### Phase 2: Build
^^^^^^^^^^^^^^^^^^
",
            &[
                "0/2 done · 2 phases",
                "▶ Start session",
                "○ pending · 2 of 2",
            ],
        );
    }

    #[test]
    fn the_tasks_of_a_plan_get_lenses_a_ticked_one_done() {
        check(
            "# Build
^^^^^^^
## Plan
- [x] Parse the flags
^^^^^^^^^^^^^^^^^^^^^
- [ ] Filter by status
^^^^^^^^^^^^^^^^^^^^^^
  - [ ] detail
- [ ] Filter by tag
^^^^^^^^^^^^^^^^^^^
",
            &[
                "1/3 done · 3 tasks",
                "✔ done",
                "▶ Start session",
                "○ pending · 3 of 3",
            ],
        );
    }
}
