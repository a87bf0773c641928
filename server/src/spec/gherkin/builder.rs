//! Builds the syntax tree from the parser's rule events, as Cucumber's
//! `AstBuilder` does: a stack of open rule nodes collects tokens and the
//! finished children, and each node becomes a tree element when it closes.

use std::ops::Range;

use super::ast::{
    Background, Comment, DataTable, DocString, Examples, Feature, FeatureChild, Location,
    ParseError, Rule, RuleChild, Scenario, Step, TableCell, TableRow, Tag,
};
use super::grammar::{RuleKind, Tok};
use super::matcher::Token;

/// An open rule.
struct Node<'a> {
    rule: RuleKind,
    /// The first token: for most rules the only one, their keyword line.
    head: Option<Token<'a>>,
    /// The tokens after the first.
    rest: Vec<Token<'a>>,
    /// The rules closed inside this one.
    values: Vec<Value<'a>>,
}

impl<'a> Node<'a> {
    fn new(rule: RuleKind) -> Node<'a> {
        Node {
            rule,
            head: None,
            rest: Vec::new(),
            values: Vec::new(),
        }
    }

    fn tokens(&self) -> impl Iterator<Item = &Token<'a>> {
        self.head.iter().chain(&self.rest)
    }

    fn into_tokens(self) -> impl Iterator<Item = Token<'a>> {
        self.head.into_iter().chain(self.rest)
    }

    fn take_token(&mut self, kind: Tok) -> Option<Token<'a>> {
        if self.head.as_ref().is_some_and(|t| t.kind == kind) {
            return self.head.take();
        }
        let at = self.rest.iter().position(|t| t.kind == kind)?;
        Some(self.rest.remove(at))
    }
}

/// A closed rule, waiting for its parent to close.
enum Value<'a> {
    Feature(Feature),
    Rule(Rule),
    Background(Background),
    Scenario(Scenario),
    Examples(Examples),
    Step(Step),
    DataTable(DataTable),
    DocString(DocString),
    Rows(Vec<TableRow>),
    /// The tags and the first byte of their first line.
    Tags(Vec<Tag>, usize),
    /// The text and the end of its last line (0 when empty).
    Description(String, usize),
    /// A header, scenario or examples node, read by its parent.
    Node(Node<'a>),
}

/// A closed node's children, sorted by kind.
#[derive(Default)]
struct Parts<'a> {
    tags: Vec<Tag>,
    tags_start: Option<usize>,
    description: String,
    description_end: usize,
    steps: Vec<Step>,
    examples: Vec<Examples>,
    rows: Vec<TableRow>,
    doc_string: Option<DocString>,
    data_table: Option<DataTable>,
    node: Option<Node<'a>>,
}

impl<'a> Parts<'a> {
    fn of(values: Vec<Value<'a>>) -> Parts<'a> {
        let mut parts = Parts::default();
        for value in values {
            match value {
                Value::Tags(tags, start) => (parts.tags, parts.tags_start) = (tags, Some(start)),
                Value::Description(text, end) => {
                    (parts.description, parts.description_end) = (text, end)
                }
                Value::Step(step) => parts.steps.push(step),
                Value::Examples(examples) => parts.examples.push(examples),
                Value::Rows(rows) => parts.rows = rows,
                Value::DocString(doc_string) => parts.doc_string = Some(doc_string),
                Value::DataTable(table) => parts.data_table = Some(table),
                Value::Node(node) => parts.node = Some(node),
                Value::Feature(_) | Value::Rule(_) | Value::Background(_) | Value::Scenario(_) => {}
            }
        }
        parts
    }

    /// From the first tag (or `line`) to the end of the description.
    fn start_span(&self, line: &Range<usize>) -> Range<usize> {
        self.tags_start.unwrap_or(line.start)..line.end.max(self.description_end)
    }
}

/// The tree under construction.
pub(crate) struct Builder<'a> {
    stack: Vec<Node<'a>>,
    comments: Vec<Comment>,
}

impl<'a> Builder<'a> {
    pub fn new() -> Builder<'a> {
        Builder {
            stack: vec![Node::new(RuleKind::GherkinDocument)],
            comments: Vec::new(),
        }
    }

    pub fn start_rule(&mut self, rule: RuleKind) {
        self.stack.push(Node::new(rule));
    }

    /// Closes the innermost rule. A table whose rows differ in length is an
    /// error; unlike Cucumber, which drops such a table, the tree keeps it.
    pub fn end_rule(&mut self) -> Option<ParseError> {
        if self.stack.len() < 2 {
            return None;
        }
        let node = self.stack.pop()?;
        let mut error = None;
        let value = transform(node, &mut error);
        if let (Some(value), Some(parent)) = (value, self.stack.last_mut()) {
            parent.values.push(value);
        }
        error
    }

    pub fn build(&mut self, token: Token<'a>) {
        match token.kind {
            Tok::Comment if token.silent => {}
            Tok::Comment => self.comments.push(Comment {
                location: token.location,
                span: token.span,
                text: token.text.into_owned(),
            }),
            Tok::Empty | Tok::Eof => {}
            _ => match self.stack.last_mut() {
                Some(node) if node.head.is_none() => node.head = Some(token),
                Some(node) => node.rest.push(token),
                None => {}
            },
        }
    }

    /// Closes every open rule and returns the feature, the comments and the
    /// errors found while closing.
    pub fn finish(mut self) -> (Option<Feature>, Vec<Comment>, Vec<ParseError>) {
        let mut errors = Vec::new();
        while self.stack.len() > 1 {
            errors.extend(self.end_rule());
        }
        let feature = self.stack.pop().and_then(|root| {
            root.values.into_iter().find_map(|v| match v {
                Value::Feature(feature) => Some(feature),
                _ => None,
            })
        });
        (feature, self.comments, errors)
    }
}

