//! What the session commands read: the spec named, its sessions, git facts
//! since a session's start, the context load's parts, the agent's command;
//! and the one write outside `.smallbatch/`, the spec's.

use std::io::Write as _;
use std::path::Path;

use super::{ActionError, Failure, Refusal, Sessions, Target};
use crate::config::placeholders;
use crate::lint::{Code, LintContext, Severity};
use crate::session::context::{ContextInput, ContextLoad, relevant_files};
use crate::session::git::FileChanges;
use crate::session::record::{CommitFact, SessionRecord, Status};
use crate::session::store::Listing;
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
        let loaded = self
            .ws
            .load_spec(&target.loaded.path)
            .map_err(|source| Failure::Read {
                path: target.loaded.path.clone(),
                source,
            })?;
        let errors: Vec<String> = loaded
            .diagnostics(&LintContext::default())
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code != Code::SB025)
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

/// Temporary files of spec writes left by a process that was killed are
/// removed once they are this old.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(600);

/// The prefix and suffix of the temporary files of atomic writes.
const TEMP_PREFIX: &str = ".smallbatch-";
const TEMP_SUFFIX: &str = ".tmp";

impl Sessions {
    /// Replaces the spec's text atomically (temporary file, fsync, rename),
    /// keeping its permissions. A spec that is a symbolic link is written
    /// through to its target, which must be inside the workspace. The
    /// temporary file is made in `.smallbatch/sessions/` (whose `.gitignore`
    /// leaves it out of commits), so a process killed mid-write leaves no copy
    /// of the spec beside it; only when that folder is on another file
    /// system is it made beside the spec.
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
        let folder = real.parent().unwrap_or(&root).to_path_buf();
        remove_stale_temps(&folder);
        let temps = self.store.dir().to_path_buf();
        if self.store.ensure_dir().is_ok() {
            remove_stale_temps(&temps);
            let temp = write_temp(&temps, &real, text).map_err(failure)?;
            match temp.persist(&real) {
                Ok(_) => return Ok(()),
                // Another file system: write beside the spec instead.
                Err(error) if error.error.kind() == std::io::ErrorKind::CrossesDevices => {}
                Err(error) => return Err(failure(error.error).into()),
            }
        }
        let temp = write_temp(&folder, &real, text).map_err(failure)?;
        temp.persist(&real).map_err(|e| failure(e.error))?;
        Ok(())
    }
}

/// A temporary file in `folder` holding `text`, synced, with the
/// permissions of `like`.
fn write_temp(folder: &Path, like: &Path, text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(folder)?;
    if let Ok(meta) = std::fs::metadata(like) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Removes the temporary files of writes that never finished (their
/// process was killed) from `folder`, once they are [`STALE_TEMP`] old.
fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.file_type().is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMP);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
