//! Why a session command did not do what it was asked: a [`Refusal`] (the
//! state does not allow it; exit 1) or a [`Failure`] (it could not run; exit 2).

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::session::pipeline::PipelineError;
use crate::session::store::StoreError;
use crate::workspace::{ReadError, SpecNotFound, WorkspaceError};

/// The command ran and said no; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("a session is active: {id}")]
    Held { id: String },
    #[error("no open session on {spec}: start one with `smallbatch start {spec}`")]
    NoOpenSession { spec: String },
    #[error("out of order: {kind} {index} `{name}` is not complete; use --force")]
    OutOfOrder {
        kind: &'static str,
        index: usize,
        name: String,
    },
    #[error("{kind} `{name}` is already complete; use --force to work on it again")]
    AlreadyComplete { kind: &'static str, name: String },
    #[error(
        "{spec} is {status} (its front matter status): start a session on it anyway with --force"
    )]
    Finished { spec: String, status: String },
    #[error("every unit of {spec} is complete; name one with --scenario or --phase and --force")]
    AllComplete { spec: String },
    #[error("no commit since the session started at {short}: commit first (or --allow-no-commit)")]
    NoCommit { short: String },
    #[error(
        "an agent is already running on {spec} (`smallbatch run` in another terminal); wait for it or stop it"
    )]
    Running { spec: String },
    #[error(
        "the Session log of {spec} already has an entry for `{unit}` at line {line}: keep it as the summary (leave out --summary) or replace it with --replace-summary"
    )]
    SummaryWritten {
        spec: String,
        line: usize,
        unit: String,
    },
    #[error(
        "{path}: the session record cannot be read ({message}){}; nothing was changed: fix the file, or move it aside (e.g. `mv {path} {path}.broken`) and try again",
        others_note(*others)
    )]
    UnreadableRecord {
        path: String,
        message: String,
        /// How many more of the spec's records cannot be read.
        others: usize,
    },
    #[error(
        "{spec} has {}: fix {}, or start anyway with --force\n{}",
        count(errors.len(), "error"),
        if errors.len() == 1 { "it" } else { "them" },
        errors.join("\n")
    )]
    SpecHasErrors { spec: String, errors: Vec<String> },
    #[error(
        "the pipeline `{command}` ([session] pipeline in .smallbatch/config.toml) is red ({status}):\n{tail}"
    )]
    Red {
        command: String,
        status: String,
        tail: String,
    },
    #[error(
        "the pipeline `{command}` ([session] pipeline) was still running after {minutes} minutes and was stopped: make it faster, or raise [session] pipeline_timeout_minutes in .smallbatch/config.toml{}",
        if tail.is_empty() { String::new() } else { format!(":\n{tail}") }
    )]
    PipelineTimeout {
        command: String,
        minutes: String,
        tail: String,
    },
    #[error(
        "no open session in this workspace: start one with `smallbatch run SPEC` (or `smallbatch start SPEC`)"
    )]
    NoSession,
    #[error("no session `{id}` in this workspace: `smallbatch sessions` lists them")]
    UnknownSession { id: String },
    #[error(
        "{} sessions are {status} ({}): name one in SMALLBATCH_SESSION",
        ids.len(),
        ids.join(", ")
    )]
    SeveralOpen {
        status: &'static str,
        ids: Vec<String>,
    },
    #[error(
        "session {id} is {status}, not the open session of {spec}: the next unit starts in a fresh session (`smallbatch run {spec}`)"
    )]
    SessionClosed {
        id: String,
        status: &'static str,
        spec: String,
    },
    #[error("the checkpoint's note is empty: say what is done and what is next")]
    EmptyNote,
    #[error(
        "the session on {spec} changed while the pipeline ran (another command paused, completed or committed): run complete again"
    )]
    ChangedMeanwhile { spec: String },
}

/// The command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Spec(#[from] SpecNotFound),
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error("{spec} has no {kind} named `{name}`; `smallbatch status {spec}` lists its units")]
    UnknownUnit {
        spec: String,
        kind: &'static str,
        name: String,
    },
    #[error("{spec} has no units of work: add scenarios, a plan or [phases] to the configuration")]
    NoUnits { spec: String },
    #[error("{}", no_agent(agent.as_deref()))]
    NoAgent { agent: Option<String> },
    #[error(
        "the agent `{program}` could not be started: {source}; check its command under [agents] in .smallbatch/config.toml"
    )]
    AgentStart {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the {kind} name `{name}` holds a NUL byte, which cannot be passed to the agent: rename the {kind} in the spec (SB007 marks it)"
    )]
    NulInUnitName { kind: &'static str, name: String },
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn others_note(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => ", and 1 more of this spec's records cannot".to_string(),
        n => format!(", and {n} more of this spec's records cannot"),
    }
}

fn no_agent(agent: Option<&str>) -> String {
    match agent {
        Some(name) => format!(
            "no command for the agent `{name}`: add `{name} = [\"program\", \"{{context}}\"]` under [agents] in .smallbatch/config.toml"
        ),
        None => "no agent to run: set `default` and its command under [agents] in .smallbatch/config.toml, or pass --agent".to_string(),
    }
}

/// A refusal or a failure.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl From<StoreError> for ActionError {
    fn from(error: StoreError) -> ActionError {
        match error {
            StoreError::Held { id } => ActionError::Refused(Refusal::Held { id }),
            other => ActionError::Failed(Failure::Store(other)),
        }
    }
}

impl From<SpecNotFound> for ActionError {
    fn from(error: SpecNotFound) -> ActionError {
        ActionError::Failed(Failure::Spec(error))
    }
}

impl From<PipelineError> for ActionError {
    fn from(error: PipelineError) -> ActionError {
        ActionError::Failed(Failure::Pipeline(error))
    }
}
