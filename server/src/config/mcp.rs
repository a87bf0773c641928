//! `[mcp]`: for each agent that takes an MCP server, the arguments that
//! hand it ours, added after its command when `smallbatch run` starts it.
//! `{mcp_config}` is the path of the MCP client configuration `run` writes
//! into the session's folder; the agent's placeholders work here too.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, de};

use super::placeholders;

/// The placeholder for the MCP client configuration's path.
pub const MCP_CONFIG: &str = "mcp_config";

/// Agent name → the arguments that hand it the MCP server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct McpConfig {
    pub args: BTreeMap<String, Vec<String>>,
}

impl McpConfig {
    /// The arguments for the agent, when it has an `[mcp]` entry.
    pub fn args(&self, agent: Option<&str>) -> Option<&[String]> {
        self.args.get(agent?).map(Vec::as_slice)
    }
}

impl<'de> Deserialize<'de> for McpConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(McpVisitor)
    }
}

struct McpVisitor;

impl<'de> de::Visitor<'de> for McpVisitor {
    type Value = McpConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of agents and their MCP arguments")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<McpConfig, A::Error> {
        let mut mcp = McpConfig::default();
        while let Some(name) = map.next_key::<String>()? {
            let McpArgs(args) = map.next_value()?;
            mcp.args.insert(name, args);
        }
        Ok(mcp)
    }
}

/// An agent's MCP arguments: placeholders known to agents, or `{mcp_config}`.
struct McpArgs(Vec<String>);

impl<'de> Deserialize<'de> for McpArgs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let args = Vec::<String>::deserialize(deserializer)?;
        let unknown = args.iter().find_map(|arg| {
            placeholders::find(arg)
                .into_iter()
                .map(|(_, name)| name)
                .find(|name| *name != MCP_CONFIG && !placeholders::KNOWN.contains(name))
        });
        if let Some(name) = unknown {
            return Err(de::Error::custom(format!(
                "unknown placeholder `{{{name}}}` in the MCP arguments: use {{{MCP_CONFIG}}} \
                 (the MCP configuration file), {{context}}, {{scenario}}, {{spec}} or {{session}}"
            )));
        }
        Ok(McpArgs(args))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, ConfigError};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new(".smallbatch/config.toml"))
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(config) => panic!("expected an error, got {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    const AGENTS: &str = "[agents]\ndefault = \"claude\"\nclaude = [\"claude\", \"{context}\"]\n";

    #[test]
    fn an_agent_takes_arguments_with_the_config_placeholder() {
        let config = parse(&format!(
            "{AGENTS}\n[mcp]\nclaude = [\"--mcp-config\", \"{{mcp_config}}\", \"--session={{session}}\"]\n"
        ))
        .expect("config");
        assert_eq!(
            config.mcp.args(Some("claude")),
            Some(
                &[
                    "--mcp-config".to_string(),
                    "{mcp_config}".into(),
                    "--session={session}".into()
                ][..]
            )
        );
        let codex = r#"-c", "mcp_servers.smallbatch.env={SMALLBATCH_SESSION=\"{session}\"}"#;
        let config = parse(&format!("{AGENTS}[mcp]\nclaude = [\"{codex}\"]\n"))
            .expect("TOML in an argument");
        assert_eq!(
            config.mcp.args(Some("claude")).map(|a| a[1].as_str()),
            Some(r#"mcp_servers.smallbatch.env={SMALLBATCH_SESSION="{session}"}"#)
        );
        assert_eq!(config.mcp.args(Some("aider")), None);
        assert_eq!(config.mcp.args(None), None);
        assert!(parse(AGENTS).expect("no [mcp]").mcp.args.is_empty());
    }

    #[test]
    fn an_unknown_placeholder_names_line_and_key() {
        let message = error(&format!(
            "{AGENTS}[mcp]\nclaude = [\"--mcp-config\", \"{{config}}\"]\n"
        ));
        assert_eq!(
            message,
            ".smallbatch/config.toml:5:10: `claude` in [mcp]: unknown placeholder `{config}` in \
             the MCP arguments: use {mcp_config} (the MCP configuration file), {context}, \
             {scenario}, {spec} or {session}"
        );
    }

    #[test]
    fn a_wrong_type_names_line_and_key() {
        let message = error(&format!(
            "{AGENTS}[mcp]\nclaude = \"--mcp-config {{mcp_config}}\"\n"
        ));
        assert!(
            message.starts_with(
                ".smallbatch/config.toml:5:10: wrong type for `claude` in [mcp]: expected an array"
            ),
            "{message}"
        );
        let message = error(&format!("{AGENTS}[mcp]\nclaude = [\"--mcp-config\", 1]\n"));
        assert!(
            message.starts_with(
                ".smallbatch/config.toml:5:27: wrong type for an item of `claude` in [mcp]: expected a string"
            ),
            "{message}"
        );
        let message = error("mcp = [\"--mcp-config\"]\n");
        assert!(
            message.starts_with(".smallbatch/config.toml:1:7: wrong type for `mcp`"),
            "{message}"
        );
    }

    #[test]
    fn an_entry_for_an_agent_without_a_command_is_named() {
        let message = error(&format!("{AGENTS}\n[mcp]\ncodex = [\"{{mcp_config}}\"]\n"));
        assert_eq!(
            message,
            ".smallbatch/config.toml:6:1: `codex` in [mcp] names no agent: add its command as \
             `codex = [\"program\", \"{context}\"]` under [agents]"
        );
        match parse(&format!("{AGENTS}\n[mcp]\ncodex = []\n")) {
            Err(ConfigError::Invalid { key, .. }) => assert_eq!(key.as_deref(), Some("mcp.codex")),
            other => panic!("{other:?}"),
        }
    }
}
