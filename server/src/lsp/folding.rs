//! textDocument/foldingRange: sections, scenarios, fenced blocks, log entries.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;

pub fn folding_ranges(analysis: &Analysis, encoding: Encoding) -> Option<Vec<FoldingRange>> {
    let _ = (analysis, encoding);
    None
}
