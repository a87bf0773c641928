//! List and heading entries of a spec's sections: the scenario order, the
//! session log, and links to feature files.

use std::ops::Range;

use super::super::front_matter::lines_from;
use super::super::{FeatureLink, Heading, LinkState, LogEntry, OrderEntry};

/// An order entry from a list item's first line: without the list marker, a
/// task checkbox, emphasis or code marks around the name, or a `Scenario:`
/// prefix.
pub(super) fn order_entry(text: &str, line: Range<usize>) -> Option<OrderEntry> {
    let raw = &text[line.clone()];
    let mut start = line.start + (raw.len() - raw.trim_start().len());
    let mut rest = &text[start..line.end];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        }
    };
    if marker == 0 {
        return None;
    }
    start += marker;
    rest = &text[start..line.end];
    start += rest.len() - rest.trim_start().len();
    rest = &text[start..line.end];
    for checkbox in ["[ ]", "[x]", "[X]"] {
        if let Some(after) = rest.strip_prefix(checkbox) {
            start += checkbox.len() + (after.len() - after.trim_start().len());
            rest = &text[start..line.end];
            break;
        }
    }
    let mut end = start + rest.trim_end().len();
    for mark in ["**", "__", "`", "*", "_"] {
        let inner = &text[start..end];
        if inner.len() > 2 * mark.len() && inner.starts_with(mark) && inner.ends_with(mark) {
            start += mark.len();
            end -= mark.len();
        }
    }
    if let Some(after) = text[start..end].strip_prefix("Scenario:") {
        start = end - after.trim_start().len();
    }
    if start >= end {
        return None;
    }
    Some(OrderEntry {
        name: text[start..end].to_string(),
        name_span: start..end,
        line_span: line,
    })
}

/// Log entries: the headings just below the Session log heading.
pub(super) fn log_entries(
    text: &str,
    headings: &[Heading],
    section: Range<usize>,
) -> Vec<LogEntry> {
    let inner: Vec<&Heading> = headings
        .iter()
        .filter(|h| h.level > 2 && section.contains(&h.span.start))
        .collect();
    let Some(level) = inner.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let entries: Vec<&Heading> = inner.iter().copied().filter(|h| h.level == level).collect();
    entries
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let end = entries
                .get(i + 1)
                .map_or(section.end, |next| next.span.start);
            let body_start = lines_from(text, heading.span.start)
                .next()
                .map_or(end, |l| l.next.min(end));
            LogEntry {
                heading: (*heading).clone(),
                body: text[body_start..end].trim().to_string(),
                body_span: body_start..end,
            }
        })
        .collect()
}

/// Links to `.feature` / `.feature.md` files, one per target.
pub(super) fn feature_links(links: Vec<(String, Range<usize>)>) -> Vec<FeatureLink> {
    let mut out: Vec<FeatureLink> = Vec::new();
    for (target, span) in links {
        let path = target.split(['#', '?']).next().unwrap_or_default();
        let lower = path.to_ascii_lowercase();
        let is_feature = lower.ends_with(".feature") || lower.ends_with(".feature.md");
        if !is_feature || path.contains("://") || out.iter().any(|l| l.target == path) {
            continue;
        }
        out.push(FeatureLink {
            target: path.to_string(),
            span,
            state: LinkState::Unresolved,
        });
    }
    out
}
