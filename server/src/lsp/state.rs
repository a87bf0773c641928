//! The server's state: the negotiated encoding, the workspace and the open
//! documents. Notifications mutate it synchronously; analysis runs in tasks.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use super::diagnostics;
use super::documents::{Analysis, DocumentStore};
use super::guard::guard;
use super::index::SpecIndex;
use super::position::Encoding;
use crate::config::Config;
use crate::lint::LintContext;
use crate::workspace::{self, Workspace};

/// The workspace as the server sees it: its configuration and the facts the
/// lint rules need.
#[derive(Debug)]
pub struct WorkspaceState {
    pub ws: Workspace,
    pub ctx: LintContext,
}

impl WorkspaceState {
    /// The workspace at `root`, with its configuration (the defaults when
    /// it cannot be read) and the ids of the specs found there.
    fn load(root: PathBuf) -> WorkspaceState {
        let config = Config::load(&root).unwrap_or_else(|error| {
            tracing::warn!("{error}; using the default configuration");
            Config::default()
        });
        let ws = Workspace::new(root.clone(), config).unwrap_or_else(|error| {
            tracing::warn!("{error}; using the default configuration");
            Workspace::new(root, Config::default()).expect("the default globs compile")
        });
        let ctx = ws.lint_context(&ws.discover_specs().files);
        WorkspaceState { ws, ctx }
    }
}

/// What the client said it supports, of what the server uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// `window.workDoneProgress`: server-initiated `$/progress`.
    pub work_done_progress: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watched_files_registration: bool,
    /// `workspace.codeLens.refreshSupport`.
    pub code_lens_refresh: bool,
    /// `workspace.inlayHint.refreshSupport`.
    pub inlay_hint_refresh: bool,
}

impl ClientSupport {
    fn from_capabilities(capabilities: &ClientCapabilities) -> ClientSupport {
        let work_done_progress = capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        let watched_files_registration = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let workspace = capabilities.workspace.as_ref();
        let code_lens_refresh = workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        let inlay_hint_refresh = workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        ClientSupport {
            work_done_progress,
            watched_files_registration,
            code_lens_refresh,
            inlay_hint_refresh,
        }
    }
}

pub struct State {
    pub client: Client,
    encoding: OnceLock<Encoding>,
    support: OnceLock<ClientSupport>,
    docs: Mutex<DocumentStore>,
    workspace: RwLock<Arc<WorkspaceState>>,
    index: RwLock<SpecIndex>,
}

