//! textDocument/foldingRange: the folds of a spec or a feature file, converted.

use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind};

use super::documents::{Analysis, Content};
use crate::ide::folding::{self, Fold, FoldKind};

/// The folding ranges of a spec or a feature file; `None` for other documents.
pub fn folding_ranges(analysis: &Analysis) -> Option<Vec<FoldingRange>> {
    let folds = match &analysis.content {
        Content::Spec(loaded) => folding::spec_folds(&loaded.spec, &analysis.text),
        Content::Feature(doc) => folding::feature_folds(doc, &analysis.text),
        Content::Part(part) => folding::spec_folds(&part.spec, &analysis.text),
        Content::Other => return None,
    };
    Some(folds.into_iter().map(range).collect())
}

/// Lines count the same in every position encoding.
fn range(fold: Fold) -> FoldingRange {
    let line = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    FoldingRange {
        start_line: line(fold.start_line),
        end_line: line(fold.end_line),
        kind: match fold.kind {
            FoldKind::Region => Some(FoldingRangeKind::Region),
            FoldKind::Body => None,
        },
        ..FoldingRange::default()
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(path: &str, text: &str, expected: Expect) {
        let analysis = Analysis::fixture(path, text);
        let ranges = folding_ranges(&analysis).expect("ranges");
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
        assert_eq!(folding_ranges(&analysis), None);
    }
}
