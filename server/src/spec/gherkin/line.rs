//! Lines of the source and what can be read off a single line: its
//! indentation, table cells and tags.

use std::borrow::Cow;
use std::ops::Range;

use super::ast::Origin;

/// Whitespace as JavaScript's `\s` defines it, which is what Cucumber's
/// reference parser trims and splits on.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// The characters trimmed around a table cell (newlines are kept).
fn is_cell_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{a0}'
    )
}

/// `s` without leading and trailing [`is_ws`] characters.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_ws)
}

/// A count of characters as a column or line number, saturating instead of
/// wrapping on absurdly long input.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One line of the source, without its line terminator.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the larger file.
    pub number: u32,
    /// Byte offset of the line's first byte in the larger file.
    pub start: usize,
    /// The line's text.
    pub text: &'a str,
    /// Leading whitespace in characters.
    pub indent: u32,
    /// Leading whitespace in bytes.
    pub indent_bytes: usize,
}

impl<'a> Line<'a> {
    fn new(number: u32, start: usize, text: &'a str) -> Line<'a> {
        let trimmed = text.trim_start_matches(is_ws);
        let indent_bytes = text.len() - trimmed.len();
        let indent = to_u32(text[..indent_bytes].chars().count());
        Line {
            number,
            start,
            text,
            indent,
            indent_bytes,
        }
    }

    /// The text without its indentation.
    pub fn trimmed(&self) -> &'a str {
        &self.text[self.indent_bytes..]
    }

    /// Whether the line holds only whitespace.
    pub fn is_blank(&self) -> bool {
        self.indent_bytes == self.text.len()
    }

    /// Absolute byte offset of the `offset`-th byte of the trimmed text.
    pub fn at(&self, offset: usize) -> usize {
        self.start + self.indent_bytes + offset
    }

    /// The 1-based column of the `offset`-th byte of the trimmed text.
    pub fn column_at(&self, offset: usize) -> u32 {
        let chars = self
            .trimmed()
            .get(..offset)
            .map_or(0, |s| s.chars().count());
        self.indent.saturating_add(to_u32(chars)).saturating_add(1)
    }

    /// Absolute byte range of the text trimmed on both sides.
    pub fn content(&self) -> Range<usize> {
        let end = self.at(self.trimmed().trim_end_matches(is_ws).len());
        self.at(0)..end
    }

    /// The trimmed text after its first `skip` bytes, with its absolute
    /// byte range (empty, at the end of the skipped part, when blank).
    pub fn rest(&self, skip: usize) -> (&'a str, Range<usize>) {
        let rest = self.trimmed().get(skip..).unwrap_or("");
        let lead = rest.len() - rest.trim_start_matches(is_ws).len();
        let text = trim(rest);
        let begin = if text.is_empty() {
            self.at(skip.min(self.trimmed().len()))
        } else {
            self.at(skip + lead)
        };
        (text, begin..begin + text.len())
    }

    /// The line with `remove` characters of indentation removed, or all of
    /// it when the line is indented less than that (Cucumber's rule for
    /// doc string content).
    pub fn without_indent(&self, remove: u32) -> &'a str {
        if remove > self.indent {
            return self.trimmed();
        }
        let skip: usize = self
            .text
            .chars()
            .take(remove as usize)
            .map(char::len_utf8)
            .sum();
        &self.text[skip..]
    }
}

/// Splits `source` into lines the way Cucumber does: on `\n` or `\r\n`, with
/// a final whitespace-only line dropped. A byte-order mark is skipped.
pub(crate) fn split_lines(source: &str, origin: Origin) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(source.len() / 32 + 1);
    let mut pos = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut number = origin.line_offset;
    loop {
        number = number.saturating_add(1);
        let rest = &source[pos..];
        let (text, next) = match rest.find('\n') {
            Some(i) => {
                let text = &rest[..i];
                (text.strip_suffix('\r').unwrap_or(text), Some(pos + i + 1))
            }
            None => (rest, None),
        };
        lines.push(Line::new(number, origin.byte_offset + pos, text));
        match next {
            Some(next) => pos = next,
            None => break,
        }
    }
    if lines.last().is_some_and(Line::is_blank) {
        lines.pop();
    }
    lines
}

/// A table cell or a tag read off a line.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    /// 1-based column of the cell's first character or of the tag's `@`.
    pub column: u32,
    /// The unescaped cell value, or the tag with its `@`.
    pub text: Cow<'a, str>,
    /// Absolute byte range of the tag (unused for cells).
    pub span: Range<usize>,
}

