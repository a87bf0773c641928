//! publishDiagnostics: the same diagnostics as `smallbatch check`, on the
//! spec and on its linked feature files.

use std::collections::BTreeMap;

use super::documents::Analysis;
use super::state::State;
use super::to_proto::{self, SpecFile};
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
        let Some(source) = SpecFile::open(analysis, file) else {
            continue;
        };
        let text = source.text(encoding);
        let diagnostics = diagnostics
            .iter()
            .map(|d| to_proto::diagnostic(d, text))
            .collect();
        let version = (file == FileId::Spec).then_some(analysis.version);
        state
            .client
            .publish_diagnostics(source.uri.clone(), diagnostics, version)
            .await;
    }
}
