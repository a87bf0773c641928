//! Folding: in a spec its front matter, sections, scenarios, plan phases,
//! log entries and fenced blocks; in a `.feature` file its feature, rules,
//! backgrounds, scenarios, examples and doc strings.

use std::cmp::Reverse;
use std::ops::Range;

use crate::spec::gherkin::{FeatureChild, GherkinDocument, RuleChild, Scenario as GherkinScenario};
use crate::spec::{FileId, LineIndex, SectionKind, Spec};

/// What a fold holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// Front matter, a fenced block, a doc string: text of its own.
    Region,
    /// A part of the document: a section, a scenario, a log entry.
    Body,
}

/// A foldable run of lines (0-based, both included; never one line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub start_line: usize,
    pub end_line: usize,
    pub kind: FoldKind,
}

/// The folds of a spec.
pub fn spec_folds(spec: &Spec, text: &str) -> Vec<Fold> {
    to_lines(spec_spans(spec), text)
}

/// The folds of a `.feature` or `.feature.md` file.
pub fn feature_folds(doc: &GherkinDocument, text: &str) -> Vec<Fold> {
    to_lines(feature_spans(doc), text)
}

/// A foldable byte range and its kind, before it is made lines.
type Span = (Range<usize>, FoldKind);

fn spec_spans(spec: &Spec) -> Vec<Span> {
    let mut folds: Vec<Span> = Vec::new();
    if let Some(front_matter) = &spec.front_matter {
        folds.push((front_matter.span.clone(), FoldKind::Region));
    }
    folds.extend(
        spec.sections
            .iter()
            .map(|s| (s.span.clone(), FoldKind::Body)),
    );
    folds.extend(
        spec.scenarios
            .iter()
            .filter(|s| s.file == FileId::Spec)
            .map(|s| (s.full_span.clone(), FoldKind::Body)),
    );
    folds.extend(
        spec.log
            .iter()
            .flat_map(|log| &log.entries)
            .map(|e| (e.heading.span.start..e.body_span.end, FoldKind::Body)),
    );
    if let Some(plan) = spec
        .sections
        .iter()
        .find(|s| s.kind == Some(SectionKind::Plan))
    {
        let starts: Vec<usize> = spec
            .phases
            .iter()
            .filter(|p| p.file == FileId::Spec)
            .map(|p| p.heading.span.start)
            .collect();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(plan.span.end);
            folds.push((start..end, FoldKind::Body));
        }
    }
    folds.extend(
        spec.code_blocks
            .iter()
            .map(|b| (b.clone(), FoldKind::Region)),
    );
    folds
}

fn feature_spans(doc: &GherkinDocument) -> Vec<Span> {
    let Some(feature) = &doc.feature else {
        return Vec::new();
    };
    let mut folds: Vec<Span> = vec![(feature.full_span.clone(), FoldKind::Body)];
    for child in &feature.children {
        match child {
            FeatureChild::Background(b) => folds.push((b.full_span.clone(), FoldKind::Body)),
            FeatureChild::Scenario(s) => scenario(s, &mut folds),
            FeatureChild::Rule(rule) => {
                folds.push((rule.full_span.clone(), FoldKind::Body));
                for child in &rule.children {
                    match child {
                        RuleChild::Background(b) => {
                            folds.push((b.full_span.clone(), FoldKind::Body))
                        }
                        RuleChild::Scenario(s) => scenario(s, &mut folds),
                    }
                }
            }
        }
    }
    folds
}

/// A scenario, its examples and its steps' doc strings.
fn scenario(s: &GherkinScenario, folds: &mut Vec<Span>) {
    folds.push((s.full_span.clone(), FoldKind::Body));
    folds.extend(
        s.examples
            .iter()
            .map(|e| (e.full_span.clone(), FoldKind::Body)),
    );
    folds.extend(
        s.steps
            .iter()
            .filter_map(|step| step.doc_string.as_ref())
            .map(|d| (d.span.clone(), FoldKind::Region)),
    );
}

/// Byte ranges → line ranges: trailing blank lines dropped, ranges of one
/// line left out, one range per start line (the widest).
fn to_lines(spans: Vec<Span>, text: &str) -> Vec<Fold> {
    let lines = LineIndex::new(text);
    let mut folds: Vec<Fold> = spans
        .into_iter()
        .filter_map(|(range, kind)| {
            let content = text.get(range.clone())?.trim_end();
            let start_line = lines.line_of(range.start);
            let end_line = lines.line_of(range.start + content.len());
            (end_line > start_line).then_some(Fold {
                start_line,
                end_line,
                kind,
            })
        })
        .collect();
    folds.sort_by_key(|f| (f.start_line, Reverse(f.end_line)));
    folds.dedup_by_key(|f| f.start_line);
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_and_its_fenced_block_fold_without_trailing_blanks() {
        let text = "## Notes\n```sh\ncargo run\n```\n\n## Intent\nWhy.\n\n";
        let folds = spec_folds(&Spec::parse(text), text);
        let fold = |start_line, end_line, kind| Fold {
            start_line,
            end_line,
            kind,
        };
        assert_eq!(
            folds,
            [
                fold(0, 3, FoldKind::Body),
                fold(1, 3, FoldKind::Region),
                fold(5, 6, FoldKind::Body),
            ]
        );
    }
}
