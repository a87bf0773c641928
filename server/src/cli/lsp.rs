//! `smallbatch lsp [--stdio]`: the language server on stdin/stdout.

use anyhow::Context;
use tracing_subscriber::EnvFilter;

use super::EXIT_OK;
use crate::lsp::Ending;

/// Exit status after `exit` without `shutdown` before it (LSP 3.17, `exit`).
const EXIT_WITHOUT_SHUTDOWN: u8 = 1;

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Serve on stdin/stdout (the only transport; accepted because editor
    /// clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Logs to stderr only, filtered by `SMALLBATCH_LOG`, else `RUST_LOG`, else
/// warnings and errors (the servers' stdout carries their protocol).
pub(super) fn log_to_stderr() {
    let filter = std::env::var("SMALLBATCH_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}

/// Logs go to stderr only (stdout carries the protocol), filtered by
/// `SMALLBATCH_LOG`, else `RUST_LOG`, else warnings and errors. Exits 0 after
/// `shutdown` and `exit` or at the end of stdin, 1 after `exit` alone.
pub fn run(_: &LspArgs) -> anyhow::Result<u8> {
    log_to_stderr();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    match runtime.block_on(crate::lsp::run_stdio()) {
        Ending::Exit {
            after_shutdown: false,
        } => Ok(EXIT_WITHOUT_SHUTDOWN),
        Ending::Exit {
            after_shutdown: true,
        }
        | Ending::EndOfInput => Ok(EXIT_OK),
    }
}
