//! The pipeline gate: the configured validation command, run as an
//! argument list (never through a shell) in the workspace root. A red
//! pipeline refuses `start` (when required) and `complete`, showing the tail
//! of its output.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::process_group::{Signal, own_process_group, signal_group};

/// How many lines of output a refusal shows.
pub const TAIL_LINES: usize = 20;

/// How long output is still read after the pipeline exits, for a process
/// it left behind holding its output open.
const DRAIN: Duration = Duration::from_millis(500);

/// How long a stopped pipeline has between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

/// The outcome of one run of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineOutcome {
    pub command: Vec<String>,
    pub passed: bool,
    /// The exit code, when the process exited (not killed by a signal).
    pub code: Option<i32>,
    /// It was still running at its time limit and was stopped.
    pub timed_out: bool,
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
    #[error(
        "cannot run the pipeline `{program}` ([session] pipeline in .smallbatch/config.toml): {source}"
    )]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
}

/// Runs `command` in `root` in a process group of its own and waits for
/// it, at most `limit` (then the group is stopped: SIGTERM, SIGKILL after a
/// grace). Processes it leaves behind are stopped with it once it exits, so
/// that nothing holding its output open can keep the caller waiting.
pub fn run(
    command: &[String],
    root: &Path,
    limit: Option<Duration>,
) -> Result<PipelineOutcome, PipelineError> {
    let (program, args) = command.split_first().ok_or(PipelineError::Empty)?;
    let spawn_error = |source| PipelineError::Spawn {
        program: program.clone(),
        source,
    };
    let mut process = Command::new(program);
    process
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    own_process_group(&mut process);
    let mut child = process.spawn().map_err(spawn_error)?;
    // stdout then stderr, each read on a thread of its own so that neither
    // pipe fills and blocks the pipeline.
    let outputs = [
        Arc::new(Mutex::new(Vec::new())),
        Arc::new(Mutex::new(Vec::new())),
    ];
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        readers.push(collect(stdout, Arc::clone(&outputs[0])));
    }
    if let Some(stderr) = child.stderr.take() {
        readers.push(collect(stderr, Arc::clone(&outputs[1])));
    }
    let deadline = limit.map(|limit| Instant::now() + limit);
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(spawn_error)? {
            break status;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            break stop(&mut child).map_err(spawn_error)?;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Output still in the pipes, then whatever it left behind is stopped.
    let drained = Instant::now() + DRAIN;
    while readers.iter().any(|r| !r.is_finished()) && Instant::now() < drained {
        std::thread::sleep(Duration::from_millis(10));
    }
    signal_group(&mut child, Signal::Kill);
    let bytes: Vec<u8> = outputs
        .iter()
        .flat_map(|o| o.lock().map(|b| b.clone()).unwrap_or_default())
        .collect();
    Ok(PipelineOutcome {
        command: command.to_vec(),
        passed: status.success() && !timed_out,
        code: status.code(),
        timed_out,
        tail: tail(&String::from_utf8_lossy(&bytes), TAIL_LINES),
    })
}

/// Reads a pipe to its end on a thread of its own, into `into`.
fn collect(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Ok(mut all) = into.lock() {
                all.extend_from_slice(&buffer[..n]);
            }
        }
    })
}

/// Stops the pipeline's process group: SIGTERM, then SIGKILL after
/// [`GRACE`]; its exit status.
fn stop(child: &mut Child) -> std::io::Result<std::process::ExitStatus> {
    signal_group(child, Signal::Terminate);
    let until = Instant::now() + GRACE;
    while Instant::now() < until {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    signal_group(child, Signal::Kill);
    child.wait()
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
        let green = run(&args(&["sh", "-c", "echo fine"]), dir.path(), None).expect("runs");
        assert!(green.passed && green.code == Some(0));
        let script = "for i in $(seq 1 30); do echo line $i; done; echo boom >&2; exit 3";
        let red = run(&args(&["sh", "-c", script]), dir.path(), None).expect("runs");
        assert!(!red.passed);
        assert_eq!(red.code, Some(3));
        assert!(red.tail.ends_with("line 30\nboom"), "{}", red.tail);
        assert_eq!(red.tail.lines().count(), TAIL_LINES);
    }

    #[test]
    fn arguments_are_not_interpreted_by_a_shell() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let outcome = run(&args(&["echo", "$HOME; rm -rf /"]), dir.path(), None).expect("runs");
        assert_eq!(outcome.tail, "$HOME; rm -rf /");
    }

    #[test]
    fn a_missing_program_or_empty_command_is_an_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        assert!(matches!(
            run(&[], dir.path(), None),
            Err(PipelineError::Empty)
        ));
        let missing = run(&args(&["no-such-program-smallbatch"]), dir.path(), None);
        assert!(matches!(missing, Err(PipelineError::Spawn { .. })));
    }

    #[test]
    fn a_pipeline_past_its_limit_is_stopped_with_its_children() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let script = "sleep 100000 & echo $! > child.pid; echo started; sleep 100000";
        let limit = Some(Duration::from_millis(300));
        let outcome = run(&args(&["sh", "-c", script]), dir.path(), limit).expect("runs");
        assert!(outcome.timed_out && !outcome.passed, "{outcome:?}");
        assert_eq!(outcome.tail, "started");
        let child = std::fs::read_to_string(dir.path().join("child.pid")).expect("pid");
        std::thread::sleep(Duration::from_millis(100));
        let stat = std::fs::read_to_string(Path::new("/proc").join(child.trim()).join("stat"));
        // Gone, or a zombie waiting for init to reap it.
        let running = stat.is_ok_and(|s| !s.contains(") Z "));
        assert!(!running, "left running");
    }
}
