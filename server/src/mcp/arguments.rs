//! A tool's arguments, read by name: a missing one or one of the wrong type
//! is a tool error that names it, so that the model can call again.

use serde_json::{Map, Value};

/// Why a tool's arguments cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{tool}: {message}")]
pub struct ArgumentError {
    tool: String,
    message: String,
}

/// The arguments of one call.
#[derive(Debug)]
pub struct Arguments<'a> {
    tool: &'a str,
    map: Map<String, Value>,
}

impl<'a> Arguments<'a> {
    /// The call's arguments; refuses names the tool does not take.
    pub fn new(
        tool: &'a str,
        map: Option<Map<String, Value>>,
        takes: &[&str],
    ) -> Result<Arguments<'a>, ArgumentError> {
        let map = map.unwrap_or_default();
        let arguments = Arguments { tool, map };
        if let Some(name) = arguments.map.keys().find(|k| !takes.contains(&k.as_str())) {
            let takes = match takes {
                [] => "none".to_string(),
                names => names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            return Err(arguments.error(format!("unknown argument `{name}`; it takes {takes}")));
        }
        Ok(arguments)
    }

    fn error(&self, message: String) -> ArgumentError {
        ArgumentError {
            tool: self.tool.to_string(),
            message,
        }
    }

    /// A string that must be given (and not be blank).
    pub fn string(&self, name: &str) -> Result<String, ArgumentError> {
        match self.optional_string(name)? {
            Some(text) if !text.trim().is_empty() => Ok(text),
            Some(_) => Err(self.error(format!("the argument `{name}` is empty: give some text"))),
            None => Err(self.error(format!("the argument `{name}` (a string) is missing"))),
        }
    }

    /// A string, when given (`null` counts as not given).
    pub fn optional_string(&self, name: &str) -> Result<Option<String>, ArgumentError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.wrong_type(name, "a string", other)),
        }
    }

    /// A list of strings, empty when not given.
    pub fn strings(&self, name: &str) -> Result<Vec<String>, ArgumentError> {
        let items = match self.map.get(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(self.wrong_type(name, "an array of strings", other)),
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::String(text) => Ok(text.clone()),
                other => Err(self.error(format!(
                    "item {index} of the argument `{name}` must be a string, not {}",
                    kind(other)
                ))),
            })
            .collect()
    }

    fn wrong_type(&self, name: &str, expected: &str, found: &Value) -> ArgumentError {
        self.error(format!(
            "the argument `{name}` must be {expected}, not {}",
            kind(found)
        ))
    }
}

/// A JSON value's type in words.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(value: Value, takes: &[&str]) -> Result<Arguments<'static>, ArgumentError> {
        let Value::Object(map) = value else {
            panic!("an object")
        };
        Arguments::new("session_pause", Some(map), takes)
    }

    #[test]
    fn each_wrong_argument_is_named_with_what_it_should_be() {
        let call = args(
            json!({"notes": 5, "nextSteps": ["a", 2]}),
            &["notes", "nextSteps"],
        )
        .expect("known names");
        assert_eq!(
            call.string("notes").expect_err("a number").to_string(),
            "session_pause: the argument `notes` must be a string, not a number"
        );
        assert_eq!(
            call.strings("nextSteps").expect_err("an item").to_string(),
            "session_pause: item 1 of the argument `nextSteps` must be a string, not a number"
        );
        assert_eq!(
            call.string("summary").expect_err("missing").to_string(),
            "session_pause: the argument `summary` (a string) is missing"
        );
    }

    #[test]
    fn unknown_names_are_refused_and_null_is_not_given() {
        let error = args(json!({"verbose": true}), &[]).expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "session_pause: unknown argument `verbose`; it takes none"
        );
        let call = args(json!({"path": null, "steps": null}), &["path", "steps"]).expect("known");
        assert_eq!(call.optional_string("path"), Ok(None));
        assert_eq!(call.strings("steps"), Ok(Vec::new()));
        let blank = args(json!({"note": "  "}), &["note"]).expect("known");
        assert!(blank.string("note").is_err());
    }
}
