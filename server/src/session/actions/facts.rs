//! What the session commands read: the spec named, its sessions, git facts
//! since a session's start, the context load's parts, the agent's command;
//! and the one write outside `.smallbatch/`, the spec's.

use std::io::Write as _;
use std::path::Path;

use super::{ActionError, Failure, Refusal, Sessions, Target};
use crate::config::placeholders;
use crate::session::context::{ContextInput, ContextLoad, relevant_files};
use crate::session::git::FileChanges;
use crate::session::record::{CommitFact, SessionRecord, Status};
use crate::session::store::Listing;
use crate::spec::UnitRef;
use crate::workspace::{LoadedSpec, normalize, relative_to, to_slash};

impl Sessions {
    pub(super) fn target(&self, spec: &str) -> Result<Target, ActionError> {
        let path = normalize(&self.ws.resolve_spec(&self.cwd, spec)?);
        let loaded = self.load_spec(&path)?;
        Ok(Target {
            rel: to_slash(&relative_to(&path, self.root())),
            loaded,
        })
    }

    pub(super) fn load_spec(&self, path: &Path) -> Result<LoadedSpec, Failure> {
        self.ws.read_spec(path).map_err(|source| Failure::Read {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The spec's sessions, kept and archived, newest first.
    pub(super) fn history(&self, spec_id: &str) -> Result<Listing, ActionError> {
        Ok(self.store.history(spec_id)?)
    }

    /// The newest open session of the spec.
    pub(super) fn open_session(&self, target: &Target) -> Result<SessionRecord, ActionError> {
        self.store.open_session(target.id())?.ok_or_else(|| {
            Refusal::NoOpenSession {
                spec: target.rel.clone(),
            }
            .into()
        })
    }

    /// The context load of `unit` (what `start` writes).
    pub(super) fn load(
        &self,
        target: &Target,
        unit: &UnitRef,
        history: &[SessionRecord],
    ) -> ContextLoad {
        let (summaries, relevant) = self.context_parts(target, history);
        ContextLoad::build(&self.context_input(target, unit, &summaries, &relevant))
    }

    pub(super) fn context_input<'a>(
        &'a self,
        target: &'a Target,
        unit: &'a UnitRef,
        summaries: &'a [(String, String)],
        relevant: &'a [String],
    ) -> ContextInput<'a> {
        ContextInput {
            spec: &target.loaded.spec,
            text: &target.loaded.text,
            unit,
            configured_phases: &self.config().phases,
            spec_ref: Some(&target.rel),
            relevant_files: relevant,
            summaries,
            budget: self.config().session.token_budget,
        }
    }

    /// The summaries in the spec's session log (oldest first) and the
    /// relevant files: those changed by completed sessions, then those the
    /// spec names.
    pub(super) fn context_parts(
        &self,
        target: &Target,
        history: &[SessionRecord],
    ) -> (Vec<(String, String)>, Vec<String>) {
        let summaries = target.loaded.spec.log_summaries();
        let mut changed = Vec::new();
        // Newest session first: the files the last sessions touched lead.
        for record in history.iter().filter(|r| r.status == Status::Completed) {
            let mut files: Vec<String> = record.files_changed().collect();
            if files.is_empty() {
                let changes = self.changes_since(record);
                files = changes.added.into_iter().chain(changes.modified).collect();
            }
            changed.extend(files);
        }
        let relevant = relevant_files(&changed, &target.loaded.text);
        (summaries, relevant)
    }

    pub(super) fn context_file(&self, spec_id: &str, id: &str) -> Option<String> {
        let path = self.store.context_path(spec_id, id).ok()?;
        Some(to_slash(&relative_to(&path, self.root())))
    }

    /// The commits since the session's start commit, oldest first.
    pub(super) fn commits_since(&self, record: &SessionRecord) -> Vec<CommitFact> {
        match (&self.git, &record.git.start_commit) {
            (Some(git), Some(start)) => git.commits_since(start),
            _ => Vec::new(),
        }
    }

    /// The files changed between the session's start commit and its end
    /// commit (HEAD while it is open).
    pub(super) fn changes_since(&self, record: &SessionRecord) -> FileChanges {
        let (Some(git), Some(start)) = (&self.git, &record.git.start_commit) else {
            return FileChanges::default();
        };
        let end = record.git.end_commit.as_deref().unwrap_or("HEAD");
        git.changes(start, end)
    }

    /// The agent's command with `{context}`, `{scenario}`, `{spec}` and
    /// `{session}` filled in, each argument in one pass (a scenario named
    /// `{session}` is handed over as written); no shell is involved.
    pub(super) fn agent_command(
        &self,
        record: &SessionRecord,
        context: &Path,
    ) -> Option<Vec<String>> {
        let command = self.config().agents.command(record.agent.as_deref())?;
        let context = context.to_string_lossy();
        let value = |name: &str| match name {
            "context" => Some(context.as_ref()),
            "scenario" => Some(record.unit.name.as_str()),
            "spec" => Some(record.spec.as_str()),
            "session" => Some(record.id.as_str()),
            _ => None,
        };
        Some(
            command
                .iter()
                .map(|arg| placeholders::fill(arg, value))
                .collect(),
        )
    }
}

/// Replaces the spec's text atomically (temporary file beside it, fsync,
/// rename), keeping its permissions.
pub(super) fn write_spec(path: &Path, text: &str) -> Result<(), Failure> {
    let failure = |source| Failure::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".smallbatch-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(failure)?;
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(failure)?;
    }
    temp.write_all(text.as_bytes()).map_err(failure)?;
    temp.as_file().sync_all().map_err(failure)?;
    temp.persist(path).map_err(|e| failure(e.error))?;
    Ok(())
}
