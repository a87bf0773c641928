//! The answers of the session commands: what `--format json` prints and
//! what the server's `workspace/executeCommand` replies, one type each, so
//! the two say the same.

use serde::{Serialize, Serializer};

use super::{Completed, SPEC_AT_START, SessionList, Started, StatusReport};
use super::{UnitStatus, UnreadableRecord};
use crate::session::git::FileChanges;
use crate::session::record::{CommitFact, SessionRecord, UnitOfWork};

/// `start` and `resume`: the session, its context load and the agent's
/// command.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartAnswer<'a> {
    pub session_id: &'a str,
    pub unit: &'a UnitOfWork,
    pub context_file: String,
    pub context_tokens: usize,
    /// The configured agent's command, `null` when none is configured.
    pub agent_command: Option<&'a [String]>,
}

impl Started {
    pub fn answer(&self) -> StartAnswer<'_> {
        StartAnswer {
            session_id: &self.record.id,
            unit: &self.record.unit,
            context_file: self.context_file.to_string_lossy().into_owned(),
            context_tokens: self.context_tokens,
            agent_command: self.agent_command.as_deref(),
        }
    }
}

/// `pause` and `abandon`: the session and where it stands now.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAnswer<'a> {
    pub session_id: &'a str,
    pub status: &'static str,
    pub unit: &'a UnitOfWork,
}

impl<'a> SessionAnswer<'a> {
    pub fn of(record: &'a SessionRecord) -> SessionAnswer<'a> {
        SessionAnswer {
            session_id: &record.id,
            status: record.status.as_str(),
            unit: &record.unit,
        }
    }
}

/// `complete`: the session, its commits and files, and what was written
/// into the spec.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompleteAnswer<'a> {
    pub session_id: &'a str,
    pub unit: &'a UnitOfWork,
    pub end_commit: Option<&'a str>,
    pub commits: &'a [CommitFact],
    pub files_changed: &'a FileChanges,
    /// What was written into the spec's session log.
    pub summary: &'a str,
    /// The entry already in the log was kept as the summary.
    pub kept_entry: bool,
    /// The front matter status after the command, when it set one.
    pub spec_status: Option<&'a str>,
    pub warnings: &'a [String],
}

impl Completed {
    pub fn answer(&self) -> CompleteAnswer<'_> {
        let record = &self.record;
        CompleteAnswer {
            session_id: &record.id,
            unit: &record.unit,
            end_commit: record.git.end_commit.as_deref(),
            commits: &record.git.commits,
            files_changed: &self.changes,
            summary: &self.summary,
            kept_entry: self.kept_entry,
            spec_status: self.spec_status.as_deref(),
            warnings: &self.warnings,
        }
    }
}

/// `status`: the report, its records without the spec texts they keep.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusAnswer<'a> {
    pub spec: &'a str,
    pub spec_id: &'a str,
    pub units: &'a [UnitStatus],
    pub open: Option<Shown<'a>>,
    pub sessions: Vec<Shown<'a>>,
    pub unreadable: &'a [UnreadableRecord],
}

impl StatusReport {
    pub fn answer(&self) -> StatusAnswer<'_> {
        StatusAnswer {
            spec: &self.spec,
            spec_id: &self.spec_id,
            units: &self.units,
            open: self.open.as_ref().map(Shown),
            sessions: self.sessions.iter().map(Shown).collect(),
            unreadable: &self.unreadable,
        }
    }
}

/// `sessions`: the records without the spec texts they keep.
#[derive(Debug, Serialize)]
pub struct SessionsAnswer<'a> {
    pub sessions: Vec<Shown<'a>>,
    pub unreadable: &'a [UnreadableRecord],
}

impl SessionList {
    pub fn answer(&self) -> SessionsAnswer<'_> {
        SessionsAnswer {
            sessions: self.sessions.iter().map(Shown).collect(),
            unreadable: &self.unreadable,
        }
    }
}

/// A record as the answers show it: without the spec's text at the start,
/// which it keeps for the resume context's diff (long, and said elsewhere).
#[derive(Debug)]
pub struct Shown<'a>(pub &'a SessionRecord);

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.0.extra.contains_key(SPEC_AT_START) {
            return self.0.serialize(serializer);
        }
        let mut record = self.0.clone();
        record.extra.remove(SPEC_AT_START);
        record.serialize(serializer)
    }
}
