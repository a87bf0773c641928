//! Setting a spec's front matter `status`, and with it LeanSpec's own
//! history of the spec when the front matter keeps one: `updated_at`,
//! `transitions` (a list of `status` / `at` items), `completed_at` and
//! `completed`, written as LeanSpec's CLI writes them. Only keys already
//! there are touched (an item is appended to `transitions`); every other
//! key, the quoting, the comments and the line breaks stay as written.

use std::ops::Range;

use super::line_break;
use crate::spec::{FrontMatter, Replacement, Spec};

/// The edit that sets `status:` in the front matter to `status`: the value on
/// its line is replaced (a trailing comment stays where it was), the key is
/// added when absent, a front matter block is added when there is none.
/// LeanSpec's history keys move with it, at `now` (RFC 3339, UTC).
/// `None` when the status already is `status`.
pub fn front_matter_status_edit(
    spec: &Spec,
    text: &str,
    status: &str,
    now: &str,
) -> Option<Replacement> {
    let nl = line_break(text);
    let Some(front_matter) = &spec.front_matter else {
        let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
        return Some(Replacement {
            range: at..at,
            new_text: format!("---{nl}status: {status}{nl}---{nl}{nl}"),
        });
    };
    let status_edit = match front_matter.key_spans.get("status") {
        Some(line) => replace_status_value(text, line.clone(), status)?,
        None => {
            let at = front_matter.body_span.start;
            Replacement {
                range: at..at,
                new_text: format!("status: {status}{nl}"),
            }
        }
    };
    let mut edits = vec![status_edit];
    edits.extend(history_edits(front_matter, text, status, now));
    Some(merge(text, edits))
}

/// The edits of LeanSpec's history keys that are in the front matter.
fn history_edits(
    front_matter: &FrontMatter,
    text: &str,
    status: &str,
    now: &str,
) -> Vec<Replacement> {
    let stamp = leanspec_time(now);
    let line = |key: &str| front_matter.key_spans.get(key).cloned();
    let mut edits = Vec::new();
    if let Some(line) = line("updated_at") {
        edits.extend(replace_value(text, line, &stamp, true));
    }
    if let Some(line) = line("transitions") {
        edits.extend(append_transition(front_matter, text, line, status, &stamp));
    }
    if status == "complete" {
        if let Some(line) = line("completed_at") {
            edits.extend(replace_value(text, line, &stamp, true));
        }
        if let Some(line) = line("completed") {
            let date = stamp.get(..10).unwrap_or(&stamp);
            edits.extend(replace_value(text, line, date, true));
        }
    }
    edits
}

/// A time as LeanSpec's CLI writes it (JavaScript's `toISOString`):
/// `2026-11-21T10:00:00.000Z`.
fn leanspec_time(now: &str) -> String {
    match now.strip_suffix('Z') {
        Some(seconds) if !seconds.contains('.') => format!("{seconds}.000Z"),
        _ => now.to_string(),
    }
}

/// An item `- status: <status>` / `at: <stamp>` appended to the
/// `transitions` list on `line`, in the shape of its last item (indents,
/// quotes); an empty list (`transitions:` or `transitions: []`) gets
/// LeanSpec's shape.
fn append_transition(
    front_matter: &FrontMatter,
    text: &str,
    line: Range<usize>,
    status: &str,
    stamp: &str,
) -> Vec<Replacement> {
    let nl = line_break(text);
    let end = front_matter
        .key_spans
        .values()
        .map(|r| r.start)
        .filter(|&s| s > line.start)
        .min()
        .unwrap_or(front_matter.body_span.end);
    let content = &text[line.clone()];
    let Some(colon) = content.find(':') else {
        return Vec::new();
    };
    let value_start = line.start + colon + 1;
    let comment = line.start + comment_start(content, colon + 1);
    let value = text[value_start..comment].trim();
    let mut edits = Vec::new();
    match value {
        "" | "~" | "null" => {}
        "[]" => {
            let at = value_start + text[value_start..].find('[').unwrap_or(0);
            edits.push(Replacement {
                range: value_start..at + 2,
                new_text: String::new(),
            });
        }
        _ => return Vec::new(),
    }
    // The list's lines: below the key, up to the next key, blank and
    // comment lines aside.
    let mut last_end = line.end;
    let (mut dash, mut field, mut quote) = ("  ".to_string(), "    ".to_string(), "'");
    let mut from = line.end;
    for item_line in text[line.end..end].split_inclusive('\n') {
        let start = from;
        from += item_line.len();
        let body = item_line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        last_end = start + body.len();
        let indent = &body[..body.len() - trimmed.len()];
        let field_line = match trimmed.strip_prefix("- ") {
            Some(rest) => {
                dash = indent.to_string();
                field = " ".repeat(indent.len() + 2);
                rest
            }
            None => trimmed,
        };
        if let Some(at) = field_line.strip_prefix("at:") {
            quote = match at.trim_start().chars().next() {
                Some('\'') => "'",
                Some('"') => "\"",
                _ => "",
            };
        }
    }
    edits.push(Replacement {
        range: last_end..last_end,
        new_text: format!("{nl}{dash}- status: {status}{nl}{field}at: {quote}{stamp}{quote}"),
    });
    edits
}

