//! The language server: protocol glue over the same core as the CLI.
//!
//! Notifications change the document store synchronously, in the order they
//! arrive, before their handler first awaits (`sync`); requests read
//! analysed snapshots, each through [`Backend::on_document`]. No handler
//! awaits a request to the client: such requests are spawned with a timeout.

mod capabilities;
mod code_action;
mod code_lens;
pub mod commands;
mod completion;
mod definition;
mod document_symbol;
mod documents;
mod execute;
mod folding;
mod guard;
mod hover;
mod index;
mod indexing;
mod inlay_hint;
pub mod position;
mod references;
mod rename;
mod semantic_tokens;
mod state;
mod sync;
mod to_proto;
mod transport;
mod watch;
mod workspace_symbol;

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CodeLens, CodeLensParams, CompletionParams,
    CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolResponse, ExecuteCommandParams, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams, InitializeParams,
    InitializeResult, InitializedParams, InlayHint, InlayHintParams, LSPAny, Location,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokensDeltaParams,
    SemanticTokensFullDeltaResult, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, ServerInfo, TextDocumentPositionParams, Uri,
    WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use tower_lsp_server::{Client, LanguageServer, LspService};
use tracing::Instrument;

use self::documents::Analysis;
use self::guard::guard;
use self::position::Encoding;
use self::state::{State, WorkspaceState};
pub use self::transport::{Ending, serve};
use crate::workspace;

/// How long a request to the client may take before the server goes on
/// without its answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves the protocol on stdin/stdout until the client says exit or closes
/// stdin.
pub async fn run_stdio() -> Ending {
    serve(tokio::io::stdin(), tokio::io::stdout()).await
}

/// The server as a tower service, behind the transport of [`serve`].
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(|client| Backend {
        state: Arc::new(State::new(client)),
    })
}

/// Implements the protocol by delegating to one module per feature.
pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    pub fn client(&self) -> &Client {
        &self.state.client
    }

    /// Answers a request about one document, in a `tracing` span named
    /// after the method: `work` reads the analysis of the document's current
    /// version (made now if needed) in the negotiated encoding; a panic in
    /// it becomes an internal error. No answer for a document not open.
    async fn on_document<T>(
        &self,
        method: &'static str,
        uri: &Uri,
        work: impl FnOnce(&Analysis, Encoding) -> Option<T>,
    ) -> Result<Option<T>> {
        let span = tracing::info_span!("request", method, uri = uri.as_str());
        async {
            let encoding = self.state.encoding();
            let Some(analysis) = self.state.analysis(uri).await else {
                return Ok(None);
            };
            guard(method, || work(&analysis, encoding))
        }
        .instrument(span)
        .await
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(initialize(&self.state, &params).await)
    }

    async fn initialized(&self, _: InitializedParams) {
        watch::on_initialized(&self.state);
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.state.open(doc.uri, doc.version, &doc.text);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let doc = params.text_document;
        self.state
            .change(doc.uri, doc.version, params.content_changes);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.state.close(&params.text_document.uri);
        self.state.tokens().forget(&params.text_document.uri);
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let span = tracing::info_span!("request", method = "workspace/executeCommand", command = %params.command);
        execute::execute(&self.state, params).instrument(span).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        watch::on_watched_files(&self.state, params);
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.on_document("textDocument/definition", &at.text_document.uri, |a, e| {
            definition::definition(a, at.position, e)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let include_declaration = params.context.include_declaration;
        self.on_document("textDocument/references", &at.text_document.uri, |a, e| {
            references::references(a, at.position, include_declaration, e)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/prepareRename", uri, |a, e| {
            rename::prepare_rename(a, params.position, e)
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let workspace = self.state.workspace();
        let renamed = self
            .on_document("textDocument/rename", &at.text_document.uri, |a, e| {
                rename::rename(a, at.position, &params.new_name, e, &workspace.ws).transpose()
            })
            .await?;
        renamed.transpose().map_err(Error::invalid_params)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        self.on_document("textDocument/completion", &at.text_document.uri, |a, e| {
            completion::completion(a, at.position, e)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        self.on_document("textDocument/hover", &at.text_document.uri, |a, e| {
            hover::hover(a, at.position, e)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/documentSymbol", uri, |a, e| {
            document_symbol::document_symbols(a, e)
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/foldingRange", uri, |a, _| {
            folding::folding_ranges(a)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/codeLens", uri, code_lens::code_lenses)
            .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/semanticTokens/full", uri, |a, e| {
            self.state
                .tokens()
                .full(a, e)
                .map(SemanticTokensResult::Tokens)
        })
        .await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = &params.text_document.uri;
        let previous = &params.previous_result_id;
        self.on_document("textDocument/semanticTokens/full/delta", uri, |a, e| {
            self.state.tokens().delta(a, previous, e)
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/semanticTokens/range", uri, |a, e| {
            semantic_tokens::range(a, params.range, e).map(SemanticTokensRangeResult::Tokens)
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/inlayHint", uri, |a, e| {
            inlay_hint::inlay_hints(a, params.range, e)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let _span = tracing::info_span!("request", method = "workspace/symbol").entered();
        guard("workspace/symbol", || {
            workspace_symbol::workspace_symbols(&self.state, &params.query)
                .map(WorkspaceSymbolResponse::Nested)
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        self.on_document("textDocument/codeAction", uri, |a, e| {
            Some(code_action::code_actions(a, params.range, e))
        })
        .await
    }
}

/// Negotiates the encoding, records what the client supports, loads the
/// workspace the client names and answers with the capabilities.
async fn initialize(state: &State, params: &InitializeParams) -> InitializeResult {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    state.set_encoding(encoding);
    state.set_support(capabilities::ClientSupport::from_capabilities(
        &params.capabilities,
    ));
    if let Some(root) = capabilities::workspace_root(params) {
        // Finding the root, reading the configuration and walking the
        // spec roots touch the disk: on a blocking thread.
        let loaded = tokio::task::spawn_blocking(move || {
            let root = workspace::find_marked_root(&root).unwrap_or(root);
            WorkspaceState::load(root)
        })
        .await;
        match loaded {
            Ok(loaded) => state.set_workspace(loaded),
            Err(error) => tracing::error!(?error, "loading the workspace failed"),
        }
    }
    InitializeResult {
        capabilities: capabilities::server_capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "smallbatch".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}
