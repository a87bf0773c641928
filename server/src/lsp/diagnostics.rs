//! publishDiagnostics: the same diagnostics as `smallbatch check`, on the
//! spec and on its linked feature files.

use std::collections::BTreeMap;

use tower_lsp_server::ls_types::Uri;

use super::documents::Analysis;
use super::position::LineStarts;
use super::state::State;
use super::to_proto::{self, Text};
use crate::spec::FileId;

/// Publishes an analysis's diagnostics: the document's own with its version,
/// and those of each linked file under that file's URI.
pub async fn publish(state: &State, analysis: &Analysis) {
    let encoding = state.encoding();
    let mut by_file: BTreeMap<FileId, Vec<_>> = BTreeMap::new();
    // Every file gets a publish, empty ones too, so fixed problems clear.
    by_file.insert(FileId::Spec, Vec::new());
    if let Some(loaded) = analysis.spec() {
        for i in 0..loaded.linked.len() {
            by_file.insert(FileId::Linked(i), Vec::new());
        }
    }
    for d in &analysis.diagnostics {
        by_file.entry(d.file).or_default().push(d);
    }
    for (file, diagnostics) in by_file {
        let (uri, text, lines, version) = match (file, analysis.spec()) {
            (FileId::Spec, _) => (
                analysis.uri.clone(),
                analysis.text.as_str(),
                None,
                Some(analysis.version),
            ),
            (linked, Some(loaded)) => {
                let Some((path, text)) = loaded.source(linked) else {
                    continue;
                };
                let Some(uri) = Uri::from_file_path(path) else {
                    continue;
                };
                (uri, text, Some(LineStarts::new(text)), None)
            }
            (_, None) => continue,
        };
        let lines = lines.as_ref().unwrap_or(&analysis.lines);
        let text = Text {
            text,
            lines,
            encoding,
        };
        let diagnostics = diagnostics
            .iter()
            .map(|d| to_proto::diagnostic(d, text))
            .collect();
        state
            .client
            .publish_diagnostics(uri, diagnostics, version)
            .await;
    }
}
