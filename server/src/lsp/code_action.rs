//! textDocument/codeAction: the quick fixes of the diagnostics under the
//! requested range, as versioned workspace edits; on a scenario, the session
//! command its state calls for (Start, Pause, Complete, Resume).

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, WorkspaceEdit,
};

use serde_json::json;

use super::commands;
use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::{self, Text};
use crate::ide::navigation;
use crate::spec::FileId;
use crate::units::{Progress, UnitKind};

pub fn code_actions(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let text = Text::of(analysis, encoding);
    let (start, end) = (text.offset(range.start), text.offset(range.end));
    let mut actions = Vec::new();
    for d in &analysis.diagnostics {
        if d.file != FileId::Spec || d.range.start > end || d.range.end < start {
            continue;
        }
        for (i, fix) in d.fixes.iter().enumerate() {
            let edits = fix
                .edits
                .iter()
                .map(|e| OneOf::Left(to_proto::text_edit(e, text)))
                .collect();
            let change = TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: analysis.uri.clone(),
                    version: Some(analysis.version),
                },
                edits,
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_proto::diagnostic(d, text)]),
                edit: Some(WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![change])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            }));
        }
    }
    actions.extend(session_actions(analysis, start));
    actions
}

/// On a unit (a scenario, a phase, a task): the session command its state
/// calls for.
fn session_actions(analysis: &Analysis, offset: usize) -> Vec<CodeActionOrCommand> {
    let Some(loaded) = analysis.spec() else {
        return Vec::new();
    };
    let Some(at) = navigation::unit_at(&loaded.spec, offset) else {
        return Vec::new();
    };
    let Some(unit) = analysis.progress().into_iter().find(|u| u.unit == at) else {
        return Vec::new();
    };
    let (name, kind) = (unit.name.clone(), unit.work.kind);
    let argument = |command: &str, force: bool| {
        // `phase` also names a session's phase on resume: a phase or task
        // is named by its kind only where it picks the unit, on start.
        let key = match kind {
            UnitKind::Scenario => "scenario",
            _ if command == commands::START => kind.word(),
            _ => "unit",
        };
        let mut argument = json!({"spec": analysis.uri.as_str(), key: name});
        if force {
            argument["force"] = json!(true);
        }
        argument
    };
    let action = |title: &str, command: &str, force: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title: title.to_string(),
            kind: Some(CodeActionKind::EMPTY),
            command: Some(Command {
                title: title.to_string(),
                command: command.to_string(),
                arguments: Some(vec![argument(command, force)]),
            }),
            ..CodeAction::default()
        })
    };
    match unit.progress {
        Progress::Next => vec![action("Start session", commands::START, false)],
        Progress::Done { .. } if kind != UnitKind::Scenario => {
            vec![action("Start session again (redo)", commands::START, true)]
        }
        Progress::Pending | Progress::Failed => {
            vec![action(
                "Start session (out of order)",
                commands::START,
                true,
            )]
        }
        Progress::Active { .. } => vec![
            action("Complete session", commands::COMPLETE, false),
            action("Pause session", commands::PAUSE, false),
            action("Abandon session", commands::ABANDON, false),
        ],
        Progress::Paused { .. } => vec![
            action("Resume session", commands::RESUME, false),
            action("Abandon session", commands::ABANDON, false),
        ],
        Progress::Done { .. } => Vec::new(),
    }
}
