//! textDocument/prepareRename and rename: a scenario, everywhere it is named.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;

pub fn prepare_rename(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<PrepareRenameResponse> {
    let _ = (analysis, position, encoding);
    None
}

/// The edit that renames the scenario at `position`; `Err` says why it cannot.
pub fn rename(
    analysis: &Analysis,
    position: Position,
    new_name: &str,
    encoding: Encoding,
) -> Result<Option<WorkspaceEdit>, String> {
    let _ = (analysis, position, new_name, encoding);
    Ok(None)
}
