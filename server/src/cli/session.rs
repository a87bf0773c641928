//! `start`, `pause`, `resume`, `complete`, `status`, `sessions` and
//! `context` (DESIGN §6): parse the arguments, call
//! [`crate::session::actions`], print. A refusal exits 1 with one line on
//! stderr; a command that cannot run exits 2.

mod print;
mod run;

pub use run::run;

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde_json::{Value, json};

use super::{EXIT_FOUND, EXIT_OK, ErrorKind, report_error, terminal};
use crate::session::actions::{
    ActionError, CompleteOptions, Notices, SessionAnswer, Sessions, StartOptions,
};
use crate::workspace;

/// How a session command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Lines for people.
    #[default]
    Human,
    /// One JSON object.
    Json,
}

impl OutputFormat {
    pub fn is_json(self) -> bool {
        self == OutputFormat::Json
    }
}

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// The scenario to work on (by name or number); default: the next unfinished one.
    #[arg(long, conflicts_with = "phase")]
    pub scenario: Option<String>,
    /// The phase to work on (or the session's phase, when the units are scenarios).
    #[arg(long)]
    pub phase: Option<String>,
    /// The task to work on, in a spec whose plan is a list of tasks.
    #[arg(long, conflicts_with = "scenario")]
    pub task: Option<String>,
    /// The agent, from [agents] in the configuration.
    #[arg(long)]
    pub agent: Option<String>,
    /// Work on a unit out of order, on one already complete, or on a spec with errors.
    #[arg(long)]
    pub force: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct PauseArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// Where the work stands.
    #[arg(long)]
    pub notes: String,
    /// A next step (repeat for several).
    #[arg(long = "next", value_name = "STEP")]
    pub next: Vec<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct AbandonArgs {
    /// A path, a spec id or a LeanSpec number.
    pub spec: String,
    /// Why the session is given up (kept in its record).
    #[arg(long)]
    pub notes: Option<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// Go on in another phase (design, testing, …); the current one ends.
    #[arg(long)]
    pub phase: Option<String>,
    /// Hand the session to another agent, from [agents] in the configuration.
    #[arg(long)]
    pub agent: Option<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct CompleteArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// The summary for the spec's session log; default: a template prefilled from git.
    #[arg(long, conflicts_with = "summary_file")]
    pub summary: Option<String>,
    /// Read the summary from a file.
    #[arg(long, value_name = "F")]
    pub summary_file: Option<PathBuf>,
    /// Replace the unit's entry already written in the Session log with --summary.
    #[arg(long)]
    pub replace_summary: bool,
    /// Complete without a commit since the start.
    #[arg(long)]
    pub allow_no_commit: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// Every session of each unit, with its commits.
    #[arg(long)]
    pub verbose: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct SessionsArgs {
    /// Only open sessions (active or paused).
    #[arg(long)]
    pub active: bool,
    /// Only the sessions of this spec.
    #[arg(long)]
    pub spec: Option<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct ContextArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// The unit to show: its name (with or without marks), the number in
    /// its heading, or its place; default: the next unfinished one.
    #[arg(long, visible_aliases = ["scenario", "phase", "task"], value_name = "N|NAME")]
    pub unit: Option<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The spec: a path, a spec id or a LeanSpec number.
    pub spec: String,
    /// The agent, from [agents] in the configuration (default: the session's, else `default`).
    #[arg(long)]
    pub agent: Option<String>,
    /// Start as `start --force` does: on a finished spec, one with errors.
    #[arg(long)]
    pub force: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

/// The sessions of the working directory's workspace.
fn sessions() -> anyhow::Result<Sessions> {
    let cwd = std::env::current_dir().context("cannot find the working directory")?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let root = workspace::find_root(&cwd);
    let notices: Notices = std::sync::Arc::new(|text| eprintln!("{}", terminal::escape(text)));
    Ok(Sessions::open(root, cwd)?.with_notices(notices))
}

/// Prints the result, or the refusal on stderr; a failure goes up (exit 2).
fn finish(
    format: OutputFormat,
    result: Result<(Value, String), ActionError>,
    found: bool,
) -> anyhow::Result<u8> {
    match result {
        Ok((value, human)) => {
            let text = match format {
                OutputFormat::Json => format!("{value}\n"),
                OutputFormat::Human => terminal::escape(&human).into_owned(),
            };
            let mut out = io::stdout().lock();
            let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            if let Err(e) = written
                && e.kind() != io::ErrorKind::BrokenPipe
            {
                return Err(e).context("cannot write the result");
            }
            Ok(if found { EXIT_FOUND } else { EXIT_OK })
        }
        Err(ActionError::Refused(refusal)) => {
            report_error(format.is_json(), ErrorKind::Refused, &refusal.to_string());
            Ok(EXIT_FOUND)
        }
        Err(ActionError::Failed(failure)) => Err(failure.into()),
    }
}

fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {}", terminal::escape(warning));
    }
}

