//! `smallbatch mcp` (DESIGN §10): the Model Context Protocol on stdio, for
//! the agent inside a session. The tools are thin calls into the session
//! actions the CLI uses, under the same rules; the resources are the
//! current session's context load and record. Logs go to stderr only.

mod arguments;
mod resources;
mod server;
mod tools;

use rmcp::ServiceExt;

pub use server::{McpServer, SESSION_VAR, Scope};

/// Serves `scope` on stdin/stdout until the client goes away.
pub async fn run_stdio(scope: Scope) -> anyhow::Result<()> {
    tracing::info!("serving MCP for {}", scope.root().display());
    let running = match McpServer::new(scope)
        .serve(rmcp::transport::stdio_pipes())
        .await
    {
        Ok(running) => running,
        Err(error) => {
            // The client went away before the handshake ended: nothing to serve.
            tracing::warn!("the MCP client did not initialize: {error}");
            return Ok(());
        }
    };
    let reason = running.waiting().await?;
    tracing::info!("the MCP session ended: {reason:?}");
    Ok(())
}
