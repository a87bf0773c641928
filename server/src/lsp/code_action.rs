//! textDocument/codeAction: the quick fixes of the diagnostics under the
//! requested range, as versioned workspace edits.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::{self, Text};
use crate::spec::FileId;

pub fn code_actions(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let text = Text {
        text: &analysis.text,
        lines: &analysis.lines,
        encoding,
    };
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
    actions
}
