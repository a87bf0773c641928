//! The session commands' output: lines for people and JSON objects.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::session::actions::{Completed, SessionList, Started, StatusReport};
use crate::session::agent::display_command;
use crate::session::record::SessionRecord;
use crate::units::short_commit;

pub fn started(verb: &str, started: &Started) -> String {
    let mut out = format!(
        "{verb} {}: {}\ncontext: {} ({} tokens)\n",
        started.record.id,
        started.record.unit.label(),
        started.context_file.display(),
        started.context_tokens
    );
    if let Some(command) = &started.agent_command {
        let _ = writeln!(out, "agent: {}", display_command(command));
    }
    out
}

pub fn completed(completed: &Completed) -> String {
    let record = &completed.record;
    let mut out = format!("completed {}: {}\n", record.id, record.unit.label());
    if let Some(end) = &record.git.end_commit {
        let _ = writeln!(out, "end commit: {}", short_commit(end));
    }
    let changes = &completed.changes;
    let count = changes.added.len() + changes.modified.len() + changes.deleted.len();
    let _ = writeln!(out, "files changed: {count}");
    let done = if completed.kept_entry {
        "summary kept: the entry already in the session log, with the git facts under it,"
    } else {
        "summary written to the session log"
    };
    let _ = writeln!(out, "{done} under “{}”", record.unit.name);
    if let Some(status) = &completed.spec_status {
        let _ = writeln!(out, "spec status: {status}");
    }
    out
}

pub fn status(report: &StatusReport, verbose: bool) -> String {
    let done = report
        .units
        .iter()
        .filter(|u| u.state == crate::session::actions::UnitState::Completed)
        .count();
    let mut out = format!(
        "{} — {done} of {} complete\n",
        report.spec,
        report.units.len()
    );
    let by_id: HashMap<&str, &SessionRecord> =
        report.sessions.iter().map(|r| (r.id.as_str(), r)).collect();
    for unit in &report.units {
        let state = serde_json::to_value(unit.state).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:>2}. {:<10} {}",
            unit.unit.index,
            state.as_str().unwrap_or_default(),
            unit.unit.name
        );
        if verbose {
            for record in unit.sessions.iter().filter_map(|id| by_id.get(id.as_str())) {
                out.push_str(&session_line("      ", record));
                for commit in &record.git.commits {
                    let _ = writeln!(
                        out,
                        "        {} {}",
                        short_commit(&commit.id),
                        commit.summary
                    );
                }
                for run in &record.interactions {
                    let exit = run
                        .exit_code
                        .map_or_else(|| "signal".to_string(), |c| c.to_string());
                    let _ = writeln!(
                        out,
                        "        {} {} · exit {exit} · {} tokens out · {:.1} s",
                        run.id,
                        run.trigger.as_deref().unwrap_or("?"),
                        run.output_tokens,
                        run.duration_ms as f64 / 1000.0
                    );
                }
                if let Some(notes) = record.notes.as_deref().filter(|n| !n.is_empty()) {
                    let _ = writeln!(out, "        notes: {notes}");
                }
            }
        }
    }
    if let Some(open) = &report.open {
        let _ = writeln!(
            out,
            "open: {} ({}) on {}",
            open.id,
            open.status.as_str(),
            open.unit.label()
        );
    }
    for bad in &report.unreadable {
        let _ = writeln!(out, "error[SB025]: {}: {}", bad.path, bad.message);
    }
    out
}

fn session_line(indent: &str, record: &SessionRecord) -> String {
    format!(
        "{indent}{} {:<9} {} {}\n",
        record.id,
        record.status.as_str(),
        record.created_at,
        record.unit.name
    )
}

pub fn sessions(list: &SessionList) -> String {
    let mut out = String::new();
    for record in &list.sessions {
        out.push_str(&session_line("", record));
    }
    if list.sessions.is_empty() {
        out.push_str("no sessions\n");
    }
    for bad in &list.unreadable {
        let _ = writeln!(out, "error[SB025]: {}: {}", bad.path, bad.message);
    }
    out
}
