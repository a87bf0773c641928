//! textDocument/completion: scenario names in the order and the log; section headings.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Position, Range,
    TextEdit,
};

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::SpecFile;
use crate::ide::completion::{self, CompletionCandidate, CompletionKind};
use crate::spec::FileId;

pub fn completion(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<CompletionResponse> {
    let loaded = analysis.spec()?;
    let file = SpecFile::open(analysis, FileId::Spec)?;
    let text = file.text(encoding);
    let completion = completion::completion(&loaded.spec, &loaded.text, text.offset(position))?;
    let range = text.range(completion.replace);
    let items = completion
        .candidates
        .into_iter()
        .enumerate()
        .map(|(rank, candidate)| item(candidate, rank, range))
        .collect();
    Some(CompletionResponse::Array(items))
}

/// A candidate as an item that replaces `range`, ranked by its place.
fn item(candidate: CompletionCandidate, rank: usize, range: Range) -> CompletionItem {
    let kind = match candidate.kind {
        CompletionKind::Scenario(_) => CompletionItemKind::REFERENCE,
        CompletionKind::Section(_) => CompletionItemKind::KEYWORD,
    };
    CompletionItem {
        label: candidate.label,
        kind: Some(kind),
        detail: Some(candidate.detail),
        sort_text: Some(format!("{rank:04}")),
        filter_text: Some(candidate.new_text.clone()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range,
            new_text: candidate.new_text,
        })),
        ..CompletionItem::default()
    }
}
