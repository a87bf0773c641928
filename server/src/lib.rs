//! smallbatch: spec-driven work with AI coding agents.
//!
//! The layers point downward only: `cli` calls `lint` and `spec`; `lint`
//! calls `spec`; `spec` is pure (no I/O) and works in byte offsets.

pub mod cli;
pub mod config;
pub mod ide;
pub mod lint;
pub mod lsp;
pub mod session;
pub mod spec;
pub mod units;
pub mod workspace;
