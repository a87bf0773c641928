//! workspace/executeCommand: the session commands, run by the same core as
//! the CLI. Their argument is one object (see [`CommandArgs`]). A refusal
//! is an error response whose message is the CLI's refusal line.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    DocumentChanges, ExecuteCommandParams, OneOf, OptionalVersionedTextDocumentIdentifier,
    ShowDocumentParams, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::CLIENT_TIMEOUT;
use super::commands;
use super::state::State;
use super::to_proto::Text;
use super::watch::refresh_session_views;
use crate::session::actions::{
    ActionError, CompleteOptions, SessionAnswer, Sessions, StartOptions, Started,
};
use crate::spec::log_summary_edit;

/// LSP's "request failed": the command ran and refused.
const REQUEST_FAILED: i64 = -32803;

/// The argument of every session command.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommandArgs {
    /// The spec: a `file://` URI, a path, a spec id or a LeanSpec number.
    pub spec: String,
    pub scenario: Option<String>,
    pub phase: Option<String>,
    /// A task of a plan without phases.
    pub task: Option<String>,
    pub agent: Option<String>,
    pub force: bool,
    pub notes: Option<String>,
    pub next: Vec<String>,
    pub summary: Option<String>,
    pub replace_summary: bool,
    pub allow_no_commit: bool,
}

/// Runs a command off the protocol's threads and answers with its result.
pub async fn execute(state: &Arc<State>, params: ExecuteCommandParams) -> Result<Option<Value>> {
    let command = params.command;
    if !commands::ALL.contains(&command.as_str()) {
        return Err(Error::invalid_params(format!(
            "unknown command `{command}`"
        )));
    }
    let args: CommandArgs = params
        .arguments
        .into_iter()
        .next()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| Error::invalid_params(format!("{command}: {e}")))?
        .unwrap_or_default();
    if args.spec.is_empty() {
        return Err(Error::invalid_params(format!(
            "{command}: name the spec in `spec`"
        )));
    }
    if command == commands::INSERT_SUMMARY {
        return insert_summary(state, &args).await.map(Some);
    }
    let root = state.workspace().ws.root().to_path_buf();
    let ran = {
        let command = command.clone();
        tokio::task::spawn_blocking(move || run(&command, root, args)).await
    };
    let outcome = ran.map_err(|e| Error {
        code: ErrorCode::InternalError,
        message: format!("{command} failed: {e}").into(),
        data: None,
    })?;
    let (value, context) = outcome.map_err(action_error)?;
    after_change(state, context);
    Ok(Some(value))
}

/// The command's answer, and the context file to show when there is one.
fn run(
    command: &str,
    root: PathBuf,
    args: CommandArgs,
) -> std::result::Result<(Value, Option<PathBuf>), ActionError> {
    let sessions = Sessions::open(root.clone(), root)?;
    let spec = spec_argument(&args.spec);
    match command {
        commands::START => {
            let options = StartOptions {
                scenario: args.scenario,
                phase: args.phase,
                task: args.task,
                agent: args.agent,
                force: args.force,
            };
            let started = sessions.start(&spec, &options)?;
            Ok(started_answer(started))
        }
        commands::RESUME => {
            let started = sessions.resume(&spec, args.phase.as_deref(), args.agent.as_deref())?;
            Ok(started_answer(started))
        }
        commands::ABANDON => {
            let record = sessions.abandon(&spec, args.notes.as_deref())?;
            Ok((answer(SessionAnswer::of(&record)), None))
        }
        commands::PAUSE => {
            let notes = args.notes.unwrap_or_default();
            let record = sessions.pause(&spec, &notes, &args.next)?;
            Ok((answer(SessionAnswer::of(&record)), None))
        }
        commands::COMPLETE => {
            let options = CompleteOptions {
                summary: args.summary.clone(),
                replace_summary: args.replace_summary,
                allow_no_commit: args.allow_no_commit,
            };
            let completed = sessions.complete(&spec, &options)?;
            Ok((answer(completed.answer()), None))
        }
        commands::STATUS => {
            let report = sessions.status(&spec)?;
            Ok((answer(report.answer()), None))
        }
        _ => {
            let preview = sessions.context(&spec, args.scenario.as_deref())?;
            let answer = json!({
                "unit": preview.unit.name,
                "tokens": preview.load.tokens,
                "overBudget": preview.load.over_budget,
                "shortened": preview.load.shortened,
                "text": preview.load.text,
            });
            Ok((answer, None))
        }
    }
}

