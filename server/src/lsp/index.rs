//! The workspace index: specs read at `initialized` (with work-done
//! progress), file watchers, and diagnostics re-published when a file the
//! specs depend on changes on disk.
//!
//! The index is light on purpose: per spec its URI, id, title and the names
//! and ranges of its scenarios — never its text — so that a workspace of a
//! thousand specs costs a few megabytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::documents::Analysis;
use super::position::{Encoding, LineStarts};
use super::state::{State, WorkspaceState};
use super::to_proto::Text;
use crate::config::{CONFIG_PATH, Config};
use crate::session::folder_name;
use crate::spec::FileId;
use crate::workspace::{LoadedSpec, Workspace, normalize, to_slash};

/// How long a request to the client may take before the server goes on
/// without its answer.
pub(super) const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// Specs read per blocking task, between two progress reports.
const BATCH: usize = 64;
/// The id of the file watchers' registration.
const WATCHERS_ID: &str = "smallbatch/watched-files";
/// Watched besides the configured globs: Gherkin files anywhere, and the
/// configuration and session records.
const ALWAYS_WATCHED: [&str; 3] = ["**/*.feature", "**/*.feature.md", ".smallbatch/**"];

/// A scenario as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedScenario {
    pub name: String,
    /// The spec itself or one of its linked files.
    pub file: FileId,
    /// The keyword line, in the negotiated encoding.
    pub range: Range,
}

/// A spec as the index keeps it: enough for workspace symbols, spec ids and
/// finding the specs that link to a feature file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedSpec {
    pub uri: Uri,
    pub id: String,
    /// The title heading's text, else the id.
    pub title: String,
    /// The title heading's line (the file's start when it has none).
    pub title_range: Range,
    pub scenarios: Vec<IndexedScenario>,
    /// The resolved path of each `feature_links[i]` (`None` for a URL).
    pub linked: Vec<Option<PathBuf>>,
}

impl IndexedSpec {
    /// The index entry of a loaded spec; `None` when its path is no URI.
    pub fn new(loaded: &LoadedSpec, encoding: Encoding) -> Option<IndexedSpec> {
        let uri = Uri::from_file_path(&loaded.path)?;
        let spec = &loaded.spec;
        let spec_lines = LineStarts::new(&loaded.text);
        let mut linked_lines: BTreeMap<usize, LineStarts> = BTreeMap::new();
        let mut scenarios = Vec::with_capacity(spec.scenarios.len());
        for scenario in &spec.scenarios {
            let Some(text) = spec.file_text(&loaded.text, scenario.file) else {
                continue;
            };
            let lines = match scenario.file {
                FileId::Spec => &spec_lines,
                FileId::Linked(i) => linked_lines
                    .entry(i)
                    .or_insert_with(|| LineStarts::new(text)),
            };
            let text = Text {
                text,
                lines,
                encoding,
            };
            scenarios.push(IndexedScenario {
                name: scenario.name.to_string(),
                file: scenario.file,
                range: text.range(scenario.span.clone()),
            });
        }
        let text = Text {
            text: &loaded.text,
            lines: &spec_lines,
            encoding,
        };
        let title = spec.title.as_ref().filter(|h| !h.text.trim().is_empty());
        Some(IndexedSpec {
            uri,
            id: loaded.id.clone(),
            title: title.map_or_else(|| loaded.id.clone(), |h| h.text.trim().to_string()),
            title_range: text.range(title.map_or(0..0, |h| h.span.clone())),
            scenarios,
            linked: loaded.linked.clone(),
        })
    }

    /// The URI of a file of the spec.
    pub fn file_uri(&self, file: FileId) -> Option<Uri> {
        match file {
            FileId::Spec => Some(self.uri.clone()),
            FileId::Linked(i) => Uri::from_file_path(self.linked.get(i)?.as_deref()?),
        }
    }
}