/// The tree element of a closed rule; `None` for a rule left incomplete by
/// an error (a scenario's tags without its scenario line, say).
fn transform<'a>(mut node: Node<'a>, error: &mut Option<ParseError>) -> Option<Value<'a>> {
    match node.rule {
        RuleKind::Tags => {
            let start = node.head.as_ref()?.span.start;
            let mut tags = Vec::new();
            for token in node.into_tokens() {
                let line = token.location.line;
                tags.extend(token.items.into_iter().map(|item| Tag {
                    location: Location {
                        line,
                        column: item.column,
                    },
                    span: item.span,
                    name: item.text.into_owned(),
                }));
            }
            Some(Value::Tags(tags, start))
        }
        RuleKind::Description => {
            // Comment lines went to the comments; trailing blank lines go.
            let lines: Vec<&Token<'_>> = node.tokens().filter(|t| t.kind == Tok::Other).collect();
            let keep = lines.iter().rposition(|t| !t.blank).map_or(0, |i| i + 1);
            let lines = &lines[..keep];
            let text = lines
                .iter()
                .map(|t| t.text.as_ref())
                .collect::<Vec<_>>()
                .join("\n");
            let end = lines.last().map_or(0, |t| t.span.end);
            Some(Value::Description(text, end))
        }
        RuleKind::DocString => {
            let open = node.head.as_ref()?;
            let content = node
                .rest
                .iter()
                .filter(|t| t.kind == Tok::Other)
                .map(|t| t.text.as_ref())
                .collect::<Vec<_>>()
                .join("\n");
            let end = node.tokens().filter(|t| !t.blank).map(|t| t.span.end).max();
            Some(Value::DocString(DocString {
                location: open.location,
                span: open.span.start..end.unwrap_or(open.span.end),
                delimiter: open.keyword.to_owned(),
                media_type: (!open.text.is_empty()).then(|| open.text.to_string()),
                content,
            }))
        }
        RuleKind::DataTable => {
            let rows = table_rows(node.into_tokens(), error);
            let (first, last) = (rows.first()?, rows.last()?);
            Some(Value::DataTable(DataTable {
                location: first.location,
                span: first.span.start..last.span.end,
                rows,
            }))
        }
        RuleKind::ExamplesTable => Some(Value::Rows(table_rows(node.into_tokens(), error))),
        RuleKind::Step => {
            let line = node.take_token(Tok::StepLine)?;
            let parts = Parts::of(node.values);
            let ends = [
                parts.doc_string.as_ref().map(|d| d.span.end),
                parts.data_table.as_ref().map(|t| t.span.end),
            ];
            let full_span =
                line.span.start..ends.into_iter().flatten().fold(line.span.end, usize::max);
            Some(Value::Step(Step {
                location: line.location,
                span: line.span,
                full_span,
                keyword: line.keyword.to_owned(),
                keyword_type: line.keyword_type,
                text: line.text.into_owned(),
                doc_string: parts.doc_string,
                data_table: parts.data_table,
            }))
        }
        RuleKind::Background => {
            let line = node.take_token(Tok::BackgroundLine)?;
            let parts = Parts::of(node.values);
            let mut full_span = parts.start_span(&line.span);
            full_span.end = full_span
                .end
                .max(last_end(parts.steps.iter().map(|s| &s.full_span)));
            Some(Value::Background(Background {
                location: line.location,
                span: line.span,
                full_span,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description: parts.description,
                steps: parts.steps,
            }))
        }
        RuleKind::ScenarioDefinition => {
            let outer = Parts::of(node.values);
            let mut inner = outer.node?;
            let line = inner.take_token(Tok::ScenarioLine)?;
            let parts = Parts::of(inner.values);
            let mut full_span = parts.start_span(&line.span);
            full_span.start = outer.tags_start.unwrap_or(full_span.start);
            let steps_end = last_end(parts.steps.iter().map(|s| &s.full_span));
            let examples_end = last_end(parts.examples.iter().map(|e| &e.full_span));
            full_span.end = full_span.end.max(steps_end).max(examples_end);
            Some(Value::Scenario(Scenario {
                location: line.location,
                span: line.span,
                full_span,
                tags: outer.tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description: parts.description,
                steps: parts.steps,
                examples: parts.examples,
            }))
        }
        RuleKind::ExamplesDefinition => {
            let outer = Parts::of(node.values);
            let mut inner = outer.node?;
            let line = inner.take_token(Tok::ExamplesLine)?;
            let mut parts = Parts::of(inner.values);
            let mut full_span = parts.start_span(&line.span);
            full_span.start = outer.tags_start.unwrap_or(full_span.start);
            full_span.end = full_span
                .end
                .max(last_end(parts.rows.iter().map(|r| &r.span)));
            let table_header = (!parts.rows.is_empty()).then(|| parts.rows.remove(0));
            Some(Value::Examples(Examples {
                location: line.location,
                span: line.span,
                full_span,
                tags: outer.tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description: parts.description,
                table_header,
                table_body: parts.rows,
            }))
        }
        RuleKind::Feature => {
            let (mut head, children) = split_header(node.values, RuleKind::FeatureHeader)?;
            let line = head.take_token(Tok::FeatureLine)?;
            let header = Parts::of(head.values);
            let mut full_span = header.start_span(&line.span);
            let mut feature_children = Vec::with_capacity(children.len());
            for value in children {
                let (end, child) = match value {
                    Value::Background(b) => (b.full_span.end, FeatureChild::Background(b)),
                    Value::Scenario(s) => (s.full_span.end, FeatureChild::Scenario(s)),
                    Value::Rule(r) => (r.full_span.end, FeatureChild::Rule(r)),
                    _ => continue,
                };
                full_span.end = full_span.end.max(end);
                feature_children.push(child);
            }
            Some(Value::Feature(Feature {
                location: line.location,
                span: line.span,
                full_span,
                tags: header.tags,
                language: line.language.to_owned(),
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description: header.description,
                children: feature_children,
            }))
        }
        RuleKind::Rule => {
            let (mut head, children) = split_header(node.values, RuleKind::RuleHeader)?;
            let line = head.take_token(Tok::RuleLine)?;
            let header = Parts::of(head.values);
            let mut full_span = header.start_span(&line.span);
            let mut rule_children = Vec::with_capacity(children.len());
            for value in children {
                let (end, child) = match value {
                    Value::Background(b) => (b.full_span.end, RuleChild::Background(b)),
                    Value::Scenario(s) => (s.full_span.end, RuleChild::Scenario(s)),
                    _ => continue,
                };
                full_span.end = full_span.end.max(end);
                rule_children.push(child);
            }
            Some(Value::Rule(Rule {
                location: line.location,
                span: line.span,
                full_span,
                tags: header.tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description: header.description,
                children: rule_children,
            }))
        }
        // Headers are read by the feature or rule around them, scenarios
        // and examples by their definitions.
        RuleKind::FeatureHeader
        | RuleKind::RuleHeader
        | RuleKind::Scenario
        | RuleKind::Examples => Some(Value::Node(node)),
        RuleKind::GherkinDocument
        | RuleKind::StepArg
        | RuleKind::DataTableAndMaybeDocString
        | RuleKind::DocStringAndMaybeDataTable
        | RuleKind::DescriptionHelper => None,
    }
}

