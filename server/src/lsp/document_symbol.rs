//! textDocument/documentSymbol: the outline. A spec is its title holding
//! its sections, each section holding what is written in it (scenarios, log
//! entries, plan phases); a `.feature` file is its Feature holding its
//! backgrounds, rules and scenarios.

use std::ops::Range as ByteRange;

use tower_lsp_server::ls_types::*;

use super::documents::{Analysis, Content};
use super::position::Encoding;
use super::to_proto::Text;
use crate::spec::gherkin::{self, FeatureChild, GherkinDocument, RuleChild};
use crate::spec::{FileId, Scenario, Section, Spec};

/// The outline of a spec or a feature file; `None` for other documents.
pub fn document_symbols(analysis: &Analysis, encoding: Encoding) -> Option<DocumentSymbolResponse> {
    let text = Text::of(analysis, encoding);
    let nodes = match &analysis.content {
        Content::Spec(loaded) => spec_nodes(&loaded.spec, text.text),
        Content::Feature(doc) => feature_nodes(doc),
        Content::Other => return None,
    };
    let symbols = nodes.into_iter().map(|n| n.into_proto(text)).collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// A symbol in byte offsets, before conversion.
struct Node {
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: ByteRange<usize>,
    /// The part to select: a name, a heading's text.
    focus: ByteRange<usize>,
    children: Vec<Node>,
}

impl Node {
    /// A symbol named `name` (or `fallback` when the name is blank: clients
    /// refuse empty names).
    fn new(name: &str, fallback: &str, kind: SymbolKind, range: ByteRange<usize>) -> Node {
        let name = name.trim();
        Node {
            name: if name.is_empty() { fallback } else { name }.to_string(),
            detail: None,
            kind,
            focus: range.clone(),
            range,
            children: Vec::new(),
        }
    }

    /// Selects `focus`, unless it is empty (a nameless element).
    fn focus(mut self, focus: ByteRange<usize>) -> Node {
        if !focus.is_empty() {
            self.focus = focus;
        }
        self
    }

    fn detail(mut self, detail: &str) -> Node {
        if !detail.trim().is_empty() {
            self.detail = Some(detail.trim().to_string());
        }
        self
    }

    /// A Gherkin element: named by its name (else `fallback`), its whole
    /// extent as the range, its name (else its keyword line) as the
    /// selection, its keyword as the detail.
    fn gherkin(
        name: &str,
        fallback: &str,
        keyword: &str,
        kind: SymbolKind,
        spans: [&ByteRange<usize>; 3],
    ) -> Node {
        let [full, line, name_span] = spans;
        Node::new(name, fallback, kind, full.clone())
            .focus(line.clone())
            .focus(name_span.clone())
            .detail(keyword)
    }

    fn children(mut self, children: Vec<Node>) -> Node {
        self.children = children;
        self
    }

    /// The LSP symbol; the selection is kept inside the range, as clients require.
    #[allow(deprecated)] // `deprecated` is a field of the type; tags replace it.
    fn into_proto(self, text: Text<'_>) -> DocumentSymbol {
        let start = self.focus.start.clamp(self.range.start, self.range.end);
        let end = self.focus.end.clamp(start, self.range.end);
        DocumentSymbol {
            name: self.name,
            detail: self.detail,
            kind: self.kind,
            tags: None,
            deprecated: None,
            range: text.range(self.range),
            selection_range: text.range(start..end),
            children: (!self.children.is_empty()).then(|| {
                self.children
                    .into_iter()
                    .map(|c| c.into_proto(text))
                    .collect()
            }),
        }
    }
}

/// The range without the blank lines that end it (never before `min_end`).
fn trim_end(text: &str, range: ByteRange<usize>, min_end: usize) -> ByteRange<usize> {
    let kept = text.get(range.clone()).map_or(0, |s| s.trim_end().len());
    range.start
        ..(range.start + kept)
            .max(min_end)
            .min(range.end.max(min_end))
}

/// The title holding the sections; sections before the title (or all of
/// them, without a title) at the top.
fn spec_nodes(spec: &Spec, text: &str) -> Vec<Node> {
    let mut sections: Vec<Node> = spec
        .sections
        .iter()
        .map(|section| section_node(spec, text, section))
        .collect();
    // Scenarios written outside every section (under the title, say).
    let loose: Vec<Node> = spec
        .scenarios
        .iter()
        .filter(|s| s.file == FileId::Spec)
        .filter(|s| {
            !spec
                .sections
                .iter()
                .any(|x| x.span.contains(&s.full_span.start))
        })
        .map(scenario_node)
        .collect();
    let Some(title) = &spec.title else {
        sections.extend(loose);
        sections.sort_by_key(|n| n.range.start);
        return sections;
    };
    let (before, mut inside): (Vec<Node>, Vec<Node>) = sections
        .into_iter()
        .chain(loose)
        .partition(|n| n.range.start < title.span.start);
    inside.sort_by_key(|n| n.range.start);
    // The title holds everything after it, its text included.
    let range = trim_end(text, title.span.start..text.len(), title.span.end);
    let title = Node::new(&title.text, "(untitled)", SymbolKind::FILE, range)
        .focus(title.text_span.clone())
        .children(inside);
    before.into_iter().chain([title]).collect()
}

/// A section with the scenarios, log entries and phases written in it.
fn section_node(spec: &Spec, text: &str, section: &Section) -> Node {
    let span = &section.span;
    let inside = |offset: usize| span.contains(&offset);
    let mut children: Vec<Node> = spec
        .scenarios
        .iter()
        .filter(|s| s.file == FileId::Spec && inside(s.full_span.start))
        .map(scenario_node)
        .collect();
    for entry in spec.log.iter().flat_map(|log| &log.entries) {
        if inside(entry.heading.span.start) {
            let range = trim_end(
                text,
                entry.heading.span.start..entry.body_span.end,
                entry.heading.span.end,
            );
            let node = Node::new(&entry.heading.text, "(unnamed)", SymbolKind::STRING, range)
                .focus(entry.heading.text_span.clone())
                .detail("summary");
            children.push(node);
        }
    }
    let phases: Vec<_> = spec
        .phases
        .iter()
        .filter(|p| inside(p.heading.span.start))
        .collect();
    for (i, phase) in phases.iter().enumerate() {
        let end = phases
            .get(i + 1)
            .map_or(span.end, |next| next.heading.span.start);
        let range = trim_end(text, phase.heading.span.start..end, phase.heading.span.end);
        let detail = phase
            .number
            .map(|n| format!("Phase {n}"))
            .unwrap_or_default();
        let node = Node::new(&phase.name, &phase.heading.text, SymbolKind::EVENT, range)
            .focus(phase.heading.text_span.clone())
            .detail(&detail);
        children.push(node);
    }
    children.sort_by_key(|n| n.range.start);
    let kind = if section.kind.is_some() {
        SymbolKind::NAMESPACE
    } else {
        SymbolKind::STRUCT
    };
    // An alias names its section: say which.
    let canonical = section
        .kind
        .map(|k| k.title())
        .filter(|title| !title.eq_ignore_ascii_case(section.heading.text.trim()))
        .unwrap_or_default();
    let range = trim_end(text, span.clone(), section.heading.span.end);
    Node::new(&section.heading.text, "(untitled)", kind, range)
        .focus(section.heading.text_span.clone())
        .detail(canonical)
        .children(children)
}

fn scenario_node(scenario: &Scenario) -> Node {
    Node::gherkin(
        &scenario.name,
        &scenario.keyword,
        &scenario.keyword,
        SymbolKind::EVENT,
        [&scenario.full_span, &scenario.span, &scenario.name_span],
    )
}

/// The Feature holding its backgrounds, rules and scenarios.
fn feature_nodes(doc: &GherkinDocument) -> Vec<Node> {
    let Some(feature) = &doc.feature else {
        return Vec::new();
    };
    let children = feature
        .children
        .iter()
        .map(|child| match child {
            FeatureChild::Background(b) => background_node(b),
            FeatureChild::Scenario(s) => gherkin_scenario_node(s),
            FeatureChild::Rule(rule) => {
                let children = rule
                    .children
                    .iter()
                    .map(|child| match child {
                        RuleChild::Background(b) => background_node(b),
                        RuleChild::Scenario(s) => gherkin_scenario_node(s),
                    })
                    .collect();
                Node::gherkin(
                    &rule.name,
                    &rule.keyword,
                    &rule.keyword,
                    SymbolKind::NAMESPACE,
                    [&rule.full_span, &rule.span, &rule.name_span],
                )
                .children(children)
            }
        })
        .collect();
    let node = Node::gherkin(
        &feature.name,
        "Feature",
        &feature.keyword,
        SymbolKind::MODULE,
        [&feature.full_span, &feature.span, &feature.name_span],
    )
    .children(children);
    vec![node]
}

fn background_node(background: &gherkin::Background) -> Node {
    Node::gherkin(
        &background.name,
        &background.keyword,
        &background.keyword,
        SymbolKind::CONSTRUCTOR,
        [
            &background.full_span,
            &background.span,
            &background.name_span,
        ],
    )
}

fn gherkin_scenario_node(scenario: &gherkin::Scenario) -> Node {
    let examples = scenario
        .examples
        .iter()
        .map(|e| {
            Node::gherkin(
                &e.name,
                &e.keyword,
                &e.keyword,
                SymbolKind::ARRAY,
                [&e.full_span, &e.span, &e.name_span],
            )
        })
        .collect();
    Node::gherkin(
        &scenario.name,
        &scenario.keyword,
        &scenario.keyword,
        SymbolKind::EVENT,
        [&scenario.full_span, &scenario.span, &scenario.name_span],
    )
    .children(examples)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

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
