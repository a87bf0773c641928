//! Running an agent for `smallbatch run` (DESIGN §6): its command as an
//! argument list (never a shell), its output passed on as it comes, and the
//! moment it must stop — its own exit, `[CHECKPOINT]`, a new commit, the
//! output's token estimate, the time limit, or an interruption.
//!
//! The agent runs in a process group of its own with no standard input, so
//! that stopping it stops whatever it started, and so that a terminal's
//! Ctrl-C reaches this process first: the caller decides, the agent is told.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use super::process_group::{Signal, own_process_group, signal_group};
use crate::config::RunConfig;

/// The marker an agent prints to ask for a pause; the rest of its line is
/// the note.
pub const CHECKPOINT_MARKER: &str = "[CHECKPOINT]";

/// How often the loop looks at the clock, the stop flag and the process.
const TICK: Duration = Duration::from_millis(50);
/// How often HEAD is read for a new commit.
const HEAD_EVERY: Duration = Duration::from_millis(500);
/// How long a stopped agent has to exit before it is killed.
const GRACE: Duration = Duration::from_secs(5);
/// How long output is still read after the agent exited (a process it left
/// behind may hold its pipes open).
const DRAIN: Duration = Duration::from_millis(500);
/// How many pieces of output (of up to 8 KiB each) may wait to be taken.
const PIECES_IN_FLIGHT: usize = 4;
/// The longest line kept while looking for the marker.
const MAX_LINE: usize = 64 * 1024;

/// Where a piece of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Why the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The agent exited by itself.
    Exit,
    /// The agent printed `[CHECKPOINT]`.
    Checkpoint,
    /// A new commit appeared: the unit is ready to complete.
    Commit,
    /// The output passed the token threshold.
    Tokens,
    /// The time limit passed.
    Time,
    /// The user interrupted the run.
    Interrupted,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Exit => "exit",
            Trigger::Checkpoint => "checkpoint",
            Trigger::Commit => "commit",
            Trigger::Tokens => "tokens",
            Trigger::Time => "time",
            Trigger::Interrupted => "interrupted",
        }
    }
}

/// When a run stops by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// Stop once the output's token estimate passes this (0: never).
    pub token_threshold: usize,
    pub time_limit: Option<Duration>,
    /// Call [`Watch::checkpoint`] this often.
    pub checkpoint_every: Option<Duration>,
}

impl From<&RunConfig> for Limits {
    fn from(config: &RunConfig) -> Limits {
        Limits {
            token_threshold: config.token_threshold,
            time_limit: config.time_limit_minutes.duration(),
            checkpoint_every: config.checkpoint_minutes.duration(),
        }
    }
}

/// What the caller sees of a run while it goes.
pub trait Watch {
    /// A piece of the agent's output, as it came.
    fn output(&mut self, stream: Stream, bytes: &[u8]);
    /// The commit HEAD points to now.
    fn head(&mut self) -> Option<String>;
    /// Time for a checkpoint.
    fn checkpoint(&mut self);
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRun {
    pub trigger: Trigger,
    /// The agent's exit code; `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// Characters of output (both streams).
    pub output_chars: usize,
    pub duration: Duration,
    /// The text after the marker, when the agent asked for a checkpoint.
    pub note: Option<String>,
    /// HEAD at the end, when it moved during the run.
    pub new_head: Option<String>,
}

impl AgentRun {
    /// The output's token estimate (characters / 4, as for context loads).
    pub fn output_tokens(&self) -> usize {
        self.output_chars.div_ceil(4)
    }

