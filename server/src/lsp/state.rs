//! The server's state: the negotiated encoding, what the client supports,
//! the workspace, the open documents and the spec index. Plain data with
//! its locks; notifications change it (`sync`), requests read it.

use std::path::PathBuf;
use std::sync::{
    Arc, LockResult, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard,
};

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use super::capabilities::ClientSupport;
use super::documents::{Analysis, DocumentStore};
use super::index::SpecIndex;
use super::position::Encoding;
use super::semantic_tokens::TokenCache;
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
    pub fn load(root: PathBuf) -> WorkspaceState {
        let config = Config::load(&root).unwrap_or_else(|error| {
            tracing::warn!("{error}; using the default configuration");
            Config::default()
        });
        let ws = Workspace::new(root.clone(), config).unwrap_or_else(|error| {
            tracing::warn!("{error}; using the default configuration");
            Workspace::new(root, Config::default()).expect("the default globs compile")
        });
        let ctx = crate::analysis::lint_context(&ws, &ws.discover_specs().files);
        WorkspaceState { ws, ctx }
    }
}

/// A lock's guard, even when a panic poisoned the lock: every lock of the
/// server guards state that is whole between two changes, so serving goes on.
pub fn recover<G>(locked: LockResult<G>) -> G {
    locked.unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct State {
    pub client: Client,
    encoding: OnceLock<Encoding>,
    support: OnceLock<ClientSupport>,
    docs: Mutex<DocumentStore>,
    workspace: RwLock<Arc<WorkspaceState>>,
    index: RwLock<SpecIndex>,
    tokens: TokenCache,
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
            tokens: TokenCache::default(),
        }
    }

    /// The negotiated encoding (UTF-16 before `initialize`).
    pub fn encoding(&self) -> Encoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    /// Sets the negotiated encoding; once, at `initialize`.
    pub fn set_encoding(&self, encoding: Encoding) {
        let _ = self.encoding.set(encoding);
    }

    /// What the client supports (nothing before `initialize`).
    pub fn support(&self) -> ClientSupport {
        self.support.get().copied().unwrap_or_default()
    }

    /// Sets what the client supports; once, at `initialize`.
    pub fn set_support(&self, support: ClientSupport) {
        let _ = self.support.set(support);
    }

    pub fn docs(&self) -> MutexGuard<'_, DocumentStore> {
        recover(self.docs.lock())
    }

    pub fn workspace(&self) -> Arc<WorkspaceState> {
        recover(self.workspace.read()).clone()
    }

    /// Replaces the workspace (a new configuration, new spec ids); open
    /// documents keep their analyses until they are analysed again.
    pub fn set_workspace(&self, ws: WorkspaceState) {
        *recover(self.workspace.write()) = Arc::new(ws);
    }

    /// Recomputes the spec ids of the lint context from the index; whether
    /// they changed.
    pub fn refresh_lint_context(&self) -> bool {
        let paths = self.index().paths();
        let mut current = recover(self.workspace.write());
        let ctx = crate::analysis::lint_context(&current.ws, &paths);
        if ctx.spec_ids == current.ctx.spec_ids {
            return false;
        }
        let ws = current.ws.clone();
        *current = Arc::new(WorkspaceState { ws, ctx });
        true
    }

    /// The index of the workspace's specs, for reading.
    pub fn index(&self) -> RwLockReadGuard<'_, SpecIndex> {
        recover(self.index.read())
    }

    /// The index of the workspace's specs, for updating.
    pub fn index_mut(&self) -> RwLockWriteGuard<'_, SpecIndex> {
        recover(self.index.write())
    }

    /// The last semantic-token result of each open document.
    pub fn tokens(&self) -> &TokenCache {
        &self.tokens
    }

    /// Every open document with its latest analysis, if it has one yet.
    pub fn open_documents(&self) -> Vec<(Uri, Option<Arc<Analysis>>)> {
        self.docs()
            .iter()
            .map(|(uri, doc)| (uri.clone(), doc.analysis.clone()))
            .collect()
    }
}
