//! The session commands of DESIGN §6 as functions of the core: `start`,
//! `pause`, `resume`, `complete` (here) and `status`, `sessions`, `context`
//! ([`report`]). The CLI and the language server call them; they print
//! nothing and never exit. Every change of a spec's sessions happens under
//! its lock; only the spec file and `.smallbatch/` are ever written.

mod answers;
mod checkpoint;
mod complete;
mod current;
mod error;
mod facts;
mod mcp_config;
mod report;
mod run;
mod units;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use answers::{
    CompleteAnswer, SessionAnswer, SessionsAnswer, Shown, StartAnswer, StatusAnswer,
};
pub use current::CurrentSession;
pub use error::{ActionError, Failure, Refusal};
pub use mcp_config::SESSION_VAR;
pub use report::{
    ContextPreview, SessionList, StatusReport, UnitState, UnitStatus, UnreadableRecord,
};
pub use run::{RunObserver, RunOutcome};

use crate::config::Config;
use crate::session::agent::display_command;
use crate::session::clock::{Clock, SystemClock};
use crate::session::context::{ResumeContext, ResumeInput};
use crate::session::git::{FileChanges, GitRepo};
use crate::session::pipeline::{self, PipelineOutcome};
use crate::session::record::{PhaseRecord, SessionRecord, Status};
use crate::session::store::SessionStore;
use crate::spec::front_matter_status_edit;
use crate::workspace::{LoadedSpec, Workspace};

/// The record's `extra` key that held the spec's text when the session
/// started, in records written before that text was kept beside the
/// record (`<session-id>.spec.md`); still read by resume.
pub const SPEC_AT_START: &str = "specAtStart";

/// The phase a session's work is recorded under when none was named.
const DEFAULT_PHASE: &str = "implementation";

/// What `start` is asked for.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// A scenario by name (or 1-based number among the units).
    pub scenario: Option<String>,
    /// A phase: the unit when the spec's units are phases, else the
    /// session's phase.
    pub phase: Option<String>,
    /// A task, when the spec's units are the tasks of its plan.
    pub task: Option<String>,
    pub agent: Option<String>,
    /// Allow a unit out of order, one already complete, a spec with errors
    /// or a finished spec.
    pub force: bool,
}

/// What `complete` is asked for.
#[derive(Debug, Clone, Default)]
pub struct CompleteOptions {
    /// The summary for the Session log; default: the entry already written
    /// there, else a template prefilled from git.
    pub summary: Option<String>,
    /// Replace an entry already in the Session log with `summary`.
    pub replace_summary: bool,
    /// Complete without a commit since the start.
    pub allow_no_commit: bool,
}

/// A started (or resumed) session and what to hand the agent.
#[derive(Debug, Clone)]
pub struct Started {
    pub record: SessionRecord,
    pub context_file: PathBuf,
    pub context_tokens: usize,
    /// The configured agent's command with its placeholders filled in.
    pub agent_command: Option<Vec<String>>,
}

/// A completed session.
#[derive(Debug, Clone)]
pub struct Completed {
    pub record: SessionRecord,
    pub changes: FileChanges,
    /// What was written into the spec's session log.
    pub summary: String,
    /// The entry already in the log was kept as the summary (the git facts
    /// added under it).
    pub kept_entry: bool,
    /// The front matter status after the command, when it set one.
    pub spec_status: Option<String>,
    /// Rules that could not be checked (no git repository, no commit allowed).
    pub warnings: Vec<String>,
}

/// A spec named by a command, loaded.
struct Target {
    /// The spec's path from the workspace root, with `/`.
    rel: String,
    loaded: LoadedSpec,
}

impl Target {
    fn id(&self) -> &str {
        &self.loaded.id
    }
}

/// The session commands over one workspace.
pub struct Sessions {
    cwd: PathBuf,
    ws: Workspace,
    store: SessionStore,
    git: Option<GitRepo>,
    notices: Notices,
}

/// What receives the lines a command says while it takes time.
pub type Notices = Arc<dyn Fn(&str) + Send + Sync>;

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("root", &self.ws.root())
            .finish_non_exhaustive()
    }
}

impl Sessions {
    /// Runs the pipeline, saying so first; its outcome when it passed,
    /// else the refusal (red, or stopped at its time limit).
    fn pipeline(&self, command: &[String]) -> Result<PipelineOutcome, ActionError> {
        let shown = display_command(command);
        self.notice(&format!("running `{shown}` (pipeline) …"));
        let limit = self.config().session.pipeline_timeout_minutes;
        let outcome = pipeline::run(command, self.root(), limit.duration())?;
        if outcome.timed_out {
            return Err(Refusal::PipelineTimeout {
                command: shown,
                minutes: limit.to_string(),
                tail: outcome.tail,
            }
            .into());
        }
        if !outcome.passed {
            let status = outcome
                .code
                .map_or("killed by a signal".to_string(), |code| {
                    format!("exit {code}")
                });
            return Err(Refusal::Red {
                command: shown,
                status,
                tail: outcome.tail,
            }
            .into());
        }
        Ok(outcome)
    }