    /// The agent exited by itself with a failure.
    pub fn failed(&self) -> bool {
        self.trigger == Trigger::Exit && self.exit_code != Some(0)
    }
}

/// An argument list as a person would type it: arguments with spaces,
/// quotes or nothing in them single-quoted (for display only: commands are
/// never run through a shell).
pub fn display_command(command: &[String]) -> String {
    command
        .iter()
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_./:=@%+,{}".contains(c));
            if plain {
                arg.clone()
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

enum Event {
    Output(Stream, Vec<u8>),
    Closed,
}

/// Runs `command` in `cwd` until it ends or must stop; `stop` is the
/// caller's interruption (Ctrl-C). Errors only when the agent cannot be
/// started.
pub fn supervise(
    command: &[String],
    cwd: &Path,
    env: &[(&str, String)],
    limits: &Limits,
    stop: &AtomicBool,
    watch: &mut dyn Watch,
) -> io::Result<AgentRun> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty agent command"))?;
    if let Some(problem) = nul_byte(command, env) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, problem));
    }
    let mut process = Command::new(program);
    process
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    own_process_group(&mut process);
    let start_head = watch.head();
    let started = Instant::now();
    let mut child = process.spawn()?;
    let (sender, events) = mpsc::sync_channel(PIECES_IN_FLIGHT);
    let mut open = 0;
    if let Some(out) = child.stdout.take() {
        forward(out, Stream::Stdout, sender.clone());
        open += 1;
    }
    if let Some(err) = child.stderr.take() {
        forward(err, Stream::Stderr, sender.clone());
        open += 1;
    }
    drop(sender);

    let mut run = Running {
        limits,
        output: Output::default(),
        trigger: None,
        note: None,
    };
    let mut next_head = started + HEAD_EVERY;
    let mut next_checkpoint = limits.checkpoint_every.map(|every| started + every);
    let mut stopping: Option<(Instant, bool)> = None;
    let status: ExitStatus = loop {
        if open > 0 {
            match events.recv_timeout(TICK) {
                Ok(Event::Output(stream, bytes)) => run.take(stream, &bytes, watch),
                Ok(Event::Closed) => open -= 1,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = 0,
            }
        } else {
            thread::sleep(TICK);
        }
        let now = Instant::now();
        if run.trigger.is_none() {
            if stop.load(Ordering::SeqCst) {
                run.trigger = Some(Trigger::Interrupted);
            } else if limits
                .time_limit
                .is_some_and(|limit| now - started >= limit)
            {
                run.trigger = Some(Trigger::Time);
            } else if now >= next_head {
                next_head = now + HEAD_EVERY;
                if moved(&start_head, watch.head()).is_some() {
                    run.trigger = Some(Trigger::Commit);
                }
            }
        }
        if let Some(at) = next_checkpoint.filter(|at| now >= *at) {
            watch.checkpoint();
            next_checkpoint = limits.checkpoint_every.map(|every| at + every);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        match (run.trigger, stopping) {
            (Some(trigger), None) => {
                signal_group(
                    &mut child,
                    if trigger == Trigger::Interrupted {
                        Signal::Interrupt
                    } else {
                        Signal::Terminate
                    },
                );
                stopping = Some((now, false));
            }
            (_, Some((since, false))) if now - since >= GRACE => {
                signal_group(&mut child, Signal::Kill);
                stopping = Some((since, true));
            }
            _ => {}
        }
    };
    let deadline = Instant::now() + DRAIN;
    while open > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(Event::Output(stream, bytes)) => run.take(stream, &bytes, watch),
            Ok(Event::Closed) => open -= 1,
            Err(_) => break,
        }
    }
    run.output.flush_lines(&mut run.trigger, &mut run.note);
    let new_head = moved(&start_head, watch.head());
    let trigger = match run.trigger {
        Some(trigger) => trigger,
        None if new_head.is_some() => Trigger::Commit,
        None => Trigger::Exit,
    };
    Ok(AgentRun {
        trigger,
        exit_code: status.code(),
        output_chars: run.output.chars,
        duration: started.elapsed(),
        note: run.note,
        new_head,
    })
}

/// Which argument or environment variable holds a NUL byte: no program
/// can be given one (the operating system ends strings there).
fn nul_byte(command: &[String], env: &[(&str, String)]) -> Option<String> {
    let argument = command.iter().position(|arg| arg.contains('\0'));
    match argument {
        Some(0) => Some("the program's name holds a NUL byte".to_string()),
        Some(n) => Some(format!("argument {n} holds a NUL byte")),
        None => env
            .iter()
            .find(|(_, value)| value.contains('\0'))
            .map(|(name, _)| format!("the environment variable {name} holds a NUL byte")),
    }
}

