//! Order marks: after each entry of the scenario order, where its unit
//! stands (done, active, paused, failed, or next to build).

use std::ops::Range;

use crate::spec::{OrderEntry, Spec, normalize_name};
use crate::units::{Progress, UnitProgress};

/// What a mark says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The text shown (`✔ done`, `▶ active`, …).
    pub label: String,
    /// Shown on hover, when there is more to say.
    pub tooltip: Option<String>,
}

/// A mark at the end of an order entry's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMark {
    /// The end of the entry's line.
    pub offset: usize,
    pub mark: Mark,
}

/// The marks of the order entries whose line meets `range`: where each
/// entry's unit stands, by `progress` (a pending unit has none).
pub fn order_marks(spec: &Spec, progress: &[UnitProgress], range: Range<usize>) -> Vec<OrderMark> {
    marks_with(spec, range, |entry| {
        let key = normalize_name(&entry.name);
        let unit = progress.iter().find(|u| normalize_name(&u.name) == key)?;
        progress_mark(&unit.progress)
    })
}

/// The mark of where a unit stands.
fn progress_mark(progress: &Progress) -> Option<Mark> {
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

/// A mark at the end of each order entry's line that `mark` marks, for the
/// entries whose line meets `range`.
pub fn marks_with(
    spec: &Spec,
    range: Range<usize>,
    mark: impl Fn(&OrderEntry) -> Option<Mark>,
) -> Vec<OrderMark> {
    spec.order
        .iter()
        .flat_map(|order| &order.entries)
        .filter(|entry| entry.line_span.start <= range.end && entry.line_span.end >= range.start)
        .filter_map(|entry| {
            Some(OrderMark {
                offset: entry.line_span.end,
                mark: mark(entry)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::Fixture;
    use crate::units::SessionFacts;

    #[test]
    fn without_sessions_the_first_entry_is_next() {
        let fixture = Fixture::ranges(
            "## Scenarios
### Scenario: One
* Then x
### Scenario: Two
* Then y

## Scenario order
1. One
      ^
2. Two
",
        );
        let spec = Spec::parse(&fixture.text);
        let progress = SessionFacts::default().progress(&spec);
        let marks = order_marks(&spec, &progress, 0..fixture.text.len());
        let found: Vec<(usize, &str)> = marks
            .iter()
            .map(|m| (m.offset, m.mark.label.as_str()))
            .collect();
        assert_eq!(found, [(fixture.ranges[0].start, "→ next")]);
    }
}
