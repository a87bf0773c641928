//! YAML front matter (LeanSpec fields; unknown keys kept).

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

/// The front matter block of a spec.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrontMatter {
    /// The whole block, from the opening `---` to the end of the closing one.
    pub span: Range<usize>,
    /// The YAML between the fences.
    pub body_span: Range<usize>,
    /// Every key as parsed (known keys too).
    pub values: BTreeMap<String, Value>,
    /// The line of every top-level key, by key.
    pub key_spans: BTreeMap<String, Range<usize>>,
    /// Problems found while reading it (malformed YAML).
    pub errors: Vec<FrontMatterError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub message: String,
    pub span: Range<usize>,
}

impl FrontMatter {
    /// Finds and reads the front matter at the very start of `text` (after an
    /// optional byte order mark): a `---` line, YAML, and a `---` or `...` line.
    pub fn parse(text: &str) -> Option<FrontMatter> {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut lines = lines_from(text, start);
        let first = lines.next()?;
        if text[first.start..first.end].trim_end() != "---" {
            return None;
        }
        let body_start = first.next;
        let mut body_end = None;
        let mut block_end = text.len();
        for line in lines.by_ref() {
            let content = text[line.start..line.end].trim_end();
            if content == "---" || content == "..." {
                body_end = Some(line.start);
                block_end = line.end;
                break;
            }
        }
        // An unclosed block is not front matter: it is a thematic break.
        let body_end = body_end?;
        let body = &text[body_start..body_end];
        let mut front_matter = FrontMatter {
            span: start..block_end,
            body_span: body_start..body_end,
            key_spans: key_lines(text, body_start, body_end),
            ..FrontMatter::default()
        };
        if body.trim().is_empty() {
            return Some(front_matter);
        }
        match serde_saphyr::from_str::<BTreeMap<String, Value>>(body) {
            Ok(values) => front_matter.values = values,
            Err(error) => {
                let span = error
                    .location()
                    .and_then(|loc| line_span(text, body_start, body_end, loc.line() as usize))
                    .unwrap_or(first.start..first.end);
                let message = yaml_message(&error.to_string());
                front_matter.errors.push(FrontMatterError {
                    message: format!("the front matter is not valid YAML: {message}"),
                    span,
                });
            }
        }
        Some(front_matter)
    }

    /// A top-level string value.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// A value that may be a single string or a list of strings (`depends_on`).
    pub fn strings(&self, key: &str) -> Vec<String> {
        match self.values.get(key) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Number(n)) => vec![n.to_string()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The range to report a problem with `key` at: its line, else the block.
    pub fn key_span(&self, key: &str) -> Range<usize> {
        self.key_spans
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.span.start..self.span.start + 3)
    }

    /// The range of `value` as written under `key` (in a flow list on the
    /// key's line or in a block list below it), else the key's line.
    pub fn value_span(&self, text: &str, key: &str, value: &str) -> Range<usize> {
        let Some(key_line) = self.key_spans.get(key) else {
            return self.key_span(key);
        };
        // Search from the key's line to the next top-level key.
        let end = self
            .key_spans
            .values()
            .map(|r| r.start)
            .filter(|&s| s > key_line.start)
            .min()
            .unwrap_or(self.body_span.end);
        let region = &text[key_line.start..end];
        let mut from = key.len() + 1;
        while let Some(found) = region.get(from..).and_then(|r| r.find(value)) {
            let at = from + found;
            let before = region[..at].chars().next_back();
            let after = region[at + value.len()..].chars().next();
            let delimited = |c: Option<char>| {
                c.is_none_or(|c| {
                    c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\'' | '-' | ':')
                })
            };
            if delimited(before) && delimited(after) {
                return key_line.start + at..key_line.start + at + value.len();
            }
            from = at + value.len();
        }
        key_line.clone()
    }
}

/// One line of a text: its content (without the line break) and where the
/// next line starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// The lines of `text` from byte `at` on; a line ends at `\n`, `\r\n` or `\r`.
pub(crate) fn lines_from(text: &str, at: usize) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let mut at = at;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
        let next = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        at = next;
        Some(Line { start, end, next })
    })
}

/// The line of every top-level `key:` of the YAML body.
fn key_lines(text: &str, start: usize, end: usize) -> BTreeMap<String, Range<usize>> {
    let mut keys = BTreeMap::new();
    for line in lines_from(&text[..end], start) {
        let content = &text[line.start..line.end];
        if content.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = content.find(':') {
            let key = content[..colon].trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                keys.entry(key.to_string()).or_insert(line.start..line.end);
            }
        }
    }
    keys
}

/// The 1-based `line` of the YAML body, as a range of the file.
fn line_span(text: &str, start: usize, end: usize, line: usize) -> Option<Range<usize>> {
    let line = lines_from(&text[..end], start).nth(line.checked_sub(1)?)?;
    Some(line.start..line.end)
}

/// The YAML parser's message without its `error: line N column M:` prefix,
/// whose coordinates count from the front matter, not the file.
fn yaml_message(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default().trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let line = match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, message)) => message,
        None => line,
    };
    line.to_string()
}
