//! Hover: the scenario an order entry or log heading names, and on a
//! scenario's own name its place in the order and in the log; then the
//! scenario's sessions.

use std::ops::Range;

use super::navigation::{
    OrderPlace, Reference, log_entry_of, order_place, plan_unit_span, reference_span, scenario_at,
    unit_at,
};
use super::short_commit;
use crate::spec::{FileId, Spec};
use crate::units::{SessionFacts, SessionState, units_of};

/// What to show for the element under a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverText {
    /// The bytes of the spec the hover is about.
    pub range: Range<usize>,
    /// The text to show, in markdown.
    pub markdown: String,
}

/// The hover at `offset` of the spec's `text`: the named scenario's
/// Gherkin; on the scenario's own name, also its order and log status;
/// then its sessions, when `facts` has any.
pub fn hover(
    spec: &Spec,
    text: &str,
    offset: usize,
    facts: Option<&SessionFacts>,
) -> Option<HoverText> {
    let Some((reference, scenario)) = scenario_at(spec, offset) else {
        return plan_unit_hover(spec, offset, facts);
    };
    let range = reference_span(spec, reference)?;
    let mut markdown = scenario_block(spec, text, scenario)?;
    if let Some(source) = linked_source(spec, scenario) {
        markdown.push_str(&format!("\n\nfrom `{source}`"));
    }
    if let Reference::Scenario(_) = reference {
        markdown.push_str("\n\n");
        markdown.push_str(&scenario_status(spec, scenario));
    }
    let name = &spec.scenarios.get(scenario)?.name;
    if let Some(sessions) = facts.and_then(|facts| sessions_paragraph(facts, name)) {
        markdown.push_str("\n\n");
        markdown.push_str(&sessions);
    }
    Some(HoverText { range, markdown })
}

/// On a phase heading or a task's line: the unit's place, its boxes, and
/// its sessions.
fn plan_unit_hover(spec: &Spec, offset: usize, facts: Option<&SessionFacts>) -> Option<HoverText> {
    let unit = unit_at(spec, offset)?;
    let range = plan_unit_span(spec, &unit).filter(|r| r.start <= offset && offset <= r.end)?;
    let units = units_of(spec, facts.map_or(&[][..], |f| &f.configured_phases));
    let work = &units.iter().find(|u| u.unit == unit)?.work;
    let boxes = spec.unit_boxes(&unit);
    let ticked = boxes.iter().filter(|b| b.checked).count();
    let kind = work.kind.word();
    let mut markdown = format!(
        "**{}{} {} of {}** “{}” · {ticked} of {} {} ticked",
        kind[..1].to_uppercase(),
        &kind[1..],
        work.index,
        work.of,
        work.name,
        boxes.len(),
        if boxes.len() == 1 { "box" } else { "boxes" },
    );
    if let Some(sessions) = facts.and_then(|facts| sessions_paragraph(facts, &work.name)) {
        markdown.push_str("\n\n");
        markdown.push_str(&sessions);
    }
    Some(HoverText { range, markdown })
}