impl State {
    pub fn new(client: Client) -> State {
        let cwd = std::env::current_dir().unwrap_or_default();
        State {
            client,
            encoding: OnceLock::new(),
            support: OnceLock::new(),
            docs: Mutex::new(DocumentStore::default()),
            workspace: RwLock::new(Arc::new(WorkspaceState::load(workspace::find_root(&cwd)))),
            index: RwLock::new(SpecIndex::default()),
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    pub fn docs(&self) -> MutexGuard<'_, DocumentStore> {
        // A panic while the lock was held leaves the store as it was between
        // two changes: keep serving.
        self.docs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn workspace(&self) -> Arc<WorkspaceState> {
        self.workspace
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the workspace (a new configuration, new spec ids); open
    /// documents keep their analyses until they are analysed again.
    pub fn set_workspace(&self, ws: WorkspaceState) {
        *self
            .workspace
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(ws);
    }

    /// Recomputes the spec ids of the lint context from the index; whether
    /// they changed.
    pub fn refresh_lint_context(&self) -> bool {
        let paths = self.index().paths();
        let mut current = self
            .workspace
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ctx = current.ws.lint_context(&paths);
        if ctx.spec_ids == current.ctx.spec_ids {
            return false;
        }
        let ws = current.ws.clone();
        *current = Arc::new(WorkspaceState { ws, ctx });
        true
    }

    /// What the client supports (nothing before `initialize`).
    pub fn support(&self) -> ClientSupport {
        self.support.get().copied().unwrap_or_default()
    }

    /// The index of the workspace's specs, for reading.
    pub fn index(&self) -> RwLockReadGuard<'_, SpecIndex> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The index of the workspace's specs, for updating.
    pub fn index_mut(&self) -> RwLockWriteGuard<'_, SpecIndex> {
        self.index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub async fn initialize(&self, params: &InitializeParams) -> InitializeResult {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = Encoding::negotiate(offered);
        let _ = self.encoding.set(encoding);
        let _ = self
            .support
            .set(ClientSupport::from_capabilities(&params.capabilities));
        if let Some(root) = workspace_root(params) {
            // Finding the root, reading the configuration and walking the
            // spec roots touch the disk: on a blocking thread.
            let loaded = tokio::task::spawn_blocking(move || {
                let root = workspace::find_marked_root(&root).unwrap_or(root);
                WorkspaceState::load(root)
            })
            .await;
            match loaded {
                Ok(loaded) => self.set_workspace(loaded),
                Err(error) => tracing::error!(?error, "loading the workspace failed"),
            }
        }
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["#".into()]),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: super::execute::ALL.iter().map(|c| c.to_string()).collect(),
                    ..ExecuteCommandOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "smallbatch".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        }
    }

    pub fn open(self: &Arc<Self>, uri: Uri, version: i32, text: &str) {
        self.docs().open(uri.clone(), version, text);
        self.schedule(uri);
    }

    pub fn change(
        self: &Arc<Self>,
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        let changed = self.docs().change(&uri, version, changes, self.encoding());
        match changed {
            Ok(()) => self.schedule(uri),
            Err(error) => tracing::warn!(uri = uri.as_str(), ?error, "change ignored"),
        }
    }

    pub fn close(self: &Arc<Self>, uri: &Uri) {
        self.docs().close(uri);
        let client = self.client.clone();
        let uri = uri.clone();
        tokio::spawn(async move { client.publish_diagnostics(uri, Vec::new(), None).await });
    }

    /// Analyses a document and publishes its diagnostics, in a task. While the
    /// task runs, later changes are picked up by it rather than starting
    /// another, so a burst of edits costs one analysis per pass, and the last
    /// diagnostics published are always those of the last version.
    fn schedule(self: &Arc<Self>, uri: Uri) {
        {
            let mut docs = self.docs();
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            if doc.analysing {
                return;
            }
            doc.analysing = true;
        }
        let state = Arc::clone(self);
        tokio::spawn(async move {
            while let Some((analysis, generation)) = state.analyse_latest(&uri).await {
                diagnostics::publish(&state, &analysis).await;
                let mut docs = state.docs();
                let Some(doc) = docs.get_mut(&uri) else { break };
                if doc.version == analysis.version && doc.generation == generation {
                    doc.analysing = false;
                    break;
                }
            }
        });
    }

    /// Analyses an open document again and publishes its diagnostics,
    /// although its text did not change: a file it reads (a linked
    /// `.feature` file) or the workspace (spec ids, configuration) did.
    pub fn reanalyse(self: &Arc<Self>, uri: &Uri) {
        {
            let mut docs = self.docs();
            let Some(doc) = docs.get_mut(uri) else {
                return;
            };
            doc.generation += 1;
            doc.analysis = None;
        }
        self.schedule(uri.clone());
    }

    /// Every open document with its latest analysis, if it has one yet.
    pub fn open_documents(&self) -> Vec<(Uri, Option<Arc<Analysis>>)> {
        self.docs()
            .iter()
            .map(|(uri, doc)| (uri.clone(), doc.analysis.clone()))
            .collect()
    }

    /// The analysis of a document's current version, made now if needed.
    pub async fn analysis(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Analysis>> {
        if let Some(current) = self.docs().get(uri).and_then(|d| d.current()) {
            return Some(current);
        }
        self.analyse_latest(uri).await.map(|(analysis, _)| analysis)
    }

    /// Analyses the document's latest version and stores the result, unless
    /// the document was invalidated meanwhile; returns it with the
    /// generation it was made for. The version is the one current now; it
    /// is analysed on a blocking thread, since an analysis reads linked
    /// files and session records and no read may hold up the threads that
    /// answer requests.
    async fn analyse_latest(self: &Arc<Self>, uri: &Uri) -> Option<(Arc<Analysis>, u64)> {
        let (version, generation, text, blocks) = {
            let docs = self.docs();
            let doc = docs.get(uri)?;
            let blocks = Arc::clone(&doc.blocks);
            (doc.version, doc.generation, doc.rope.to_string(), blocks)
        };
        let ws = self.workspace();
        let analysed = {
            let uri = uri.clone();
            tokio::task::spawn_blocking(move || {
                guard("analysis", || {
                    let mut blocks = blocks
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    Analysis::new(
                        uri.clone(),
                        version,
                        text.clone(),
                        &ws.ws,
                        &ws.ctx,
                        &mut blocks,
                    )
                })
                .unwrap_or_else(|_| Analysis::unanalysed(uri, version, text))
            })
            .await
        };
        let analysis = match analysed {
            Ok(analysis) => Arc::new(analysis),
            Err(error) => {
                tracing::error!(?error, "the analysis task failed");
                return None;
            }
        };
        let mut docs = self.docs();
        let doc = docs.get_mut(uri)?;
        if doc.generation == generation
            && doc.analysis.as_ref().is_none_or(|a| a.version <= version)
        {
            doc.analysis = Some(Arc::clone(&analysis));
        }
        Some((analysis, generation))
    }
}

/// The first workspace folder, else the root URI, as a path.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| folder.uri.to_file_path().map(|p| p.into_owned()));
    #[allow(deprecated)]
    let from_root = || {
        params
            .root_uri
            .as_ref()
            .and_then(|uri| uri.to_file_path().map(|p| p.into_owned()))
    };
    from_folders.or_else(from_root)
}
