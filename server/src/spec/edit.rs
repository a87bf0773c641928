//! Pure edits of a spec's text made by the session commands: writing a
//! summary into the session log, setting the front matter's `status`. Each
//! returns one byte-range [`Replacement`]; the caller applies and writes it.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::markdown::level_number;

mod status;
use super::{LogEntry, Spec, normalize_name};
pub use status::front_matter_status_edit;

/// Replace the bytes of `range` with `new_text`: the one text edit of the
/// core (spec writes, quick fixes), in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub range: Range<usize>,
    pub new_text: String,
}

impl Replacement {
    /// `text` with the replacement made. A range outside `text` (or not on
    /// character boundaries) leaves it as it was.
    pub fn apply(&self, text: &str) -> String {
        let (Some(before), Some(after)) =
            (text.get(..self.range.start), text.get(self.range.end..))
        else {
            return text.to_string();
        };
        let mut out = String::with_capacity(before.len() + self.new_text.len() + after.len());
        out.push_str(before);
        out.push_str(&self.new_text);
        out.push_str(after);
        out
    }
}

/// The edit that writes `summary` under `### <unit_name>` in the spec's
/// `## Session log`: it replaces the body of the entry already there for that
/// unit (names compared with [`normalize_name`]), else appends an entry at the
/// end of the log, else adds a `## Session log` section at the end of the
/// spec. The file's line breaks are kept.
/// Headings in the summary at the entry's level or above are demoted below
/// it, so that the summary cannot end its entry or the log.
pub fn log_summary_edit(spec: &Spec, text: &str, unit_name: &str, summary: &str) -> Replacement {
    let nl = line_break(text);
    let Some(log) = &spec.log else {
        let body = summary_body(&demote_headings(summary, 3), nl);
        return new_log_section(text, unit_name, &body, nl);
    };
    if let Some(entry) = log_entry(spec, unit_name) {
        let body = summary_body(&demote_headings(summary, entry.heading.level), nl);
        return replace_entry_body(
            text,
            entry.heading.span.end,
            entry.body_span.clone(),
            &body,
            nl,
        );
    }
    let level = log.entries.first().map_or(3, |e| e.heading.level);
    let body = summary_body(&demote_headings(summary, level), nl);
    let section_end = spec
        .sections
        .get(log.section)
        .map_or(text.len(), |s| s.span.end);
    append_entry(text, section_end, level, unit_name, &body, nl)
}

/// The Session log entry for the unit named `unit_name` (names compared
/// with [`normalize_name`]), when the log has one.
pub fn log_entry<'a>(spec: &'a Spec, unit_name: &str) -> Option<&'a LogEntry> {
    let wanted = normalize_name(unit_name);
    spec.log
        .iter()
        .flat_map(|log| &log.entries)
        .find(|e| normalize_name(&e.heading.text) == wanted)
}

/// `summary` with every heading of level `level` or above (`#` to `###`
/// for 3) rewritten one level below it (`####`), or as bold text past `######`.
/// Setext headings become ATX ones; `#` lines inside code blocks stay.
pub fn demote_headings(summary: &str, level: u8) -> String {
    let mut out = String::with_capacity(summary.len());
    let mut copied = 0;
    for (event, range) in Parser::new_ext(summary, Options::empty()).into_offset_iter() {
        let Event::Start(Tag::Heading { level: found, .. }) = event else {
            continue;
        };
        if level_number(found) > level || range.start < copied {
            continue;
        }
        let source = &summary[range.clone()];
        let content = heading_content(source);
        let trailing = &source[source.trim_end_matches(['\n', '\r']).len()..];
        out.push_str(&summary[copied..range.start]);
        if level < 6 {
            out.push_str(&"#".repeat(usize::from(level + 1)));
            out.push(' ');
            out.push_str(&content);
        } else {
            out.push_str(&format!("**{content}**"));
        }
        out.push_str(trailing);
        copied = range.end;
    }
    out.push_str(&summary[copied..]);
    out
}

/// The text of an ATX (`## Text ##`) or setext (`Text` over `---`) heading.
fn heading_content(source: &str) -> String {
    let source = source.trim_end();
    if source.trim_start().starts_with('#') {
        let text = source.trim_start().trim_start_matches('#').trim();
        let closed = text.trim_end_matches('#');
        let text = if closed.ends_with(' ') || closed.is_empty() {
            closed.trim_end()
        } else {
            text
        };
        return text.to_string();
    }
    let mut lines: Vec<&str> = source.lines().collect();
    lines.pop();
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
}

/// The line break the text uses: CRLF when it has one, else LF.
fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The summary as an entry body: trimmed, its lines joined with `nl`.
fn summary_body(summary: &str, nl: &str) -> String {
    summary
        .trim()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(nl)
}

