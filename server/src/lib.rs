//! smallbatch: spec-driven work with AI coding agents.
//!
//! The layers point downward only (DESIGN §1; `tests/layers.rs` checks
//! every `crate::` path):
//!
//! ```text
//! cli, lsp, mcp → analysis → session → workspace → config
//!                 lint, ide → units → spec
//! ```
//!
//! - `spec`: markdown and Gherkin → the Spec model; pure, byte offsets,
//!   calls nothing of ours.
//! - `units`: units of work, the session facts the rules read, and the one
//!   progress rule.
//! - `lint`, `ide`: diagnostics and editor features over the model and
//!   the facts; pure, no LSP types.
//! - `config`, `workspace`: the configuration; discovery and loading of
//!   specs and linked files (no records).
//! - `session`: records and the store (all access to
//!   `.smallbatch/sessions/`), git facts, facts for lint, context loads,
//!   the pipeline, the agent runner, the session commands.
//! - `analysis`: a file as smallbatch sees it, for `check` and the server.
//! - `lsp`, `mcp`, `cli`: protocol glue (LSP for editors, MCP for the
//!   agent inside a session) and subcommands over the same core.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod ide;
pub mod lint;
pub mod lsp;
pub mod mcp;
pub mod session;
pub mod spec;
pub mod units;
pub mod workspace;
