//! `.smallbatch/config.toml` (DESIGN §9).
//!
//! Every key is optional and has a default. An unknown key, a wrong type or a
//! bad glob is an error that names the file, the line and column, and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, de};
use toml::de::{DeTable, DeValue};

use crate::spec::LineIndex;

pub mod mcp;
pub mod placeholders;

pub use mcp::McpConfig;

/// Where the configuration lives, relative to the workspace root.
pub const CONFIG_PATH: &str = ".smallbatch/config.toml";

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Globs, relative to the workspace root, of the markdown files that are specs.
    pub specs: Vec<String>,
    /// Globs of Gherkin files (`.feature`, `.feature.md`).
    pub features: Vec<String>,
    /// The units of a spec with neither scenarios nor a plan.
    pub phases: Vec<String>,
    pub session: SessionConfig,
    pub run: RunConfig,
    pub agents: AgentsConfig,
    pub mcp: McpConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            specs: strings(&["specs/**/*.md"]),
            features: strings(&["**/*.feature", "**/*.feature.md"]),
            phases: strings(&[
                "design",
                "implementation",
                "testing",
                "documentation",
                "review",
            ]),
            session: SessionConfig::default(),
            run: RunConfig::default(),
            agents: AgentsConfig::default(),
            mcp: McpConfig::default(),
        }
    }
}

/// `[session]`: how sessions are kept and started.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// How many finished sessions per spec stay out of `archive/`.
    pub keep: usize,
    /// The context load's token budget.
    pub token_budget: usize,
    /// The validation command, as an argument list (never through a shell).
    pub pipeline: Option<Vec<String>>,
    /// Refuse to start a session while the pipeline is red.
    pub require_green_to_start: bool,
    /// A pipeline still running after this many minutes is stopped, and
    /// counts as red (0: no limit).
    pub pipeline_timeout_minutes: Minutes,
    /// Allow more than one active or paused session per spec.
    pub allow_parallel: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            keep: 5,
            token_budget: 3000,
            pipeline: None,
            require_green_to_start: true,
            pipeline_timeout_minutes: Minutes::whole(30),
            allow_parallel: false,
        }
    }
}

/// `[run]`: when a session driven by `smallbatch run` pauses by itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Pause when the agent's output passes this many estimated tokens.
    pub token_threshold: usize,
    /// Pause after this many minutes (0: no limit).
    pub time_limit_minutes: Minutes,
    /// Save a checkpoint every this many minutes (0: none).
    pub checkpoint_minutes: Minutes,
    /// Mark a unit failed after this many failed runs.
    pub max_failures: u32,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            token_threshold: 15_000,
            time_limit_minutes: Minutes::whole(30),
            checkpoint_minutes: Minutes::whole(2),
            max_failures: 3,
        }
    }
}

/// A number of minutes, whole or not (`30`, `0.5`), kept to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes {
    millis: u64,
}

impl Minutes {
    pub const fn whole(minutes: u64) -> Minutes {
        Minutes {
            millis: minutes * 60_000,
        }
    }

    /// The span, or `None` for zero (which turns the limit off).
    pub fn duration(self) -> Option<std::time::Duration> {
        (self.millis > 0).then(|| std::time::Duration::from_millis(self.millis))
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis.is_multiple_of(60_000) {
            write!(f, "{}", self.millis / 60_000)
        } else {
            write!(f, "{}", self.millis as f64 / 60_000.0)
        }
    }
}

impl<'de> Deserialize<'de> for Minutes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MinutesVisitor)
    }
}

struct MinutesVisitor;

/// The most minutes a limit can say: a year.
const MAX_MINUTES: f64 = 525_600.0;