/// A new `## Session log` section with one entry, at the end of the text.
fn new_log_section(text: &str, unit_name: &str, body: &str, nl: &str) -> Replacement {
    let separator = separator_before_end(text, nl);
    let entry = entry_text(3, unit_name, body, nl);
    Replacement {
        range: text.len()..text.len(),
        new_text: format!("{separator}## Session log{nl}{nl}{entry}{nl}"),
    }
}

/// What goes between the text and something appended at its end so that a
/// blank line separates them.
fn separator_before_end(text: &str, nl: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let trailing = &text[text.trim_end_matches(['\n', '\r']).len()..];
    missing_breaks(trailing, 2, nl)
}

/// The line breaks to add to `whitespace` so that it holds `wanted` of them.
fn missing_breaks(whitespace: &str, wanted: usize, nl: &str) -> String {
    // A CRLF pair is one break.
    let breaks = whitespace.matches(['\n', '\r']).count() - whitespace.matches("\r\n").count();
    nl.repeat(wanted.saturating_sub(breaks))
}

/// `### name` and the body below it (without a final line break).
fn entry_text(level: u8, unit_name: &str, body: &str, nl: &str) -> String {
    let marks = "#".repeat(usize::from(level.clamp(1, 6)));
    let name = unit_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.is_empty() {
        format!("{marks} {name}")
    } else {
        format!("{marks} {name}{nl}{body}")
    }
}

/// Replaces an entry's body; a blank line stays between it and whatever
/// follows.
fn replace_entry_body(
    text: &str,
    heading_end: usize,
    body_span: Range<usize>,
    body: &str,
    nl: &str,
) -> Replacement {
    // A heading on the last line, without a line break, has an empty body
    // that starts where the heading ends.
    let lead = if body_span.start == heading_end {
        nl
    } else {
        ""
    };
    let follows = body_span.end < text.len();
    let tail = if follows {
        format!("{nl}{nl}")
    } else {
        nl.to_string()
    };
    let text = if body.is_empty() {
        format!("{lead}{}", if follows { nl } else { "" })
    } else {
        format!("{lead}{body}{tail}")
    };
    Replacement {
        range: body_span,
        new_text: text,
    }
}

