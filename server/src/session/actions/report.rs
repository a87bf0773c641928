//! The reading commands: `status` (the units with their state), `sessions`
//! (every session, newest first) and `context` (what `start` would write).

use std::collections::HashMap;

use serde::Serialize;

use super::units::{self, Unit};
use super::{ActionError, Failure, Sessions, StartOptions};
use crate::session::context::ContextLoad;
use crate::session::record::{SessionRecord, UnitKind, UnitOfWork};
use crate::session::store::Unreadable;
use crate::units::{Progress, SessionFact, unit_progress};
use crate::workspace::{relative_to, to_slash};

/// The state of a unit of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitState {
    /// No session yet (or only failed ones before a new one).
    Pending,
    Active,
    Paused,
    Completed,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitStatus {
    #[serde(flatten)]
    pub unit: UnitOfWork,
    pub state: UnitState,
    /// Its sessions' ids, newest first.
    pub sessions: Vec<String>,
}

/// A record file that does not parse (SB025); it is never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableRecord {
    /// From the workspace root, with `/`.
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub spec: String,
    pub spec_id: String,
    pub units: Vec<UnitStatus>,
    /// The newest open (active or paused) session.
    pub open: Option<SessionRecord>,
    /// Every session of the spec, kept and archived, newest first.
    pub sessions: Vec<SessionRecord>,
    pub unreadable: Vec<UnreadableRecord>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionList {
    pub sessions: Vec<SessionRecord>,
    pub unreadable: Vec<UnreadableRecord>,
}

/// The context load `start` would write, and for which unit.
#[derive(Debug, Clone)]
pub struct ContextPreview {
    pub unit: UnitOfWork,
    pub load: ContextLoad,
}

impl Sessions {
    /// The spec's units with their state, its open session and its history.
    pub fn status(&self, spec: &str) -> Result<StatusReport, ActionError> {
        let target = self.target(spec)?;
        let history = self.history(&target)?;
        let units = units::of(&target.loaded.spec, &self.config().phases);
        let mut by_unit: HashMap<(UnitKind, String), Vec<&SessionRecord>> = HashMap::new();
        for record in &history.records {
            by_unit.entry(record.unit.key()).or_default().push(record);
        }
        let facts: Vec<SessionFact> = history.records.iter().rev().map(|r| r.fact()).collect();
        let progress = unit_progress(&units, &facts);
        let units = units
            .iter()
            .zip(progress)
            .map(|(unit, progress)| {
                let sessions = by_unit.get(&unit.work.key());
                unit_status(
                    unit,
                    &progress.progress,
                    sessions.map_or(&[], Vec::as_slice),
                )
            })
            .collect();
        Ok(StatusReport {
            spec: target.rel.clone(),
            spec_id: target.id().to_string(),
            units,
            open: history.records.iter().find(|r| r.status.is_open()).cloned(),
            unreadable: self.unreadable(&history.unreadable),
            sessions: history.records,
        })
    }

    /// Every session (of one spec when `spec` is given), newest first; only
    /// the open ones (active or paused) when `open_only`.
    pub fn sessions(
        &self,
        open_only: bool,
        spec: Option<&str>,
    ) -> Result<SessionList, ActionError> {
        let mut listing = match spec {
            Some(spec) => self.history(&self.target(spec)?)?,
            None => self.store.all(true)?,
        };
        if open_only {
            listing.records.retain(|r| r.status.is_open());
        }
        listing.sort();
        Ok(SessionList {
            unreadable: self.unreadable(&listing.unreadable),
            sessions: listing.records,
        })
    }

    /// The context load `start` would write for the next unfinished unit,
    /// or for the unit named (see [`units::find`]: by name with or without
    /// marks, by the number written in its heading, by its place), without
    /// writing anything.
    pub fn context(&self, spec: &str, unit: Option<&str>) -> Result<ContextPreview, ActionError> {
        let target = self.target(spec)?;
        let history = self.history(&target)?;
        let units = units::of(&target.loaded.spec, &self.config().phases);
        let chosen = match (unit, units.first()) {
            (Some(name), Some(first)) => {
                let kind = first.work.kind;
                units::find(&units, kind, name).ok_or_else(|| Failure::UnknownUnit {
                    spec: target.rel.clone(),
                    kind: kind.word(),
                    name: name.to_string(),
                })?
            }
            _ => units::choose(&target, &units, &history.records, &StartOptions::default())?,
        };
        Ok(ContextPreview {
            unit: chosen.work.clone(),
            load: self.load(&target, &chosen.unit, &history.records),
        })
    }

    fn unreadable(&self, unreadable: &[Unreadable]) -> Vec<UnreadableRecord> {
        unreadable
            .iter()
            .map(|u| UnreadableRecord {
                path: to_slash(&relative_to(&u.path, self.root())),
                message: u.message.clone(),
            })
            .collect()
    }
}

/// A unit's state, by the progress rule, with its sessions newest first.
fn unit_status(unit: &Unit, progress: &Progress, sessions: &[&SessionRecord]) -> UnitStatus {
    let state = match progress {
        Progress::Active { .. } => UnitState::Active,
        Progress::Paused { .. } => UnitState::Paused,
        Progress::Done { .. } => UnitState::Completed,
        Progress::Failed => UnitState::Failed,
        Progress::Next | Progress::Pending => UnitState::Pending,
    };
    UnitStatus {
        unit: unit.work.clone(),
        state,
        sessions: sessions.iter().map(|r| r.id.clone()).collect(),
    }
}
