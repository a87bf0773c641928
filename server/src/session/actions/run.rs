//! `run` (DESIGN §6): start the next unit (or resume the open session), run
//! the configured agent on its context load, keep its output in the
//! session's log, and pause by itself — or mark the session failed after
//! `max_failures` failed runs.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::{ActionError, Failure, Refusal, Sessions, StartOptions, Started, Target};
use crate::session::agent::{self, AgentRun, Limits, Stream, Trigger, Watch};
use crate::session::git::GitRepo;
use crate::session::record::{Checkpoint, CommitFact, Interaction, SessionRecord, Status};
use crate::units::short_commit;

/// What the caller shows of a run while it goes.
pub trait RunObserver {
    /// The session is open and the agent is about to run `command`.
    fn started(&mut self, started: &Started, resumed: bool, command: &[String]);
    /// A piece of the agent's output, as it came.
    fn output(&mut self, stream: Stream, bytes: &[u8]);
}

/// How a run ended, and the session after it.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub record: SessionRecord,
    /// The session was resumed rather than started.
    pub resumed: bool,
    pub command: Vec<String>,
    pub context_file: PathBuf,
    pub context_tokens: usize,
    pub run: AgentRun,
    pub log_file: PathBuf,
    /// Why the session paused (or failed), as written in its notes.
    pub note: String,
    /// The session was marked failed: `max_failures` runs of it failed.
    pub failed: bool,
    /// Writes that did not happen (the log, a checkpoint); the run went on.
    pub warnings: Vec<String>,
}

/// A session opened for a run, under the spec's run lock.
struct Prepared {
    target: Target,
    /// Held until the run is recorded: one run of a spec at a time.
    _running: std::fs::File,
    resumed: bool,
    started: Started,
    command: Vec<String>,
}

/// What supervising the agent left behind.
struct Supervised {
    /// The run, or why the agent could not start.
    run: std::io::Result<AgentRun>,
    /// The run's number among the session's interactions.
    number: usize,
    began: String,
    limits: Limits,
    log_file: PathBuf,
    warnings: Vec<String>,
}

impl Sessions {
    /// Starts or resumes a session of the spec and runs the agent on it.
    /// `stop` is the user's interruption (Ctrl-C): the agent is asked to
    /// stop and the session pauses with the note "interrupted". `force`
    /// starts as `start --force` does.
    pub fn run(
        &self,
        spec: &str,
        agent: Option<&str>,
        force: bool,
        stop: &AtomicBool,
        observer: &mut dyn RunObserver,
    ) -> Result<RunOutcome, ActionError> {
        let prepared = self.prepare_run(spec, agent, force)?;
        observer.started(&prepared.started, prepared.resumed, &prepared.command);
        let supervised = self.supervise_run(&prepared, stop, observer)?;
        self.record_run(prepared, supervised)
    }

    /// Checks that an agent is configured, takes the run lock, and starts
    /// the next unit or resumes the open session.
    fn prepare_run(
        &self,
        spec: &str,
        agent: Option<&str>,
        force: bool,
    ) -> Result<Prepared, ActionError> {
        let target = self.target(spec)?;
        let open = self.open_record(&target)?;
        if open.is_none() && !force {
            super::refuse_finished(&target)?;
        }
        let name = agent
            .map(str::to_string)
            .or_else(|| open.as_ref().and_then(|r| r.agent.clone()))
            .or_else(|| self.config().agents.default.clone());
        if self.config().agents.command(name.as_deref()).is_none() {
            return Err(Failure::NoAgent { agent: name }.into());
        }
        let Some(running) = self.store.try_lock_run(target.id())? else {
            return Err(Refusal::Running {
                spec: target.rel.clone(),
            }
            .into());
        };
        // Read again under the run lock: a run that just ended may have paused it.
        let resumed = self.open_record(&target)?.is_some();
        let started = if resumed {
            self.resume(spec, None, agent)?
        } else {
            let options = StartOptions {
                agent: agent.map(str::to_string),
                force,
                ..StartOptions::default()
            };
            self.start(spec, &options)?
        };
        let command = started
            .agent_command
            .clone()
            .ok_or_else(|| Failure::NoAgent {
                agent: started.record.agent.clone(),
            })?;
        let command = self.with_mcp(&target, &started, command)?;
        Ok(Prepared {
            target,
            _running: running,
            resumed,
            started,
            command,
        })
    }

