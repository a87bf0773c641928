//! What the session commands read: the spec named, its sessions, git facts
//! since a session's start, the context load's parts, the agent's command;
//! and the one write outside `.smallbatch/`, the spec's.

use std::path::Path;

use super::{ActionError, Failure, Refusal, Sessions, Target};
use crate::config::placeholders;
use crate::lint::{LintContext, Severity};
use crate::session::context::{ContextInput, ContextLoad, relevant_files};
use crate::session::facts::spec_diagnostics;
use crate::session::git::FileChanges;
use crate::session::record::{CommitFact, SessionRecord, Status};
use crate::session::store::{Listing, StoreError};
use crate::spec::LineIndex;
use crate::spec::UnitRef;
use crate::workspace::SpecNotFound;
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

    /// The spec's sessions, kept and archived, newest first; a record that
    /// names another spec counts as unreadable.
    pub(super) fn history(&self, target: &Target) -> Result<Listing, ActionError> {
        Ok(self.store.history_of(target.id(), &target.rel)?)
    }

    /// The spec's sessions for a command that changes them: while any of
    /// its records cannot be read, acting on the rest could repeat or
    /// overwrite what that record holds, so the command refuses, naming it.
    pub(super) fn writable_history(&self, target: &Target) -> Result<Listing, ActionError> {
        let listing = self.history(target)?;
        if let Some(bad) = listing.unreadable.first() {
            return Err(Refusal::UnreadableRecord {
                path: to_slash(&relative_to(&bad.path, self.root())),
                message: bad.message.clone(),
                others: listing.unreadable.len() - 1,
            }
            .into());
        }
        Ok(listing)
    }

    /// The newest open session of the spec, if any (refusing like
    /// [`Sessions::writable_history`]).
    pub(super) fn open_record(
        &self,
        target: &Target,
    ) -> Result<Option<SessionRecord>, ActionError> {
        Ok(self
            .writable_history(target)?
            .records
            .into_iter()
            .find(|r| r.status.is_open()))
    }

    /// The newest open session of the spec.
    pub(super) fn open_session(&self, target: &Target) -> Result<SessionRecord, ActionError> {
        self.open_record(target)?.ok_or_else(|| {
            Refusal::NoOpenSession {
                spec: target.rel.clone(),
            }
            .into()
        })
    }

    /// Refuses a spec whose text has errors (what `check` reports): the
    /// unit `start` would pick from it, and the text it would hand over,
    /// cannot be trusted.
    pub(super) fn refuse_errors(&self, target: &Target) -> Result<(), ActionError> {
        // The spec's own errors, as `check` reports them. The session rules'
        // only error is SB025 (an unreadable record), which the commands
        // refuse on their own, naming the file; so the records are not read
        // here (the command reads them once, next).
        let loaded = &target.loaded;
        let errors: Vec<String> = spec_diagnostics(loaded, None, &LintContext::default())
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter_map(|d| {
                let (path, text) = loaded.source(d.file)?;
                let (line, column) = LineIndex::new(text).line_col(text, d.range.start);
                let shown = to_slash(&relative_to(path, self.root()));
                Some(format!(
                    "{shown}:{line}:{column}: error[{}]: {}",
                    d.code.as_str(),
                    d.message
                ))
            })
            .collect();
        if errors.is_empty() {
            return Ok(());
        }
        Err(Refusal::SpecHasErrors {
            spec: target.rel.clone(),
            errors,
        }
        .into())
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

impl Sessions {
    /// Replaces the spec's text atomically through the store (temporary
    /// file in `.smallbatch/sessions/`, fsync, rename, fsync of the spec's
    /// folder), keeping its permissions. A spec that is a symbolic link is
    /// written through to its target, which must be inside the workspace.
    pub(super) fn write_spec(&self, path: &Path, text: &str) -> Result<(), ActionError> {
        let failure = |source| Failure::Write {
            path: path.to_path_buf(),
            source,
        };
        let real = path.canonicalize().map_err(failure)?;
        let root = self.root().canonicalize().map_err(failure)?;
        if !real.starts_with(&root) {
            return Err(SpecNotFound::OutsideWorkspace {
                given: to_slash(&relative_to(path, self.root())),
                root: self.root().to_path_buf(),
            }
            .into());
        }
        self.store
            .replace_file(&real, text.as_bytes())
            .map_err(|error| match error {
                StoreError::Io { source, .. } => failure(source).into(),
                other => other.into(),
            })
    }
}
