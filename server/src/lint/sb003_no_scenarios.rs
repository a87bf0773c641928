//! SB003: no scenarios and no plan: nothing to build.

use super::edits::{Family, insert_section, title_range};
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::SectionKind;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    let has_plan = spec
        .section(SectionKind::Plan)
        .is_some_and(|plan| plan.has_content)
        || spec.part_with(SectionKind::Plan).is_some();
    if !spec.scenarios.is_empty() || has_plan || !spec.gherkin_errors.is_empty() {
        return Vec::new();
    }
    if Family::of(spec) == Family::LeanSpec {
        return vec![
            Diagnostic::new(
                Code::SB003,
                Severity::Error,
                title_range(spec),
                "the spec has no plan and no scenarios: add a `## Plan` with a `- [ ]` task for each session, or `### Phase N: name` headings",
            )
            .with_fix(
                "Insert a Plan",
                vec![insert_section(
                    spec,
                    rule.text,
                    SectionKind::Plan,
                    "- [ ] TODO the first task",
                )],
            ),
        ];
    }
    let range = spec
        .section(SectionKind::Scenarios)
        .map_or_else(|| title_range(spec), |s| s.heading.span.clone());
    let feature = spec
        .title
        .as_ref()
        .map_or("The feature", |t| t.text.as_str());
    let skeleton = format!(
        "```gherkin\nFeature: {feature}\n  Scenario: TODO the first behaviour\n    Given a starting state\n    When something happens\n    Then the outcome is visible\n```"
    );
    let diagnostic = Diagnostic::new(
        Code::SB003,
        Severity::Error,
        range,
        "the spec has no scenarios and no plan: describe each behaviour as a Gherkin scenario",
    );
    if spec.section(SectionKind::Scenarios).is_some() {
        return vec![diagnostic];
    }
    vec![diagnostic.with_fix(
        "Insert a Scenarios section",
        vec![insert_section(
            spec,
            rule.text,
            SectionKind::Scenarios,
            &skeleton,
        )],
    )]
}
