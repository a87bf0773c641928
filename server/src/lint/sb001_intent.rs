//! SB001: no Intent section, or an empty one.

use super::edits::{Family, insert_section, title_range};
use super::{Code, Diagnostic, Rule, Severity, TextEdit};
use crate::spec::SectionKind;

const PLACEHOLDER: &str = "TODO: why this change exists and what problem it solves.";

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    match spec.section(SectionKind::Intent) {
        Some(section) if section.has_content => Vec::new(),
        Some(section) => {
            let at = section.body_span.start;
            vec![
                Diagnostic::new(
                    Code::SB001,
                    Severity::Error,
                    section.heading.span.clone(),
                    format!(
                        "the {} section is empty: say why this change exists and what problem it solves",
                        section.heading.text
                    ),
                )
                .with_fix(
                    "Fill in the Intent section",
                    vec![TextEdit {
                        range: at..at,
                        new_text: format!("\n{PLACEHOLDER}\n"),
                    }],
                ),
            ]
        }
        None if spec.part_with(SectionKind::Intent).is_some() => Vec::new(),
        None => vec![
            Diagnostic::new(
                Code::SB001,
                Severity::Error,
                title_range(spec),
                format!(
                    "the spec has no {0} section: add `## {0}` saying why this change exists",
                    Family::of(spec).heading(SectionKind::Intent)
                ),
            )
            .with_fix(
                format!(
                    "Insert an {} section",
                    Family::of(spec).heading(SectionKind::Intent)
                ),
                vec![insert_section(
                    spec,
                    rule.text,
                    SectionKind::Intent,
                    PLACEHOLDER,
                )],
            ),
        ],
    }
}
