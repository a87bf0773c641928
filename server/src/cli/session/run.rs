//! `smallbatch run SPEC [--agent A]`: the agent's output is shown live (on
//! stderr with `--format json`, so that stdout holds only the result), the
//! session's state around it on stderr, each line marked `smallbatch: ` so
//! that a log tells it from the agent's. Ctrl-C (or SIGTERM, SIGHUP) asks the
//! agent to stop and pauses the session with the note "interrupted".

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use anyhow::Context;
use serde_json::json;

use super::{OutputFormat, RunArgs, finish, print, sessions};
use crate::cli::{EXIT_FOUND, EXIT_OK, terminal};
use crate::session::actions::{RunObserver, RunOutcome, Started};
use crate::session::agent::{Stream, Trigger};

/// Exit status after an interruption, as shells report Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;

pub fn run(args: &RunArgs) -> anyhow::Result<u8> {
    let sessions = sessions()?;
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    let mut observer = Terminal {
        format: args.format,
    };
    let result = sessions.run(
        &args.spec,
        args.agent.as_deref(),
        args.force,
        &stop,
        &mut observer,
    );
    let status = match &result {
        Ok(outcome) => exit_status(outcome),
        Err(_) => EXIT_OK,
    };
    let result = result.map(|outcome| {
        for warning in &outcome.warnings {
            eprintln!("smallbatch: warning: {}", terminal::escape(warning));
        }
        eprint!("{}", marked(&terminal::escape(&ended_line(&outcome))));
        (outcome_json(&outcome), String::new())
    });
    let code = finish(args.format, result, false)?;
    Ok(if code == EXIT_OK { status } else { code })
}

fn exit_status(outcome: &RunOutcome) -> u8 {
    match outcome.run.trigger {
        Trigger::Interrupted => EXIT_INTERRUPTED,
        _ if outcome.failed || outcome.run.failed() => EXIT_FOUND,
        _ => EXIT_OK,
    }
}

/// What the terminal shows while the agent runs.
struct Terminal {
    format: OutputFormat,
}

impl RunObserver for Terminal {
    fn started(&mut self, started: &Started, resumed: bool, _command: &[String]) {
        let verb = if resumed { "resumed" } else { "started" };
        eprint!(
            "{}",
            marked(&terminal::escape(&print::started(verb, started)))
        );
    }

    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        // Output that cannot be shown (a closed pipe) is still logged.
        let _ = match (stream, self.format) {
            (Stream::Stdout, OutputFormat::Human) => {
                let mut out = io::stdout().lock();
                out.write_all(bytes).and_then(|()| out.flush())
            }
            _ => {
                let mut err = io::stderr().lock();
                err.write_all(bytes).and_then(|()| err.flush())
            }
        };
    }
}

/// Run's own lines, each marked as smallbatch's: on stderr they sit among
/// the agent's.
fn marked(lines: &str) -> String {
    lines
        .lines()
        .map(|line| format!("smallbatch: {line}\n"))
        .collect()
}

fn ended_line(outcome: &RunOutcome) -> String {
    let state = if outcome.failed {
        "failed"
    } else {
        outcome.record.status.as_str()
    };
    format!(
        "{state} {}: {} ({} tokens of output in {:.1} s; log: {})",
        outcome.record.id,
        outcome.note,
        outcome.run.output_tokens(),
        outcome.run.duration.as_secs_f64(),
        outcome.log_file.display()
    )
}

fn outcome_json(outcome: &RunOutcome) -> serde_json::Value {
    json!({
        "sessionId": outcome.record.id,
        "unit": outcome.record.unit,
        "resumed": outcome.resumed,
        "status": outcome.record.status.as_str(),
        "trigger": outcome.run.trigger.as_str(),
        "exitCode": outcome.run.exit_code,
        "notes": outcome.note,
        "nextSteps": outcome.record.next_steps,
        "outputTokens": outcome.run.output_tokens(),
        "durationMs": u64::try_from(outcome.run.duration.as_millis()).unwrap_or(u64::MAX),
        "agentCommand": outcome.command,
        "contextFile": outcome.context_file.to_string_lossy(),
        "contextTokens": outcome.context_tokens,
        "logFile": outcome.log_file.to_string_lossy(),
        "warnings": outcome.warnings,
    })
}

/// Sets `stop` on Ctrl-C, SIGTERM or SIGHUP from now on (the handlers are
/// in place when this returns); later signals are absorbed while the agent
/// is being stopped.
fn watch_signals(stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    let (ready, installed) = mpsc::channel::<io::Result<()>>();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready.send(Err(error));
                    return;
                }
            };
            runtime.block_on(wait_for_signals(stop, ready));
        })
        .context("cannot start the signal watcher")?;
    installed
        .recv()
        .context("the signal watcher stopped")?
        .context("cannot watch for Ctrl-C")
}

#[cfg(unix)]
async fn wait_for_signals(stop: Arc<AtomicBool>, ready: mpsc::Sender<io::Result<()>>) {
    use tokio::signal::unix::{SignalKind, signal};
    let streams = (|| {
        Ok::<_, io::Error>((
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
            signal(SignalKind::hangup())?,
        ))
    })();
    let (mut interrupt, mut terminate, mut hangup) = match streams {
        Ok(streams) => streams,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
        stop.store(true, Ordering::SeqCst);
    }
}

#[cfg(not(unix))]
async fn wait_for_signals(stop: Arc<AtomicBool>, ready: mpsc::Sender<io::Result<()>>) {
    let _ = ready.send(Ok(()));
    while tokio::signal::ctrl_c().await.is_ok() {
        stop.store(true, Ordering::SeqCst);
    }
}
