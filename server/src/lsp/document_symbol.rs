//! textDocument/documentSymbol: the outline of a spec or a feature file,
//! converted.

use tower_lsp_server::ls_types::{self as lsp, DocumentSymbol, DocumentSymbolResponse};

use super::documents::{Analysis, Content};
use super::position::Encoding;
use super::to_proto::Text;
use crate::ide::outline::{self, Symbol, SymbolKind};

/// The outline of a spec or a feature file; `None` for other documents.
pub fn document_symbols(analysis: &Analysis, encoding: Encoding) -> Option<DocumentSymbolResponse> {
    let text = Text::of(analysis, encoding);
    let symbols = match &analysis.content {
        Content::Spec(loaded) => outline::spec_outline(&loaded.spec, text.text),
        Content::Feature(doc) => outline::feature_outline(doc),
        Content::Part(part) => outline::spec_outline(&part.spec, text.text),
        Content::Other => return None,
    };
    let symbols = symbols.into_iter().map(|s| symbol(s, text)).collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

#[allow(deprecated)] // `deprecated` is a field of the type; tags replace it.
fn symbol(symbol: Symbol, text: Text<'_>) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: text.range(symbol.range),
        selection_range: text.range(symbol.selection),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .into_iter()
                .map(|c| self::symbol(c, text))
                .collect()
        }),
    }
}

fn kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Title => lsp::SymbolKind::FILE,
        SymbolKind::Section | SymbolKind::Rule => lsp::SymbolKind::NAMESPACE,
        SymbolKind::OtherSection => lsp::SymbolKind::STRUCT,
        SymbolKind::Scenario | SymbolKind::Phase | SymbolKind::Task => lsp::SymbolKind::EVENT,
        SymbolKind::LogEntry => lsp::SymbolKind::STRING,
        SymbolKind::Feature => lsp::SymbolKind::MODULE,
        SymbolKind::Background => lsp::SymbolKind::CONSTRUCTOR,
        SymbolKind::Examples => lsp::SymbolKind::ARRAY,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use tower_lsp_server::ls_types::Range;

    use super::*;

    /// The outline as indented lines: kind, name, detail, range, selection.
    fn check(path: &str, text: &str, expected: Expect) {
        let analysis = Analysis::fixture(path, text);
        let Some(DocumentSymbolResponse::Nested(symbols)) =
            document_symbols(&analysis, Encoding::Utf16)
        else {
            panic!("nested symbols");
        };
        let mut out = String::new();
        render(&symbols, 0, &mut out);
        expected.assert_eq(&out);
    }

    fn render(symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
        let at = |r: Range| {
            format!(
                "{}:{}-{}:{}",
                r.start.line, r.start.character, r.end.line, r.end.character
            )
        };
        for s in symbols {
            out.push_str(&format!(
                "{}{:?} {:?} {} [{}] sel [{}]\n",
                "  ".repeat(depth),
                s.kind,
                s.name,
                s.detail.as_deref().unwrap_or("-"),
                at(s.range),
                at(s.selection_range),
            ));
            render(s.children.as_deref().unwrap_or_default(), depth + 1, out);
        }
    }

    const SPEC: &str = "---
status: draft
---

# Export invoices

## Intent
Why.

## Acceptance criteria

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario Outline: Export 😀 months
    Given <n> months
    Then a CSV
```

### Scenario: By heading
* Given x
* Then y

## Plan
### Phase 1: Design
Sketch.
### Phase 2: Build
Code.

## Session log
### Export a month
Done it.

";

    #[test]
    fn a_spec_is_its_title_holding_sections_holding_scenarios() {
        check(
            "specs/export.md",
            SPEC,
            expect![[r#"
                File "Export invoices" - [4:0-34:8] sel [4:2-4:17]
                  Namespace "Intent" - [6:0-7:4] sel [6:3-6:9]
                  Namespace "Acceptance criteria" Scenarios [9:0-24:8] sel [9:3-9:22]
                    Event "Export a month" Scenario [13:2-15:14] sel [13:12-13:26]
                    Event "Export 😀 months" Scenario Outline [17:2-19:14] sel [17:20-17:36]
                    Event "By heading" Scenario [22:0-24:8] sel [22:14-22:24]
                  Namespace "Plan" - [26:0-30:5] sel [26:3-26:7]
                    Event "Design" Phase 1 [27:0-28:7] sel [27:4-27:19]
                    Event "Build" Phase 2 [29:0-30:5] sel [29:4-29:18]
                  Namespace "Session log" - [32:0-34:8] sel [32:3-32:14]
                    String "Export a month" summary [33:0-34:8] sel [33:4-33:18]
            "#]],
        );
    }

    #[test]
    fn a_feature_file_is_its_feature_holding_rules_and_scenarios() {
        check(
            "features/export.feature",
            "Feature: Export\n  Background:\n    Given x\n\n  Rule: Months\n    Scenario: One\n      Then y\n\n  Scenario Outline: Many\n    Then <z>\n    Examples:\n      | z |\n      | 1 |\n",
            expect![[r#"
                Module "Export" Feature [0:0-12:11] sel [0:9-0:15]
                  Constructor "Background" Background [1:2-2:11] sel [1:2-1:13]
                  Namespace "Months" Rule [4:2-12:11] sel [4:8-4:14]
                    Event "One" Scenario [5:4-6:12] sel [5:14-5:17]
                    Event "Many" Scenario Outline [8:2-12:11] sel [8:20-8:24]
                      Array "Examples" Examples [10:4-12:11] sel [10:4-10:13]
            "#]],
        );
    }

    #[test]
    fn sections_before_the_title_or_without_one_stay_at_the_top() {
        check(
            "specs/a.md",
            "## Intent\nWhy.\n\n# Title\n\n## Scenarios\n### Scenario: One\n* Then x\n",
            expect![[r#"
                Namespace "Intent" - [0:0-1:4] sel [0:3-0:9]
                File "Title" - [3:0-7:8] sel [3:2-3:7]
                  Namespace "Scenarios" - [5:0-7:8] sel [5:3-5:12]
                    Event "One" Scenario [6:0-7:8] sel [6:14-6:17]
            "#]],
        );
        check(
            "specs/b.md",
            "## Intent\nWhy.\n\n## Scenarios\n### Scenario:\n* Then x\n",
            expect![[r#"
                Namespace "Intent" - [0:0-1:4] sel [0:3-0:9]
                Namespace "Scenarios" - [3:0-5:8] sel [3:3-3:12]
                  Event "Scenario" Scenario [4:0-5:8] sel [4:4-4:13]
            "#]],
        );
    }

    #[test]
    fn other_markdown_has_no_outline() {
        let analysis = Analysis::fixture("notes/readme.md", "# Notes\n");
        assert_eq!(document_symbols(&analysis, Encoding::Utf16), None);
    }
}
