//! Completion: scenario names on the lines of the scenario order and the
//! session log; the missing section headings on a `##` line.

use std::collections::HashSet;
use std::ops::Range;

use crate::spec::{SectionKind, Spec, normalize_name};

/// The sections DESIGN §4 asks of every spec, in their usual order.
const CANONICAL_SECTIONS: [SectionKind; 5] = [
    SectionKind::Intent,
    SectionKind::FeatureDescription,
    SectionKind::Scenarios,
    SectionKind::Order,
    SectionKind::Log,
];

/// What completing at a cursor offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The bytes of the spec that every candidate replaces; they hold the cursor.
    pub replace: Range<usize>,
    /// Best first.
    pub candidates: Vec<CompletionCandidate>,
}

/// One thing to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionCandidate {
    /// What the user sees.
    pub label: String,
    /// What replaces [`Completion::replace`].
    pub new_text: String,
    pub kind: CompletionKind,
    /// A short note beside the label.
    pub detail: String,
}

/// What a candidate stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// `Spec::scenarios[n]`.
    Scenario(usize),
    /// A section heading.
    Section(SectionKind),
}

/// Where on its line a name is written.
struct NameSlot {
    /// After the list marker or the heading's `#` marks.
    marker_end: usize,
    /// The name's bytes (empty when nothing is written yet).
    name: Range<usize>,
}

/// The list the scenario names go into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameList {
    Order,
    Log,
}

/// What to offer at `offset` of the spec's `text`: scenario names on an
/// order item or a log heading, section headings on a `##` line.
pub fn completion(spec: &Spec, text: &str, offset: usize) -> Option<Completion> {
    let line = line_around(text, offset)?;
    if let Some(completion) = scenario_names_at(spec, text, line.clone(), offset) {
        return Some(completion);
    }
    section_headings_at(spec, text, line, offset)
}

fn scenario_names_at(
    spec: &Spec,
    text: &str,
    line: Range<usize>,
    offset: usize,
) -> Option<Completion> {
    let (list, slot) = list_slot(spec, text, line.clone())?;
    if offset < slot.marker_end {
        return None;
    }
    let replace = slot.name.start.min(offset)..slot.name.end.max(offset);
    // Write a space after the marker when there is none yet.
    let space = if replace.start == slot.marker_end {
        " "
    } else {
        ""
    };
    let listed = listed_elsewhere(spec, list, &line);
    let (fresh, repeated): (Vec<usize>, Vec<usize>) =
        distinct_scenarios(spec).partition(|i| !listed.contains(i));
    let (fresh_note, listed_note) = match list {
        NameList::Order => ("not in the order yet", "already in the order"),
        NameList::Log => ("no log entry yet", "already in the log"),
    };
    let notes = fresh
        .iter()
        .map(|&i| (i, fresh_note))
        .chain(repeated.iter().map(|&i| (i, listed_note)));
    let candidates = notes
        .map(|(i, note)| {
            let name = &spec.scenarios[i].name;
            CompletionCandidate {
                label: name.to_string(),
                new_text: format!("{space}{name}"),
                kind: CompletionKind::Scenario(i),
                detail: note.to_string(),
            }
        })
        .collect();
    Some(Completion {
        replace,
        candidates,
    })
}

/// The name slot of a line of the order (a list item) or of the log (a
/// heading below the log's).
fn list_slot(spec: &Spec, text: &str, line: Range<usize>) -> Option<(NameList, NameSlot)> {
    let inside = |section: usize| {
        spec.sections
            .get(section)
            .is_some_and(|s| s.body_span.contains(&line.start))
    };
    if let Some(order) = spec.order.as_ref().filter(|o| inside(o.section)) {
        let mut slot = list_item_slot(text, line.clone())?;
        if let Some(entry) = order.entries.iter().find(|e| e.line_span == line) {
            slot.name = entry.name_span.clone();
        }
        return Some((NameList::Order, slot));
    }
    let log = spec.log.as_ref().filter(|l| inside(l.section))?;
    let mut slot = heading_slot(text, line.clone(), 3)?;
    let written = log
        .entries
        .iter()
        .find(|e| e.heading.span.start == line.start && !e.heading.text_span.is_empty());
    if let Some(entry) = written {
        slot.name = entry.heading.text_span.clone();
    }
    Some((NameList::Log, slot))
}

