//! Positions: the one place where byte offsets become LSP positions and back,
//! in the negotiated encoding (UTF-8 when the client offers it, else UTF-16).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as LSP says; U+2028, U+2029 and
//! NEL are ordinary characters. A column past the end of its line means the
//! end of the line; a line past the end of the text means the end of the text.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind};

use crate::spec::LineIndex;

/// The unit of a position's `character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// Picks UTF-8 when the client offers it, else UTF-16 (the default every
    /// client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The start of every line of a text (the core's [`LineIndex`]), for
/// converting offsets of that text to and from LSP positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineStarts {
    lines: LineIndex,
}

impl LineStarts {
    pub fn new(text: &str) -> LineStarts {
        LineStarts {
            lines: LineIndex::new(text),
        }
    }

    /// The position of a byte offset (clamped to the text; an offset inside a
    /// character counts as that character's start).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line).unwrap_or(0);
        let character: usize = text[start..offset].chars().map(|c| encoding.units(c)).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position, clamped to its line and to the text.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(start) = self.lines.line_start(position.line as usize) else {
            return text.len();
        };
        let end = self
            .lines
            .line_start(position.line as usize + 1)
            .unwrap_or(text.len());
        let line = &text[start..end];
        let content = line.trim_end_matches(['\n', '\r']);
        advance(content, position.character as usize, encoding) + start
    }
}

/// The byte length of the longest prefix of `line` that is at most `units`
/// long; a position inside a surrogate pair rounds down to the character.
fn advance(line: &str, units: usize, encoding: Encoding) -> usize {
    let mut seen = 0;
    for (i, c) in line.char_indices() {
        let next = seen + encoding.units(c);
        if next > units {
            return i;
        }
        seen = next;
    }
    line.len()
}

/// The char index of a position in a rope, by the same rules as
/// [`LineStarts::offset`]: used to apply incremental changes.
pub fn rope_char(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let mut seen = 0;
    let mut chars = 0;
    for c in rope.line(line).chars() {
        if c == '\n' || c == '\r' {
            break;
        }
        let next = seen + encoding.units(c);
        if next > position.character as usize {
            break;
        }
        seen = next;
        chars += 1;
    }
    start + chars
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ropey::Rope;
    use tower_lsp_server::ls_types::Position;

    use super::{Encoding, LineStarts, rope_char};

    /// The naive reference: split the text into lines by hand and count
    /// units character by character.
    fn naive_lines(text: &str) -> Vec<(usize, &str)> {
        let mut lines = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\n' || bytes[i] == b'\r' {
                lines.push((start, &text[start..i]));
                i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            } else {
                i += 1;
            }
        }
        lines.push((start, &text[start..]));
        lines
    }

    fn naive_position(text: &str, offset: usize, encoding: Encoding) -> Position {
        for (line, (start, content)) in naive_lines(text).into_iter().enumerate().rev() {
            if start <= offset {
                let upto = (offset - start).min(content.len());
                let units: usize = content[..upto]
                    .chars()
                    .map(|c| {
                        if encoding == Encoding::Utf8 {
                            c.len_utf8()
                        } else {
                            c.len_utf16()
                        }
                    })
                    .sum();
                return Position::new(line as u32, units as u32);
            }
        }
        Position::new(0, 0)
    }

    fn naive_offset(text: &str, position: Position, encoding: Encoding) -> usize {
        let lines = naive_lines(text);
        let Some(&(start, content)) = lines.get(position.line as usize) else {
            return text.len();
        };
        let mut units = 0;
        for (i, c) in content.char_indices() {
            let width = if encoding == Encoding::Utf8 {
                c.len_utf8()
            } else {
                c.len_utf16()
            };
            if units + width > position.character as usize {
                return start + i;
            }
            units += width;
        }
        start + content.len()
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "é",
            "漢",
            "字",
            "😀",
            "👩‍💻",
            "\n",
            "\r\n",
            "\r",
            "\u{2028}",
            "\u{2029}",
            "\u{85}",
            "\t",
            "# ",
            "Scenario: ",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn offsets_become_the_positions_of_the_reference(text in text_strategy(), at in 0usize..400) {
            let lines = LineStarts::new(&text);
            let mut offset = at.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let position = lines.position(&text, offset, encoding);
                let expected = naive_position(&text, offset, encoding);
                // An offset between \r and \n is still on the line it ends.
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue;
                }
                prop_assert_eq!(position, expected);
                prop_assert_eq!(lines.offset(&text, position, encoding), offset);
            }
        }

        #[test]
        fn positions_become_the_offsets_of_the_reference(
            text in text_strategy(), line in 0u32..12, character in 0u32..40,
        ) {
            let lines = LineStarts::new(&text);
            let rope = Rope::from_str(&text);
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let position = Position::new(line, character);
                let offset = lines.offset(&text, position, encoding);
                prop_assert_eq!(offset, naive_offset(&text, position, encoding));
                let char_index = rope_char(&rope, position, encoding);
                prop_assert_eq!(rope.char_to_byte(char_index), offset);
            }
        }
    }

    #[test]
    fn emoji_and_cjk_count_per_encoding() {
        let text = "😀漢x\r\nb";
        let lines = LineStarts::new(text);
        let x = text.find('x').expect("x");
        assert_eq!(
            lines.position(text, x, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(lines.position(text, x, Encoding::Utf8), Position::new(0, 7));
        assert_eq!(
            lines.offset(text, Position::new(0, 99), Encoding::Utf16),
            x + 1
        );
        assert_eq!(
            lines.offset(text, Position::new(7, 0), Encoding::Utf16),
            text.len()
        );
        // Inside the surrogate pair of the emoji: the emoji's start.
        assert_eq!(lines.offset(text, Position::new(0, 1), Encoding::Utf16), 0);
    }
}
