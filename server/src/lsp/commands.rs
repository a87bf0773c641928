//! The commands the server offers (workspace/executeCommand), by name. Their
//! argument is one object: `{"spec": <uri>, "scenario": <name>?}`.

use crate::ide::lenses::SessionCommand;

pub const START: &str = "smallbatch.start";
pub const PAUSE: &str = "smallbatch.pause";
pub const RESUME: &str = "smallbatch.resume";
pub const COMPLETE: &str = "smallbatch.complete";
pub const ABANDON: &str = "smallbatch.abandon";
pub const STATUS: &str = "smallbatch.status";
pub const CONTEXT: &str = "smallbatch.context";
pub const INSERT_SUMMARY: &str = "smallbatch.insertSummary";

/// Every command the server runs, for the capabilities.
pub const ALL: [&str; 8] = [
    START,
    PAUSE,
    RESUME,
    COMPLETE,
    ABANDON,
    STATUS,
    CONTEXT,
    INSERT_SUMMARY,
];

/// The command that runs a session command of a lens or a code action.
pub fn session_command(command: SessionCommand) -> &'static str {
    match command {
        SessionCommand::Start => START,
        SessionCommand::Pause => PAUSE,
        SessionCommand::Resume => RESUME,
        SessionCommand::Complete => COMPLETE,
        SessionCommand::Abandon => ABANDON,
    }
}
