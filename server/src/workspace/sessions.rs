//! The session facts of a spec, read from its records for the session lint
//! rules (SB020–SB025, SB030): the same for `check` and the server.

use crate::lint::{SessionFact, SessionFacts, SessionState};
use crate::session::context::{ContextInput, ContextLoad};
use crate::session::{GitRepo, SessionRecord, SessionStore, Status, summary};
use crate::spec::{Spec, normalize_name};

use super::{Workspace, relative_to, to_slash};

/// Above this many units, context loads are not estimated for SB030 on
/// every analysis (each costs a pass over the spec).
const MAX_ESTIMATED_UNITS: usize = 200;

impl Workspace {
    /// What the records of spec `id` say; `None` while the spec has no
    /// sessions folder (its sessions are not tracked yet).
    pub fn session_facts(&self, id: &str, spec: &Spec, text: &str) -> Option<SessionFacts> {
        let store = SessionStore::new(self.root());
        let folder = store.spec_dir(id).ok()?;
        if !folder.is_dir() {
            return None;
        }
        let listing = store.list(id).ok()?;
        let mut records = listing.records;
        records.reverse(); // oldest first
        let git = GitRepo::discover(self.root());
        let sessions = records
            .iter()
            .map(|record| fact(record, spec, git.as_ref()))
            .collect();
        let unreadable = listing
            .unreadable
            .iter()
            .map(|u| {
                let shown = to_slash(&relative_to(&u.path, self.root()));
                (shown, u.message.clone())
            })
            .collect();
        let config = self.config();
        let mut facts = SessionFacts {
            sessions,
            unreadable,
            context_tokens: Vec::new(),
            token_budget: config.session.token_budget,
            configured_phases: config.phases.clone(),
        };
        facts.context_tokens = context_tokens(spec, text, &facts);
        Some(facts)
    }
}

fn fact(record: &SessionRecord, spec: &Spec, git: Option<&GitRepo>) -> SessionFact {
    let state = match record.status {
        Status::Active => SessionState::Active,
        Status::Paused => SessionState::Paused,
        Status::Completed => SessionState::Completed,
        Status::Failed => SessionState::Failed,
    };
    // The template is only needed when the log lacks the summary (SB020's fix).
    let summary_template =
        (state == SessionState::Completed && !has_summary(spec, &record.unit.name)).then(|| {
            let changes = match (git, &record.git.start_commit, &record.git.end_commit) {
                (Some(git), Some(start), Some(end)) => git.changes(start, end),
                _ => Default::default(),
            };
            summary::prefilled_summary(record, &changes)
        });
    SessionFact {
        id: record.id.clone(),
        unit: record.unit.name.clone(),
        state,
        has_notes: record
            .notes
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty()),
        summary_template,
        commit: record.git.end_commit.clone(),
    }
}

fn has_summary(spec: &Spec, unit: &str) -> bool {
    let key = normalize_name(unit);
    spec.log
        .iter()
        .flat_map(|log| &log.entries)
        .any(|e| normalize_name(&e.heading.text) == key && !e.body.trim().is_empty())
}

/// The estimated tokens of each unit's context load, with the summaries of
/// the completed units, as `start` would build it.
fn context_tokens(spec: &Spec, text: &str, facts: &SessionFacts) -> Vec<(String, usize)> {
    let units = spec.units(&facts.configured_phases);
    if units.len() > MAX_ESTIMATED_UNITS {
        return Vec::new();
    }
    let summaries: Vec<(String, String)> = spec
        .log
        .iter()
        .flat_map(|log| &log.entries)
        .filter(|e| facts.is_complete(&e.heading.text))
        .map(|e| (e.heading.text.clone(), e.body.clone()))
        .collect();
    units
        .iter()
        .map(|unit| {
            let mut input = ContextInput::new(spec, text, unit);
            input.configured_phases = &facts.configured_phases;
            input.summaries = &summaries;
            input.budget = facts.token_budget;
            let load = ContextLoad::build(&input);
            (spec.unit_name(unit), load.tokens)
        })
        .collect()
}