/// Every spec of the spec roots, by normalized path.
#[derive(Debug, Default)]
pub struct SpecIndex {
    specs: BTreeMap<PathBuf, IndexedSpec>,
}

impl SpecIndex {
    /// Every indexed spec, in path order.
    pub fn specs(&self) -> impl Iterator<Item = &IndexedSpec> {
        self.specs.values()
    }

    /// Sets what the index knows of a path: a spec, or nothing.
    pub fn set(&mut self, path: PathBuf, spec: Option<IndexedSpec>) {
        match spec {
            Some(spec) => self.specs.insert(path, spec),
            None => self.specs.remove(&path),
        };
    }

    /// The paths of every indexed spec.
    pub fn paths(&self) -> BTreeSet<PathBuf> {
        self.specs.keys().cloned().collect()
    }

    /// The paths of the specs that link to any of `targets` (normalized) or
    /// lie under any of `folders`.
    fn affected_by(&self, targets: &[PathBuf], folders: &[PathBuf]) -> BTreeSet<PathBuf> {
        self.specs
            .iter()
            .filter(|(path, spec)| {
                folders.iter().any(|folder| path.starts_with(folder))
                    || spec.linked.iter().flatten().any(|l| targets.contains(l))
            })
            .map(|(path, _)| path.clone())
            .collect()
    }
}

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
pub(super) async fn refresh_session_views(state: &State) {
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

/// Reads every spec of the spec roots into the index, with work-done
/// progress when the client supports it; drops entries of specs gone.
async fn index_workspace(state: &Arc<State>) {
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
    state
        .index_mut()
        .specs
        .retain(|path, _| kept.contains(path));
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
async fn reindex(state: &State, paths: Vec<PathBuf>) {
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

/// The index entry of the spec at `path`; `None` when it is not a spec of
/// the spec roots or cannot be read.
fn index_entry(ws: &Workspace, path: &Path, encoding: Encoding) -> Option<IndexedSpec> {
    if !ws.matches_spec_globs(path) {
        return None;
    }
    match ws.read_spec(path) {
        Ok(loaded) => IndexedSpec::new(&loaded, encoding),
        Err(error) => {
            tracing::debug!(path = %path.display(), %error, "not indexed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn the_index_keeps_titles_scenarios_and_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        let ws = workspace(&root);
        let spec = root.join("specs/001-export/README.md");
        std::fs::create_dir_all(root.join("specs/001-export/features")).expect("folders");
        std::fs::write(
            &spec,
            "# Export 📄\n\n## Scenarios\n\n```gherkin\nFeature: F\n  Scenario: One\n    Then x\n```\n\n[more](features/more.feature)\n",
        )
        .expect("write");
        let feature = root.join("specs/001-export/features/more.feature");
        std::fs::write(&feature, "Feature: More\n\n  Scenario: Two\n    Then y\n").expect("write");

        let entry = index_entry(&ws, &spec, Encoding::Utf16).expect("indexed");
        assert_eq!(entry.id, "001-export");
        assert_eq!(entry.title, "Export 📄");
        assert_eq!(entry.title_range.end, Position::new(0, 11));
        let names: Vec<_> = entry.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["One", "Two"]);
        assert_eq!(entry.scenarios[0].range.start, Position::new(6, 2));
        assert_eq!(entry.scenarios[1].range.start, Position::new(2, 2));
        assert_eq!(
            entry.file_uri(entry.scenarios[1].file),
            Uri::from_file_path(&feature)
        );

        let mut index = SpecIndex::default();
        index.set(spec.clone(), Some(entry));
        let affected = index.affected_by(std::slice::from_ref(&feature), &[]);
        assert_eq!(affected, BTreeSet::from([spec.clone()]));
        let gone = index.affected_by(&[], &[root.join("specs/001-export")]);
        assert_eq!(gone, BTreeSet::from([spec]));
        assert!(index_entry(&ws, &root.join("README.md"), Encoding::Utf16).is_none());
    }
}