/// Appends an entry after the last non-blank text of the log section, a
/// blank line before it and before whatever follows it.
fn append_entry(
    text: &str,
    section_end: usize,
    level: u8,
    unit_name: &str,
    body: &str,
    nl: &str,
) -> Replacement {
    let section = text.get(..section_end).unwrap_or(text);
    let at = section.trim_end().len();
    let entry = entry_text(level, unit_name, body, nl);
    let wanted = if section.len() < text.len() { 2 } else { 1 };
    let tail = missing_breaks(&section[at..], wanted, nl);
    Replacement {
        range: at..at,
        new_text: format!("{nl}{nl}{entry}{tail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_edit(text: &str, unit: &str, summary: &str) -> String {
        let spec = Spec::parse(text);
        log_summary_edit(&spec, text, unit, summary).apply(text)
    }

    const SPEC: &str = "# Export\n\n## Intent\nWhy.\n\n## Scenario order\n1. First\n2. Second\n\n## Session log\n### First\nOld summary.\nSecond line.\n\n### Second\nAnother.\n\n## Notes\nKept.\n";

    #[test]
    fn an_existing_entry_gets_its_body_replaced() {
        let expected = "# Export\n\n## Intent\nWhy.\n\n## Scenario order\n1. First\n2. Second\n\n## Session log\n### First\nNew summary.\nWith two lines.\n\n### Second\nAnother.\n\n## Notes\nKept.\n";
        assert_eq!(
            log_edit(SPEC, "  first ", "New summary.\nWith two lines.\n"),
            expected
        );
    }

    #[test]
    fn the_last_entry_of_a_log_followed_by_a_section_keeps_its_blank_line() {
        let expected = "# Export\n\n## Intent\nWhy.\n\n## Scenario order\n1. First\n2. Second\n\n## Session log\n### First\nOld summary.\nSecond line.\n\n### Second\nRewritten.\n\n## Notes\nKept.\n";
        assert_eq!(log_edit(SPEC, "SECOND", "Rewritten."), expected);
    }

    #[test]
    fn a_new_entry_goes_at_the_end_of_the_log() {
        let expected = "# Export\n\n## Intent\nWhy.\n\n## Scenario order\n1. First\n2. Second\n\n## Session log\n### First\nOld summary.\nSecond line.\n\n### Second\nAnother.\n\n### Third\nDone.\n\n## Notes\nKept.\n";
        assert_eq!(log_edit(SPEC, "Third", "Done."), expected);
    }

    #[test]
    fn a_new_entry_at_the_end_of_the_file() {
        let text = "# Export\n\n## Session log\n### First\nOne.\n";
        let expected = "# Export\n\n## Session log\n### First\nOne.\n\n### Second\nTwo.\n";
        assert_eq!(log_edit(text, "Second", "Two."), expected);
        let no_break = "# Export\n\n## Session log\n### First\nOne.";
        assert_eq!(log_edit(no_break, "Second", "Two."), expected);
    }

    #[test]
    fn an_empty_log_gets_its_first_entry() {
        let text = "# Export\n\n## Session log\n\n";
        let expected = "# Export\n\n## Session log\n\n### First\nOne.\n\n";
        assert_eq!(log_edit(text, "First", "One."), expected);
    }

    #[test]
    fn a_log_with_only_its_heading_before_another_section() {
        let text = "# Export\n\n## Session log\n## Notes\nKept.\n";
        let expected = "# Export\n\n## Session log\n\n### First\nOne.\n\n## Notes\nKept.\n";
        assert_eq!(log_edit(text, "First", "One."), expected);
    }

    #[test]
    fn an_entry_heading_on_the_last_line_without_a_break() {
        let text = "# Export\n\n## Session log\n### First";
        let expected = "# Export\n\n## Session log\n### First\nOne.\n";
        assert_eq!(log_edit(text, "First", "One."), expected);
    }

    #[test]
    fn an_absent_log_is_added_at_the_end_after_the_order() {
        let text = "# Export\n\n## Scenario order\n1. First\n";
        let expected =
            "# Export\n\n## Scenario order\n1. First\n\n## Session log\n\n### First\nOne.\n";
        assert_eq!(log_edit(text, "First", "One."), expected);
        let no_break = "# Export\n\n## Scenario order\n1. First";
        assert_eq!(log_edit(no_break, "First", "One."), expected);
        let blank = "# Export\n\n## Scenario order\n1. First\n\n\n";
        assert_eq!(
            log_edit(blank, "First", "One."),
            "# Export\n\n## Scenario order\n1. First\n\n\n## Session log\n\n### First\nOne.\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let text = SPEC.replace('\n', "\r\n");
        let replaced = log_edit(&text, "First", "New.\nTwo lines.");
        assert_eq!(
            replaced,
            "# Export\n\n## Intent\nWhy.\n\n## Scenario order\n1. First\n2. Second\n\n## Session log\n### First\nNew.\nTwo lines.\n\n### Second\nAnother.\n\n## Notes\nKept.\n"
                .replace('\n', "\r\n")
        );
        let appended = log_edit(&text, "Third", "Done.\r\nReally.");
        assert!(appended.contains("\r\n\r\n### Third\r\nDone.\r\nReally.\r\n\r\n## Notes"));
        assert!(!appended.replace("\r\n", "").contains('\n'));

        let no_log = "# Export\r\n\r\n## Scenario order\r\n1. First\r\n";
        assert_eq!(
            log_edit(no_log, "First", "One."),
            "# Export\r\n\r\n## Scenario order\r\n1. First\r\n\r\n## Session log\r\n\r\n### First\r\nOne.\r\n"
        );
    }

    #[test]
    fn entries_keep_the_level_the_log_uses() {
        let text = "# Export\n\n## Sessions\n#### First\nOne.\n";
        let expected = "# Export\n\n## Sessions\n#### First\nOne.\n\n#### Second\nTwo.\n";
        assert_eq!(log_edit(text, "Second", "Two."), expected);
    }

    #[test]
    fn the_result_parses_with_the_new_values() {
        let text = "---\nstatus: planned   # comment\n---\n\n# X\n\n## Scenario order\n1. A\n";
        let spec = Spec::parse(text);
        let text = front_matter_status_edit(&spec, text, "complete", "2026-11-21T10:00:00Z")
            .map_or_else(|| text.to_string(), |edit| edit.apply(text));
        let text = log_edit(&text, "A", "Did A.");
        let spec = Spec::parse(&text);
        let front_matter = spec.front_matter.as_ref().expect("front matter");
        assert_eq!(front_matter.str("status"), Some("complete"));
        let log = spec.log.as_ref().expect("a log");
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.entries[0].body, "Did A.");
    }

    #[test]
    fn headings_at_the_entry_level_or_above_are_demoted() {
        let summary = "Intro.\n\n# Top\n## Decisions ##\n### Same\n#### Deeper stays\n\nSetext\n---\n\n```sh\n# not a heading\n```\n";
        let expected = "Intro.\n\n#### Top\n#### Decisions\n#### Same\n#### Deeper stays\n\n#### Setext\n\n```sh\n# not a heading\n```\n";
        assert_eq!(demote_headings(summary, 3), expected);
        assert_eq!(demote_headings("###### Six\n", 6), "**Six**\n");
        assert_eq!(demote_headings("No headings.", 3), "No headings.");
    }

    #[test]
    fn a_summary_with_headings_stays_one_entry() {
        let summary = "Did A.\n## Why\nBecause.\n### Second\nNot an entry.";
        let text = log_edit(SPEC, "First", summary);
        let spec = Spec::parse(&text);
        let log = spec.log.as_ref().expect("a log");
        assert_eq!(log.entries.len(), 2, "{text}");
        assert!(log.entries[0].body.contains("Not an entry."), "{text}");
        assert!(text.contains("## Notes\nKept."), "{text}");
    }
}
