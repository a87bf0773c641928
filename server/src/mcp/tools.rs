//! The tools: their names, schemas and descriptions (written for the model
//! that calls them), and each one as a thin call into the session actions —
//! the same the CLI's commands make, under the same rules.

use std::fmt::Write as _;
use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Value, json};

use super::arguments::{ArgumentError, Arguments};
use super::server::Scope;
use crate::session::actions::{
    ActionError, CompleteOptions, CurrentSession, SessionAnswer, Sessions, Shown, UnitState,
};
use crate::session::context::estimate_tokens;
use crate::units::short_commit;

/// What a tool answers: structured content and a short text form.
#[derive(Debug)]
pub struct Answer {
    pub value: Value,
    pub text: String,
}

/// Why a tool did not do its work: the message the CLI would print, and
/// the kind (`refused`, `failed` or `arguments`).
#[derive(Debug)]
pub struct ToolError {
    pub kind: &'static str,
    pub message: String,
}

impl From<ActionError> for ToolError {
    fn from(error: ActionError) -> ToolError {
        let kind = match error {
            ActionError::Refused(_) => "refused",
            ActionError::Failed(_) => "failed",
        };
        ToolError {
            kind,
            message: error.to_string(),
        }
    }
}

impl From<ArgumentError> for ToolError {
    fn from(error: ArgumentError) -> ToolError {
        ToolError {
            kind: "arguments",
            message: error.to_string(),
        }
    }
}

type Outcome = Result<Answer, ToolError>;

/// One tool: what it is called, what it takes, and what it does.
struct ToolDef {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    /// The arguments' JSON schemas by name, and those that must be given.
    properties: fn() -> Value,
    required: &'static [&'static str],
    read_only: bool,
    call: fn(&Scope, &Arguments) -> Outcome,
}

const TOOLS: &[ToolDef] = &[
    ToolDef {
        name: "session_status",
        title: "Session status",
        description: "Shows where the spec-driven work stands: the spec of your session, each of its units of work (scenarios or phases) in order with its state (pending, active, paused, completed, failed), and your session (its id, status and the unit it implements). Call it first to see which scenario you are working on, and again whenever you are unsure what is done.",
        properties: || json!({}),
        required: &[],
        read_only: true,
        call: status,
    },
    ToolDef {
        name: "session_context",
        title: "Session context",
        description: "Gives the context load of your session: the markdown handed over when it started (or was resumed) — the spec's title and intent, the constraints, the one scenario to implement, the relevant files, the summaries of earlier sessions, and the rules of the session — with its token estimate. Read it before you begin, and again after a pause, instead of reading the whole spec.",
        properties: || json!({}),
        required: &[],
        read_only: true,
        call: context,
    },
    ToolDef {
        name: "session_checkpoint",
        title: "Record a checkpoint",
        description: "Records a checkpoint in your session's record: your note, the current git HEAD and the time; the session stays active. Call it when you finish a step (a test passes, a part is written) with a one-line note of what is done and what comes next, so that whoever resumes the session knows where it stands.",
        properties: || json!({"note": {"type": "string", "description": "What is done and what comes next, in a line or two."}}),
        required: &["note"],
        read_only: false,
        call: checkpoint,
    },
    ToolDef {
        name: "session_pause",
        title: "Pause the session",
        description: "Pauses your session with notes on where the work stands and the next steps; the next run resumes it from them in a fresh context. Call it when you must stop before the scenario is done (you are running out of context or time, or you need a person's decision), then end your turn. Notes say what works and what does not; each next step is one concrete action.",
        properties: || {
            json!({
                "notes": {"type": "string", "description": "Where the work stands: what is done, what is not, what you found."},
                "nextSteps": {"type": "array", "items": {"type": "string"}, "description": "The next actions, in order, one per item."}
            })
        },
        required: &["notes"],
        read_only: false,
        call: pause,
    },
    ToolDef {
        name: "session_complete",
        title: "Complete the session",
        description: "Completes your session once its scenario is done and committed: it needs a commit since the session started (whose message names the scenario) and a green pipeline, records the end commit and the files changed, and writes your summary into the spec's Session log, where the next session reads it. A refusal (no commit yet, pipeline red) comes back as an error with the reason: fix that and call again. After it succeeds, stop: the next scenario starts in a fresh session (`smallbatch run SPEC`), never in this one.",
        properties: || json!({"summary": {"type": "string", "description": "For the Session log: what was built, the decisions taken, and what the next scenario should know. Leave it out only when you already wrote this scenario's entry in the Session log."}}),
        required: &[],
        read_only: false,
        call: complete,
    },
    ToolDef {
        name: "spec_check",
        title: "Check specs",
        description: "Checks specs and feature files the way `smallbatch check --format json` does and gives its diagnostics (path, line, column, severity, code such as SB001, message). Without a path it checks every spec of the workspace; with one, that file or folder. Call it after you edit a spec, and fix the errors it reports.",
        properties: || json!({"path": {"type": "string", "description": "A spec file or folder, relative to the working directory; default: every spec."}}),
        required: &[],
        read_only: true,
        call: check,
    },
];