/// One replacement made of several that do not overlap.
fn merge(text: &str, mut edits: Vec<Replacement>) -> Replacement {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let start = edits.first().map_or(0, |e| e.range.start);
    let end = edits.iter().map(|e| e.range.end).max().unwrap_or(start);
    let mut new_text = String::new();
    let mut at = start;
    for edit in &edits {
        new_text.push_str(&text[at..edit.range.start.max(at)]);
        new_text.push_str(&edit.new_text);
        at = at.max(edit.range.end);
    }
    new_text.push_str(&text[at..end]);
    Replacement {
        range: start..end,
        new_text,
    }
}

/// Replaces the value of a `status: value  # comment` line (its quotes
/// dropped), keeping the comment in its column when the new value fits.
fn replace_status_value(text: &str, line: Range<usize>, status: &str) -> Option<Replacement> {
    let content = text.get(line.clone())?;
    let colon = content.find(':')?;
    let value_start =
        colon + 1 + (content[colon + 1..].len() - content[colon + 1..].trim_start().len());
    let comment = comment_start(content, value_start);
    let current = content[value_start..comment]
        .trim_end()
        .trim_matches(['"', '\'']);
    if current == status {
        return None;
    }
    replace_value(text, line, status, false)
}

/// Replaces the value of a `key: value  # comment` line with `value`, in
/// the quotes the old value had when `keep_quotes`, keeping the comment in
/// its column when the new value fits.
fn replace_value(
    text: &str,
    line: Range<usize>,
    value: &str,
    keep_quotes: bool,
) -> Option<Replacement> {
    let content = text.get(line.clone())?;
    let colon = content.find(':')?;
    let after = &content[colon + 1..];
    let value_start = colon + 1 + (after.len() - after.trim_start().len());
    let comment = comment_start(content, value_start);
    let value_end = value_start + content[value_start..comment].trim_end().len();
    let quote = content[value_start..value_end]
        .chars()
        .next()
        .filter(|&c| keep_quotes && (c == '\'' || c == '"'))
        .map(String::from)
        .unwrap_or_default();
    let lead = if value_start == colon + 1 { " " } else { "" };
    let value = format!("{lead}{quote}{value}{quote}");
    let (end, new_text) = if comment < content.len() {
        // Keep the comment's column: pad with spaces, at least one.
        let room = comment - value_start;
        let pad = room.saturating_sub(value.len()).max(1);
        (comment, format!("{value}{}", " ".repeat(pad)))
    } else {
        (value_end, value)
    };
    Some(Replacement {
        range: line.start + value_start..line.start + end,
        new_text,
    })
}

