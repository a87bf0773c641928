//! Semantic tokens: what each piece of Gherkin is, for highlighting that is
//! the same in every editor. In `.feature` and `.feature.md` files, in the
//! ```gherkin blocks of a spec and in its Markdown-with-Gherkin scenarios:
//! keywords (in any `# language:`), tags, comments, doc strings, table cells,
//! numbers and quoted strings in steps, `<placeholders>`, and scenario names
//! as declarations.
//!
//! Every token lies on one line and tokens never overlap; they come sorted
//! by offset. Offsets are bytes of the document's text.

use std::ops::Range;

use crate::spec::gherkin::{
    self, Background, DocString, Examples, Feature, FeatureChild, Flavor, GherkinDocument, Origin,
    RuleChild, Scenario as GherkinScenario, Step as GherkinStep, TableRow,
};
use crate::spec::{ScenarioSource, Spec};

mod words;
use words::{cells, ends_word, is_number, number_len, placeholder_len, placeholders, starts_word};

/// What a token is. Each maps to one of LSP's standard token types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    /// `Feature`, `Rule`, `Background`, `Scenario`, `Examples`, step
    /// keywords, in any language.
    Keyword,
    /// `@tag`.
    Decorator,
    /// `# …` lines, the `# language:` header included.
    Comment,
    /// Doc strings, table cells and `"quoted"` step text.
    String,
    /// A number in a step or a table cell.
    Number,
    /// `<placeholder>`, and the header cells of an Examples table.
    Parameter,
    /// The name of a scenario (marked as a declaration), but for its
    /// placeholders.
    Function,
}

impl TokenKind {
    /// Every kind, in the order of the legend.
    pub const ALL: [TokenKind; 7] = [
        TokenKind::Keyword,
        TokenKind::Decorator,
        TokenKind::Comment,
        TokenKind::String,
        TokenKind::Number,
        TokenKind::Parameter,
        TokenKind::Function,
    ];
}

/// One token: a byte range of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
    /// Whether the token declares what it names (a scenario's name).
    pub declaration: bool,
}

/// The tokens of a `.feature` (classic) or `.feature.md` (Markdown) file.
pub fn feature_tokens(doc: &GherkinDocument, text: &str, flavor: Flavor) -> Vec<Token> {
    let mut out = Tokens::new(text);
    out.document(doc, 0..text.len(), flavor);
    out.finish()
}

/// The tokens of a spec: its ```gherkin blocks and its Markdown-with-Gherkin
/// scenarios.
pub fn spec_tokens(spec: &Spec, text: &str) -> Vec<Token> {
    let mut out = Tokens::new(text);
    for block in &spec.code_blocks {
        if let Some(content) = gherkin_content(text, block.clone()) {
            let origin = Origin {
                line_offset: 0,
                byte_offset: content.start,
            };
            let doc = gherkin::parse_at(&text[content.clone()], Flavor::Classic, origin);
            out.document(&doc, content, Flavor::Classic);
        }
    }
    for scenario in &spec.scenarios {
        if scenario.source != ScenarioSource::Heading {
            continue;
        }
        out.keyword(scenario.span.start, &scenario.keyword);
        out.name(scenario.name_span.clone());
        for step in &scenario.steps {
            out.step_line(step.span.clone(), &step.keyword);
        }
    }
    out.finish()
}

/// The tokens that touch `range` (a byte range of the text).
pub fn in_range(tokens: &[Token], range: Range<usize>) -> &[Token] {
    let first = tokens.partition_point(|t| t.range.end <= range.start);
    let last = tokens.partition_point(|t| t.range.start < range.end);
    &tokens[first..last.max(first)]
}

