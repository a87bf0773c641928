//! The integration suites, one module each, in one test crate: the real
//! binary as a CLI and as a server, in temporary folders and git
//! repositories; Cucumber's corpus; the README's examples.

/// What the suites share: the test client of the language server,
/// temporary repositories and the binary, spec texts.
mod support {
    #[path = "lsp.rs"]
    pub mod lsp;
    #[path = "repo.rs"]
    pub mod repo;
    #[path = "specs.rs"]
    pub mod specs;
}

#[path = "check_equals_server.rs"]
mod check_equals_server;
#[path = "check_scenarios.rs"]
mod check_scenarios;
#[path = "check_sessions.rs"]
mod check_sessions;
#[path = "cli_check.rs"]
mod cli_check;
#[path = "cli_output.rs"]
mod cli_output;
#[path = "finished_specs.rs"]
mod finished_specs;
#[path = "flavors.rs"]
mod flavors;
#[path = "front_matter_references.rs"]
mod front_matter_references;
#[path = "gherkin_conformance.rs"]
mod gherkin_conformance;
#[path = "layers.rs"]
mod layers;
#[path = "leanspec.rs"]
mod leanspec;
#[path = "leanspec_history.rs"]
mod leanspec_history;
#[path = "linked_files.rs"]
mod linked_files;
#[path = "lint_fixtures.rs"]
mod lint_fixtures;
#[path = "lsp_framing.rs"]
mod lsp_framing;
#[path = "lsp_navigation.rs"]
mod lsp_navigation;
#[path = "lsp_plans.rs"]
mod lsp_plans;
#[path = "lsp_protocol.rs"]
mod lsp_protocol;
#[path = "lsp_semantic_tokens.rs"]
mod lsp_semantic_tokens;
#[path = "lsp_sessions.rs"]
mod lsp_sessions;
#[path = "lsp_workspace.rs"]
mod lsp_workspace;
#[path = "mcp_editor.rs"]
mod mcp_editor;
#[path = "readme.rs"]
mod readme;
#[path = "session_abandon.rs"]
mod session_abandon;
#[path = "session_cli.rs"]
mod session_cli;
#[path = "session_context.rs"]
mod session_context;
#[path = "session_log_entries.rs"]
mod session_log_entries;
#[path = "session_pipeline.rs"]
mod session_pipeline;
#[path = "session_records.rs"]
mod session_records;
#[path = "session_run.rs"]
mod session_run;
#[path = "session_spec_copy.rs"]
mod session_spec_copy;
#[path = "session_spec_writes.rs"]
mod session_spec_writes;
#[path = "session_store.rs"]
mod session_store;
#[path = "session_targets.rs"]
mod session_targets;
#[path = "session_unusual_specs.rs"]
mod session_unusual_specs;
#[path = "spec_model.rs"]
mod spec_model;
#[path = "unit_progress.rs"]
mod unit_progress;