/// The sessions of a unit as markdown lines, newest first:
/// `` - `id` completed · abc1234 ``; `None` when it has none.
fn sessions_paragraph(facts: &SessionFacts, unit: &str) -> Option<String> {
    let mut lines: Vec<String> = facts
        .of_unit(unit)
        .map(|s| {
            let state = match s.state {
                SessionState::Active => "active",
                SessionState::Paused => "paused",
                SessionState::Completed => "completed",
                SessionState::Failed => "failed",
                SessionState::Abandoned => "abandoned",
            };
            let commit = s
                .commit
                .as_deref()
                .map(|c| format!(" · {}", short_commit(c)))
                .unwrap_or_default();
            format!("- `{}` {state}{commit}", s.id)
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(format!("Sessions:\n{}", lines.join("\n")))
}

/// A scenario's text from its file, as a fenced ```gherkin block.
fn scenario_block(spec: &Spec, text: &str, scenario: usize) -> Option<String> {
    let scenario = spec.scenarios.get(scenario)?;
    let file = spec.file_text(text, scenario.file)?;
    let body = dedent(file, scenario.full_span.clone())?;
    let longest_run = body
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest_run.max(2) + 1);
    Some(format!("{fence}gherkin\n{body}\n{fence}"))
}

/// The link a scenario of a linked file comes through.
fn linked_source(spec: &Spec, scenario: usize) -> Option<&str> {
    match spec.scenarios.get(scenario)?.file {
        FileId::Spec | FileId::Part(_) => None,
        FileId::Linked(i) => Some(&spec.feature_links.get(i)?.target),
    }
}

/// "3rd of 7 in the order · in the Session log", or what is missing.
fn scenario_status(spec: &Spec, scenario: usize) -> String {
    let place = match order_place(spec, scenario) {
        Some(OrderPlace { position, of }) => {
            format!("{} of {of} in the order", ordinal(position))
        }
        None => "not in the scenario order".to_string(),
    };
    let log = match log_entry_of(spec, scenario) {
        Some(_) => "has a Session log entry",
        None => "no Session log entry",
    };
    format!("{place} · {log}")
}

/// The text of `span` with the indentation its first line had before the
/// span removed from every following line, and line breaks made `\n`.
fn dedent(file: &str, span: Range<usize>) -> Option<String> {
    let body = file.get(span.clone())?;
    let line_start = file
        .get(..span.start)?
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indent = &file[line_start..span.start];
    let width = if indent.trim().is_empty() {
        indent.len()
    } else {
        0
    };
    let lines: Vec<&str> = body
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let line = line.trim_end_matches('\r');
            let blank = line.len() - line.trim_start().len();
            if i == 0 {
                line
            } else {
                &line[blank.min(width)..]
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::{Fixture, session};
    use crate::ide::navigation::tests::fixture;

    const SPEC: &str = "# Export

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario: Export an empty month
    Then only the header
```

## Scenario order
1. Export an empty month
2. Export a |month

## Session log
### Export a month
Done.
";

    #[test]
    fn an_order_entry_shows_its_scenario() {
        let (spec, text, cursor) = fixture(SPEC);
        let shown = hover(&spec, &text, cursor, None).expect("a hover");
        assert_eq!(&text[shown.range], "Export a month");
        assert_eq!(
            shown.markdown,
            "```gherkin\nScenario: Export a month\n  Given a month\n  Then a CSV\n```"
        );
    }

    /// [`SPEC`] with its cursor moved to the `|` of `needle`.
    fn moved(needle: &str) -> String {
        SPEC.replacen('|', "", 1)
            .replacen(&needle.replace('|', ""), needle, 1)
    }

    #[test]
    fn a_scenario_name_shows_its_place_and_log() {
        let (spec, text, cursor) = fixture(&moved("Scenario: Export a |month"));
        let shown = hover(&spec, &text, cursor, None).expect("a hover");
        assert!(
            shown
                .markdown
                .ends_with("```\n\n2nd of 2 in the order · has a Session log entry"),
            "{}",
            shown.markdown
        );
        let (spec, text, cursor) = fixture(&moved("Scenario: |Export an"));
        let shown = hover(&spec, &text, cursor, None).expect("a hover");
        assert!(
            shown
                .markdown
                .ends_with("1st of 2 in the order · no Session log entry"),
            "{}",
            shown.markdown
        );
    }

    #[test]
    fn a_linked_scenario_shows_its_file() {
        let feature = "Feature: Errors\n\n  Scenario: Fail\n    Then ``` an error\n";
        let (mut spec, text, cursor) = fixture(
            "# E\n\n## Scenarios\n[errors](errors.feature)\n\n## Scenario order\n1. Fa|il\n",
        );
        spec.attach_feature(0, Some(feature));
        let shown = hover(&spec, &text, cursor, None).expect("a hover");
        assert_eq!(
            shown.markdown,
            "````gherkin\nScenario: Fail\n  Then ``` an error\n````\n\nfrom `errors.feature`"
        );
    }

    #[test]
    fn the_sessions_of_a_scenario_follow_newest_first() {
        let fixture = Fixture::parse(
            "## Scenarios\n### Scenario: Export a |month\n              ^^^^^^^^^^^^^^\n* Then a CSV\n",
        );
        let spec = Spec::parse(&fixture.text);
        let facts = SessionFacts {
            sessions: vec![
                session("s1", "export A month", SessionState::Failed, None),
                session(
                    "s2",
                    "export A month",
                    SessionState::Completed,
                    Some("0123456789abcdef"),
                ),
            ],
            ..SessionFacts::default()
        };
        let shown = hover(&spec, &fixture.text, fixture.cursor(), Some(&facts)).expect("a hover");
        assert_eq!([shown.range], *fixture.ranges);
        assert!(
            shown.markdown.ends_with(
                "no Session log entry\n\nSessions:\n- `s2` completed · 0123456\n- `s1` failed"
            ),
            "{}",
            shown.markdown
        );
        let none = SessionFacts::default();
        let shown = hover(&spec, &fixture.text, fixture.cursor(), Some(&none)).expect("a hover");
        assert!(!shown.markdown.contains("Sessions"), "{}", shown.markdown);
    }

    #[test]
    fn ordinals_read_as_english() {
        let ordinals: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111]
            .map(ordinal)
            .into();
        assert_eq!(
            ordinals,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "103rd",
                "111th"
            ]
        );
    }
}
