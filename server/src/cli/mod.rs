//! The `smallbatch` command line: one module per subcommand, each thin over
//! the same core as the language server.

mod check;
mod lsp;
mod mcp;
mod report;
mod session;
mod terminal;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use report::Format;

/// Exit status: the command ran and found nothing wrong.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command ran and found errors (or refused).
pub const EXIT_FOUND: u8 = 1;
/// Exit status: the command could not run.
pub const EXIT_FAILED: u8 = 2;

/// Spec-driven work with AI coding agents: one scenario, one session, one
/// commit, one summary.
#[derive(Debug, Parser)]
#[command(name = "smallbatch", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands (DESIGN §6).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint specs and feature files (default: the configured spec roots).
    Check(check::CheckArgs),
    /// The language server, on stdin/stdout.
    Lsp(lsp::LspArgs),
    /// The MCP server on stdin/stdout, for the agent inside a session.
    Mcp(mcp::McpArgs),
    /// Start a session on the next unfinished unit (or the one named).
    Start(session::StartArgs),
    /// Record notes and next steps; the session becomes paused.
    Pause(session::PauseArgs),
    /// Write a resume context; the paused session becomes active.
    Resume(session::ResumeArgs),
    /// End the session at its commit and write its summary into the spec.
    Complete(session::CompleteArgs),
    /// Give up the open session: its record is kept, its unit is free again.
    Abandon(session::AbandonArgs),
    /// The spec's units with their state, the open session and history.
    Status(session::StatusArgs),
    /// Every session, newest first.
    Sessions(session::SessionsArgs),
    /// Print the context load that start would write.
    Context(session::ContextArgs),
    /// Start or resume a session, run the agent on it, pause by itself.
    Run(session::RunArgs),
}

impl Command {
    /// Whether the command prints one JSON object (`--format json`).
    fn prints_json(&self) -> bool {
        match self {
            Command::Check(args) => args.format == Format::Json,
            Command::Lsp(_) | Command::Mcp(_) => false,
            Command::Start(args) => args.format.is_json(),
            Command::Pause(args) => args.format.is_json(),
            Command::Resume(args) => args.format.is_json(),
            Command::Complete(args) => args.format.is_json(),
            Command::Abandon(args) => args.format.is_json(),
            Command::Status(args) => args.format.is_json(),
            Command::Sessions(args) => args.format.is_json(),
            Command::Context(args) => args.format.is_json(),
            Command::Run(args) => args.format.is_json(),
        }
    }
}

/// Why a command did not do its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    /// The state does not allow it (exit 1).
    Refused,
    /// It could not run (exit 2).
    Failed,
}

/// Says why a command did not do its work: one line on stderr and, when
/// it prints JSON, `{"error": {"kind": "refused"|"failed", "message": …}}`
/// on stdout, so that a caller reading stdout always gets one object.
fn report_error(json: bool, kind: ErrorKind, message: &str) {
    let (prefix, word) = match kind {
        ErrorKind::Refused => ("refused", "refused"),
        ErrorKind::Failed => ("error", "failed"),
    };
    eprintln!("{prefix}: {}", terminal::escape(message));
    if json {
        let object = serde_json::json!({ "error": { "kind": word, "message": message } });
        let mut out = std::io::stdout().lock();
        // A closed stdout leaves the line on stderr.
        let _ = writeln!(out, "{object}").and_then(|()| out.flush());
    }
}

/// The error and its causes, each said once. Many errors already end their
/// message with their source's (`could not list F: Not a directory`), which
/// printing the chain (`{:#}`) would say again; a cause is added only when
/// the message so far does not hold it.
fn message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// Parses the arguments, runs the subcommand and maps its outcome to an
/// exit status; errors that stop a command from running go to stderr (and
/// to stdout as JSON with `--format json`).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.prints_json();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Mcp(args) => mcp::run(&args),
        Command::Start(args) => session::start(&args),
        Command::Pause(args) => session::pause(&args),
        Command::Resume(args) => session::resume(&args),
        Command::Complete(args) => session::complete(&args),
        Command::Abandon(args) => session::abandon(&args),
        Command::Status(args) => session::status(&args),
        Command::Sessions(args) => session::list(&args),
        Command::Context(args) => session::context(&args),
        Command::Run(args) => session::run(&args),
    };
    match outcome {
        Ok(status) => ExitCode::from(status),
        Err(error) => {
            report_error(json, ErrorKind::Failed, &message(&error));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("could not list F: {source}")]
    struct Listing {
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn each_cause_is_said_once() {
        let os = || std::io::Error::other("Not a directory");
        let repeated = anyhow::Error::new(Listing { source: os() });
        assert_eq!(message(&repeated), "could not list F: Not a directory");
        let added = anyhow::Error::new(os()).context("cannot read S");
        assert_eq!(message(&added), "cannot read S: Not a directory");
    }
}
