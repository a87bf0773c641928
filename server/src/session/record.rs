//! The session record (DESIGN §6): one JSON file per session, camelCase,
//! `"schema": 1`. Unknown fields are kept so that a newer smallbatch's
//! records survive being rewritten by this one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The record format this build writes.
pub const SCHEMA: u32 = 1;

pub use crate::units::{UnitKind, UnitOfWork};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Paused,
    Completed,
    Failed,
    /// Given up by a person (`smallbatch abandon`): kept, no failure, and
    /// its unit is free again.
    Abandoned,
}

impl Status {
    /// Active or paused: the session holds its spec.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Active | Status::Paused)
    }

    /// The state the progress rule reads.
    pub fn state(self) -> crate::units::SessionState {
        use crate::units::SessionState;
        match self {
            Status::Active => SessionState::Active,
            Status::Paused => SessionState::Paused,
            Status::Completed => SessionState::Completed,
            Status::Failed => SessionState::Failed,
            Status::Abandoned => SessionState::Abandoned,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Abandoned => "abandoned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseRecord {
    pub phase: String,
    pub started_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default)]
    pub files_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitFacts {
    /// HEAD when the session started (absent outside a repository).
    #[serde(default)]
    pub start_commit: Option<String>,
    /// The commit that ended the session.
    #[serde(default)]
    pub end_commit: Option<String>,
    /// Commits made during the session, oldest first.
    #[serde(default)]
    pub commits: Vec<CommitFact>,
    #[serde(default)]
    pub dirty_at_start: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitFact {
    pub id: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interaction {
    pub id: String,
    pub timestamp: String,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub duration_ms: u64,
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// What ended it: "exit", "checkpoint", "commit", "tokens", "time", "interrupted".
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineRun {
    pub command: Vec<String>,
    /// "passed" or "failed".
    pub status: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    pub timestamp: String,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub git_commit: Option<String>,
    /// What the agent said of its work at this point (`session_checkpoint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One session: the record of DESIGN §6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    pub schema: u32,
    /// `<spec-id>-<yyyymmdd>-<nnn>`.
    pub id: String,
    /// The spec's path from the workspace root, with `/` separators.
    pub spec: String,
    pub unit: UnitOfWork,
    #[serde(default)]
    pub agent: Option<String>,
    pub status: Status,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub phases: Vec<PhaseRecord>,
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub worktree: Option<String>,
    #[serde(default)]
    pub git: GitFacts,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    #[serde(default)]
    pub completed_tasks: Vec<String>,
    #[serde(default)]
    pub next_steps: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub context_file: Option<String>,
    #[serde(default)]
    pub context_tokens: Option<usize>,
    #[serde(default)]
    pub pipeline: Option<PipelineRun>,
    #[serde(default)]
    pub checkpoints: Vec<Checkpoint>,
    /// Fields this build does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionRecord {
    /// What the progress rule and the lint rules read of this session.
    pub fn fact(&self) -> crate::units::SessionFact {
        crate::units::SessionFact {
            id: self.id.clone(),
            kind: self.unit.kind,
            unit: self.unit.name.clone(),
            state: self.status.state(),
            has_notes: self.notes.as_deref().is_some_and(|n| !n.trim().is_empty()),
            summary_template: None,
            commit: self.git.end_commit.clone(),
        }
    }

    /// A new active session of `unit`, created at `now`.
    pub fn new(id: String, spec: String, unit: UnitOfWork, now: &str) -> SessionRecord {
        SessionRecord {
            schema: SCHEMA,
            id,
            spec,
            unit,
            agent: None,
            status: Status::Active,
            phase: None,
            phases: Vec::new(),
            branch: None,
            worktree: None,
            git: GitFacts::default(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            interactions: Vec::new(),
            completed_tasks: Vec::new(),
            next_steps: Vec::new(),
            notes: None,
            context_file: None,
            context_tokens: None,
            pipeline: None,
            checkpoints: Vec::new(),
            extra: Map::new(),
        }
    }

    /// The files its phases changed, as recorded at their ends.
    pub fn files_changed(&self) -> impl Iterator<Item = String> + '_ {
        self.phases
            .iter()
            .flat_map(|p| p.files_changed.iter().cloned())
    }

    /// The record as written: pretty JSON with a final line break.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    /// Reads a record; the error says what is wrong, with its line and column.
    pub fn from_json(text: &str) -> Result<SessionRecord, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SessionRecord {
        SessionRecord::new(
            "014-export-20261121-001".into(),
            "specs/014-export/README.md".into(),
            UnitOfWork {
                kind: UnitKind::Scenario,
                name: "Export a month".into(),
                index: 1,
                of: 3,
            },
            "2026-11-21T10:00:00Z",
        )
    }

    #[test]
    fn records_round_trip_in_camel_case_with_their_schema() {
        let record = record();
        let json = record.to_json();
        let value: Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(value["schema"], 1);
        assert_eq!(value["unit"]["kind"], "scenario");
        assert_eq!(value["status"], "active");
        assert!(value.get("createdAt").is_some() && value["git"].get("startCommit").is_some());
        assert_eq!(SessionRecord::from_json(&json).expect("parses"), record);
    }

    #[test]
    fn unknown_fields_survive_a_rewrite() {
        let mut value: Value = serde_json::from_str(&record().to_json()).expect("JSON");
        value["reviewer"] = Value::String("ana".into());
        let read = SessionRecord::from_json(&value.to_string()).expect("parses");
        let again: Value = serde_json::from_str(&read.to_json()).expect("JSON");
        assert_eq!(again["reviewer"], "ana");
    }

    #[test]
    fn a_truncated_record_is_an_error_with_a_position() {
        let json = record().to_json();
        let error = SessionRecord::from_json(&json[..json.len() / 2]).expect_err("truncated");
        assert!(error.line() > 1, "{error}");
    }
}