impl de::Visitor<'_> for MinutesVisitor {
    type Value = Minutes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number of minutes (0 or more, e.g. 30 or 0.5)")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Minutes, E> {
        self.visit_f64(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Minutes, E> {
        self.visit_f64(value as f64)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Minutes, E> {
        if !(0.0..=MAX_MINUTES).contains(&value) {
            return Err(E::invalid_value(de::Unexpected::Float(value), &self));
        }
        Ok(Minutes {
            millis: (value * 60_000.0).round() as u64,
        })
    }
}

/// `[agents]`: `default` names an agent; every other key maps an agent name
/// to its command as an argument list with `{context}`, `{scenario}`,
/// `{spec}` and `{session}` placeholders (no others: see [`placeholders`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentsConfig {
    pub default: Option<String>,
    pub commands: BTreeMap<String, Vec<String>>,
}

impl AgentsConfig {
    /// The command of an agent, or of the default agent when `name` is `None`.
    pub fn command(&self, name: Option<&str>) -> Option<&[String]> {
        let name = name.or(self.default.as_deref())?;
        self.commands.get(name).map(Vec::as_slice)
    }
}

impl<'de> Deserialize<'de> for AgentsConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AgentsVisitor)
    }
}

struct AgentsVisitor;

impl<'de> de::Visitor<'de> for AgentsVisitor {
    type Value = AgentsConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of agents")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<AgentsConfig, A::Error> {
        let mut agents = AgentsConfig::default();
        while let Some(name) = map.next_key::<String>()? {
            if name == "default" {
                agents.default = Some(map.next_value()?);
            } else {
                let AgentCommand(command) = map.next_value()?;
                agents.commands.insert(name, command);
            }
        }
        Ok(agents)
    }
}

/// An agent's argument list: at least the program.
struct AgentCommand(Vec<String>);

impl<'de> Deserialize<'de> for AgentCommand {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let args = Vec::<String>::deserialize(deserializer)?;
        if args.is_empty() {
            return Err(de::Error::custom(
                "an agent command needs at least the program to run, e.g. [\"claude\", \"{context}\"]",
            ));
        }
        if let Some(name) = args.iter().find_map(|arg| placeholders::unknown(arg)) {
            return Err(de::Error::custom(format!(
                "unknown placeholder `{{{name}}}` in the agent command: use {}",
                known_placeholders()
            )));
        }
        Ok(AgentCommand(args))
    }
}

/// "{context}, {scenario}, {spec} or {session}".
fn known_placeholders() -> String {
    let names: Vec<String> = placeholders::KNOWN
        .iter()
        .map(|name| format!("{{{name}}}"))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the configuration: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
        /// The dotted key the error is about, when there is one (`session.keep`).
        key: Option<String>,
        message: String,
    },
}

impl ConfigError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ConfigError::Read { path, .. } | ConfigError::Invalid { path, .. } => path,
        }
    }

    /// 1-based line and column, when the error has a position.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Read { .. } => None,
            ConfigError::Invalid { line, column, .. } => Some((*line, *column)),
        }
    }
}

impl Config {
    /// Loads `<root>/.smallbatch/config.toml`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_PATH);
        match std::fs::read(&path) {
            Ok(bytes) => Config::from_bytes(&bytes, &path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    /// Parses the bytes of a configuration file; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Config, ConfigError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Config::from_toml(text, path),
            Err(e) => {
                let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                let (line, column) = LineIndex::new(&valid).line_col(&valid, valid.len());
                Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    column,
                    key: None,
                    message: "the file is not valid UTF-8; save it as UTF-8".to_string(),
                })
            }
        }
    }

    /// Parses a configuration's text; `path` names it in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |span: Range<usize>, key: Option<String>, message: String| {
            let (line, column) = LineIndex::new(text).line_col(text, span.start);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                key,
                message,
            }
        };
        let tree = DeTable::parse(text)
            .map_err(|e| invalid(e.span().unwrap_or(0..0), None, e.message().to_string()))?;
        let config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let place = KeyPlace::find(tree.get_ref(), &span);
            let message = describe(e.message(), &place);
            invalid(span, place.dotted(), message)
        })?;
        config.check_globs().map_err(|(key, index, message)| {
            let span = array_item_span(tree.get_ref(), key, index).unwrap_or(0..0);
            invalid(span, Some(key.to_string()), message)
        })?;
        if let Some(agent) = config
            .mcp
            .args
            .keys()
            .find(|a| !config.agents.commands.contains_key(*a))
        {
            let span = table_key_span(tree.get_ref(), "mcp", agent).unwrap_or(0..0);
            let message = format!(
                "`{agent}` in [mcp] names no agent: add its command as `{agent} = [\"program\", \"{{context}}\"]` under [agents]"
            );
            return Err(invalid(span, Some(format!("mcp.{agent}")), message));
        }
        Ok(config)
    }

    /// Checks that every glob compiles; on failure gives the key, the index
    /// in its list and a message.
    fn check_globs(&self) -> Result<(), (&'static str, usize, String)> {
        for (key, globs) in [("specs", &self.specs), ("features", &self.features)] {
            for (index, glob) in globs.iter().enumerate() {
                if let Err(e) = globset::Glob::new(glob) {
                    return Err((key, index, format!("bad glob in `{key}`: {e}")));
                }
            }
        }
        Ok(())
    }
}

