//! Watching the disk: the file watchers, and what a change on disk does —
//! the index and the open specs' diagnostics brought up to date, the
//! configuration reloaded, the session views (lenses, inlay hints) refreshed.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, FileChangeType,
    FileEvent, FileSystemWatcher, GlobPattern, MessageType, Registration, Unregistration,
};

use super::CLIENT_TIMEOUT;
use super::documents::Analysis;
use super::indexing::{index_workspace, reindex};
use super::state::{State, WorkspaceState};
use crate::config::{CONFIG_PATH, Config};
use crate::session::folder_name;
use crate::workspace::{Workspace, normalize, to_slash};

/// The id of the file watchers' registration.
const WATCHERS_ID: &str = "smallbatch/watched-files";
/// Watched besides the configured globs: Gherkin files anywhere, and the
/// configuration and session records.
const ALWAYS_WATCHED: [&str; 3] = ["**/*.feature", "**/*.feature.md", ".smallbatch/**"];

/// Registers the file watchers and indexes the spec roots, in tasks: the
/// handler itself awaits nothing.
pub fn on_initialized(state: &Arc<State>) {
    let watcher_state = Arc::clone(state);
    tokio::spawn(async move { register_watchers(&watcher_state, false).await });
    let index_state = Arc::clone(state);
    tokio::spawn(async move {
        index_workspace(&index_state).await;
        if index_state.refresh_lint_context() {
            reanalyse_open(&index_state, |a| a.is_none_or(|a| a.spec().is_some()));
        }
    });
}

/// Re-reads what changed on disk and re-publishes the diagnostics of the
/// open specs it affects, in a task.
pub fn on_watched_files(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    let state = Arc::clone(state);
    tokio::spawn(async move {
        // Classifying resolves paths on disk: on a blocking thread.
        let ws = state.workspace();
        let classified =
            tokio::task::spawn_blocking(move || Changes::classify(&ws.ws, &params.changes)).await;
        let changes = classified.unwrap_or_else(|error| {
            tracing::error!(?error, "classifying watched-file changes failed");
            Changes::default()
        });
        if !changes.is_empty() {
            apply(&state, changes).await;
        }
    });
}

/// The watched-file events sorted by what they mean to the server.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    config: bool,
    specs: BTreeSet<PathBuf>,
    /// Feature files, normalized (and canonical, when they exist).
    features: Vec<PathBuf>,
    /// Deleted paths that are neither: maybe folders of specs.
    deleted: Vec<PathBuf>,
    /// The spec ids whose session records changed.
    sessions: BTreeSet<String>,
}

impl Changes {
    fn classify(ws: &Workspace, events: &[FileEvent]) -> Changes {
        let mut changes = Changes::default();
        let sessions = ws.root().join(".smallbatch").join("sessions");
        for event in events {
            let Some(path) = event.uri.to_file_path() else {
                continue;
            };
            let path = normalize(&path);
            if path == normalize(&ws.root().join(CONFIG_PATH)) {
                changes.config = true;
            } else if let Ok(record) = path.strip_prefix(&sessions) {
                changes.sessions.extend(session_spec_id(record));
            } else if ws.is_feature_path(&path) {
                changes.features.extend(path.canonicalize().ok());
                changes.features.push(path);
            } else if ws.matches_spec_globs(&path) {
                changes.specs.insert(path);
            } else if event.typ == FileChangeType::DELETED {
                changes.deleted.push(path);
            }
        }
        changes
    }

    fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// The session folder (the spec id encoded by [`folder_name`]) whose
/// records a path under `.smallbatch/sessions/` holds: a record
/// `<folder>/[archive/]<session-id>.json`, or the folder itself. Context loads, agent logs and locks are no records.
fn session_spec_id(path: &Path) -> Option<String> {
    let mut components = path.components();
    let Some(Component::Normal(first)) = components.next() else {
        return None;
    };
    let is_record = match components.next_back() {
        Some(_) => path.extension().is_some_and(|e| e == "json"),
        None => Path::new(first).extension().is_none(),
    };
    is_record.then(|| first.to_string_lossy().into_owned())
}

/// Brings the index, the lint context and the open specs' diagnostics up
/// to date with changes on disk.
async fn apply(state: &Arc<State>, changes: Changes) {
    if changes.config {
        reload_config(state).await;
        return;
    }
    let mut specs = changes.specs.clone();
    specs.extend(
        state
            .index()
            .affected_by(&changes.features, &changes.deleted),
    );
    reindex(state, specs.into_iter().collect()).await;
    let ids_changed = state.refresh_lint_context();
    reanalyse_open(state, |analysis| {
        let Some(analysis) = analysis else {
            return true;
        };
        let Some(loaded) = analysis.spec() else {
            return false;
        };
        ids_changed
            || changes.sessions.contains(&folder_name(&loaded.id))
            || loaded
                .linked
                .iter()
                .flatten()
                .any(|link| is_one_of(link, &changes.features))
    });
    if !changes.sessions.is_empty() {
        refresh_session_views(state).await;
    }
}

/// Asks the client to re-read lenses and inlay hints, which show where each
/// scenario stands: a session record changed (the CLI was used).
pub async fn refresh_session_views(state: &State) {
    let support = state.support();
    if support.code_lens_refresh {
        let refresh = state.client.code_lens_refresh();
        if tokio::time::timeout(CLIENT_TIMEOUT, refresh).await.is_err() {
            tracing::warn!("the client did not answer workspace/codeLens/refresh");
        }
    }
    if support.inlay_hint_refresh {
        let refresh = state.client.inlay_hint_refresh();
        if tokio::time::timeout(CLIENT_TIMEOUT, refresh).await.is_err() {
            tracing::warn!("the client did not answer workspace/inlayHint/refresh");
        }
    }
}

/// Whether a linked path names one of `targets` (normalized and canonical).
fn is_one_of(link: &Path, targets: &[PathBuf]) -> bool {
    if targets.is_empty() {
        return false;
    }
    targets.contains(&normalize(link))
        || link
            .canonicalize()
            .is_ok_and(|canonical| targets.contains(&canonical))
}

/// Analyses again the open documents whose latest analysis (`None`: not
/// analysed yet) `affected` selects, and publishes their diagnostics.
fn reanalyse_open(state: &Arc<State>, affected: impl Fn(Option<&Analysis>) -> bool) {
    for (uri, analysis) in state.open_documents() {
        if affected(analysis.as_deref()) {
            state.reanalyse(&uri);
        }
    }
}

/// Reads the configuration again; when it changed, watches and indexes by
/// the new globs and analyses every open document again. A configuration
/// that does not load is reported, and the previous one stays.
async fn reload_config(state: &Arc<State>) {
    let current = state.workspace();
    let root = current.ws.root().to_path_buf();
    let loaded = tokio::task::spawn_blocking(move || {
        Config::load(&root)
            .map_err(|e| e.to_string())
            .and_then(|config| Workspace::new(root, config).map_err(|e| e.to_string()))
    })
    .await
    .unwrap_or_else(|error| Err(format!("reading the configuration failed: {error}")));
    let ws = match loaded {
        Ok(ws) => ws,
        Err(message) => {
            tracing::warn!("{message}; keeping the previous configuration");
            let message = format!("smallbatch: {message}; keeping the previous configuration");
            state
                .client
                .show_message(MessageType::WARNING, message)
                .await;
            return;
        }
    };
    if ws.config() == current.ws.config() {
        return;
    }
    let watch_changed = watch_globs(&ws) != watch_globs(&current.ws);
    state.set_workspace(WorkspaceState {
        ws,
        ctx: current.ctx.clone(),
    });
    if watch_changed {
        register_watchers(state, true).await;
    }
    index_workspace(state).await;
    state.refresh_lint_context();
    reanalyse_open(state, |_| true);
}

/// The globs to watch, absolute, deduplicated.
fn watch_globs(ws: &Workspace) -> BTreeSet<String> {
    let root = to_slash(ws.root());
    let root = root.trim_end_matches('/');
    let config = ws.config();
    config
        .specs
        .iter()
        .chain(&config.features)
        .map(String::as_str)
        .chain(ALWAYS_WATCHED)
        .map(|glob| format!("{root}/{}", glob.trim_start_matches("./")))
        .collect()
}

/// Asks the client to watch the spec globs, the Gherkin files and
/// `.smallbatch/` (first dropping the previous registration when `again`),
/// when it supports dynamic registration. Never waits longer than
/// [`CLIENT_TIMEOUT`].
async fn register_watchers(state: &State, again: bool) {
    if !state.support().watched_files_registration {
        return;
    }
    let method = "workspace/didChangeWatchedFiles";
    if again {
        let previous = Unregistration {
            id: WATCHERS_ID.into(),
            method: method.into(),
        };
        let dropped = state.client.unregister_capability(vec![previous]);
        if tokio::time::timeout(CLIENT_TIMEOUT, dropped).await.is_err() {
            tracing::warn!("the client did not answer unregisterCapability");
        }
    }
    let watchers = watch_globs(&state.workspace().ws)
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: WATCHERS_ID.into(),
        method: method.into(),
        register_options: serde_json::to_value(options).ok(),
    };
    let registered = state.client.register_capability(vec![registration]);
    match tokio::time::timeout(CLIENT_TIMEOUT, registered).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(?error, "file watchers not registered"),
        Err(_) => tracing::warn!("the client did not answer registerCapability"),
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::Uri;

    use super::*;

    fn workspace(root: &Path) -> Workspace {
        Workspace::new(root.to_path_buf(), Config::default()).expect("workspace")
    }

    fn event(path: &Path, typ: FileChangeType) -> FileEvent {
        FileEvent::new(Uri::from_file_path(path).expect("uri"), typ)
    }

    #[test]
    fn events_are_sorted_by_what_the_file_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        let ws = workspace(&root);
        let events = [
            event(
                &root.join(".smallbatch/config.toml"),
                FileChangeType::CHANGED,
            ),
            event(
                &root.join(".smallbatch/sessions/012-invoices/012-invoices-20260101-001.json"),
                FileChangeType::CREATED,
            ),
            event(
                &root.join(".smallbatch/sessions/013-export"),
                FileChangeType::DELETED,
            ),
            event(
                &root.join(".smallbatch/sessions/014-x/014-x-20260101-001.log"),
                FileChangeType::CHANGED,
            ),
            event(
                &root.join(".smallbatch/sessions/015-y.lock"),
                FileChangeType::CREATED,
            ),
            event(&root.join("specs/a/x.feature"), FileChangeType::CHANGED),
            event(&root.join("specs/a/README.md"), FileChangeType::CREATED),
            event(&root.join("specs/old"), FileChangeType::DELETED),
            event(&root.join("notes.txt"), FileChangeType::CHANGED),
        ];
        let changes = Changes::classify(&ws, &events);
        assert!(changes.config);
        assert_eq!(
            changes.sessions,
            BTreeSet::from(["012-invoices".to_string(), "013-export".to_string()])
        );
        assert_eq!(changes.features, [root.join("specs/a/x.feature")]);
        assert_eq!(
            changes.specs,
            BTreeSet::from([root.join("specs/a/README.md")])
        );
        assert_eq!(changes.deleted, [root.join("specs/old")]);
    }
}