/// The scenarios a list names on lines other than `line`.
fn listed_elsewhere(spec: &Spec, list: NameList, line: &Range<usize>) -> HashSet<usize> {
    let index = spec.scenario_index();
    let elsewhere = |span: &Range<usize>| !line.contains(&span.start);
    match list {
        NameList::Order => spec
            .order
            .iter()
            .flat_map(|o| &o.entries)
            .filter(|e| elsewhere(&e.line_span))
            .filter_map(|e| index.get(&e.name))
            .collect(),
        NameList::Log => spec
            .log
            .iter()
            .flat_map(|l| &l.entries)
            .filter(|e| elsewhere(&e.heading.span))
            .filter_map(|e| index.get(&e.heading.text))
            .collect(),
    }
}

/// The scenarios in document order, one per name.
fn distinct_scenarios(spec: &Spec) -> impl Iterator<Item = usize> + '_ {
    let mut seen = HashSet::new();
    (0..spec.scenarios.len()).filter(move |&i| seen.insert(normalize_name(&spec.scenarios[i].name)))
}

fn section_headings_at(
    spec: &Spec,
    text: &str,
    line: Range<usize>,
    offset: usize,
) -> Option<Completion> {
    let slot = heading_slot(text, line.clone(), 2)?;
    let marks = text[line.start..slot.marker_end].trim_start();
    if marks != "##" || offset < slot.marker_end {
        return None;
    }
    let replace = slot.marker_end - marks.len()..slot.name.end.max(offset);
    let present = |kind: SectionKind| {
        spec.sections
            .iter()
            .any(|s| s.kind == Some(kind) && !line.contains(&s.heading.span.start))
    };
    let candidates = CANONICAL_SECTIONS
        .into_iter()
        .filter(|&kind| !present(kind))
        .map(|kind| CompletionCandidate {
            label: kind.title().to_string(),
            new_text: format!("## {}", kind.title()),
            kind: CompletionKind::Section(kind),
            detail: "missing section".to_string(),
        })
        .collect();
    Some(Completion {
        replace,
        candidates,
    })
}

/// The line holding `offset`, without its line break; `None` when the
/// offset is not in the text or not at a character boundary.
fn line_around(text: &str, offset: usize) -> Option<Range<usize>> {
    let before = text.get(..offset)?;
    let start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    Some(start..end)
}

/// A list item line: `-`, `*`, `+`, `1.` or `1)`, then a space or the end
/// of the line; the name after it (and after a task checkbox).
fn list_item_slot(text: &str, line: Range<usize>) -> Option<NameSlot> {
    let raw = &text[line.clone()];
    let item = raw.trim_start();
    let digits = item.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if item.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && item[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return None;
    };
    let marker_end = line.start + (raw.len() - item.len()) + marker;
    let mut rest = &text[marker_end..line.end];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    rest = rest.trim_start();
    for checkbox in ["[ ]", "[x]", "[X]"] {
        if let Some(after) = rest.strip_prefix(checkbox) {
            rest = after.trim_start();
        }
    }
    Some(name_slot(marker_end, line.end - rest.len(), text, line.end))
}

/// A heading line of at least `min_level` `#` marks followed by a space or
/// the end of the line; the text after the marks.
fn heading_slot(text: &str, line: Range<usize>, min_level: usize) -> Option<NameSlot> {
    let raw = &text[line.clone()];
    let heading = raw.trim_start();
    let level = heading.bytes().take_while(|&b| b == b'#').count();
    if !(min_level..=6).contains(&level) {
        return None;
    }
    let marker_end = line.start + (raw.len() - heading.len()) + level;
    let rest = &text[marker_end..line.end];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let start = line.end - rest.trim_start().len();
    Some(name_slot(marker_end, start, text, line.end))
}