/// Where in the key tree an error span falls.
#[derive(Debug, Default)]
struct KeyPlace {
    /// Dotted path of keys, outermost first.
    path: Vec<String>,
    /// The span is inside an element of the array the key holds.
    in_array: bool,
}

impl KeyPlace {
    /// The deepest key whose name or value holds `span`.
    fn find(table: &DeTable<'_>, span: &Range<usize>) -> KeyPlace {
        let mut place = KeyPlace::default();
        find_in_table(table, span, &mut place);
        place
    }

    fn dotted(&self) -> Option<String> {
        (!self.path.is_empty()).then(|| self.path.join("."))
    }

    /// The last key, in backticks.
    fn key(&self) -> String {
        self.path
            .last()
            .map_or_else(|| "the file".to_string(), |k| format!("`{k}`"))
    }

    /// ` in [session]` for a key of a table; empty at the top level.
    fn table(&self) -> String {
        match self.path.len() {
            0 | 1 => String::new(),
            n => format!(" in [{}]", self.path[..n - 1].join(".")),
        }
    }
}

fn find_in_table(table: &DeTable<'_>, span: &Range<usize>, place: &mut KeyPlace) -> bool {
    for (key, value) in table.iter() {
        let depth = place.path.len();
        place.path.push(key.get_ref().to_string());
        if let DeValue::Table(inner) = value.get_ref()
            && find_in_table(inner, span, place)
        {
            return true;
        }
        if contains(&key.span(), span) {
            return true;
        }
        if contains(&value.span(), span) {
            place.in_array = value.get_ref().is_array() && value.span() != *span;
            return true;
        }
        place.path.truncate(depth);
    }
    false
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The span of the key `key` in the table `table` (`[mcp]`).
fn table_key_span(tree: &DeTable<'_>, table: &str, key: &str) -> Option<Range<usize>> {
    let (_, value) = tree.iter().find(|(k, _)| k.get_ref() == table)?;
    let DeValue::Table(inner) = value.get_ref() else {
        return None;
    };
    inner
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(k, _)| k.span())
}

/// The span of `table[key][index]`.
fn array_item_span(table: &DeTable<'_>, key: &str, index: usize) -> Option<Range<usize>> {
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == key)?;
    value
        .get_ref()
        .as_array()?
        .get(index)
        .map(|item| item.span())
}

/// Rewrites a serde message so that it names the key and says what to do.
fn describe(message: &str, place: &KeyPlace) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.replace('`', "").replace("one of ", "");
        let table = place.table();
        return format!("unknown key {name}{table}; expected one of {expected}");
    }
    for (prefix, what) in [
        ("invalid type: ", "wrong type"),
        ("invalid value: ", "invalid value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let subject = if place.in_array {
                format!("an item of {}", place.key())
            } else {
                place.key()
            };
            let expected = plain_type(expected);
            let table = place.table();
            return format!("{what} for {subject}{table}: expected {expected}, found {found}");
        }
    }
    if place.path.is_empty() {
        message.to_string()
    } else {
        format!("{}{}: {message}", place.key(), place.table())
    }
}