/// `smallbatch.insertSummary {spec, scenario}`: writes the summary of the
/// scenario's completed session, prefilled from git, into the open spec's
/// Session log (through `workspace/applyEdit`, sent in a task), and answers
/// the edit.
async fn insert_summary(state: &Arc<State>, args: &CommandArgs) -> Result<Value> {
    let invalid = |message: String| Error::invalid_params(message);
    let uri: Uri = args
        .spec
        .parse()
        .map_err(|_| invalid(format!("`{}` is not the URI of an open spec", args.spec)))?;
    let analysis = state
        .analysis(&uri)
        .await
        .ok_or_else(|| invalid(format!("{} is not open", args.spec)))?;
    let loaded = analysis
        .spec()
        .ok_or_else(|| invalid(format!("{} is not a spec", args.spec)))?;
    let scenario = args
        .scenario
        .as_deref()
        .ok_or_else(|| invalid("name the scenario in `scenario`".into()))?;
    let template = analysis
        .facts
        .iter()
        .flat_map(|facts| facts.of_unit(scenario))
        .filter_map(|s| s.summary_template.clone())
        .last()
        .ok_or_else(|| {
            invalid(format!(
                "`{scenario}` has no completed session without a summary: nothing to insert"
            ))
        })?;
    let edit = log_summary_edit(&loaded.spec, &loaded.text, scenario, &template);
    let text = Text::of(&analysis, state.encoding());
    let change = TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version: Some(analysis.version),
        },
        edits: vec![OneOf::Left(TextEdit {
            range: text.range(edit.range),
            new_text: edit.new_text,
        })],
    };
    let workspace_edit = WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(vec![change])),
        ..WorkspaceEdit::default()
    };
    let answer = serde_json::to_value(&workspace_edit).unwrap_or(Value::Null);
    let state = Arc::clone(state);
    tokio::spawn(async move {
        let apply = state.client.apply_edit(workspace_edit);
        if tokio::time::timeout(CLIENT_TIMEOUT, apply).await.is_err() {
            tracing::warn!("the client did not answer workspace/applyEdit");
        }
    });
    Ok(answer)
}

/// `start` and `resume` answer as the CLI prints them, and show the context.
fn started_answer(started: Started) -> (Value, Option<PathBuf>) {
    (answer(started.answer()), Some(started.context_file))
}

/// A command's answer as the CLI's `--format json` prints it.
fn answer(answer: impl serde::Serialize) -> Value {
    serde_json::to_value(answer).unwrap_or(Value::Null)
}

/// A SPEC argument: a `file://` URI becomes its path.
fn spec_argument(spec: &str) -> String {
    spec.parse::<Uri>()
        .ok()
        .filter(|uri| uri.scheme().as_str().eq_ignore_ascii_case("file"))
        .and_then(|uri| uri.to_file_path().map(|p| p.to_string_lossy().into_owned()))
        .unwrap_or_else(|| spec.to_string())
}

fn action_error(error: ActionError) -> Error {
    let code = match &error {
        ActionError::Refused(_) => ErrorCode::ServerError(REQUEST_FAILED),
        ActionError::Failed(_) => ErrorCode::InvalidParams,
    };
    Error {
        code,
        message: error.to_string().into(),
        data: None,
    }
}

/// After a command: open specs are analysed again (records and maybe the
/// spec changed), and the context load is shown — in a task, never awaited
/// by the handler.
fn after_change(state: &Arc<State>, context: Option<PathBuf>) {
    for (uri, _) in state.open_documents() {
        state.reanalyse(&uri);
    }
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if let Some(uri) = context.and_then(Uri::from_file_path) {
            let show = state.client.show_document(ShowDocumentParams {
                uri,
                external: Some(false),
                take_focus: Some(true),
                selection: None,
            });
            if tokio::time::timeout(CLIENT_TIMEOUT, show).await.is_err() {
                tracing::warn!("the client did not answer window/showDocument");
            }
        }
        refresh_session_views(&state).await;
    });
}
