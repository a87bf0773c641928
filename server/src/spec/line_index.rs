//! Byte offsets ↔ 1-based lines and character columns, for reports.

/// The start of every line of a text. Lines end at `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The number of lines (an empty text has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// 1-based line and 1-based column in Unicode scalar values. An offset
    /// inside a character counts as that character; one past the end of the
    /// text is allowed.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (line + 1, text[start..end].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "a😀b\r\nç\rx\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 5), (1, 3)); // 'b' after a 4-byte emoji
        assert_eq!(index.line_col(text, 8), (2, 1));
        assert_eq!(index.line_col(text, 10), (2, 2)); // after 'ç', before '\r'
        assert_eq!(index.line_col(text, 11), (3, 1));
        assert_eq!(index.line_col(text, text.len()), (4, 1));
    }
}
