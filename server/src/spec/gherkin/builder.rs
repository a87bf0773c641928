//! Builds the syntax tree from the parser's rule events, as Cucumber's
//! `AstBuilder` does: a stack of open rule nodes collects tokens and the
//! finished children, and each node becomes a tree element when it closes.

use super::ast::{
    Background, Comment, DataTable, DocString, Examples, Feature, FeatureChild, Location,
    ParseError, Rule, RuleChild, Scenario, Step, TableCell, TableRow, Tag,
};
use super::grammar::{RuleKind, Tok};
use super::matcher::Token;

/// An open rule.
struct Node<'a> {
    rule: RuleKind,
    tokens: Vec<Token<'a>>,
    values: Vec<Value<'a>>,
}

impl<'a> Node<'a> {
    fn new(rule: RuleKind) -> Node<'a> {
        Node {
            rule,
            tokens: Vec::new(),
            values: Vec::new(),
        }
    }

    fn take_token(&mut self, kind: Tok) -> Option<Token<'a>> {
        let at = self.tokens.iter().position(|t| t.kind == kind)?;
        Some(self.tokens.remove(at))
    }

    fn take_tags(&mut self) -> (Vec<Tag>, Option<usize>) {
        for value in &mut self.values {
            if let Value::Tags(tags, start) = value {
                return (std::mem::take(tags), Some(*start));
            }
        }
        (Vec::new(), None)
    }

    /// The description and the end of its last line.
    fn take_description(&mut self) -> (String, usize) {
        for value in &mut self.values {
            if let Value::Description(text, end) = value {
                return (std::mem::take(text), *end);
            }
        }
        (String::new(), 0)
    }

    fn take_node(&mut self, rule: RuleKind) -> Option<Node<'a>> {
        let at = self
            .values
            .iter()
            .position(|v| matches!(v, Value::Node(n) if n.rule == rule))?;
        match self.values.remove(at) {
            Value::Node(node) => Some(node),
            _ => None,
        }
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

    /// Closes the innermost rule; a table with rows of different lengths
    /// is an error (the table is kept).
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
            _ => {
                if let Some(node) = self.stack.last_mut() {
                    node.tokens.push(token);
                }
            }
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

