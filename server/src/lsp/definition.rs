//! textDocument/definition: order entry ↔ scenario ↔ log entry; links to feature files.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;

pub fn definition(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<GotoDefinitionResponse> {
    let _ = (analysis, position, encoding);
    None
}