/// The cells of a table row `| a | b |`. Text before the first pipe and after
/// the last is not part of the table; `\|`, `\\` and `\n` are escapes.
pub(crate) fn table_cells<'a>(line: &Line<'a>) -> Vec<Item<'a>> {
    let text = line.trimmed();
    let mut cells = Vec::new();
    let mut chars = text.char_indices();
    let mut column = 0usize; // characters consumed so far
    let mut cell_column = 1usize; // 1-based column (in the trimmed text) of the current cell
    let mut cell_start = 0usize; // byte where the current cell starts
    let mut escaped = false;
    let mut first = true;
    while let Some((at, c)) = chars.next() {
        column += 1;
        match c {
            '|' => {
                if first {
                    first = false;
                } else {
                    let raw = &text[cell_start..at];
                    let lead = raw.chars().take_while(|&c| is_cell_ws(c)).count();
                    let value = if escaped {
                        Cow::Owned(unescape_cell(raw).trim_matches(is_cell_ws).to_owned())
                    } else {
                        Cow::Borrowed(raw.trim_matches(is_cell_ws))
                    };
                    let column = to_u32(cell_column + lead).saturating_add(line.indent);
                    cells.push(Item {
                        column,
                        text: value,
                        span: line.at(cell_start)..line.at(at),
                    });
                }
                cell_column = column + 1;
                cell_start = at + 1;
                escaped = false;
            }
            '\\' => {
                escaped = true;
                if chars.next().is_some() {
                    column += 1;
                }
            }
            _ => {}
        }
    }
    cells
}

fn unescape_cell(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(n @ ('|' | '\\')) => out.push(n),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The tags of a classic tag line (`@a @b #comment`). `Err` holds the column
/// of a tag that contains whitespace.
pub(crate) fn classic_tags<'a>(line: &Line<'a>) -> Result<Vec<Item<'a>>, u32> {
    let text = line.trimmed();
    // A comment starts at a `#` that follows whitespace.
    let mut end = text.len();
    let mut prev_ws = false;
    for (at, c) in text.char_indices() {
        if c == '#' && prev_ws {
            end = at;
            break;
        }
        prev_ws = is_ws(c);
    }
    let uncommented = &text[..end];
    let mut tags = Vec::new();
    let mut byte = 0usize;
    let mut chars = 0usize;
    for (i, piece) in uncommented.split('@').enumerate() {
        let name_end = byte + piece.trim_end_matches(is_ws).len();
        if i > 0 && name_end > byte {
            // The `@` is the byte before the piece.
            let column = to_u32(chars).saturating_add(line.indent);
            let name = &uncommented[byte - 1..name_end];
            if name.chars().any(is_ws) {
                return Err(column);
            }
            tags.push(Item {
                column,
                text: Cow::Borrowed(name),
                span: line.at(byte - 1)..line.at(name_end),
            });
        }
        byte += piece.len() + 1;
        chars += piece.chars().count() + 1;
    }
    Ok(tags)
}

/// The tags of a Markdown tag line: every `` `@tag` `` on it.
pub(crate) fn markdown_tags<'a>(line: &Line<'a>) -> Vec<Item<'a>> {
    let text = line.trimmed();
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0usize;
    // Characters before `counted` bytes, to give columns in one pass.
    let (mut counted, mut chars) = (0usize, 0usize);
    while at + 2 < bytes.len() {
        if bytes[at] == b'`' && bytes[at + 1] == b'@' {
            let close = text[at + 2..].find('`').map(|i| at + 2 + i);
            if let Some(close) = close.filter(|&close| close > at + 2) {
                chars += text[counted..at + 1].chars().count();
                counted = at + 1;
                tags.push(Item {
                    column: line.indent.saturating_add(to_u32(chars)).saturating_add(1),
                    text: Cow::Borrowed(&text[at + 1..close]),
                    span: line.at(at + 1)..line.at(close),
                });
                at = close + 1;
                continue;
            }
        }
        at += 1;
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line<'_> {
        Line::new(1, 0, text)
    }

    #[test]
    fn splits_like_cucumber() {
        let count = |s: &str| split_lines(s, Origin::default()).len();
        assert_eq!(count(""), 0);
        assert_eq!(count("a"), 1);
        assert_eq!(count("a\n"), 1);
        assert_eq!(count("a\r\nb\r\n"), 2);
        assert_eq!(count("a\n\n"), 2);
        assert_eq!(count("a\n  "), 1);
        let lines = split_lines("\u{feff}Feature: x", Origin::default());
        assert_eq!((lines[0].start, lines[0].text), (3, "Feature: x"));
    }

    #[test]
    fn cells_unescape_and_locate() {
        let l = line("    | \\|a\\\\n | ø\\nb |  c  | tail");
        let cells = table_cells(&l);
        let got: Vec<(u32, &str)> = cells.iter().map(|c| (c.column, &*c.text)).collect();
        assert_eq!(got, [(7, "|a\\n"), (16, "ø\nb"), (24, "c")]);
    }

    #[test]
    fn tags_and_comments() {
        let l = line("  @a @b:c #x @d");
        let tags = classic_tags(&l).expect("no whitespace");
        let got: Vec<(u32, &str)> = tags.iter().map(|t| (t.column, &*t.text)).collect();
        assert_eq!(got, [(3, "@a"), (6, "@b:c")]);
        assert_eq!(classic_tags(&line("@a tag")).err(), Some(1));
        let md = markdown_tags(&line("`@x` and `@y z`` `@`"));
        let got: Vec<(u32, &str)> = md.iter().map(|t| (t.column, &*t.text)).collect();
        assert_eq!(got, [(2, "@x"), (11, "@y z")]);
    }
}