    /// Runs the agent, its output into the session's log and the observer.
    fn supervise_run(
        &self,
        prepared: &Prepared,
        stop: &AtomicBool,
        observer: &mut dyn RunObserver,
    ) -> Result<Supervised, ActionError> {
        let (target, started, command) = (&prepared.target, &prepared.started, &prepared.command);
        let record = &started.record;
        let (log, log_file) = self.store.open_log(target.id(), &record.id)?;
        let number = record.interactions.len() + 1;
        let began = self.store.now().to_string();
        let mut watch = RunWatch {
            sessions: self,
            target,
            id: &record.id,
            log: Some(log),
            observer,
            warnings: Vec::new(),
        };
        watch.log_line(&format!(
            "=== run {number} · {began} · {} ===\n",
            agent::display_command(command)
        ));
        let env = [
            ("SMALLBATCH_SESSION", record.id.clone()),
            ("SMALLBATCH_SPEC", target.rel.clone()),
            ("SMALLBATCH_UNIT", record.unit.name.clone()),
            (
                "SMALLBATCH_CONTEXT",
                started.context_file.to_string_lossy().into_owned(),
            ),
        ];
        let limits = Limits::from(&self.config().run);
        let run = agent::supervise(command, self.root(), &env, &limits, stop, &mut watch);
        let RunWatch {
            log, mut warnings, ..
        } = watch;
        if let Some(Err(error)) = log.map(|log| log.sync_all()) {
            warnings.push(format!("could not sync {}: {error}", log_file.display()));
        }
        Ok(Supervised {
            run,
            number,
            began,
            limits,
            log_file,
            warnings,
        })
    }

    /// Records the run as an interaction and pauses the session — or marks
    /// it failed after `max_failures` failed runs; when the agent could not
    /// start, pauses it saying why.
    fn record_run(
        &self,
        prepared: Prepared,
        supervised: Supervised,
    ) -> Result<RunOutcome, ActionError> {
        let Prepared {
            target,
            resumed,
            started,
            command,
            ..
        } = prepared;
        let record = &started.record;
        let lock = self.store.lock(target.id())?;
        let head = self.git.as_ref().and_then(GitRepo::head);
        let commits = self.commits_since(record);
        let now = self.store.now().to_string();
        let run = match supervised.run {
            Ok(run) => run,
            Err(source) => {
                // Nothing ran: the session goes back to paused, saying why.
                let failure = start_failure(record, &command, source);
                let note = failure.to_string();
                lock.update(&record.id, |r| {
                    if r.status == Status::Active {
                        pause_record(r, &note, &[], commits, now, head);
                    }
                })?;
                return Err(failure.into());
            }
        };
        let failed_runs = record
            .interactions
            .iter()
            .filter(|i| was_failure(i))
            .count()
            + usize::from(run.failed());
        let max = self.config().run.max_failures as usize;
        let failed = run.failed() && max > 0 && failed_runs >= max;
        let (note, next) = if failed {
            (
                format!(
                    "marked failed after {failed_runs} failed run{} (last exit code {}); the next run starts the {} afresh",
                    if failed_runs == 1 { "" } else { "s" },
                    exit_words(run.exit_code),
                    record.unit.kind.word(),
                ),
                Vec::new(),
            )
        } else {
            let limits = &supervised.limits;
            self.pause_note(&target, &run, limits, commits.last(), failed_runs, max)
        };
        let interaction = Interaction {
            id: format!("run-{}", supervised.number),
            timestamp: supervised.began,
            phase: record.phase.clone(),
            duration_ms: u64::try_from(run.duration.as_millis()).unwrap_or(u64::MAX),
            prompt_tokens: started.context_tokens as u64,
            output_tokens: run.output_tokens() as u64,
            exit_code: run.exit_code,
            trigger: Some(run.trigger.as_str().to_string()),
            summary: Some(note.clone()),
        };
        let record = lock.update(&record.id, |r| {
            r.interactions.push(interaction);
            // Another command may have paused or completed it meanwhile.
            if r.status == Status::Active {
                pause_record(r, &note, &next, commits, now, head);
                if failed {
                    r.status = Status::Failed;
                }
            }
        })?;
        if failed {
            lock.retain(self.config().session.keep)?;
        }
        Ok(RunOutcome {
            record,
            resumed,
            command,
            context_file: started.context_file,
            context_tokens: started.context_tokens,
            run,
            log_file: supervised.log_file,
            note,
            failed,
            warnings: supervised.warnings,
        })
    }

