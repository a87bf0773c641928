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

    /// The status of a finished spec (`complete` or `archived`), on which
    /// no work is expected: no missing-section checks, no session without
    /// `--force`.
    pub fn finished_status(&self) -> Option<&str> {
        self.str("status")
            .filter(|status| matches!(status.trim(), "complete" | "archived"))
    }

    /// The range to report a problem with `key` at: its line, else the block.
    pub fn key_span(&self, key: &str) -> Range<usize> {
        self.key_spans
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.span.start..self.span.start + 3)
    }
    /// The references to other specs under `key` (`depends_on`, `parent`)
    /// as written: a scalar on the key's line, the items of a flow list
    /// (`[002, 048]`) or of a block list below it; quotes taken off, so that
    /// `049` stays `049` (YAML would read a float). Each with its range.
    pub fn references(&self, text: &str, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(key_line) = self.key_spans.get(key) else {
            return Vec::new();
        };
        // The key's value runs to the next top-level key.
        let end = self
            .key_spans
            .values()
            .map(|r| r.start)
            .filter(|&s| s > key_line.start)
            .min()
            .unwrap_or(self.body_span.end);
        let Some(colon) = text[key_line.clone()].find(':') else {
            return Vec::new();
        };
        let after = key_line.start + colon + 1;
        let value = trimmed(text, after, uncommented_end(text, after, key_line.end));
        if text[value.clone()].starts_with('[') {
            return flow_items(text, value.start + 1, end);
        }
        if !value.is_empty() {
            return scalar(text, value).into_iter().collect();
        }
        lines_from(&text[..end], key_line.end)
            .filter_map(|line| {
                let content = &text[line.start..line.end];
                let item = content.trim_start().strip_prefix('-')?;
                let at = line.end - item.len();
                let value = trimmed(text, at, uncommented_end(text, at, line.end));
                scalar(text, value)
            })
            .collect()
    }
}

/// The items of a flow list whose `[` ends before `from`, up to its `]`
/// (or `end`).
fn flow_items(text: &str, from: usize, end: usize) -> Vec<(String, Range<usize>)> {
    let mut items = Vec::new();
    let mut quote = None;
    let mut item_start = from;
    let mut previous = ' ';
    let mut in_comment = false;
    for (i, c) in text[from..end].char_indices() {
        let at = from + i;
        if in_comment {
            in_comment = c != '\n' && c != '\r';
            if in_comment {
                continue;
            }
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => in_comment = true,
            None if c == ',' || c == ']' => {
                items.extend(scalar(text, trimmed(text, item_start, at)));
                item_start = at + 1;
                if c == ']' {
                    return items;
                }
            }
            None => {}
        }
        previous = c;
    }
    items
}

/// The range of `text[start..end]` without the whitespace around it.
fn trimmed(text: &str, start: usize, end: usize) -> Range<usize> {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    start + lead..start + slice.trim_end().len()
}

/// Where a line's value ends: before a comment (`#` after whitespace,
/// outside quotes), else at `end`.
fn uncommented_end(text: &str, from: usize, end: usize) -> usize {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in text[from..end].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return from + i,
            None => {}
        }
        previous = c;
    }
    end
}

/// A scalar as written, its quotes taken off; none for an empty one or a
/// YAML null.
fn scalar(text: &str, range: Range<usize>) -> Option<(String, Range<usize>)> {
    let written = &text[range.clone()];
    for q in ['"', '\''] {
        if let Some(inner) = written.strip_prefix(q).and_then(|w| w.strip_suffix(q)) {
            let inner_range = range.start + 1..range.end - 1;
            return (!inner.trim().is_empty()).then(|| (inner.to_string(), inner_range));
        }
    }
    if written.is_empty() || matches!(written, "~" | "null" | "Null" | "NULL") {
        return None;
    }
    Some((written.to_string(), range))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn references(text: &str, key: &str) -> Vec<(String, String)> {
        let front_matter = FrontMatter::parse(text).expect("front matter");
        front_matter
            .references(text, key)
            .into_iter()
            .map(|(reference, range)| (reference, text[range].to_string()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn references_are_read_as_written() {
        let text = "---\ndepends_on: [002, '010', \"x y\"] # c\nparent: 049\n---\n";
        assert_eq!(
            references(text, "depends_on"),
            pairs(&[("002", "002"), ("010", "010"), ("x y", "x y")])
        );
        assert_eq!(references(text, "parent"), pairs(&[("049", "049")]));
        let block = "---\ndepends_on:\n  - 048 # soon\n  - '012-a'\nparent: ~\n---\n";
        assert_eq!(
            references(block, "depends_on"),
            pairs(&[("048", "048"), ("012-a", "012-a")])
        );
        assert!(references(block, "parent").is_empty());
        assert!(references(block, "tags").is_empty());
        let multi = "---\ndepends_on: [001,\n  002]\n---\n";
        assert_eq!(
            references(multi, "depends_on"),
            pairs(&[("001", "001"), ("002", "002")])
        );
    }
}
