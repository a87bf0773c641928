//! textDocument/inlayHint: the order marks of `ide::marks` — where each
//! order entry's unit stands — converted.

use std::ops::Range as ByteRange;

use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::Text;
use crate::ide::marks::{self, OrderMark};
use crate::spec::Spec;

/// The hints of the order entries in `range`: always a list, maybe empty.
pub fn inlay_hints(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
) -> Option<Vec<InlayHint>> {
    let progress = analysis.progress();
    let found = order_hints(analysis, range, encoding, |spec, bytes| {
        marks::order_marks(spec, &progress, bytes)
    });
    Some(found)
}

/// The marks `marks` finds in the bytes of `range`, as hints.
fn order_hints(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
    marks: impl FnOnce(&Spec, ByteRange<usize>) -> Vec<OrderMark>,
) -> Vec<InlayHint> {
    let Some(loaded) = analysis.spec() else {
        return Vec::new();
    };
    let text = Text::of(analysis, encoding);
    let bytes = text.offset(range.start)..text.offset(range.end);
    marks(&loaded.spec, bytes)
        .into_iter()
        .map(|found| InlayHint {
            position: text.position(found.offset),
            label: InlayHintLabel::String(found.mark.label),
            kind: None,
            text_edits: None,
            tooltip: found.mark.tooltip.map(InlayHintTooltip::String),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::Position;

    use super::*;
    use crate::ide::marks::Mark;
    use crate::spec::OrderEntry;

    const SPEC: &str = "# Export

## Scenarios
```gherkin
Feature: F
  Scenario: Un été
    Then x
  Scenario: 😀 Two
    Then y
```

## Scenario order
1. Un été
2. 😀 Two
";

    /// Marks every entry with its scenario's number in the order.
    fn numbered(spec: &Spec, entry: &OrderEntry) -> Option<Mark> {
        let i = spec.find_scenario(&entry.name)?;
        Some(Mark {
            label: format!("#{}", i + 1),
            tooltip: Some(entry.name.clone()),
        })
    }

    fn hints(range: Range, encoding: Encoding) -> Vec<(Position, String)> {
        let analysis = Analysis::fixture("specs/export.md", SPEC);
        let numbered = |spec: &Spec, bytes| marks::marks_with(spec, bytes, |e| numbered(spec, e));
        order_hints(&analysis, range, encoding, numbered)
            .into_iter()
            .map(|hint| match hint.label {
                InlayHintLabel::String(label) => (hint.position, label),
                InlayHintLabel::LabelParts(_) => panic!("a string label"),
            })
            .collect()
    }

    fn lines(start: u32, end: u32) -> Range {
        Range::new(Position::new(start, 0), Position::new(end, 0))
    }

    #[test]
    fn hints_sit_at_the_end_of_entries_in_the_negotiated_encoding() {
        assert_eq!(
            hints(lines(0, 99), Encoding::Utf16),
            [
                (Position::new(12, 9), "#1".to_string()),
                (Position::new(13, 9), "#2".to_string()),
            ]
        );
        // "é" is two bytes, "😀" four.
        assert_eq!(
            hints(lines(0, 99), Encoding::Utf8),
            [
                (Position::new(12, 11), "#1".to_string()),
                (Position::new(13, 11), "#2".to_string()),
            ]
        );
    }

    #[test]
    fn only_entries_in_the_range_get_hints() {
        let second = hints(lines(13, 13), Encoding::Utf16);
        assert_eq!(second, [(Position::new(13, 9), "#2".to_string())]);
        assert_eq!(hints(lines(0, 11), Encoding::Utf16), []);
    }

    #[test]
    fn without_sessions_the_first_entry_is_next() {
        let analysis = Analysis::fixture("specs/export.md", SPEC);
        let hints = inlay_hints(&analysis, lines(0, 99), Encoding::Utf16).expect("a list");
        let labels: Vec<(u32, String)> = hints
            .iter()
            .map(|h| match &h.label {
                InlayHintLabel::String(label) => (h.position.line, label.clone()),
                InlayHintLabel::LabelParts(_) => (h.position.line, String::new()),
            })
            .collect();
        assert_eq!(labels, [(12, "→ next".to_string())]);
    }
}
