//! The language server: protocol glue over the same core as the CLI.
//!
//! Notifications change the document store synchronously, in the order they
//! arrive, before their handler first awaits; requests read analysed
//! snapshots. No handler awaits a request to the client: such requests are
//! spawned with a timeout.

mod code_action;
mod diagnostics;
mod documents;
mod guard;
pub mod position;
mod state;
mod to_proto;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use self::guard::guard;
use self::state::State;

/// Serves the protocol on stdin/stdout until the client says exit.
pub async fn run_stdio() {
    let (service, socket) = service();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

/// The server as a tower service, for stdio or for tests over any stream.
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
        Ok(self.state.initialize(&params))
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("initialized");
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

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(analysis) = self.state.analysis(&params.text_document.uri) else {
            return Ok(None);
        };
        let encoding = self.state.encoding();
        guard("textDocument/codeAction", || {
            Some(code_action::code_actions(&analysis, params.range, encoding))
        })
    }
}