/// Every tool, as `tools/list` gives them.
pub fn list() -> Vec<Tool> {
    TOOLS
        .iter()
        .map(|def| {
            let properties = (def.properties)();
            let schema = json!({
                "type": "object",
                "properties": properties,
                "required": def.required,
                "additionalProperties": false,
            });
            let Value::Object(schema) = schema else {
                unreachable!("a schema is an object")
            };
            let annotations = ToolAnnotations::with_title(def.title)
                .read_only(def.read_only)
                .destructive(false)
                .open_world(false);
            Tool::new(def.name, def.description, Arc::new(schema))
                .with_title(def.title)
                .annotate(annotations)
        })
        .collect()
}

/// Calls the tool named, or `None` when there is no such tool.
pub fn call(scope: &Scope, name: &str, arguments: Option<JsonObject>) -> Option<Outcome> {
    let def = TOOLS.iter().find(|def| def.name == name)?;
    let properties = (def.properties)();
    let takes: Vec<&str> = properties
        .as_object()
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let outcome = Arguments::new(name, arguments, &takes)
        .map_err(ToolError::from)
        .and_then(|args| (def.call)(scope, &args));
    Some(outcome)
}

/// The names of the tools, for the error on an unknown one.
pub fn names() -> Vec<&'static str> {
    TOOLS.iter().map(|def| def.name).collect()
}

fn status(scope: &Scope, _: &Arguments) -> Outcome {
    let (sessions, current) = scope.current()?;
    let report = sessions.status(&current.spec)?;
    let mut value = serde_json::to_value(report.answer()).unwrap_or_default();
    if let Value::Object(map) = &mut value {
        map.remove("sessions");
        map.remove("open");
        map.insert("session".into(), json!(Shown(&current.record)));
    }
    let record = &current.record;
    let done = report
        .units
        .iter()
        .filter(|u| u.state == UnitState::Completed)
        .count();
    let mut text = format!(
        "{}: {done} of {} complete\nsession {}: {}, {}\n",
        report.spec,
        report.units.len(),
        record.id,
        record.status.as_str(),
        record.unit.label()
    );
    for unit in &report.units {
        let state = serde_json::to_value(unit.state).unwrap_or_default();
        let state = state.as_str().unwrap_or_default();
        let _ = writeln!(text, "{}. {state:<9} {}", unit.unit.index, unit.unit.name);
    }
    Ok(Answer { value, text })
}

fn context(scope: &Scope, _: &Arguments) -> Outcome {
    let (_, current) = scope.current()?;
    let record = &current.record;
    let text = std::fs::read_to_string(&current.context_file).map_err(|error| ToolError {
        kind: "failed",
        message: format!(
            "cannot read the context load {}: {error}; `smallbatch resume {}` writes it again",
            current.context_file.display(),
            record.spec
        ),
    })?;
    let tokens = record
        .context_tokens
        .unwrap_or_else(|| estimate_tokens(&text));
    let value = json!({
        "sessionId": record.id,
        "unit": record.unit,
        "contextFile": record.context_file,
        "tokens": tokens,
        "text": text,
    });
    let text = format!("{}\n---\n{tokens} tokens (estimated)\n", text.trim_end());
    Ok(Answer { value, text })
}

