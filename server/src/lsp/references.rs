//! textDocument/references: every place a scenario is named.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;

pub fn references(
    analysis: &Analysis,
    position: Position,
    include_declaration: bool,
    encoding: Encoding,
) -> Option<Vec<Location>> {
    let _ = (analysis, position, include_declaration, encoding);
    None
}