/// The content of a fenced block whose info string starts with `gherkin` or
/// `cucumber`: from after its opening fence line to the start of its closing
/// fence (or the block's end when it is not closed).
fn gherkin_content(text: &str, block: Range<usize>) -> Option<Range<usize>> {
    let source = text.get(block.clone())?;
    let first_end = source.find('\n').map_or(source.len(), |n| n + 1);
    let opening = source[..first_end].trim();
    let fence: String = opening
        .chars()
        .take_while(|&c| c == '`' || c == '~')
        .collect();
    let info = opening[fence.len()..].split_whitespace().next()?;
    if !(info.eq_ignore_ascii_case("gherkin") || info.eq_ignore_ascii_case("cucumber")) {
        return None;
    }
    let body = &source[first_end..];
    let trimmed = body.trim_end_matches(['\n', '\r']);
    let last_start = trimmed.rfind('\n').map_or(0, |n| n + 1);
    let closing = trimmed[last_start..].trim();
    let end = if !closing.is_empty()
        && closing.starts_with(&fence)
        && closing.trim_matches(fence.chars().next()?).is_empty()
    {
        last_start
    } else {
        body.len()
    };
    Some(block.start + first_end..block.start + first_end + end)
}

/// Tokens being collected over one text.
struct Tokens<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            tokens: Vec::new(),
        }
    }

    /// Sorted by offset, without empty tokens, and never overlapping: where
    /// two overlap, the one that starts first is kept.
    fn finish(mut self) -> Vec<Token> {
        self.tokens.sort_by_key(|t| (t.range.start, t.range.end));
        let mut out: Vec<Token> = Vec::with_capacity(self.tokens.len());
        for token in self.tokens {
            if token.range.is_empty() || out.last().is_some_and(|l| l.range.end > token.range.start)
            {
                continue;
            }
            out.push(token);
        }
        out
    }

    fn push(&mut self, range: Range<usize>, kind: TokenKind) {
        self.tokens.push(Token {
            range,
            kind,
            declaration: false,
        });
    }

    /// A keyword written at `start` (its trailing space, if any, left out).
    fn keyword(&mut self, start: usize, keyword: &str) {
        let keyword = keyword.trim_end();
        if !keyword.is_empty() && self.text.get(start..start + keyword.len()) == Some(keyword) {
            self.push(start..start + keyword.len(), TokenKind::Keyword);
        }
    }

    /// A scenario's name, a declaration; its `<placeholders>` (in an
    /// outline's name) are parameters.
    fn name(&mut self, range: Range<usize>) {
        let first = self.tokens.len();
        self.with_placeholders(range, TokenKind::Function);
        for token in &mut self.tokens[first..] {
            token.declaration = token.kind == TokenKind::Function;
        }
    }

    /// Every line of a parsed document within `within`.
    fn document(&mut self, doc: &GherkinDocument, within: Range<usize>, flavor: Flavor) {
        for comment in &doc.comments {
            self.line_content(comment.span.clone(), TokenKind::Comment);
        }
        let feature_start = doc
            .feature
            .as_ref()
            .map_or(within.end, |f| f.full_span.start);
        if flavor == Flavor::Classic {
            self.header_comments(within.start..feature_start);
        }
        if let Some(feature) = &doc.feature {
            self.feature(feature);
        }
    }

    /// `#` lines before the feature that the parser keeps as no comment:
    /// the `# language:` header.
    fn header_comments(&mut self, range: Range<usize>) {
        let mut at = range.start;
        for line in self.text[range].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start().len();
            if content.trim_start().starts_with('#') {
                self.push(at + indent..at + content.len(), TokenKind::Comment);
            }
            at += line.len();
        }
    }

    fn feature(&mut self, feature: &Feature) {
        self.tags(feature.tags.iter().map(|t| t.span.clone()));
        self.keyword(feature.span.start, &feature.keyword);
        for child in &feature.children {
            match child {
                FeatureChild::Background(b) => self.background(b),
                FeatureChild::Scenario(s) => self.scenario(s),
                FeatureChild::Rule(rule) => {
                    self.tags(rule.tags.iter().map(|t| t.span.clone()));
                    self.keyword(rule.span.start, &rule.keyword);
                    for child in &rule.children {
                        match child {
                            RuleChild::Background(b) => self.background(b),
                            RuleChild::Scenario(s) => self.scenario(s),
                        }
                    }
                }
            }
        }
    }

    fn tags(&mut self, spans: impl Iterator<Item = Range<usize>>) {
        for span in spans {
            self.push(span, TokenKind::Decorator);
        }
    }

    fn background(&mut self, background: &Background) {
        self.keyword(background.span.start, &background.keyword);
        for step in &background.steps {
            self.step(step);
        }
    }

    fn scenario(&mut self, scenario: &GherkinScenario) {
        self.tags(scenario.tags.iter().map(|t| t.span.clone()));
        self.keyword(scenario.span.start, &scenario.keyword);
        self.name(scenario.name_span.clone());
        for step in &scenario.steps {
            self.step(step);
        }
        for examples in &scenario.examples {
            self.examples(examples);
        }
    }

    fn examples(&mut self, examples: &Examples) {
        self.tags(examples.tags.iter().map(|t| t.span.clone()));
        self.keyword(examples.span.start, &examples.keyword);
        if let Some(header) = &examples.table_header {
            self.row(header, true);
        }
        for row in &examples.table_body {
            self.row(row, false);
        }
    }

    fn step(&mut self, step: &GherkinStep) {
        self.step_line(step.span.clone(), &step.keyword);
        if let Some(doc_string) = &step.doc_string {
            self.doc_string(doc_string);
        }
        for row in step.data_table.iter().flat_map(|t| &t.rows) {
            self.row(row, false);
        }
    }

    /// A step's line: its keyword, then numbers, strings and placeholders
    /// in its text.
    fn step_line(&mut self, span: Range<usize>, keyword: &str) {
        self.keyword(span.start, keyword);
        let after = span.start + keyword.trim_end().len();
        if after < span.end {
            self.step_text(after..span.end);
        }
    }

    /// A doc string, line by line: the delimiters and the content are
    /// strings, `<placeholders>` in it parameters.
    fn doc_string(&mut self, doc_string: &DocString) {
        let mut at = doc_string.span.start;
        let text = self.text;
        for line in text[doc_string.span.clone()].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start().len();
            self.with_placeholders(at + indent..at + content.len(), TokenKind::String);
            at += line.len();
        }
    }

    /// The cells of a table row: strings (numbers when a cell is one), or
    /// parameters in the header of an Examples table.
    fn row(&mut self, row: &TableRow, header: bool) {
        for cell in cells(self.text, row.span.clone()) {
            if header {
                self.push(cell, TokenKind::Parameter);
            } else if is_number(&self.text[cell.clone()]) {
                self.push(cell, TokenKind::Number);
            } else {
                self.with_placeholders(cell, TokenKind::String);
            }
        }
    }

    /// The whole of a line's content (indentation left out) as one token.
    fn line_content(&mut self, span: Range<usize>, kind: TokenKind) {
        let content = &self.text[span.clone()];
        let indent = content.len() - content.trim_start().len();
        let end = span.start + content.trim_end().len();
        self.push(span.start + indent..end, kind);
    }

    /// `range` as `kind`, except its `<placeholders>`, which are parameters.
    /// The pieces between placeholders leave out their surrounding spaces.
    fn with_placeholders(&mut self, range: Range<usize>, kind: TokenKind) {
        let mut at = range.start;
        for placeholder in placeholders(self.text, range.clone()) {
            self.trimmed(at..placeholder.start, kind);
            at = placeholder.end;
            self.push(placeholder, TokenKind::Parameter);
        }
        self.trimmed(at..range.end, kind);
    }

    fn trimmed(&mut self, range: Range<usize>, kind: TokenKind) {
        let piece = &self.text[range.clone()];
        let start = range.start + (piece.len() - piece.trim_start().len());
        let end = range.start + piece.trim_end().len();
        if start < end {
            self.push(start..end, kind);
        }
    }

    /// A step's text: `<placeholders>`, `"quoted strings"` and numbers.
    fn step_text(&mut self, range: Range<usize>) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = range.start;
        while i < range.end {
            let rest = &text[i..range.end];
            match bytes[i] {
                b'<' => {
                    if let Some(len) = placeholder_len(rest) {
                        self.push(i..i + len, TokenKind::Parameter);
                        i += len;
                        continue;
                    }
                }
                b'"' => {
                    if let Some(close) = rest[1..].find('"') {
                        let end = i + close + 2;
                        self.with_placeholders(i..end, TokenKind::String);
                        i = end;
                        continue;
                    }
                }
                b'0'..=b'9' | b'-' if starts_word(text, i) => {
                    let len = number_len(rest);
                    if len > 0 && ends_word(text, i + len) {
                        self.push(i..i + len, TokenKind::Number);
                        i += len;
                        continue;
                    }
                }
                _ => {}
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
}

#[cfg(test)]
mod tests;
