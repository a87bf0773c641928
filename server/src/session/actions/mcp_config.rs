//! What `run` hands an agent that takes an MCP server (`[mcp]` in the
//! configuration): a client configuration naming `smallbatch mcp` with the
//! session's id, written into the session's folder, and the agent's `[mcp]`
//! arguments, with its path for `{mcp_config}`, after its command.

use serde_json::json;

use super::{ActionError, Sessions, Started, Target};
use crate::config::mcp::MCP_CONFIG;
use crate::config::placeholders;

/// The variable naming the session to `smallbatch mcp`.
pub const SESSION_VAR: &str = "SMALLBATCH_SESSION";

impl Sessions {
    /// `command` with the agent's `[mcp]` arguments after it, once the MCP
    /// configuration they name is written; unchanged for an agent without
    /// an `[mcp]` entry.
    pub(super) fn with_mcp(
        &self,
        target: &Target,
        started: &Started,
        mut command: Vec<String>,
    ) -> Result<Vec<String>, ActionError> {
        let record = &started.record;
        let Some(args) = self.config().mcp.args(record.agent.as_deref()) else {
            return Ok(command);
        };
        // The server is this very program, so that the agent talks to the
        // smallbatch that runs it.
        let program = std::env::current_exe().map_or_else(
            |_| "smallbatch".to_string(),
            |p| p.to_string_lossy().into_owned(),
        );
        let config = json!({
            "mcpServers": {
                "smallbatch": {
                    "type": "stdio",
                    "command": program,
                    "args": ["mcp"],
                    "env": { SESSION_VAR: record.id },
                }
            }
        });
        let text = format!("{config:#}\n");
        let path = self
            .store
            .lock(target.id())?
            .write_mcp_config(&record.id, &text)?;
        let path = path.to_string_lossy();
        let context = started.context_file.to_string_lossy();
        let value = |name: &str| match name {
            MCP_CONFIG => Some(path.as_ref()),
            "context" => Some(context.as_ref()),
            "scenario" => Some(record.unit.name.as_str()),
            "spec" => Some(record.spec.as_str()),
            "session" => Some(record.id.as_str()),
            _ => None,
        };
        command.extend(args.iter().map(|arg| placeholders::fill(arg, value)));
        Ok(command)
    }
}