/// The slot whose name runs from `start` to the end of the line, trailing
/// spaces left out.
fn name_slot(marker_end: usize, start: usize, text: &str, line_end: usize) -> NameSlot {
    let end = start + text[start..line_end].trim_end().len();
    NameSlot {
        marker_end,
        name: start..end,
    }
}

#[cfg(test)]
mod tests {
    use super::completion;
    use crate::ide::navigation::tests::fixture;

    const SCENARIOS: &str = "# Export

## Intent
Why.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Then a CSV

  Scenario: Export an empty month
    Then a header

  Scenario: Export a year
    Then twelve files
```
";

    /// The completion at the `|` of `rest` appended to [`SCENARIOS`]: what
    /// it replaces and its labels.
    fn complete(rest: &str) -> Option<(String, Vec<String>, Vec<String>)> {
        let (spec, text, cursor) = fixture(&format!("{SCENARIOS}{rest}"));
        let completion = completion(&spec, &text, cursor)?;
        let labels = completion
            .candidates
            .iter()
            .map(|c| c.label.clone())
            .collect();
        let new_texts = completion
            .candidates
            .iter()
            .map(|c| c.new_text.clone())
            .collect();
        Some((text[completion.replace].to_string(), labels, new_texts))
    }

    #[test]
    fn order_items_offer_the_unlisted_scenarios_first() {
        let (replaced, labels, _) =
            complete("\n## Scenario order\n1. Export a year\n2. Exp|ort\n").expect("completion");
        assert_eq!(replaced, "Export");
        assert_eq!(
            labels,
            ["Export a month", "Export an empty month", "Export a year"]
        );
        // The line under the cursor does not count as listing its scenario.
        let (replaced, labels, _) =
            complete("\n## Scenario order\n1. **Export a y|ear**\n").expect("completion");
        assert_eq!(replaced, "Export a year");
        assert_eq!(labels[0], "Export a month");
    }

    #[test]
    fn an_empty_item_gets_a_space_after_its_marker() {
        let (replaced, _, new_texts) = complete("\n## Scenario order\n1.|\n").expect("completion");
        assert_eq!(replaced, "");
        assert_eq!(new_texts[0], " Export a month");
        let (_, _, new_texts) = complete("\n## Scenario order\n- |\n").expect("completion");
        assert_eq!(new_texts[0], "Export a month");
    }

    #[test]
    fn log_headings_offer_the_scenarios_without_an_entry_first() {
        let rest = "\n## Session log\n### Export a month\nDone.\n\n### |\n";
        let (replaced, labels, _) = complete(rest).expect("completion");
        assert_eq!(replaced, "");
        assert_eq!(
            labels,
            ["Export an empty month", "Export a year", "Export a month"]
        );
    }

    #[test]
    fn nothing_is_offered_before_the_marker_or_outside_the_lists() {
        assert_eq!(complete("\n## Scenario order\n|1. Export\n"), None);
        assert_eq!(complete("\n## Scenario order\nSome |text\n"), None);
        assert_eq!(complete("\n## Notes\n- Exp|\n"), None);
        assert_eq!(complete("\n## Session log\nExp|\n"), None);
    }

    #[test]
    fn a_level_two_line_offers_the_missing_sections() {
        let (replaced, labels, new_texts) = complete("\n## Sc|\n").expect("completion");
        assert_eq!(replaced, "## Sc");
        assert_eq!(
            labels,
            ["Feature description", "Scenario order", "Session log"]
        );
        assert_eq!(new_texts[0], "## Feature description");
        assert_eq!(complete("\n# Ti|\n"), None);
        assert_eq!(complete("\n#### Sc|\n"), None);
    }
}
