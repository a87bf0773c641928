//! `smallbatch mcp`: the MCP server on stdin/stdout (DESIGN §10).

use anyhow::Context;

use super::EXIT_OK;
use super::lsp::log_to_stderr;
use crate::mcp::{SESSION_VAR, Scope};
use crate::workspace;

#[derive(Debug, clap::Args)]
pub struct McpArgs {}

/// Serves the workspace of the working directory, on the session named in
/// `SMALLBATCH_SESSION` (else the workspace's open one), until stdin ends.
pub fn run(_: &McpArgs) -> anyhow::Result<u8> {
    log_to_stderr();
    let cwd = std::env::current_dir().context("cannot find the working directory")?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let root = workspace::find_root(&cwd);
    let named = std::env::var(SESSION_VAR).ok();
    let program = std::env::current_exe().context("cannot find this program's path")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(crate::mcp::run_stdio(Scope::new(root, cwd, named, program)))?;
    Ok(EXIT_OK)
}
