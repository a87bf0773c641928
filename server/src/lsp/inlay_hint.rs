//! textDocument/inlayHint: a mark after each order entry — where its unit
//! stands: done, active, paused, failed, or next to build.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::Text;
use crate::lint::Progress;
use crate::spec::{OrderEntry, normalize_name};
use crate::workspace::LoadedSpec;

/// What an inlay hint after an order entry shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The text shown (`✔`, `▶ active`, …).
    pub label: String,
    /// Shown on hover, when there is more to say.
    pub tooltip: Option<String>,
}

/// The hints of the order entries in `range`: always a list, maybe empty.
pub fn inlay_hints(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
) -> Option<Vec<InlayHint>> {
    let progress = analysis
        .spec()
        .map(|loaded| {
            loaded
                .facts
                .clone()
                .unwrap_or_default()
                .progress(&loaded.spec)
        })
        .unwrap_or_default();
    let mark = |_: &LoadedSpec, entry: &OrderEntry| {
        let key = normalize_name(&entry.name);
        let unit = progress.iter().find(|u| normalize_name(&u.name) == key)?;
        order_mark(&unit.progress)
    };
    Some(order_hints(analysis, range, encoding, mark))
}

/// The mark of an order entry: where its unit stands.
fn order_mark(progress: &Progress) -> Option<Mark> {
    let (label, tooltip) = match progress {
        Progress::Done { commit } => (
            "✔ done",
            commit.as_ref().map(|c| format!("completed at {c}")),
        ),
        Progress::Active { session } => ("▶ active", Some(format!("session {session}"))),
        Progress::Paused { session } => ("⏸ paused", Some(format!("session {session}"))),
        Progress::Failed => ("✗ failed", None),
        Progress::Next => ("→ next", Some("the next scenario to build".to_string())),
        Progress::Pending => return None,
    };
    Some(Mark {
        label: label.to_string(),
        tooltip,
    })
}

/// A hint at the end of each order entry's line that `mark` marks, for the
/// entries whose line meets `range`.
fn order_hints(
    analysis: &Analysis,
    range: Range,
    encoding: Encoding,
    mark: impl Fn(&LoadedSpec, &OrderEntry) -> Option<Mark>,
) -> Vec<InlayHint> {
    let Some(loaded) = analysis.spec() else {
        return Vec::new();
    };
    let text = Text::of(analysis, encoding);
    let (start, end) = (text.offset(range.start), text.offset(range.end));
    loaded
        .spec
        .order
        .iter()
        .flat_map(|order| &order.entries)
        .filter(|entry| entry.line_span.start <= end && entry.line_span.end >= start)
        .filter_map(|entry| {
            let mark = mark(loaded, entry)?;
            Some(InlayHint {
                position: text.position(entry.line_span.end),
                label: InlayHintLabel::String(mark.label),
                kind: None,
                text_edits: None,
                tooltip: mark.tooltip.map(InlayHintTooltip::String),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn numbered(loaded: &LoadedSpec, entry: &OrderEntry) -> Option<Mark> {
        let i = loaded.spec.find_scenario(&entry.name)?;
        Some(Mark {
            label: format!("#{}", i + 1),
            tooltip: Some(entry.name.clone()),
        })
    }

    fn hints(range: Range, encoding: Encoding) -> Vec<(Position, String)> {
        let analysis = Analysis::fixture("specs/export.md", SPEC);
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
