//! The pipeline gate: the configured validation command, run as an
//! argument list (never through a shell) in the workspace root. A red
//! pipeline refuses `start` (when required) and `complete`, showing the tail
//! of its output.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// How many lines of output a refusal shows.
pub const TAIL_LINES: usize = 20;

/// The outcome of one run of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineOutcome {
    pub command: Vec<String>,
    pub passed: bool,
    /// The exit code, when the process exited (not killed by a signal).
    pub code: Option<i32>,
    /// The last lines of stdout and stderr together.
    pub tail: String,
}

/// Why the pipeline could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(
        "the pipeline command is empty: set [session] pipeline to an argument list such as [\"cargo\", \"test\"]"
    )]
    Empty,
    #[error("cannot run the pipeline `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
}

/// Runs `command` in `root` and waits for it.
pub fn run(command: &[String], root: &Path) -> Result<PipelineOutcome, PipelineError> {
    let (program, args) = command.split_first().ok_or(PipelineError::Empty)?;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| PipelineError::Spawn {
            program: program.clone(),
            source,
        })?;
    // Read stderr on a thread so that neither pipe fills and blocks the child.
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });
    let mut output = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut output);
    }
    let status = child.wait().map_err(|source| PipelineError::Spawn {
        program: program.clone(),
        source,
    })?;
    output.push_str(&errors.join().unwrap_or_default());
    Ok(PipelineOutcome {
        command: command.to_vec(),
        passed: status.success(),
        code: status.code(),
        tail: tail(&output, TAIL_LINES),
    })
}

/// The last `lines` lines of a text.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_green_pipeline_passes_and_a_red_one_shows_its_tail() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let green = run(&args(&["sh", "-c", "echo fine"]), dir.path()).expect("runs");
        assert!(green.passed && green.code == Some(0));
        let script = "for i in $(seq 1 30); do echo line $i; done; echo boom >&2; exit 3";
        let red = run(&args(&["sh", "-c", script]), dir.path()).expect("runs");
        assert!(!red.passed);
        assert_eq!(red.code, Some(3));
        assert!(red.tail.ends_with("line 30\nboom"), "{}", red.tail);
        assert_eq!(red.tail.lines().count(), TAIL_LINES);
    }

    #[test]
    fn arguments_are_not_interpreted_by_a_shell() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let outcome = run(&args(&["echo", "$HOME; rm -rf /"]), dir.path()).expect("runs");
        assert_eq!(outcome.tail, "$HOME; rm -rf /");
    }

    #[test]
    fn a_missing_program_or_empty_command_is_an_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        assert!(matches!(run(&[], dir.path()), Err(PipelineError::Empty)));
        let missing = run(&args(&["no-such-program-smallbatch"]), dir.path());
        assert!(matches!(missing, Err(PipelineError::Spawn { .. })));
    }
}