pub fn start(args: &StartArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let options = StartOptions {
        scenario: args.scenario.clone(),
        phase: args.phase.clone(),
        task: args.task.clone(),
        agent: args.agent.clone(),
        force: args.force,
    };
    let result = sessions.start(&args.spec, &options).map(|started| {
        let human = print::started("started", &started);
        (json(started.answer()), human)
    });
    finish(args.format, result, false)
}

pub fn pause(args: &PauseArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions
        .pause(&args.spec, &args.notes, &args.next)
        .map(|record| {
            let human = format!("paused {}\n", record.id);
            (json(SessionAnswer::of(&record)), human)
        });
    finish(args.format, result, false)
}

pub fn abandon(args: &AbandonArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions
        .abandon(&args.spec, args.notes.as_deref())
        .map(|record| {
            let human = format!(
                "abandoned {}: {} (the record is kept; the next start takes the unit afresh)\n",
                record.id,
                record.unit.label()
            );
            (json(SessionAnswer::of(&record)), human)
        });
    finish(args.format, result, false)
}

pub fn resume(args: &ResumeArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions
        .resume(&args.spec, args.phase.as_deref(), args.agent.as_deref())
        .map(|started| {
            let human = print::started("resumed", &started);
            (json(started.answer()), human)
        });
    finish(args.format, result, false)
}

pub fn complete(args: &CompleteArgs) -> anyhow::Result<u8> {
    let summary = match &args.summary_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the summary file {}", path.display()))?,
        ),
        None => args.summary.clone(),
    };
    let sessions = sessions()?;
    let options = CompleteOptions {
        summary,
        replace_summary: args.replace_summary,
        allow_no_commit: args.allow_no_commit,
    };
    let result = sessions.complete(&args.spec, &options).map(|completed| {
        warn(&completed.warnings);
        (json(completed.answer()), print::completed(&completed))
    });
    finish(args.format, result, false)
}

pub fn status(args: &StatusArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions.status(&args.spec);
    let found = result.as_ref().is_ok_and(|r| !r.unreadable.is_empty());
    let result = result.map(|report| {
        let human = print::status(&report, args.verbose);
        (json(report.answer()), human)
    });
    finish(args.format, result, found)
}

pub fn list(args: &SessionsArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions.sessions(args.active, args.spec.as_deref());
    let found = result.as_ref().is_ok_and(|r| !r.unreadable.is_empty());
    let result = result.map(|list| {
        let human = print::sessions(&list);
        (json(list.answer()), human)
    });
    finish(args.format, result, found)
}

pub fn context(args: &ContextArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let result = sessions
        .context(&args.spec, args.unit.as_deref())
        .map(|preview| {
            let load = &preview.load;
            let value = json!({
                "unit": preview.unit,
                "text": load.text,
                "tokens": load.tokens,
                "overBudget": load.over_budget,
                "shortened": load.shortened,
            });
            let mut human = format!(
                "{}\n---\n{} tokens (estimated){}\n",
                load.text.trim_end(),
                load.tokens,
                if load.over_budget {
                    ", over the budget"
                } else {
                    ""
                }
            );
            if !load.shortened.is_empty() {
                human.push_str(&format!(
                    "shortened to fit: {}\n",
                    load.shortened.join("; ")
                ));
            }
            (value, human)
        });
    finish(args.format, result, false)
}

/// An answer as the JSON object `--format json` prints.
fn json(answer: impl serde::Serialize) -> Value {
    serde_json::to_value(answer).unwrap_or_default()
}