fn transform<'a>(mut node: Node<'a>, error: &mut Option<ParseError>) -> Option<Value<'a>> {
    match node.rule {
        RuleKind::Tags => {
            let start = node.tokens.first()?.span.start;
            let mut tags = Vec::new();
            for token in node.tokens {
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
            let lines: Vec<&Token<'_>> = node
                .tokens
                .iter()
                .filter(|t| t.kind == Tok::Other)
                .collect();
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
            let open = node.tokens.first()?;
            let content = node
                .tokens
                .iter()
                .filter(|t| t.kind == Tok::Other)
                .map(|t| t.text.as_ref())
                .collect::<Vec<_>>()
                .join("\n");
            let end = node
                .tokens
                .iter()
                .filter(|t| !t.blank)
                .map(|t| t.span.end)
                .max()
                .unwrap_or(open.span.end);
            Some(Value::DocString(DocString {
                location: open.location,
                span: open.span.start..end,
                delimiter: open.keyword.to_owned(),
                media_type: (!open.text.is_empty()).then(|| open.text.to_string()),
                content,
            }))
        }
        RuleKind::DataTable => {
            let rows = table_rows(node.tokens, error);
            let (first, last) = (rows.first()?, rows.last()?);
            Some(Value::DataTable(DataTable {
                location: first.location,
                span: first.span.start..last.span.end,
                rows,
            }))
        }
        RuleKind::ExamplesTable => Some(Value::Rows(table_rows(node.tokens, error))),
        RuleKind::Step => {
            let line = node.take_token(Tok::StepLine)?;
            let mut step = Step {
                location: line.location,
                full_span: line.span.clone(),
                span: line.span,
                keyword: line.keyword.to_owned(),
                keyword_type: line.keyword_type,
                text: line.text.into_owned(),
                doc_string: None,
                data_table: None,
            };
            for value in node.values {
                match value {
                    Value::DocString(d) => {
                        extend(&mut step.full_span, d.span.end);
                        step.doc_string = Some(d);
                    }
                    Value::DataTable(t) => {
                        extend(&mut step.full_span, t.span.end);
                        step.data_table = Some(t);
                    }
                    _ => {}
                }
            }
            Some(Value::Step(step))
        }
        RuleKind::Background => {
            let line = node.take_token(Tok::BackgroundLine)?;
            let (description, description_end) = node.take_description();
            let steps = steps(&mut node.values);
            let mut full_span = line.span.clone();
            extend(&mut full_span, description_end);
            for step in &steps {
                extend(&mut full_span, step.full_span.end);
            }
            Some(Value::Background(Background {
                location: line.location,
                span: line.span,
                full_span,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description,
                steps,
            }))
        }
        RuleKind::ScenarioDefinition => {
            let (tags, tags_start) = node.take_tags();
            let mut inner = node.take_node(RuleKind::Scenario)?;
            let line = inner.take_token(Tok::ScenarioLine)?;
            let (description, description_end) = inner.take_description();
            let steps = steps(&mut inner.values);
            let examples: Vec<Examples> = inner
                .values
                .into_iter()
                .filter_map(|v| match v {
                    Value::Examples(e) => Some(e),
                    _ => None,
                })
                .collect();
            let mut full_span = tags_start.unwrap_or(line.span.start)..line.span.end;
            extend(&mut full_span, description_end);
            for end in steps.iter().map(|s| s.full_span.end) {
                extend(&mut full_span, end);
            }
            for end in examples.iter().map(|e| e.full_span.end) {
                extend(&mut full_span, end);
            }
            Some(Value::Scenario(Scenario {
                location: line.location,
                span: line.span,
                full_span,
                tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description,
                steps,
                examples,
            }))
        }
        RuleKind::ExamplesDefinition => {
            let (tags, tags_start) = node.take_tags();
            let mut inner = node.take_node(RuleKind::Examples)?;
            let line = inner.take_token(Tok::ExamplesLine)?;
            let (description, description_end) = inner.take_description();
            let mut rows = inner
                .values
                .into_iter()
                .find_map(|v| match v {
                    Value::Rows(rows) => Some(rows),
                    _ => None,
                })
                .unwrap_or_default();
            let mut full_span = tags_start.unwrap_or(line.span.start)..line.span.end;
            extend(&mut full_span, description_end);
            if let Some(last) = rows.last() {
                extend(&mut full_span, last.span.end);
            }
            let table_header = (!rows.is_empty()).then(|| rows.remove(0));
            Some(Value::Examples(Examples {
                location: line.location,
                span: line.span,
                full_span,
                tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description,
                table_header,
                table_body: rows,
            }))
        }
        RuleKind::Feature => {
            let mut header = node.take_node(RuleKind::FeatureHeader)?;
            let (tags, tags_start) = header.take_tags();
            let line = header.take_token(Tok::FeatureLine)?;
            let (description, description_end) = header.take_description();
            let mut full_span = tags_start.unwrap_or(line.span.start)..line.span.end;
            extend(&mut full_span, description_end);
            let mut children = Vec::new();
            for value in node.values {
                let (end, child) = match value {
                    Value::Background(b) => (b.full_span.end, FeatureChild::Background(b)),
                    Value::Scenario(s) => (s.full_span.end, FeatureChild::Scenario(s)),
                    Value::Rule(r) => (r.full_span.end, FeatureChild::Rule(r)),
                    _ => continue,
                };
                extend(&mut full_span, end);
                children.push(child);
            }
            Some(Value::Feature(Feature {
                location: line.location,
                span: line.span,
                full_span,
                tags,
                language: line.language.to_owned(),
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description,
                children,
            }))
        }
        RuleKind::Rule => {
            let mut header = node.take_node(RuleKind::RuleHeader)?;
            let (tags, tags_start) = header.take_tags();
            let line = header.take_token(Tok::RuleLine)?;
            let (description, description_end) = header.take_description();
            let mut full_span = tags_start.unwrap_or(line.span.start)..line.span.end;
            extend(&mut full_span, description_end);
            let mut children = Vec::new();
            for value in node.values {
                let (end, child) = match value {
                    Value::Background(b) => (b.full_span.end, RuleChild::Background(b)),
                    Value::Scenario(s) => (s.full_span.end, RuleChild::Scenario(s)),
                    _ => continue,
                };
                extend(&mut full_span, end);
                children.push(child);
            }
            Some(Value::Rule(Rule {
                location: line.location,
                span: line.span,
                full_span,
                tags,
                keyword: line.keyword.to_owned(),
                name: line.text.into_owned(),
                name_span: line.text_span,
                description,
                children,
            }))
        }
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

fn extend(span: &mut std::ops::Range<usize>, end: usize) {
    span.end = span.end.max(end);
}

fn steps(values: &mut Vec<Value<'_>>) -> Vec<Step> {
    let (steps, rest): (Vec<_>, Vec<_>) = std::mem::take(values)
        .into_iter()
        .partition(|v| matches!(v, Value::Step(_)));
    *values = rest;
    steps
        .into_iter()
        .filter_map(|v| match v {
            Value::Step(step) => Some(step),
            _ => None,
        })
        .collect()
}

/// The rows of a table; every row must have as many cells as the first.
fn table_rows(tokens: Vec<Token<'_>>, error: &mut Option<ParseError>) -> Vec<TableRow> {
    let rows: Vec<TableRow> = tokens
        .into_iter()
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
