//! Edits shared by the quick fixes: inserting a section where it belongs,
//! removing a line.

use std::ops::Range;

use super::TextEdit;
use crate::spec::{SectionKind, Spec};

/// A section's place in the canonical order of DESIGN §4.
fn rank(kind: SectionKind) -> u8 {
    match kind {
        SectionKind::Intent => 0,
        SectionKind::FeatureDescription => 1,
        SectionKind::Scenarios | SectionKind::Plan => 2,
        SectionKind::Order => 3,
        SectionKind::Log => 4,
    }
}

/// The family of specs a spec belongs to, for the headings its messages
/// and fixes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// DESIGN §4's own headings: Intent, Feature description, Scenarios.
    Smallbatch,
    /// LeanSpec's template: Overview, Design, Plan.
    LeanSpec,
}

impl Family {
    /// A spec written from LeanSpec's template: it has sub-spec files, a
    /// plan, an `## Overview`, or the history keys LeanSpec's CLI writes
    /// (`created_at`, `updated_at`, `transitions`).
    pub fn of(spec: &Spec) -> Family {
        let overview = spec
            .sections
            .iter()
            .any(|s| s.heading.text.eq_ignore_ascii_case("overview"));
        let history = spec.front_matter.as_ref().is_some_and(|fm| {
            ["created_at", "updated_at", "transitions"]
                .iter()
                .any(|key| fm.values.contains_key(*key))
        });
        if !spec.parts.is_empty()
            || spec.section(SectionKind::Plan).is_some()
            || overview
            || history
        {
            Family::LeanSpec
        } else {
            Family::Smallbatch
        }
    }

    /// The heading this family gives a section.
    pub fn heading(self, kind: SectionKind) -> &'static str {
        match (self, kind) {
            (Family::LeanSpec, SectionKind::Intent) => "Overview",
            (Family::LeanSpec, SectionKind::FeatureDescription) => "Design",
            _ => kind.title(),
        }
    }
}

/// An edit that inserts a `## <kind>` section with `body` where it belongs:
/// before the first section that comes after it, else at the end; headed
/// as the spec's family heads it.
pub fn insert_section(spec: &Spec, text: &str, kind: SectionKind, body: &str) -> TextEdit {
    let before = spec
        .sections
        .iter()
        .find(|s| s.kind.is_some_and(|k| rank(k) > rank(kind)));
    let title = Family::of(spec).heading(kind);
    let section = format!("## {title}\n\n{}\n", body.trim_end());
    match before {
        Some(next) => TextEdit {
            range: next.span.start..next.span.start,
            new_text: format!("{section}\n"),
        },
        None => {
            let separator = if text.is_empty() || text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            TextEdit {
                range: text.len()..text.len(),
                new_text: format!("{separator}{section}"),
            }
        }
    }
}

/// An edit that removes a whole line, its line break included.
pub fn remove_line(text: &str, line: Range<usize>) -> TextEdit {
    let rest = &text[line.end..];
    let end = if rest.starts_with("\r\n") {
        line.end + 2
    } else if rest.starts_with(['\n', '\r']) {
        line.end + 1
    } else {
        line.end
    };
    let start = text[..line.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    TextEdit {
        range: start..end,
        new_text: String::new(),
    }
}

/// Where a diagnostic about the whole spec goes: the title line, else the
/// first section's heading, else the end of the front matter (which
/// [`super::Diagnostic`]s widen to a character).
pub fn title_range(spec: &Spec) -> Range<usize> {
    if let Some(title) = &spec.title {
        return title.span.clone();
    }
    if let Some(section) = spec.sections.first() {
        return section.heading.span.clone();
    }
    let at = spec.front_matter.as_ref().map_or(0, |f| f.span.end);
    at..at
}

/// The line break the spec uses.
pub fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}
