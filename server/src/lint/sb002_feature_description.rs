//! SB002: no Feature description.

use super::edits::{Family, insert_section, title_range};
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::SectionKind;

const PLACEHOLDER: &str =
    "TODO: constraints, architectural boundaries, performance budgets, integrations.";

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    match spec.section(SectionKind::FeatureDescription) {
        Some(section) if section.has_content => Vec::new(),
        Some(section) => vec![Diagnostic::new(
            Code::SB002,
            Severity::Warning,
            section.heading.span.clone(),
            format!(
                "the {} section is empty: state the constraints, boundaries and budgets the work must respect",
                section.heading.text
            ),
        )],
        None if spec.part_with(SectionKind::FeatureDescription).is_some() => Vec::new(),
        None => vec![
            Diagnostic::new(
                Code::SB002,
                Severity::Warning,
                title_range(spec),
                format!(
                    "the spec has no {0}: add `## {0}` with the constraints, boundaries and budgets",
                    Family::of(spec).heading(SectionKind::FeatureDescription)
                ),
            )
            .with_fix(
                "Insert a Feature description",
                vec![insert_section(spec, rule.text, SectionKind::FeatureDescription, PLACEHOLDER)],
            ),
        ],
    }
}