    /// Says what a command is doing while it takes time (on stderr in the
    /// CLI, in the log in the server).
    fn notice(&self, text: &str) {
        (self.notices)(text);
    }

    /// Where the commands say what takes time.
    pub fn with_notices(mut self, notices: Notices) -> Sessions {
        self.store = self.store.with_notices(Arc::clone(&notices));
        self.notices = notices;
        self
    }

    /// The workspace at `root` with its configuration; SPEC arguments that
    /// are relative paths are resolved from `cwd`.
    pub fn open(root: PathBuf, cwd: PathBuf) -> Result<Sessions, Failure> {
        let config = Config::load(&root)?;
        let ws = Workspace::new(root, config)?;
        Ok(Sessions::with_clock(ws, cwd, Arc::new(SystemClock)))
    }

    pub fn with_clock(ws: Workspace, cwd: PathBuf, clock: Arc<dyn Clock>) -> Sessions {
        let store = SessionStore::with_clock(ws.root(), clock);
        let git = GitRepo::discover(ws.root());
        Sessions {
            cwd,
            ws,
            store,
            git,
            notices: Arc::new(|text| tracing::info!("{text}")),
        }
    }

    pub fn root(&self) -> &Path {
        self.ws.root()
    }

    pub fn config(&self) -> &Config {
        self.ws.config()
    }

    pub fn store(&self) -> &SessionStore {
        &self.store
    }

    /// Starts a session on the next unfinished unit (or the one named).
    pub fn start(&self, spec: &str, options: &StartOptions) -> Result<Started, ActionError> {
        let target = self.target(spec)?;
        if !options.force {
            refuse_finished(&target)?;
            self.refuse_errors(&target)?;
        }
        let allow_parallel = self.config().session.allow_parallel;
        if let Some(open) = self.open_record(&target)?.filter(|_| !allow_parallel) {
            return Err(Refusal::Held { id: open.id }.into());
        }
        let pipeline = self.config().session.pipeline.as_ref();
        if self.config().session.require_green_to_start
            && let Some(command) = pipeline
        {
            self.pipeline(command)?;
        }
        let lock = self.store.lock(target.id())?;
        let history = self.writable_history(&target)?;
        let units = units::of(&target.loaded.spec, &self.config().phases);
        let chosen = units::choose(&target, &units, &history.records, options)?;
        let (unit, work) = (&chosen.unit, chosen.work.clone());
        let load = self.load(&target, unit, &history.records);
        let now = self.store.now().to_string();
        let session_phase = options
            .phase
            .clone()
            .filter(|_| !units::phases_are_units(&units));
        let record = lock.start(allow_parallel, |id| {
            let mut record = SessionRecord::new(id, target.rel.clone(), work, &now);
            record.agent = options
                .agent
                .clone()
                .or_else(|| self.config().agents.default.clone());
            record.phase = session_phase.clone();
            record.phases = session_phase
                .iter()
                .map(|phase| PhaseRecord {
                    phase: phase.clone(),
                    started_at: now.clone(),
                    ..PhaseRecord::default()
                })
                .collect();
            if let Some(git) = &self.git {
                record.branch = git.branch();
                record.git.start_commit = git.head();
                record.git.dirty_at_start = git.is_dirty();
            }
            record.context_file = self.context_file(target.id(), &record.id);
            record.context_tokens = Some(load.tokens);
            record
        })?;
        lock.write_spec_copy(&record.id, &target.loaded.text)?;
        let context_file = lock.write_context(&record.id, &load.text)?;
        if target
            .loaded
            .spec
            .front_matter
            .as_ref()
            .and_then(|f| f.str("status"))
            == Some("planned")
            && let Some(edit) = front_matter_status_edit(
                &target.loaded.spec,
                &target.loaded.text,
                "in-progress",
                &now,
            )
        {
            self.write_spec(&target.loaded.path, &edit.apply(&target.loaded.text))?;
        }
        lock.retain(self.config().session.keep)?;
        Ok(Started {
            agent_command: self.agent_command(&record, &context_file),
            context_tokens: load.tokens,
            context_file,
            record,
        })
    }

