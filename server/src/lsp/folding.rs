//! textDocument/foldingRange: in a spec its front matter, sections,
//! scenarios, plan phases, log entries and fenced blocks; in a `.feature`
//! file its feature, rules, backgrounds, scenarios, examples and doc strings.

use std::ops::Range as ByteRange;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use tower_lsp_server::ls_types::*;

use super::documents::{Analysis, Content};
use super::position::Encoding;
use super::to_proto::Text;
use crate::spec::gherkin::{FeatureChild, GherkinDocument, RuleChild, Scenario as GherkinScenario};
use crate::spec::{FileId, SectionKind, Spec};

/// The folding ranges of a spec or a feature file; `None` for other documents.
pub fn folding_ranges(analysis: &Analysis, encoding: Encoding) -> Option<Vec<FoldingRange>> {
    let text = Text::of(analysis, encoding);
    let folds = match &analysis.content {
        Content::Spec(loaded) => spec_folds(&loaded.spec, text.text),
        Content::Feature(doc) => feature_folds(doc),
        Content::Other => return None,
    };
    Some(to_lines(folds, text))
}

/// A foldable byte range and its kind.
type Fold = (ByteRange<usize>, Option<FoldingRangeKind>);

fn spec_folds(spec: &Spec, text: &str) -> Vec<Fold> {
    let mut folds: Vec<Fold> = Vec::new();
    if let Some(front_matter) = &spec.front_matter {
        folds.push((front_matter.span.clone(), Some(FoldingRangeKind::Region)));
    }
    folds.extend(spec.sections.iter().map(|s| (s.span.clone(), None)));
    folds.extend(
        spec.scenarios
            .iter()
            .filter(|s| s.file == FileId::Spec)
            .map(|s| (s.full_span.clone(), None)),
    );
    folds.extend(
        spec.log
            .iter()
            .flat_map(|log| &log.entries)
            .map(|e| (e.heading.span.start..e.body_span.end, None)),
    );
    if let Some(plan) = spec
        .sections
        .iter()
        .find(|s| s.kind == Some(SectionKind::Plan))
    {
        let starts: Vec<usize> = spec.phases.iter().map(|p| p.heading.span.start).collect();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(plan.span.end);
            folds.push((start..end, None));
        }
    }
    folds.extend(
        fenced_blocks(text)
            .into_iter()
            .map(|b| (b, Some(FoldingRangeKind::Region))),
    );
    folds
}

/// Every fenced code block of a markdown text, fences included.
///
/// The spec model keeps only the Gherkin blocks, so the other fences are
/// found here with the same markdown parser.
fn fenced_blocks(text: &str) -> Vec<ByteRange<usize>> {
    Parser::new_ext(
        text,
        pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS,
    )
    .into_offset_iter()
    .filter_map(|(event, range)| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => Some(range),
        _ => None,
    })
    .collect()
}

fn feature_folds(doc: &GherkinDocument) -> Vec<Fold> {
    let Some(feature) = &doc.feature else {
        return Vec::new();
    };
    let mut folds: Vec<Fold> = vec![(feature.full_span.clone(), None)];
    for child in &feature.children {
        match child {
            FeatureChild::Background(b) => folds.push((b.full_span.clone(), None)),
            FeatureChild::Scenario(s) => scenario(s, &mut folds),
            FeatureChild::Rule(rule) => {
                folds.push((rule.full_span.clone(), None));
                for child in &rule.children {
                    match child {
                        RuleChild::Background(b) => folds.push((b.full_span.clone(), None)),
                        RuleChild::Scenario(s) => scenario(s, &mut folds),
                    }
                }
            }
        }
    }
    folds
}

/// A scenario, its examples and its steps' doc strings.
fn scenario(s: &GherkinScenario, folds: &mut Vec<Fold>) {
    folds.push((s.full_span.clone(), None));
    folds.extend(s.examples.iter().map(|e| (e.full_span.clone(), None)));
    folds.extend(
        s.steps
            .iter()
            .filter_map(|step| step.doc_string.as_ref())
            .map(|d| (d.span.clone(), Some(FoldingRangeKind::Region))),
    );
}

/// Byte ranges → line ranges: trailing blank lines dropped, ranges of one
/// line left out, one range per start line (the widest).
fn to_lines(folds: Vec<Fold>, text: Text<'_>) -> Vec<FoldingRange> {
    let mut ranges: Vec<FoldingRange> = folds
        .into_iter()
        .filter_map(|(range, kind)| {
            let content = text.text.get(range.clone())?.trim_end();
            let start_line = text.position(range.start).line;
            let end_line = text.position(range.start + content.len()).line;
            (end_line > start_line).then_some(FoldingRange {
                start_line,
                end_line,
                kind,
                ..FoldingRange::default()
            })
        })
        .collect();
    ranges.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    ranges.dedup_by_key(|r| r.start_line);
    ranges
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(path: &str, text: &str, expected: Expect) {
        let analysis = Analysis::fixture(path, text);
        let ranges = folding_ranges(&analysis, Encoding::Utf16).expect("ranges");
        let out: String = ranges
            .iter()
            .map(|r| format!("{}-{} {:?}\n", r.start_line, r.end_line, r.kind))
            .collect();
        expected.assert_eq(&out);
    }

    #[test]
    fn a_spec_folds_its_parts() {
        check(
            "specs/export.md",
            "---
status: draft
---

# Export invoices

## Intent
Why.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV
```

```sh
cargo run
```

## Plan
### Phase 1: Design
Sketch.
### Phase 2: Build
Code.

## Session log
### Export a month
Done it.
More.

",
            expect![[r#"
                0-2 Some(Region)
                6-7 None
                9-20 None
                11-16 Some(Region)
                13-15 None
                18-20 Some(Region)
                22-26 None
                23-24 None
                25-26 None
                28-31 None
                29-31 None
            "#]],
        );
    }

    #[test]
    fn a_feature_file_folds_its_tree() {
        check(
            "features/export.feature",
            "Feature: Export\n  Rule: Months\n    Scenario: One\n      Given x\n        \"\"\"\n        text\n        \"\"\"\n      Then y\n",
            expect![[r#"
                0-7 None
                1-7 None
                2-7 None
                4-6 Some(Region)
            "#]],
        );
    }

    #[test]
    fn other_markdown_has_no_folds() {
        let analysis = Analysis::fixture("notes/readme.md", "# Notes\n\nx\n");
        assert_eq!(folding_ranges(&analysis, Encoding::Utf16), None);
    }
}
