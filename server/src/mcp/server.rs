//! The MCP server: what it serves from (the workspace, the session named in
//! the environment), and the protocol's handlers, each a call into
//! [`tools`](super::tools) or [`resources`](super::resources) off the
//! async threads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ReadResourceRequestParams,
    ReadResourceResponse, ServerCapabilities, ServerConfig,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{ErrorData as McpError, Peer, RoleServer, ServerHandler};
use serde_json::{Value, json};

use super::resources;
use super::tools::{self, ToolError};
use crate::session::actions::{CurrentSession, Sessions};

pub use crate::session::actions::SESSION_VAR;

/// What the server serves from.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The workspace root, found from the working directory as the CLI finds it.
    root: PathBuf,
    /// The working directory: `spec_check` paths are relative to it.
    cwd: PathBuf,
    /// The session named in [`SESSION_VAR`], if any.
    named: Option<String>,
    /// This program, for `spec_check`.
    program: PathBuf,
}

impl Scope {
    pub fn new(root: PathBuf, cwd: PathBuf, named: Option<String>, program: PathBuf) -> Scope {
        Scope {
            root,
            cwd,
            named: named.filter(|id| !id.trim().is_empty()),
            program,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The workspace's sessions, read afresh for each call (the
    /// configuration and the records change while the server runs).
    fn sessions(&self) -> Result<Sessions, ToolError> {
        Sessions::open(self.root.clone(), self.root.clone())
            .map_err(|failure| ToolError::from(crate::session::actions::ActionError::from(failure)))
    }

    /// The session the tools act on.
    pub fn current(&self) -> Result<(Sessions, CurrentSession), ToolError> {
        let sessions = self.sessions()?;
        let current = sessions.current(self.named.as_deref())?;
        Ok((sessions, current))
    }

    /// The session the tools act on, when it is the one its spec's
    /// commands would change.
    pub fn writable(&self) -> Result<(Sessions, CurrentSession), ToolError> {
        let (sessions, current) = self.current()?;
        current.writable().map_err(|refusal| {
            ToolError::from(crate::session::actions::ActionError::from(refusal))
        })?;
        Ok((sessions, current))
    }

    /// The id of the session the tools act on, if there is one.
    fn current_id(&self) -> Option<String> {
        self.current().ok().map(|(_, current)| current.record.id)
    }

    /// `smallbatch check --format json [path]` in the working directory:
    /// the CLI's own report, so the two cannot differ.
    pub fn check(&self, path: Option<&str>) -> Result<Value, ToolError> {
        let failed = |message: String| ToolError {
            kind: "failed",
            message,
        };
        let output = Command::new(&self.program)
            .arg("check")
            .args(path)
            .args(["--format", "json"])
            .current_dir(&self.cwd)
            .output()
            .map_err(|e| failed(format!("cannot run `smallbatch check`: {e}")))?;
        let report: Option<Value> = serde_json::from_slice(&output.stdout).ok();
        match report {
            Some(report) if report.get("error").is_none() => Ok(report),
            _ => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let line = stderr.lines().next().unwrap_or("no diagnostics were given");
                Err(failed(line.trim_start_matches("error: ").to_string()))
            }
        }
    }
}

/// `smallbatch mcp`'s handlers.
#[derive(Debug, Clone)]
pub struct McpServer {
    scope: Arc<Scope>,
    /// The session last seen (`None` before the first call), to say when
    /// it changes.
    seen: Arc<Mutex<Option<Option<String>>>>,
}

const INSTRUCTIONS: &str = "smallbatch runs spec-driven work as sessions: one scenario, one session, one commit, one summary. Start with session_status and session_context; record progress with session_checkpoint; if you must stop early, call session_pause with notes and next steps; when the scenario is done and committed (the commit message names it), call session_complete with your summary, then stop: the next scenario is a fresh session.";

impl McpServer {
    pub fn new(scope: Scope) -> McpServer {
        McpServer {
            scope: Arc::new(scope),
            seen: Arc::new(Mutex::new(None)),
        }
    }

    /// Runs `work` on the blocking threads (the actions read and write
    /// files, run git and the pipeline), then says when the session the
    /// tools act on has changed.
    async fn off_thread<T: Send + 'static>(
        &self,
        peer: &Peer<RoleServer>,
        work: impl FnOnce(&Scope) -> T + Send + 'static,
    ) -> Result<T, McpError> {
        let scope = Arc::clone(&self.scope);
        let (answer, now) = tokio::task::spawn_blocking(move || {
            let answer = work(&scope);
            (answer, scope.current_id())
        })
        .await
        .map_err(|e| McpError::internal_error(format!("the call did not finish: {e}"), None))?;
        let changed = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let changed = seen.as_ref().is_some_and(|before| *before != now);
            *seen = Some(now);
            changed
        };
        if changed && let Err(error) = peer.notify_resource_list_changed().await {
            tracing::debug!("cannot say that the resources changed: {error}");
        }
        Ok(answer)
    }
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_resources()
            .enable_resources_list_changed()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("smallbatch", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    /// Notes the session once the handshake is over (off the path of the
    /// `initialize` answer), so that a change by the first call is told.
    async fn on_initialized(&self, _: NotificationContext<RoleServer>) {
        let scope = Arc::clone(&self.scope);
        if let Ok(now) = tokio::task::spawn_blocking(move || scope.current_id()).await {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.get_or_insert(now);
        }
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let name = request.name.to_string();
        let span = tracing::info_span!("tool", name = %name);
        let _entered = span.enter();
        if !tools::names().contains(&name.as_str()) {
            let message = format!(
                "unknown tool `{name}`; the tools are {}",
                tools::names().join(", ")
            );
            return Err(McpError::invalid_params(message, None));
        }
        let arguments = request.arguments;
        let outcome = self
            .off_thread(&context.peer, move |scope| {
                tools::call(scope, &name, arguments)
            })
            .await?;
        let result = match outcome {
            Some(Ok(answer)) => {
                let mut result = CallToolResult::success(vec![ContentBlock::text(answer.text)]);
                result.structured_content = Some(answer.value);
                result
            }
            Some(Err(error)) => {
                tracing::info!("{}: {}", error.kind, error.message);
                let mut result =
                    CallToolResult::error(vec![ContentBlock::text(error.message.clone())]);
                result.structured_content =
                    Some(json!({"error": {"kind": error.kind, "message": error.message}}));
                result
            }
            None => return Err(McpError::invalid_params("unknown tool", None)),
        };
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        _: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let listed = self.off_thread(&context.peer, resources::list).await?;
        Ok(ListResourcesResult::with_all_items(listed))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri;
        let read = self
            .off_thread(&context.peer, move |scope| resources::read(scope, &uri))
            .await??;
        Ok(read.into())
    }
}