/// The header node that opens a feature's or rule's values, and the rest.
fn split_header<'a>(
    values: Vec<Value<'a>>,
    header: RuleKind,
) -> Option<(Node<'a>, Vec<Value<'a>>)> {
    let mut values = values.into_iter();
    match values.next()? {
        Value::Node(node) if node.rule == header => Some((node, values.collect())),
        _ => None,
    }
}

/// The largest end of `spans` (0 if none).
fn last_end<'s>(spans: impl Iterator<Item = &'s Range<usize>>) -> usize {
    spans.map(|s| s.end).max().unwrap_or(0)
}

/// The rows of a table; every row must have as many cells as the first.
fn table_rows<'a>(
    tokens: impl Iterator<Item = Token<'a>>,
    error: &mut Option<ParseError>,
) -> Vec<TableRow> {
    let rows: Vec<TableRow> = tokens
        .filter(|t| t.kind == Tok::TableRow)
        .map(|t| {
            let line = t.location.line;
            TableRow {
                location: t.location,
                span: t.span,
                cells: t
                    .items
                    .into_iter()
                    .map(|item| TableCell {
                        location: Location {
                            line,
                            column: item.column,
                        },
                        value: item.text.into_owned(),
                    })
                    .collect(),
            }
        })
        .collect();
    let width = rows.first().map_or(0, |r| r.cells.len());
    if let Some(row) = rows.iter().find(|r| r.cells.len() != width) {
        *error = Some(ParseError {
            message: "inconsistent cell count within the table".to_owned(),
            location: row.location,
            has_column: true,
            span: row.span.clone(),
        });
    }
    rows
}
