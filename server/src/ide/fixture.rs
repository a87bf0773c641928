//! Fixtures for the editor features' tests: a text where `|` marks the
//! cursor and a line of `^` under a line marks an expected range of it.
//!
//! ```text
//! ## Scenario order
//! 1. Export a |month
//!    ^^^^^^^^^^^^^^
//! ```
//!
//! is the text without the mark line and without the `|`, the cursor
//! before `month`, and one range: `Export a month`. Columns of a mark line
//! count characters of the line above as it reads without the `|`.

use std::ops::Range;

use crate::units::{SessionFact, SessionState};

/// A fixture, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The text, marks removed.
    pub text: String,
    /// The offset of the `|`, when the fixture has one.
    pub cursor: Option<usize>,
    /// The ranges marked with `^`, in the order they are written.
    pub ranges: Vec<Range<usize>>,
}

impl Fixture {
    /// A fixture whose first `|` is the cursor (later ones are text: a
    /// Gherkin table, say) and whose `^` lines mark ranges.
    pub fn parse(marked: &str) -> Fixture {
        Fixture::read(marked, true)
    }

    /// A fixture without a cursor: every `|` is text.
    pub fn ranges(marked: &str) -> Fixture {
        Fixture::read(marked, false)
    }

    fn read(marked: &str, with_cursor: bool) -> Fixture {
        let mut fixture = Fixture {
            text: String::with_capacity(marked.len()),
            cursor: None,
            ranges: Vec::new(),
        };
        let mut last_line: Option<Range<usize>> = None;
        for line in marked.split_inclusive('\n') {
            if let Some(above) = last_line.clone().filter(|_| is_mark_line(line)) {
                fixture.ranges.extend(marks(&fixture.text, above, line));
                continue;
            }
            let start = fixture.text.len();
            match line
                .find('|')
                .filter(|_| with_cursor && fixture.cursor.is_none())
            {
                Some(bar) => {
                    fixture.cursor = Some(start + bar);
                    fixture.text.push_str(&line[..bar]);
                    fixture.text.push_str(&line[bar + 1..]);
                }
                None => fixture.text.push_str(line),
            }
            let content = fixture.text[start..].trim_end_matches(['\n', '\r']).len();
            last_line = Some(start..start + content);
        }
        fixture
    }

    /// The cursor; a test without one is a mistake in the test.
    pub fn cursor(&self) -> usize {
        self.cursor.expect("the fixture marks the cursor with |")
    }

    /// The text of each marked range.
    pub fn marked(&self) -> Vec<&str> {
        self.ranges.iter().map(|r| &self.text[r.clone()]).collect()
    }
}

/// A session of `unit` in the given state, with `commit` as its end.
pub fn session(id: &str, unit: &str, state: SessionState, commit: Option<&str>) -> SessionFact {
    SessionFact {
        id: id.into(),
        kind: crate::units::UnitKind::Scenario,
        unit: unit.into(),
        state,
        has_notes: false,
        summary_template: None,
        commit: commit.map(str::to_string),
    }
}

/// Whether a line only marks ranges: `^` runs and spaces.
fn is_mark_line(line: &str) -> bool {
    let line = line.trim_end_matches(['\n', '\r']);
    line.contains('^') && line.chars().all(|c| c == '^' || c == ' ')
}

/// The ranges a mark line marks in the line `above` of `text`.
fn marks(text: &str, above: Range<usize>, mark_line: &str) -> Vec<Range<usize>> {
    let line = &text[above.clone()];
    let byte = |column: usize| {
        above.start
            + line
                .char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
    };
    let mut ranges = Vec::new();
    let mut run: Option<usize> = None;
    let columns = mark_line.trim_end_matches(['\n', '\r']).chars();
    for (column, c) in columns.chain([' ']).enumerate() {
        match (c, run) {
            ('^', None) => run = Some(column),
            (' ', Some(first)) => {
                ranges.push(byte(first)..byte(column));
                run = None;
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::Fixture;

    #[test]
    fn the_bar_is_the_cursor_and_carets_mark_ranges() {
        let fixture = Fixture::parse("# Été\n1. Un |été\n   ^^ ^^^\n| a | b |\n");
        assert_eq!(fixture.text, "# Été\n1. Un été\n| a | b |\n");
        assert_eq!(&fixture.text[fixture.cursor()..], "été\n| a | b |\n");
        assert_eq!(fixture.marked(), ["Un", "été"]);
    }

    #[test]
    fn without_a_cursor_every_bar_is_text() {
        let fixture = Fixture::ranges("| a |\n  ^\n");
        assert_eq!(fixture.text, "| a |\n");
        assert_eq!(fixture.cursor, None);
        assert_eq!(fixture.marked(), ["a"]);
    }
}
