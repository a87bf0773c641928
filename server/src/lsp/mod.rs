//! The language server: protocol glue over the same core as the CLI.
//!
//! Notifications change the document store synchronously, in the order they
//! arrive, before their handler first awaits; requests read analysed
//! snapshots. No handler awaits a request to the client: such requests are
//! spawned with a timeout.

mod code_action;
mod code_lens;
pub mod commands;
mod completion;
mod definition;
mod diagnostics;
mod document_symbol;
mod documents;
mod execute;
mod folding;
mod guard;
mod hover;
mod index;
mod inlay_hint;
pub mod position;
mod references;
mod rename;
mod state;
mod to_proto;
mod transport;
mod workspace_symbol;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use self::guard::guard;
use self::state::State;
pub use self::transport::{Ending, serve};

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
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(self.state.initialize(&params).await)
    }

    async fn initialized(&self, _: InitializedParams) {
        index::on_initialized(&self.state);
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
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        execute::execute(&self.state, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        index::on_watched_files(&self.state, params);
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&at.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/definition", || {
            definition::definition(&analysis, at.position, encoding)
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&at.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/references", || {
            references::references(
                &analysis,
                at.position,
                params.context.include_declaration,
                encoding,
            )
        })
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/prepareRename", || {
            rename::prepare_rename(&analysis, params.position, encoding)
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&at.text_document.uri).await else {
            return Ok(None);
        };
        let workspace = self.state.workspace();
        guard("textDocument/rename", || {
            rename::rename(
                &analysis,
                at.position,
                &params.new_name,
                encoding,
                &workspace.ws,
            )
        })?
        .map_err(tower_lsp_server::jsonrpc::Error::invalid_params)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&at.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/completion", || {
            completion::completion(&analysis, at.position, encoding)
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&at.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/hover", || {
            hover::hover(&analysis, at.position, encoding)
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/documentSymbol", || {
            document_symbol::document_symbols(&analysis, encoding)
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/foldingRange", || {
            folding::folding_ranges(&analysis)
        })
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/codeLens", || {
            code_lens::code_lenses(&analysis, encoding)
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let encoding = self.state.encoding();
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        guard("textDocument/inlayHint", || {
            inlay_hint::inlay_hints(&analysis, params.range, encoding)
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        guard("workspace/symbol", || {
            workspace_symbol::workspace_symbols(&self.state, &params.query)
                .map(WorkspaceSymbolResponse::Nested)
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(analysis) = self.state.analysis(&params.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.state.encoding();
        guard("textDocument/codeAction", || {
            Some(code_action::code_actions(&analysis, params.range, encoding))
        })
    }
}
