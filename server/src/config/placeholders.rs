//! The placeholders of an agent's command: `{context}`, `{scenario}`,
//! `{spec}` and `{session}`. An argument is scanned once and each
//! placeholder replaced in that one pass, so that a value holding a
//! placeholder's name (a scenario named `{session}`) is handed over as
//! written.

use std::ops::Range;

/// The placeholders an agent command may use.
pub const KNOWN: [&str; 4] = ["context", "scenario", "spec", "session"];

/// The placeholders of an argument, with their byte ranges: `{name}` where
/// the name is one or more ASCII letters, digits, `_` or `-` (so that JSON
/// such as `{"a": 1}` is no placeholder).
pub fn find(arg: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = arg[from..].find('{').map(|at| from + at) {
        let name_len = arg[open + 1..]
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            .count();
        let close = open + 1 + name_len;
        if name_len > 0 && arg.as_bytes().get(close) == Some(&b'}') {
            found.push((open..close + 1, &arg[open + 1..close]));
            from = close + 1;
        } else {
            from = open + 1;
        }
    }
    found
}

/// The first placeholder of `arg` that is not a known one.
pub fn unknown(arg: &str) -> Option<&str> {
    find(arg)
        .into_iter()
        .map(|(_, name)| name)
        .find(|name| !KNOWN.contains(name))
}

/// `arg` with each placeholder replaced by `value(name)`, in one pass: the
/// values put in are not looked at again; a placeholder without a value is
/// kept as written.
pub fn fill<'v>(arg: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut filled = String::with_capacity(arg.len());
    let mut copied = 0;
    for (range, name) in find(arg) {
        if let Some(value) = value(name) {
            filled.push_str(&arg[copied..range.start]);
            filled.push_str(value);
            copied = range.end;
        }
    }
    filled.push_str(&arg[copied..]);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Option<&'static str> {
        match name {
            "scenario" => Some("{session}"),
            "session" => Some("s-1"),
            "context" => Some("{context}.md"),
            _ => None,
        }
    }

    #[test]
    fn each_placeholder_is_filled_once_and_its_value_left_alone() {
        assert_eq!(fill("{scenario}", values), "{session}");
        assert_eq!(fill("{scenario}/{session}", values), "{session}/s-1");
        assert_eq!(fill("--read={context}", values), "--read={context}.md");
        assert_eq!(fill("{session}{session}", values), "s-1s-1");
    }

    #[test]
    fn text_that_is_no_known_placeholder_is_kept() {
        assert_eq!(fill("plain", values), "plain");
        assert_eq!(fill("{unit} {}", values), "{unit} {}");
        assert_eq!(fill(r#"{"a": {session}}"#, values), r#"{"a": s-1}"#);
        assert_eq!(fill("{{session}}", values), "{s-1}");
        assert_eq!(fill("{session", values), "{session");
        assert_eq!(fill("é{session}€", values), "és-1€");
    }

    #[test]
    fn unknown_placeholders_are_found() {
        assert_eq!(unknown("--x={context}"), None);
        assert_eq!(unknown("{context}-{unit}"), Some("unit"));
        assert_eq!(unknown(r#"{"json": true}"#), None);
        assert_eq!(find("a{spec}b{x y}"), vec![(1..7, "spec")]);
    }
}
