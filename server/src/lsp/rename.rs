//! textDocument/prepareRename and rename: a scenario, everywhere it is named.

use std::collections::BTreeMap;

use tower_lsp_server::ls_types::{
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, Position,
    PrepareRenameResponse, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::Analysis;
use super::position::{Encoding, LineStarts};
use super::to_proto::{SpecFile, Text};
use crate::ide::navigation::Mention;
use crate::ide::rename;
use crate::session::facts::{RecordEdit, record_renames};
use crate::spec::FileId;
use crate::workspace::Workspace;

pub fn prepare_rename(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<PrepareRenameResponse> {
    let spec = &analysis.spec()?.spec;
    let text = SpecFile::open(analysis, FileId::Spec)?;
    let text = text.text(encoding);
    let target = rename::rename_target(spec, text.offset(position))?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: text.range(target.range),
        placeholder: target.placeholder,
    })
}

/// The edit that renames the scenario at `position`; `Err` says why it cannot.
pub fn rename(
    analysis: &Analysis,
    position: Position,
    new_name: &str,
    encoding: Encoding,
    workspace: &Workspace,
) -> Result<Option<WorkspaceEdit>, String> {
    let Some(spec) = analysis.spec().map(|loaded| &loaded.spec) else {
        return Ok(None);
    };
    let Some(file) = SpecFile::open(analysis, FileId::Spec) else {
        return Ok(None);
    };
    let offset = file.text(encoding).offset(position);
    let Some(target) = rename::rename_target(spec, offset) else {
        return Ok(None);
    };
    let scenario = target.scenario;
    let rename = rename::rename(spec, scenario, new_name).map_err(|error| error.to_string())?;
    let mut by_file: BTreeMap<FileId, Vec<&Mention>> = BTreeMap::new();
    for mention in &rename.mentions {
        by_file.entry(mention.file).or_default().push(mention);
    }
    let mut changes = by_file
        .into_iter()
        .map(|(file, mentions)| document_edit(analysis, file, &mentions, &rename.name, encoding))
        .collect::<Option<Vec<_>>>()
        .ok_or("a linked feature file of the scenario cannot be read: rename it there")?;
    // The scenario's session records name it too.
    if let Some(loaded) = analysis.spec() {
        let old = &spec.scenarios[scenario].name;
        let records = record_renames(workspace, &loaded.id, old, &rename.name);
        changes.extend(
            records
                .iter()
                .filter_map(|edit| record_edit(edit, encoding)),
        );
    }
    Ok(Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(changes)),
        ..WorkspaceEdit::default()
    }))
}

/// The edit of one session record (unversioned: read from disk).
fn record_edit(edit: &RecordEdit, encoding: Encoding) -> Option<TextDocumentEdit> {
    let lines = LineStarts::new(&edit.text);
    let text = Text {
        text: &edit.text,
        lines: &lines,
        encoding,
    };
    Some(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: Uri::from_file_path(&edit.path)?,
            version: None,
        },
        edits: vec![OneOf::Left(TextEdit {
            range: text.range(edit.edit.range.clone()),
            new_text: edit.edit.new_text.clone(),
        })],
    })
}

/// The edits of one file: versioned for the open spec, unversioned for a
/// linked file (read from disk).
fn document_edit(
    analysis: &Analysis,
    file: FileId,
    mentions: &[&Mention],
    name: &str,
    encoding: Encoding,
) -> Option<TextDocumentEdit> {
    let source = SpecFile::open(analysis, file)?;
    let text = source.text(encoding);
    let edits = mentions
        .iter()
        .map(|m| {
            OneOf::Left(TextEdit {
                range: text.range(m.range.clone()),
                new_text: name.to_string(),
            })
        })
        .collect();
    let version = (file == FileId::Spec).then_some(analysis.version);
    Some(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: source.uri.clone(),
            version,
        },
        edits,
    })
}
