//! What semantic tokens read inside one line: table cells, placeholders,
//! numbers and word boundaries, as byte ranges of the text.

use std::ops::Range;

/// The trimmed cells of a table row's line (`| a | b |`), as byte ranges;
/// `\|` does not end a cell.
pub(super) fn cells(text: &str, row: Range<usize>) -> Vec<Range<usize>> {
    let line = &text[row.clone()];
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '|' => {
                if let Some(s) = start {
                    let raw = &line[s..i];
                    let lead = raw.len() - raw.trim_start().len();
                    let end = s + raw.trim_end().len();
                    if s + lead < end {
                        out.push(row.start + s + lead..row.start + end);
                    }
                }
                start = Some(i + 1);
            }
            _ => {}
        }
    }
    out
}

/// Every `<placeholder>` in `range`.
pub(super) fn placeholders(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = range.start;
    while let Some(open) = text[i..range.end].find('<') {
        let start = i + open;
        match placeholder_len(&text[start..range.end]) {
            Some(len) => {
                out.push(start..start + len);
                i = start + len;
            }
            None => i = start + 1,
        }
    }
    out
}

/// The length of the `<name>` that `s` starts with: a name of at least one
/// character, holding neither `<` nor `>`.
pub(super) fn placeholder_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('<')?;
    let close = inner.find(['>', '<'])?;
    (close > 0 && inner[close..].starts_with('>')).then_some(close + 2)
}

/// The length of the number `s` starts with: an optional `-`, digits, and
/// an optional fraction (`3`, `-2`, `99.50`); 0 when there is none.
pub(super) fn number_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return 0;
    }
    i += digits;
    if bytes.get(i) == Some(&b'.') {
        let fraction = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction > 0 {
            i += 1 + fraction;
        }
    }
    i
}

pub(super) fn is_number(s: &str) -> bool {
    !s.is_empty() && number_len(s) == s.len()
}

/// Whether a word may start at `i`: at the start, or after a character that
/// is not a letter, a digit or `_`.
pub(super) fn starts_word(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// Whether a word may end at `i`.
pub(super) fn ends_word(text: &str, i: usize) -> bool {
    text[i..]
        .chars()
        .next()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}
