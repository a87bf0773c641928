//! Indexing: the specs of the spec roots read into the index on blocking
//! threads, in batches, with work-done progress when the client supports it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::ls_types::ProgressToken;
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::CLIENT_TIMEOUT;
use super::index::index_entry;
use super::state::State;
use crate::workspace::normalize;

/// Specs read per blocking task, between two progress reports.
const BATCH: usize = 64;

/// Reads every spec of the spec roots into the index, with work-done
/// progress when the client supports it; drops entries of specs gone.
pub async fn index_workspace(state: &Arc<State>) {
    let progress = begin_progress(state, "Indexing specs").await;
    let ws = state.workspace();
    let walk = tokio::task::spawn_blocking(move || ws.ws.discover_specs()).await;
    let files: Vec<PathBuf> = match walk {
        Ok(walk) => walk.files.iter().map(|p| normalize(p)).collect(),
        Err(error) => {
            tracing::error!(?error, "the walk of the spec roots failed");
            Vec::new()
        }
    };
    for (n, batch) in files.chunks(BATCH).enumerate() {
        reindex(state, batch.to_vec()).await;
        if let Some(progress) = &progress {
            let done = (n * BATCH + batch.len()).min(files.len());
            let percentage = (done * 100 / files.len().max(1)) as u32;
            let message = format!("{done}/{} specs", files.len());
            progress.report_with_message(message, percentage).await;
        }
    }
    let kept: BTreeSet<&PathBuf> = files.iter().collect();
    state.index_mut().retain(&kept);
    if let Some(progress) = progress {
        let message = format!("{} specs", files.len());
        progress.finish_with_message(message).await;
    }
}

/// Creates a progress token and begins a progress report, when the client
/// supports it and accepts the token in time.
async fn begin_progress(
    state: &State,
    title: &str,
) -> Option<OngoingProgress<Bounded, NotCancellable>> {
    static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);
    if !state.support().work_done_progress {
        return None;
    }
    let n = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    let token = ProgressToken::String(format!("smallbatch/index/{n}"));
    let created = state.client.create_work_done_progress(token.clone());
    match tokio::time::timeout(CLIENT_TIMEOUT, created).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(?error, "the client refused a progress token");
            return None;
        }
        Err(_) => {
            tracing::warn!("the client did not answer workDoneProgress/create");
            return None;
        }
    }
    let progress = state.client.progress(token, title).with_percentage(0);
    Some(progress.begin().await)
}

/// Reads specs (normalized paths) from disk, off the async threads, and
/// sets what the index knows of each: a path that is no longer a readable
/// spec leaves the index.
pub async fn reindex(state: &State, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    let ws = state.workspace();
    let encoding = state.encoding();
    let read = tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|path| {
                let spec = index_entry(&ws.ws, &path, encoding);
                (path, spec)
            })
            .collect::<Vec<_>>()
    })
    .await;
    match read {
        Ok(entries) => {
            let mut index = state.index_mut();
            for (path, spec) in entries {
                index.set(path, spec);
            }
        }
        Err(error) => tracing::error!(?error, "reading specs for the index failed"),
    }
}