fn checkpoint(scope: &Scope, args: &Arguments) -> Outcome {
    let note = args.string("note")?;
    let (sessions, current) = scope.writable()?;
    let record = sessions.checkpoint(&current.spec, &note)?;
    let saved = record.checkpoints.last();
    let at = saved
        .and_then(|c| c.git_commit.as_deref())
        .map_or("no commit".to_string(), |c| short_commit(c).to_string());
    let mut value = json!(SessionAnswer::of(&record));
    value["checkpoint"] = json!(saved);
    let text = format!("checkpoint saved on {} at {at}\n", record.id);
    Ok(Answer { value, text })
}

fn pause(scope: &Scope, args: &Arguments) -> Outcome {
    let notes = args.string("notes")?;
    let next = args.strings("nextSteps")?;
    let (sessions, current) = scope.writable()?;
    let record = sessions.pause(&current.spec, &notes, &next)?;
    let mut value = json!(SessionAnswer::of(&record));
    value["notes"] = json!(record.notes);
    value["nextSteps"] = json!(record.next_steps);
    let text = format!(
        "paused {}: the next run resumes it from your notes (`smallbatch run {}`); end your turn now\n",
        record.id, record.spec
    );
    Ok(Answer { value, text })
}

fn complete(scope: &Scope, args: &Arguments) -> Outcome {
    let summary = args.optional_string("summary")?;
    let (sessions, current) = scope.writable()?;
    let options = CompleteOptions {
        summary,
        ..CompleteOptions::default()
    };
    let completed = sessions.complete(&current.spec, &options)?;
    let record = &completed.record;
    let next = next_unit(&sessions, &current);
    let command = format!("smallbatch run {}", record.spec);
    let mut value = json!(completed.answer());
    value["next"] = json!({"unit": next, "command": command});
    let at = record
        .git
        .end_commit
        .as_deref()
        .map_or(String::new(), |c| format!(" at {}", short_commit(c)));
    let mut text = format!(
        "completed {}: {}{at}; the summary is in the Session log of {}\n",
        record.id,
        record.unit.label(),
        record.spec
    );
    for warning in &completed.warnings {
        let _ = writeln!(text, "warning: {warning}");
    }
    match &next {
        Some(unit) => {
            let _ = writeln!(
                text,
                "next: {} starts in a fresh session: `{command}`. This session ends here: stop now, do not begin the next {} in it.",
                unit.label(),
                unit.kind.word()
            );
        }
        None => {
            let _ = writeln!(text, "every unit of {} is complete. Stop now.", record.spec);
        }
    }
    Ok(Answer { value, text })
}

/// The first unit of the spec that is not complete, after `complete`.
fn next_unit(sessions: &Sessions, current: &CurrentSession) -> Option<crate::units::UnitOfWork> {
    let report = sessions.status(&current.spec).ok()?;
    report
        .units
        .into_iter()
        .find(|u| u.state != UnitState::Completed)
        .map(|u| u.unit)
}

fn check(scope: &Scope, args: &Arguments) -> Outcome {
    let path = args.optional_string("path")?;
    let report = scope.check(path.as_deref())?;
    let mut text = format!(
        "{} files, {} errors, {} warnings\n",
        report["files"], report["errors"], report["warnings"]
    );
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let field = |key: &str| {
            d[key]
                .as_str()
                .map_or_else(|| d[key].to_string(), str::to_string)
        };
        let _ = writeln!(
            text,
            "{}:{}:{}: {}[{}]: {}",
            field("path"),
            field("line"),
            field("column"),
            field("severity"),
            field("code"),
            field("message")
        );
    }
    Ok(Answer {
        value: report,
        text,
    })
}