    /// The note and next steps a run pauses with.
    fn pause_note(
        &self,
        target: &Target,
        run: &AgentRun,
        limits: &Limits,
        last_commit: Option<&CommitFact>,
        failed_runs: usize,
        max_failures: usize,
    ) -> (String, Vec<String>) {
        let run_config = &self.config().run;
        let note = match run.trigger {
            Trigger::Commit => {
                let commit = last_commit
                    .map(|c| format!("{} “{}”", short_commit(&c.id), c.summary))
                    .or_else(|| {
                        run.new_head
                            .as_deref()
                            .map(|head| short_commit(head).to_string())
                    })
                    .unwrap_or_default();
                let next = format!(
                    "review the commit and run `smallbatch complete {}`",
                    target.rel
                );
                return (format!("committed {commit}: ready to complete"), vec![next]);
            }
            Trigger::Checkpoint => run
                .note
                .clone()
                .unwrap_or_else(|| "the agent asked for a checkpoint".to_string()),
            Trigger::Tokens => format!(
                "the agent's output passed the token threshold ({} tokens)",
                limits.token_threshold
            ),
            Trigger::Time => format!(
                "the time limit passed ({} minutes)",
                run_config.time_limit_minutes
            ),
            Trigger::Interrupted => "interrupted".to_string(),
            Trigger::Exit if run.exit_code == Some(0) => {
                "the agent exited without a commit".to_string()
            }
            Trigger::Exit => format!(
                "the agent failed (exit code {}); failed runs: {failed_runs} of {max_failures}",
                exit_words(run.exit_code)
            ),
        };
        (note, Vec::new())
    }
}

/// The watch of a run: output to the log and the observer, HEAD from git,
/// checkpoints into the record.
struct RunWatch<'a> {
    sessions: &'a Sessions,
    target: &'a Target,
    id: &'a str,
    /// `None` once a write failed (said once in `warnings`).
    log: Option<std::fs::File>,
    observer: &'a mut dyn RunObserver,
    warnings: Vec<String>,
}

impl RunWatch<'_> {
    fn log_line(&mut self, text: &str) {
        self.log_bytes(text.as_bytes());
    }

    fn log_bytes(&mut self, bytes: &[u8]) {
        if let Some(log) = &mut self.log
            && let Err(error) = log.write_all(bytes)
        {
            self.warnings
                .push(format!("the session log could not be written: {error}"));
            self.log = None;
        }
    }
}

impl Watch for RunWatch<'_> {
    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        self.log_bytes(bytes);
        self.observer.output(stream, bytes);
    }

    fn head(&mut self) -> Option<String> {
        self.sessions.git.as_ref().and_then(GitRepo::head)
    }

    fn checkpoint(&mut self) {
        let sessions = self.sessions;
        let head = self.head();
        let now = sessions.store.now().to_string();
        let saved = sessions.store.lock(self.target.id()).and_then(|lock| {
            lock.update(self.id, |r| {
                r.checkpoints.push(Checkpoint {
                    timestamp: now,
                    phase: r.phase.clone(),
                    git_commit: head,
                    note: None,
                })
            })
        });
        if let Err(error) = saved {
            self.warnings
                .push(format!("a checkpoint could not be saved: {error}"));
        }
    }
}

/// Pauses an open record: notes, next steps (kept when none are given),
/// the commits so far and a checkpoint.
pub(super) fn pause_record(
    record: &mut SessionRecord,
    notes: &str,
    next_steps: &[String],
    commits: Vec<CommitFact>,
    now: String,
    head: Option<String>,
) {
    record.status = Status::Paused;
    record.notes = Some(notes.trim().to_string());
    if !next_steps.is_empty() {
        record.next_steps = next_steps.to_vec();
    }
    record.git.commits = commits;
    record.checkpoints.push(Checkpoint {
        timestamp: now,
        phase: record.phase.clone(),
        git_commit: head,
        note: None,
    });
}

/// Why the agent could not start. A NUL byte in the unit's name (handed
/// over in the environment, and often as an argument) is the spec's doing,
/// not the configured command's.
fn start_failure(record: &SessionRecord, command: &[String], source: std::io::Error) -> Failure {
    if record.unit.name.contains('\0') {
        Failure::NulInUnitName {
            kind: record.unit.kind.word(),
            name: record.unit.name.clone(),
        }
    } else {
        Failure::AgentStart {
            program: command.first().cloned().unwrap_or_default(),
            source,
        }
    }
}

/// A run that ended by the agent's own failing exit.
fn was_failure(interaction: &Interaction) -> bool {
    interaction.trigger.as_deref() == Some(Trigger::Exit.as_str())
        && interaction.exit_code != Some(0)
}

fn exit_words(code: Option<i32>) -> String {
    code.map_or_else(|| "none: ended by a signal".to_string(), |c| c.to_string())
}