/// The new HEAD, when it is not the one the run started at.
fn moved(start: &Option<String>, now: Option<String>) -> Option<String> {
    now.filter(|head| Some(head) != start.as_ref())
}

/// The state of a run between events.
struct Running<'l> {
    limits: &'l Limits,
    output: Output,
    trigger: Option<Trigger>,
    note: Option<String>,
}

impl Running<'_> {
    /// Passes a piece of output on and counts it. The piece that passes the
    /// token threshold is cut right after the character that passes it, and
    /// what the agent writes after that, while it is being stopped, is not
    /// taken: the count (and what is shown and logged) stops at the
    /// threshold however fast the agent writes.
    fn take(&mut self, stream: Stream, bytes: &[u8], watch: &mut dyn Watch) {
        if self.trigger == Some(Trigger::Tokens) {
            return;
        }
        let threshold = self.limits.token_threshold;
        let watched = threshold > 0 && self.trigger.is_none();
        let bytes = if watched {
            // Tokens are characters / 4 rounded up: one more character than
            // four per token passes the threshold.
            let passing = threshold.saturating_mul(4).saturating_add(1);
            first_chars(bytes, passing.saturating_sub(self.output.chars))
        } else {
            bytes
        };
        watch.output(stream, bytes);
        self.output
            .take(stream, bytes, &mut self.trigger, &mut self.note);
        if watched && self.trigger.is_none() && self.output.chars.div_ceil(4) > threshold {
            self.trigger = Some(Trigger::Tokens);
        }
    }
}

/// The bytes of the first `chars` characters of `bytes` (in UTF-8 a
/// character starts at every byte that does not continue one).
fn first_chars(bytes: &[u8], chars: usize) -> &[u8] {
    let mut starts = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b & 0xC0 != 0x80)
        .map(|(at, _)| at);
    match starts.nth(chars) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

/// The output counted, and cut into lines to find the marker.
#[derive(Default)]
struct Output {
    chars: usize,
    /// The unfinished last line of each stream.
    lines: [Vec<u8>; 2],
}

impl Output {
    fn take(
        &mut self,
        stream: Stream,
        bytes: &[u8],
        trigger: &mut Option<Trigger>,
        note: &mut Option<String>,
    ) {
        // Characters of UTF-8: every byte that does not continue one.
        self.chars += bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        let line = &mut self.lines[stream as usize];
        for &byte in bytes {
            if byte == b'\n' {
                look_for_marker(line, trigger, note);
                line.clear();
            } else if line.len() < MAX_LINE {
                line.push(byte);
            }
        }
    }

    fn flush_lines(&mut self, trigger: &mut Option<Trigger>, note: &mut Option<String>) {
        for line in &mut self.lines {
            look_for_marker(line, trigger, note);
            line.clear();
        }
    }
}

fn look_for_marker(line: &[u8], trigger: &mut Option<Trigger>, note: &mut Option<String>) {
    if trigger.is_some() {
        return;
    }
    let text = String::from_utf8_lossy(line);
    if let Some(at) = text.find(CHECKPOINT_MARKER) {
        *trigger = Some(Trigger::Checkpoint);
        let rest = text[at + CHECKPOINT_MARKER.len()..]
            .trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '-')
            .to_string();
        *note = (!rest.is_empty()).then_some(rest);
    }
}

