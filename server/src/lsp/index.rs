//! The workspace index: specs read at `initialized` (with work-done
//! progress), file watchers, and diagnostics re-published when a file the
//! specs depend on changes on disk.

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::state::State;

/// Registers the file watchers and indexes the spec roots, in a task.
pub fn on_initialized(state: &Arc<State>) {
    let _ = state;
}

/// Re-reads what changed on disk and re-publishes the diagnostics of the
/// open specs it affects.
pub fn on_watched_files(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    let _ = (state, params);
}
