//! The units of work of a spec and their state: which one `start` picks,
//! whether a unit is finished (it has a completed session).

use std::collections::HashSet;

use super::{ActionError, Failure, Refusal, StartOptions, Target};
use crate::session::record::{SessionRecord, Status, UnitKind, UnitOfWork};
use crate::spec::{Spec, normalize_name, strip_marks};
use crate::units::{UnitKey, units_of};

pub use crate::units::Unit;

/// The spec's units, in order.
pub fn of(spec: &Spec, configured_phases: &[String]) -> Vec<Unit> {
    units_of(spec, configured_phases)
}

/// The units that have a completed session, read once from the history.
pub struct Completed(HashSet<UnitKey>);

impl Completed {
    pub fn of(history: &[SessionRecord]) -> Completed {
        Completed(
            history
                .iter()
                .filter(|r| r.status == Status::Completed)
                .map(|r| r.unit.key())
                .collect(),
        )
    }

    /// Whether the unit is done: it has a completed session, or its
    /// checkboxes are ticked (a ticked box means done, as in LeanSpec).
    pub fn has(&self, unit: &Unit) -> bool {
        unit.ticked || self.0.contains(&unit.work.key())
    }
}

pub fn all_complete(units: &[Unit], history: &[SessionRecord]) -> bool {
    let completed = Completed::of(history);
    !units.is_empty() && units.iter().all(|u| completed.has(u))
}

/// Whether the spec's units are phases (so `--phase` names a unit).
pub fn phases_are_units(units: &[Unit]) -> bool {
    units
        .first()
        .is_some_and(|u| u.work.kind == UnitKind::Phase)
}

/// The unit `start` works on: the one named (out of order or already
/// complete only with `force`), else the first unfinished one.
pub fn choose<'u>(
    target: &Target,
    units: &'u [Unit],
    history: &[SessionRecord],
    options: &StartOptions,
) -> Result<&'u Unit, ActionError> {
    if units.is_empty() {
        return Err(Failure::NoUnits {
            spec: target.rel.clone(),
        }
        .into());
    }
    let completed = Completed::of(history);
    let first_open = units.iter().find(|u| !completed.has(u));
    let named = match (&options.scenario, &options.task, &options.phase) {
        (Some(name), _, _) => Some((UnitKind::Scenario, name)),
        (None, Some(name), _) => Some((UnitKind::Task, name)),
        (None, None, Some(name)) if phases_are_units(units) => Some((UnitKind::Phase, name)),
        _ => None,
    };
    let Some((kind, name)) = named else {
        return first_open.ok_or_else(|| {
            Refusal::AllComplete {
                spec: target.rel.clone(),
            }
            .into()
        });
    };
    let unit = find(units, kind, name).ok_or_else(|| Failure::UnknownUnit {
        spec: target.rel.clone(),
        kind: kind.word(),
        name: name.clone(),
    })?;
    if options.force {
        return Ok(unit);
    }
    if completed.has(unit) {
        return Err(Refusal::AlreadyComplete {
            kind: kind.word(),
            name: unit.work.name.clone(),
        }
        .into());
    }
    match first_open {
        Some(first) if first.work.index < unit.work.index => Err(Refusal::OutOfOrder {
            kind: first.work.kind.word(),
            index: first.work.index,
            name: first.work.name.clone(),
        }
        .into()),
        _ => Ok(unit),
    }
}

/// A unit of `kind` as a person names it: by name, with or without
/// LeanSpec's marks (`Build`, `Build (1-2 days)`, `Phase 1: Build`; case
/// and spacing ignored); else by a number — the one written in its heading
/// (`1` and `Phase 1` are `### Phase 1:` even after a `### Phase 0:`), else
/// its 1-based place among the units.
pub fn find<'u>(units: &'u [Unit], kind: UnitKind, name: &str) -> Option<&'u Unit> {
    let of_kind = || units.iter().filter(move |u| u.work.kind == kind);
    let wanted = normalize_name(&strip_marks(name));
    let as_written = normalize_name(name);
    let named = of_kind().find(|u| {
        normalize_name(&u.work.name) == wanted
            || normalize_name(&u.written) == as_written
            || normalize_name(&strip_marks(&u.written)) == wanted
    });
    if named.is_some() {
        return named;
    }
    let digits = wanted
        .strip_prefix("phase")
        .filter(|rest| rest.starts_with(' '))
        .unwrap_or(&wanted)
        .trim();
    let number: usize = digits.parse().ok()?;
    of_kind()
        .find(|u| u.number.is_some_and(|n| n as usize == number))
        .or_else(|| of_kind().find(|u| u.work.index == number))
}

/// The unit a session record works on, in the spec as it is now.
pub fn find_record_unit<'u>(
    target: &Target,
    units: &'u [Unit],
    work: &UnitOfWork,
) -> Result<&'u Unit, ActionError> {
    let wanted = work.key();
    units
        .iter()
        .find(|u| u.work.key() == wanted)
        .ok_or_else(|| {
            Failure::UnknownUnit {
                spec: target.rel.clone(),
                kind: work.kind.word(),
                name: work.name.clone(),
            }
            .into()
        })
}