/// Reads a pipe to its end on a thread of its own. The channel holds a few
/// pieces at most: a reader waits for the run to take them, so a fast agent
/// waits on its pipe instead of racing ahead of the threshold check.
fn forward(mut pipe: impl Read + Send + 'static, stream: Stream, events: SyncSender<Event>) {
    thread::spawn(move || {
        let mut buffer = vec![0; 8192];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    if events
                        .send(Event::Output(stream, buffer[..n].to_vec()))
                        .is_err()
                    {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = events.send(Event::Closed);
    });
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A watch that keeps what it saw; HEAD moves after `head_moves_after` reads.
    #[derive(Default)]
    struct Seen {
        out: Vec<u8>,
        err: Vec<u8>,
        head_reads: usize,
        head_moves_after: Option<usize>,
        checkpoints: usize,
    }

    impl Watch for Seen {
        fn output(&mut self, stream: Stream, bytes: &[u8]) {
            match stream {
                Stream::Stdout => self.out.extend_from_slice(bytes),
                Stream::Stderr => self.err.extend_from_slice(bytes),
            }
        }

        fn head(&mut self) -> Option<String> {
            self.head_reads += 1;
            match self.head_moves_after {
                Some(n) if self.head_reads > n => Some("new".into()),
                _ => Some("old".into()),
            }
        }

        fn checkpoint(&mut self) {
            self.checkpoints += 1;
        }
    }

    fn sh(script: &str, limits: Limits, seen: &mut Seen) -> AgentRun {
        sh_with_stop(script, limits, seen, &AtomicBool::new(false))
    }

    fn sh_with_stop(script: &str, limits: Limits, seen: &mut Seen, stop: &AtomicBool) -> AgentRun {
        let command = ["sh".to_string(), "-c".to_string(), script.to_string()];
        let dir = std::env::temp_dir();
        supervise(
            &command,
            &dir,
            &[("AGENT_NAME", "test".into())],
            &limits,
            stop,
            seen,
        )
        .expect("sh runs")
    }

    #[test]
    fn an_agent_that_exits_is_an_exit_with_its_code_and_output() {
        let mut seen = Seen::default();
        let run = sh(
            "printf 'é€😀\\n'; echo \"to err $AGENT_NAME\" >&2; exit 3",
            Limits::default(),
            &mut seen,
        );
        assert_eq!(run.trigger, Trigger::Exit);
        assert_eq!(run.exit_code, Some(3));
        assert!(run.failed());
        assert_eq!(String::from_utf8_lossy(&seen.out), "é€😀\n");
        assert_eq!(String::from_utf8_lossy(&seen.err), "to err test\n");
        assert_eq!(run.output_chars, 4 + "to err test\n".len());
        assert_eq!(run.new_head, None);
    }

    #[test]
    fn the_checkpoint_marker_stops_the_agent_with_its_note() {
        let mut seen = Seen::default();
        let run = sh(
            "echo working; echo '[CHECKPOINT] API done, tests next'; sleep 30",
            Limits::default(),
            &mut seen,
        );
        assert_eq!(run.trigger, Trigger::Checkpoint);
        assert_eq!(run.note.as_deref(), Some("API done, tests next"));
        assert!(!run.failed());
        assert!(
            run.duration < GRACE,
            "stopped by SIGTERM: {:?}",
            run.duration
        );
    }

    #[test]
    fn output_past_the_token_threshold_stops_the_agent() {
        let mut seen = Seen::default();
        let limits = Limits {
            token_threshold: 100,
            ..Limits::default()
        };
        let run = sh(
            "i=0; while [ $i -lt 50 ]; do echo 'twenty characters..'; i=$((i+1)); done; sleep 30",
            limits,
            &mut seen,
        );
        assert_eq!(run.trigger, Trigger::Tokens);
        assert!(run.output_tokens() > 100, "{}", run.output_tokens());
    }

    #[test]
    fn a_fast_agent_is_stopped_close_to_the_threshold() {
        let mut seen = Seen::default();
        let limits = Limits {
            token_threshold: 100,
            ..Limits::default()
        };
        let run = sh("yes | head -c 10000000; sleep 30", limits, &mut seen);
        assert_eq!(run.trigger, Trigger::Tokens);
        let tokens = run.output_tokens();
        assert!((101..200).contains(&tokens), "{tokens} tokens counted");
        assert_eq!(seen.out.len(), run.output_chars, "what is shown is counted");
    }

    #[test]
    fn output_is_cut_at_a_character() {
        assert_eq!(first_chars("aé€b".as_bytes(), 2), "aé".as_bytes());
        assert_eq!(first_chars(b"ab", 5), b"ab");
        assert_eq!(first_chars(b"ab", 0), b"");
    }

    #[test]
    fn the_time_limit_stops_the_agent_and_checkpoints_come_on_time() {
        let mut seen = Seen::default();
        let limits = Limits {
            time_limit: Some(Duration::from_millis(700)),
            checkpoint_every: Some(Duration::from_millis(200)),
            ..Limits::default()
        };
        let run = sh("sleep 30", limits, &mut seen);
        assert_eq!(run.trigger, Trigger::Time);
        assert!(run.duration >= Duration::from_millis(700));
        assert!(run.duration < GRACE, "{:?}", run.duration);
        // At 200, 400 and 600 ms; one or two more while a busy machine stops it.
        assert!((2..=6).contains(&seen.checkpoints), "{}", seen.checkpoints);
    }

    #[test]
    fn a_new_commit_stops_the_agent_ready_to_complete() {
        let mut seen = Seen {
            head_moves_after: Some(2),
            ..Seen::default()
        };
        let run = sh("sleep 30", Limits::default(), &mut seen);
        assert_eq!(run.trigger, Trigger::Commit);
        assert_eq!(run.new_head.as_deref(), Some("new"));
    }

    #[test]
    fn a_commit_seen_only_at_exit_still_counts() {
        let mut seen = Seen {
            head_moves_after: Some(1),
            ..Seen::default()
        };
        let run = sh("exit 0", Limits::default(), &mut seen);
        assert_eq!(run.trigger, Trigger::Commit);
        assert!(!run.failed());
    }

    #[test]
    fn an_interruption_stops_the_agent() {
        let mut seen = Seen::default();
        let stop = AtomicBool::new(true);
        let run = sh_with_stop("sleep 30", Limits::default(), &mut seen, &stop);
        assert_eq!(run.trigger, Trigger::Interrupted);
        assert_eq!(run.exit_code, None, "ended by SIGINT");
    }

    #[test]
    fn an_agent_that_ignores_the_request_is_killed_after_the_grace() {
        let mut seen = Seen::default();
        let stop = AtomicBool::new(true);
        let run = sh_with_stop(
            "trap '' INT TERM; echo ready; while :; do sleep 1; done",
            Limits::default(),
            &mut seen,
            &stop,
        );
        assert_eq!(run.trigger, Trigger::Interrupted);
        assert!(run.duration >= GRACE, "{:?}", run.duration);
    }

    #[test]
    fn a_process_left_behind_does_not_hold_the_run() {
        let mut seen = Seen::default();
        let run = sh("sleep 30 & echo bye", Limits::default(), &mut seen);
        assert_eq!(run.trigger, Trigger::Exit);
        assert_eq!(run.exit_code, Some(0));
        assert!(run.duration < Duration::from_secs(5), "{:?}", run.duration);
    }

    #[test]
    fn commands_are_shown_with_their_arguments_quoted_where_needed() {
        let command: Vec<String> = ["sh", "agent.sh", "Export a month", "it's", "", "a/b.md"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            display_command(&command),
            r#"sh agent.sh 'Export a month' 'it'\''s' '' a/b.md"#
        );
    }

    #[test]
    fn a_nul_byte_in_an_argument_or_the_environment_is_named() {
        let run = |command: &[&str], env: &[(&str, String)]| {
            let command: Vec<String> = command.iter().map(|a| a.to_string()).collect();
            supervise(
                &command,
                &std::env::temp_dir(),
                env,
                &Limits::default(),
                &AtomicBool::new(false),
                &mut Seen::default(),
            )
            .expect_err("not started")
        };
        let error = run(&["sh", "-c", "a\0b"], &[]);
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(error.to_string(), "argument 2 holds a NUL byte");
        let error = run(&["sh"], &[("SMALLBATCH_UNIT", "a\0b".into())]);
        assert_eq!(
            error.to_string(),
            "the environment variable SMALLBATCH_UNIT holds a NUL byte"
        );
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let command = ["smallbatch-no-such-agent".to_string()];
        let error = supervise(
            &command,
            &std::env::temp_dir(),
            &[],
            &Limits::default(),
            &AtomicBool::new(false),
            &mut Seen::default(),
        )
        .expect_err("no such program");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }
}