    /// Records notes and next steps; the open session becomes paused.
    pub fn pause(
        &self,
        spec: &str,
        notes: &str,
        next_steps: &[String],
    ) -> Result<SessionRecord, ActionError> {
        let target = self.target(spec)?;
        let lock = self.store.lock(target.id())?;
        let open = self.open_session(&target)?;
        let head = self.git.as_ref().and_then(GitRepo::head);
        let commits = self.commits_since(&open);
        let now = self.store.now().to_string();
        Ok(lock.update(&open.id, |record| {
            run::pause_record(record, notes, next_steps, commits, now, head);
        })?)
    }

    /// Gives up the open session (started by mistake, or going nowhere): the
    /// record stays, marked abandoned with the notes; it counts as no
    /// failure and its unit is free again.
    pub fn abandon(&self, spec: &str, notes: Option<&str>) -> Result<SessionRecord, ActionError> {
        let target = self.target(spec)?;
        let lock = self.store.lock(target.id())?;
        let open = self.open_session(&target)?;
        let now = self.store.now().to_string();
        Ok(lock.update(&open.id, |record| {
            record.status = Status::Abandoned;
            if let Some(notes) = notes.map(str::trim).filter(|n| !n.is_empty()) {
                record.notes = Some(notes.to_string());
            }
            record.updated_at = now;
        })?)
    }

    /// Writes the resume context into the session's context file; the open
    /// session becomes active.
    pub fn resume(
        &self,
        spec: &str,
        phase: Option<&str>,
        agent: Option<&str>,
    ) -> Result<Started, ActionError> {
        let target = self.target(spec)?;
        let lock = self.store.lock(target.id())?;
        let mut record = self.open_session(&target)?;
        let history = self.writable_history(&target)?;
        let units = units::of(&target.loaded.spec, &self.config().phases);
        let unit = units::find_record_unit(&target, &units, &record.unit)?;
        let now = self.store.now().to_string();
        record.status = Status::Active;
        record.git.commits = self.commits_since(&record);
        if let Some(agent) = agent {
            record.agent = Some(agent.to_string());
        }
        if let Some(phase) = phase.filter(|p| record.phase.as_deref() != Some(*p)) {
            close_phase(&mut record, &now, None);
            record.phase = Some(phase.to_string());
            record.phases.push(PhaseRecord {
                phase: phase.to_string(),
                started_at: now.clone(),
                ..PhaseRecord::default()
            });
        }
        let changes = self.changes_since(&record);
        let files: Vec<String> = all_paths(&changes);
        let (summaries, relevant) = self.context_parts(&target, &history.records);
        let copy = self.store.read_spec_copy(target.id(), &record.id)?;
        let embedded = record.extra.get(SPEC_AT_START).and_then(|v| v.as_str());
        let input = ResumeInput {
            record: &record,
            files_changed: &files,
            spec_at_start: copy.as_deref().or(embedded),
            context: self.context_input(&target, &unit.unit, &summaries, &relevant),
        };
        let context = ResumeContext::build(&input);
        let context_file = lock.write_context(&record.id, &context.text)?;
        record.context_file = self.context_file(target.id(), &record.id);
        record.context_tokens = Some(context.tokens);
        record.updated_at = now;
        lock.write(&record)?;
        Ok(Started {
            agent_command: self.agent_command(&record, &context_file),
            context_tokens: context.tokens,
            context_file,
            record,
        })
    }
}

/// Refuses a finished (`complete` or `archived`) spec: no work is expected
/// on it.
fn refuse_finished(target: &Target) -> Result<(), Refusal> {
    let front_matter = target.loaded.spec.front_matter.as_ref();
    match front_matter.and_then(|f| f.finished_status()) {
        Some(status) => Err(Refusal::Finished {
            spec: target.rel.clone(),
            status: status.trim().to_string(),
        }),
        None => Ok(()),
    }
}

/// Ends the record's current phase (starting one when it has none).
fn close_phase(record: &mut SessionRecord, now: &str, changes: Option<&FileChanges>) {
    if record
        .phases
        .last()
        .is_none_or(|p| p.completed_at.is_some())
    {
        record.phases.push(PhaseRecord {
            phase: record
                .phase
                .clone()
                .unwrap_or_else(|| DEFAULT_PHASE.to_string()),
            started_at: record.created_at.clone(),
            ..PhaseRecord::default()
        });
    }
    if let Some(phase) = record.phases.last_mut() {
        phase.completed_at = Some(now.to_string());
        if let Some(changes) = changes {
            phase.files_changed = all_paths(changes);
        }
    }
}

fn all_paths(changes: &FileChanges) -> Vec<String> {
    let mut paths: Vec<String> = changes
        .added
        .iter()
        .chain(&changes.modified)
        .chain(&changes.deleted)
        .cloned()
        .collect();
    paths.sort();
    paths
}