/// Serde's type names in words.
fn plain_type(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)",
        "a sequence" => "an array",
        "a map" => "a table",
        other if other.starts_with("struct ") => "a table",
        other => other,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new(".smallbatch/config.toml"))
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(config) => panic!("expected an error, got {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let config = parse("").expect("empty config");
        assert_eq!(config, Config::default());
        assert_eq!(config.specs, ["specs/**/*.md"]);
        assert_eq!(config.features, ["**/*.feature", "**/*.feature.md"]);
        assert_eq!(
            config.phases,
            [
                "design",
                "implementation",
                "testing",
                "documentation",
                "review"
            ]
        );
        assert_eq!(config.session.keep, 5);
        assert_eq!(config.session.token_budget, 3000);
        assert_eq!(config.session.pipeline, None);
        assert!(config.session.require_green_to_start);
        assert!(!config.session.allow_parallel);
        assert_eq!(config.run.token_threshold, 15_000);
        assert_eq!(config.run.time_limit_minutes, Minutes::whole(30));
        assert_eq!(config.run.checkpoint_minutes, Minutes::whole(2));
        assert_eq!(config.run.max_failures, 3);
        assert_eq!(config.agents, AgentsConfig::default());
    }

    #[test]
    fn a_missing_file_gives_the_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            Config::load(dir.path()).expect("defaults"),
            Config::default()
        );
    }

    #[test]
    fn a_full_config_sets_every_key() {
        let config = parse(
            r#"
specs = ["docs/specs/*.md"]
features = ["features/**/*.feature"]
phases = ["design", "build"]

[session]
keep = 7
token_budget = 4000
pipeline = ["cargo", "test"]
require_green_to_start = false
allow_parallel = true

[run]
token_threshold = 20000
time_limit_minutes = 45
checkpoint_minutes = 5
max_failures = 2

[agents]
default = "claude"
claude = ["claude", "--append-system-prompt-file", "{context}"]
aider = ["aider", "--message-file", "{context}"]
"#,
        )
        .expect("full config");
        assert_eq!(config.specs, ["docs/specs/*.md"]);
        assert_eq!(config.features, ["features/**/*.feature"]);
        assert_eq!(config.phases, ["design", "build"]);
        assert_eq!(
            config.session,
            SessionConfig {
                keep: 7,
                token_budget: 4000,
                pipeline: Some(strings(&["cargo", "test"])),
                require_green_to_start: false,
                pipeline_timeout_minutes: Minutes::whole(30),
                allow_parallel: true,
            }
        );
        assert_eq!(
            config.run,
            RunConfig {
                token_threshold: 20_000,
                time_limit_minutes: Minutes::whole(45),
                checkpoint_minutes: Minutes::whole(5),
                max_failures: 2,
            }
        );
        assert_eq!(config.agents.default.as_deref(), Some("claude"));
        assert_eq!(
            config.agents.command(None),
            Some(&strings(&["claude", "--append-system-prompt-file", "{context}"])[..])
        );
        assert_eq!(
            config.agents.command(Some("aider")).map(|c| c[0].as_str()),
            Some("aider")
        );
    }

    #[test]
    fn a_partial_table_keeps_the_other_defaults() {
        let config = parse("[session]\nkeep = 2\n").expect("config");
        assert_eq!(config.session.keep, 2);
        assert_eq!(config.session.token_budget, 3000);
        assert_eq!(config.run, RunConfig::default());
    }

    #[test]
    fn an_unknown_key_names_file_line_and_key() {
        let message = error("specs = [\"specs/*.md\"]\n\n[session]\nkep = 3\n");
        assert_eq!(
            message,
            ".smallbatch/config.toml:4:1: unknown key `kep` in [session]; expected one of \
             keep, token_budget, pipeline, require_green_to_start, pipeline_timeout_minutes, \
             allow_parallel"
        );
    }

    #[test]
    fn an_unknown_table_is_named() {
        let message = error("\n[sesion]\nkeep = 1\n");
        assert!(
            message.starts_with(
                ".smallbatch/config.toml:2:2: unknown key `sesion`; expected one of specs,"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_wrong_type_names_line_column_and_key() {
        let err = parse("[run]\nmax_failures = 3\ntime_limit_minutes = \"soon\"\n")
            .expect_err("wrong type");
        assert_eq!(err.position(), Some((3, 22)));
        assert_eq!(
            err.to_string(),
            ".smallbatch/config.toml:3:22: wrong type for `time_limit_minutes` in [run]: \
             expected a number of minutes (0 or more, e.g. 30 or 0.5), found string \"soon\""
        );
    }

    #[test]
    fn minutes_may_be_fractions_and_zero_turns_a_limit_off() {
        let config =
            parse("[run]\ntime_limit_minutes = 0.5\ncheckpoint_minutes = 0\n").expect("minutes");
        assert_eq!(
            config.run.time_limit_minutes.duration(),
            Some(std::time::Duration::from_secs(30))
        );
        assert_eq!(config.run.time_limit_minutes.to_string(), "0.5");
        assert_eq!(config.run.checkpoint_minutes.duration(), None);
        let message = error("[run]\ntime_limit_minutes = -1\n");
        assert!(
            message.starts_with(".smallbatch/config.toml:2:22:")
                && message.contains("time_limit_minutes")
                && message.contains("0 or more"),
            "{message}"
        );
    }

    #[test]
    fn a_wrong_item_type_in_a_list_is_named() {
        let message = error("phases = [\"design\", 3]\n");
        assert_eq!(
            message,
            ".smallbatch/config.toml:1:21: wrong type for an item of `phases`: \
             expected a string, found integer `3`"
        );
    }

    #[test]
    fn a_negative_number_is_an_invalid_value() {
        let message = error("[session]\nkeep = -1\n");
        assert!(
            message
                .starts_with(".smallbatch/config.toml:2:8: invalid value for `keep` in [session]"),
            "{message}"
        );
    }

    #[test]
    fn dotted_keys_are_checked_too() {
        let message = error("session.allow_parallel = \"yes\"\n");
        assert!(
            message.starts_with(
                ".smallbatch/config.toml:1:26: wrong type for `allow_parallel` in [session]"
            ),
            "{message}"
        );
    }

    #[test]
    fn an_agent_must_be_an_argument_list() {
        let message = error("[agents]\ndefault = \"claude\"\nclaude = \"claude {context}\"\n");
        assert!(
            message.starts_with(".smallbatch/config.toml:3:10: wrong type for `claude` in [agents]: expected an array"),
            "{message}"
        );
        let message = error("[agents]\nclaude = []\n");
        assert!(
            message.starts_with(
                ".smallbatch/config.toml:2:10: `claude` in [agents]: an agent command needs"
            ),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_placeholder_in_an_agent_command_is_named() {
        let message =
            error("[agents]\ndefault = \"a\"\na = [\"a\", \"{context}\", \"--unit={unit}\"]\n");
        assert_eq!(
            message,
            ".smallbatch/config.toml:3:5: `a` in [agents]: unknown placeholder `{unit}` in the \
             agent command: use {context}, {scenario}, {spec} or {session}"
        );
        let config = parse("[agents]\na = [\"a\", \"{\\\"json\\\": {}}\", \"{scenario}\"]\n")
            .expect("no placeholder in JSON");
        assert_eq!(config.agents.commands["a"][1], "{\"json\": {}}");
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let err = parse("specs = [\"a\"\nphases = 1\n").expect_err("syntax");
        assert!(err.position().is_some(), "{err}");
    }

    #[test]
    fn a_bad_glob_is_named() {
        let message = error("specs = [\"specs/*.md\", \"specs/[a.md\"]\n");
        assert!(
            message.starts_with(".smallbatch/config.toml:1:24: bad glob in `specs`"),
            "{message}"
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_is_an_error() {
        let err =
            Config::from_bytes(b"keep = 1\n# \xff\n", Path::new("c.toml")).expect_err("not utf-8");
        assert_eq!(err.position(), Some((2, 3)));
    }
}