/// Where a YAML comment starts on a line (a `#` after whitespace, outside
/// quotes), else the line's length.
fn comment_start(content: &str, from: usize) -> usize {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in content[from..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return from + i,
            None => {}
        }
        previous = c;
    }
    content.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-11-21T10:00:00Z";

    fn status_edit(text: &str, status: &str) -> Option<String> {
        let spec = Spec::parse(text);
        front_matter_status_edit(&spec, text, status, NOW).map(|edit| edit.apply(text))
    }

    #[test]
    fn status_is_replaced_and_the_comment_stays_in_its_column() {
        let text = "---\nstatus: planned          # draft | planned\npriority: high\n---\n\n# X\n";
        let expected =
            "---\nstatus: in-progress      # draft | planned\npriority: high\n---\n\n# X\n";
        assert_eq!(status_edit(text, "in-progress").as_deref(), Some(expected));
        let tight = "---\nstatus: planned # c\n---\n# X\n";
        assert_eq!(
            status_edit(tight, "in-progress").as_deref(),
            Some("---\nstatus: in-progress # c\n---\n# X\n")
        );
    }

    #[test]
    fn status_without_a_comment_and_quoted() {
        let text = "---\nstatus: \"planned\"\n---\n# X\n";
        assert_eq!(
            status_edit(text, "complete").as_deref(),
            Some("---\nstatus: complete\n---\n# X\n")
        );
        let empty = "---\nstatus:\ntags: [a]\n---\n# X\n";
        assert_eq!(
            status_edit(empty, "planned").as_deref(),
            Some("---\nstatus: planned\ntags: [a]\n---\n# X\n")
        );
    }

    #[test]
    fn the_same_status_is_no_edit() {
        assert_eq!(
            status_edit("---\nstatus: complete # c\n---\n", "complete"),
            None
        );
        assert_eq!(
            status_edit("---\nstatus: 'complete'\n---\n", "complete"),
            None
        );
    }

    #[test]
    fn an_absent_status_key_is_added() {
        let text = "---\npriority: high\n---\n\n# X\n";
        assert_eq!(
            status_edit(text, "in-progress").as_deref(),
            Some("---\nstatus: in-progress\npriority: high\n---\n\n# X\n")
        );
        let crlf = "---\r\npriority: high\r\n---\r\n# X\r\n";
        assert_eq!(
            status_edit(crlf, "complete").as_deref(),
            Some("---\r\nstatus: complete\r\npriority: high\r\n---\r\n# X\r\n")
        );
    }

    #[test]
    fn a_spec_without_front_matter_gets_one() {
        assert_eq!(
            status_edit("# X\n", "in-progress").as_deref(),
            Some("---\nstatus: in-progress\n---\n\n# X\n")
        );
        assert_eq!(
            status_edit("# X\r\n", "complete").as_deref(),
            Some("---\r\nstatus: complete\r\n---\r\n\r\n# X\r\n")
        );
        assert_eq!(
            status_edit("\u{feff}# X\n", "planned").as_deref(),
            Some("\u{feff}---\nstatus: planned\n---\n\n# X\n")
        );
    }

    #[test]
    fn leanspec_history_moves_with_the_status() {
        let text = "---\nstatus: planned\ncreated: '2025-11-02'\nupdated_at: '2025-11-04T06:45:54.057Z'\ntransitions:\n  - status: in-progress\n    at: '2025-11-05T13:35:26.669Z'\n  # a note\ncompleted_at: '2025-11-05T13:35:26.669Z'\ncompleted: '2025-11-05'\n---\n# X\n";
        let started = "---\nstatus: in-progress\ncreated: '2025-11-02'\nupdated_at: '2026-11-21T10:00:00.000Z'\ntransitions:\n  - status: in-progress\n    at: '2025-11-05T13:35:26.669Z'\n  - status: in-progress\n    at: '2026-11-21T10:00:00.000Z'\n  # a note\ncompleted_at: '2025-11-05T13:35:26.669Z'\ncompleted: '2025-11-05'\n---\n# X\n";
        assert_eq!(status_edit(text, "in-progress").as_deref(), Some(started));
        let completed = status_edit(text, "complete").expect("an edit");
        assert!(
            completed
                .contains("completed_at: '2026-11-21T10:00:00.000Z'\ncompleted: '2026-11-21'\n"),
            "{completed}"
        );
        assert!(
            completed.contains("  - status: complete\n    at: '2026-11-21T10:00:00.000Z'\n"),
            "{completed}"
        );
    }

    #[test]
    fn the_shape_of_the_last_transition_is_kept() {
        // LeanSpec's Rust CLI: no indent, no quotes, CRLF here.
        let text = "---\r\nstatus: planned\r\nupdated_at: 2026-02-02T07:38:23.632420303Z\r\ntransitions:\r\n- status: in-progress\r\n  at: 2026-01-29T01:44:36.360075409Z\r\n---\r\n# X\r\n";
        let expected = "---\r\nstatus: complete\r\nupdated_at: 2026-11-21T10:00:00.000Z\r\ntransitions:\r\n- status: in-progress\r\n  at: 2026-01-29T01:44:36.360075409Z\r\n- status: complete\r\n  at: 2026-11-21T10:00:00.000Z\r\n---\r\n# X\r\n";
        assert_eq!(status_edit(text, "complete").as_deref(), Some(expected));
    }

    #[test]
    fn an_empty_transitions_list_gets_its_first_item_and_comments_stay() {
        let text = "---\nstatus: planned\ntransitions: []\ncompleted: YYYY-MM-DD       # auto-set when status=complete\n---\n";
        let expected = "---\nstatus: complete\ntransitions:\n  - status: complete\n    at: '2026-11-21T10:00:00.000Z'\ncompleted: 2026-11-21       # auto-set when status=complete\n---\n";
        assert_eq!(status_edit(text, "complete").as_deref(), Some(expected));
    }

    #[test]
    fn keys_that_are_not_there_are_not_added() {
        let text = "---\nstatus: planned\ncreated: 2025-11-02\n---\n# X\n";
        assert_eq!(
            status_edit(text, "complete").as_deref(),
            Some("---\nstatus: complete\ncreated: 2025-11-02\n---\n# X\n")
        );
    }
}
