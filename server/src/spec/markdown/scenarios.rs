//! Scenarios written in a spec: ```gherkin blocks, parsed Gherkin documents
//! (also of linked files) and Markdown-with-Gherkin `### Scenario:` headings.

use std::ops::Range;

use super::super::block_cache::BlockCache;
use super::super::gherkin::{self, FeatureChild, Flavor, KeywordType, Origin, RuleChild};
use super::super::{FileId, GherkinError, Heading, Scenario, ScenarioSource, Spec, Step};
use super::{Outline, fenced_content};

impl Spec {
    pub(super) fn add_gherkin_block(
        &mut self,
        text: &str,
        block: Range<usize>,
        cache: &mut BlockCache,
    ) {
        let content = fenced_content(text, block);
        if content.is_empty() {
            return;
        }
        let source = &text[content.clone()];
        let (scenarios, errors) = cache.block(source, content.start, || {
            let doc = gherkin::parse_at(source, Flavor::Classic, Origin::default());
            let mut relative = Spec::default();
            relative.add_gherkin_document(doc, FileId::Spec, None);
            (relative.scenarios, relative.gherkin_errors)
        });
        self.scenarios.extend(scenarios);
        self.gherkin_errors.extend(errors);
    }

    /// Adds the scenarios and errors of a parsed Gherkin document. `anchor`
    /// is where the spec refers to it (a link), or `None` for text of the spec.
    pub(in crate::spec) fn add_gherkin_document(
        &mut self,
        doc: gherkin::GherkinDocument,
        file: FileId,
        anchor: Option<usize>,
    ) {
        self.gherkin_errors
            .extend(doc.errors.into_iter().map(|e| GherkinError {
                file,
                message: e.message,
                span: e.span,
            }));
        let Some(feature) = doc.feature else { return };
        let source = if file == FileId::Spec {
            ScenarioSource::FencedBlock
        } else {
            ScenarioSource::LinkedFile
        };
        let mut push = |s: gherkin::Scenario| {
            self.scenarios.push(Scenario {
                anchor: anchor.unwrap_or(s.span.start),
                name: s.name.into(),
                keyword: s.keyword.into(),
                source,
                file,
                span: s.span,
                name_span: s.name_span,
                full_span: s.full_span,
                steps: s
                    .steps
                    .into_iter()
                    .map(|step| Step {
                        keyword: step.keyword.into(),
                        keyword_type: step.keyword_type,
                        text: step.text.into(),
                        span: step.span,
                    })
                    .collect(),
            });
        };
        for child in feature.children {
            match child {
                FeatureChild::Scenario(s) => push(s),
                FeatureChild::Rule(rule) => {
                    for child in rule.children {
                        if let RuleChild::Scenario(s) = child {
                            push(s);
                        }
                    }
                }
                FeatureChild::Background(_) => {}
            }
        }
    }

    /// Markdown-with-Gherkin scenarios: `### Scenario: name` headings in the
    /// Scenarios section, with `* Given …` list items as steps.
    pub(super) fn add_heading_scenarios(
        &mut self,
        text: &str,
        outline: &Outline,
        section: Range<usize>,
    ) {
        let headings: Vec<&Heading> = outline
            .headings
            .iter()
            .filter(|h| h.level > 2 && section.contains(&h.span.start))
            .collect();
        for (i, heading) in headings.iter().enumerate() {
            let Some((keyword, name_span)) = scenario_heading(text, heading) else {
                continue;
            };
            let end = headings
                .get(i + 1)
                .map_or(section.end, |next| next.span.start);
            // List items are in document order: find this region's by bisection.
            let items = &outline.list_items;
            let first = items.partition_point(|item| item.start < heading.span.end);
            let last = items.partition_point(|item| item.start < end);
            let steps: Vec<Step> = items[first..last]
                .iter()
                .filter_map(|item| heading_step(text, item.clone()))
                .collect();
            let last = steps.last().map_or(heading.span.end, |s| s.span.end);
            self.scenarios.push(Scenario {
                name: text[name_span.clone()].into(),
                keyword: (*keyword).into(),
                source: ScenarioSource::Heading,
                file: FileId::Spec,
                span: heading.text_span.clone(),
                name_span,
                full_span: heading.span.start..last,
                steps,
                anchor: heading.span.start,
            });
        }
    }
}

const SCENARIO_KEYWORDS: [&str; 4] = [
    "Scenario Outline",
    "Scenario Template",
    "Scenario",
    "Example",
];

/// `Scenario: name` in a heading: the keyword and the name's bytes.
fn scenario_heading(text: &str, heading: &Heading) -> Option<(&'static str, Range<usize>)> {
    let title = &text[heading.text_span.clone()];
    let keyword = SCENARIO_KEYWORDS.iter().find(|k| {
        title
            .get(..k.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(k) && title[k.len()..].starts_with(':'))
    })?;
    let after = &title[keyword.len() + 1..];
    let start =
        heading.text_span.start + keyword.len() + 1 + (after.len() - after.trim_start().len());
    Some((keyword, start..heading.text_span.end))
}

const STEP_KEYWORDS: [(&str, KeywordType); 5] = [
    ("Given", KeywordType::Context),
    ("When", KeywordType::Action),
    ("Then", KeywordType::Outcome),
    ("And", KeywordType::Conjunction),
    ("But", KeywordType::Conjunction),
];

/// A `* Given …` list item.
fn heading_step(text: &str, line: Range<usize>) -> Option<Step> {
    let raw = &text[line.clone()];
    let item = raw.trim_start();
    let item = item.strip_prefix(['*', '-', '+'])?.trim_start();
    let (keyword, keyword_type) = STEP_KEYWORDS
        .iter()
        .find(|(k, _)| item.starts_with(k) && item[k.len()..].starts_with([' ', '\t']))?;
    let start = line.end - item.len();
    Some(Step {
        keyword: format!("{keyword} ").into(),
        keyword_type: *keyword_type,
        text: item[keyword.len()..].trim().into(),
        span: start..line.start + raw.trim_end().len(),
    })
}
