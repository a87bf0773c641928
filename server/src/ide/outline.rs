//! The outline. A spec is its title holding its sections, each section
//! holding what is written in it (scenarios, log entries, plan phases); a
//! `.feature` file is its Feature holding its backgrounds, rules and
//! scenarios.

use std::ops::Range;

use crate::spec::gherkin::{self, FeatureChild, GherkinDocument, RuleChild};
use crate::spec::{FileId, Scenario, Section, Spec};

/// The outline of a spec, from its model and its text.
pub fn spec_outline(spec: &Spec, text: &str) -> Vec<Symbol> {
    spec_nodes(spec, text)
        .into_iter()
        .map(Node::build)
        .collect()
}

/// The outline of a `.feature` or `.feature.md` file.
pub fn feature_outline(doc: &GherkinDocument) -> Vec<Symbol> {
    feature_nodes(doc).into_iter().map(Node::build).collect()
}

/// What an element of the outline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// The spec's title, holding what follows it.
    Title,
    /// A section DESIGN §4 names (aliases included).
    Section,
    /// A section of the writer's own.
    OtherSection,
    /// A scenario or scenario outline.
    Scenario,
    /// An entry of the session log.
    LogEntry,
    /// A phase of the plan.
    Phase,
    /// A task of a plan without phases: a unit of work.
    Task,
    Feature,
    Background,
    Rule,
    Examples,
}

/// An element of the outline, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: Range<usize>,
    /// The part to select (a name, a heading's text), inside `range`.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// A symbol while it is built.
struct Node {
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range<usize>,
    /// The part to select: a name, a heading's text.
    focus: Range<usize>,
    children: Vec<Node>,
}

impl Node {
    /// A symbol named `name` (or `fallback` when the name is blank: clients
    /// refuse empty names).
    fn new(name: &str, fallback: &str, kind: SymbolKind, range: Range<usize>) -> Node {
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
    fn focus(mut self, focus: Range<usize>) -> Node {
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
        spans: [&Range<usize>; 3],
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

    /// The symbol; the selection is kept inside the range, as editors require.
    fn build(self) -> Symbol {
        let start = self.focus.start.clamp(self.range.start, self.range.end);
        let end = self.focus.end.clamp(start, self.range.end);
        Symbol {
            name: self.name,
            detail: self.detail,
            kind: self.kind,
            range: self.range,
            selection: start..end,
            children: self.children.into_iter().map(Node::build).collect(),
        }
    }
}

/// The range without the blank lines that end it (never before `min_end`).
fn trim_end(text: &str, range: Range<usize>, min_end: usize) -> Range<usize> {
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
    let title = Node::new(&title.text, "(untitled)", SymbolKind::Title, range)
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
            let node = Node::new(
                &entry.heading.text,
                "(unnamed)",
                SymbolKind::LogEntry,
                range,
            )
            .focus(entry.heading.text_span.clone())
            .detail("summary");
            children.push(node);
        }
    }
    let phases: Vec<_> = spec
        .phases
        .iter()
        .filter(|p| p.file == FileId::Spec && inside(p.heading.span.start))
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
        let node = Node::new(&phase.name, &phase.heading.text, SymbolKind::Phase, range)
            .focus(phase.heading.text_span.clone())
            .detail(&detail);
        children.push(node);
    }
    for task in spec
        .tasks
        .iter()
        .filter(|t| t.file == FileId::Spec && inside(t.span.start))
    {
        let node = Node::new(&task.name, "(unnamed)", SymbolKind::Task, task.span.clone())
            .focus(task.name_span.clone())
            .detail("task");
        children.push(node);
    }
    children.sort_by_key(|n| n.range.start);
    let kind = if section.kind.is_some() {
        SymbolKind::Section
    } else {
        SymbolKind::OtherSection
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
        SymbolKind::Scenario,
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
                    SymbolKind::Rule,
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
        SymbolKind::Feature,
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
        SymbolKind::Background,
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
                SymbolKind::Examples,
                [&e.full_span, &e.span, &e.name_span],
            )
        })
        .collect();
    Node::gherkin(
        &scenario.name,
        &scenario.keyword,
        &scenario.keyword,
        SymbolKind::Scenario,
        [&scenario.full_span, &scenario.span, &scenario.name_span],
    )
    .children(examples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::Fixture;

    #[test]
    fn a_section_holds_its_scenarios_selected_by_name() {
        let fixture = Fixture::ranges(
            "# Export
  ^^^^^^
## Scenarios
   ^^^^^^^^^
### Scenario: One
              ^^^
* Then x
",
        );
        let outline = spec_outline(&Spec::parse(&fixture.text), &fixture.text);
        let title = &outline[0];
        let section = &title.children[0];
        let scenario = &section.children[0];
        assert_eq!(
            [title.kind, section.kind, scenario.kind],
            [SymbolKind::Title, SymbolKind::Section, SymbolKind::Scenario]
        );
        let selections = [&title.selection, &section.selection, &scenario.selection];
        assert_eq!(selections.map(Clone::clone), *fixture.ranges);
        assert_eq!(scenario.range, 22..fixture.text.len() - 1);
    }

    #[test]
    fn the_tasks_of_a_plan_are_units_in_the_outline() {
        let fixture = Fixture::ranges(
            "# Build
## Plan
- [x] Parse the flags
      ^^^^^^^^^^^^^^^
- [ ] Filter by status
      ^^^^^^^^^^^^^^^^
  - [ ] detail
",
        );
        let outline = spec_outline(&Spec::parse(&fixture.text), &fixture.text);
        let tasks: Vec<(&str, SymbolKind, Range<usize>)> = outline[0].children[0]
            .children
            .iter()
            .map(|n| (n.name.as_str(), n.kind, n.selection.clone()))
            .collect();
        assert_eq!(
            tasks,
            [
                (
                    "Parse the flags",
                    SymbolKind::Task,
                    fixture.ranges[0].clone()
                ),
                (
                    "Filter by status",
                    SymbolKind::Task,
                    fixture.ranges[1].clone()
                ),
            ]
        );
    }
}
