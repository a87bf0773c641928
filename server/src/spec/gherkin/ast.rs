//! The Gherkin syntax tree. Every node carries its 1-based line and column
//! (columns count Unicode scalar values, as Cucumber's own parsers do) and
//! the byte range it covers in the source it was parsed from.

use std::ops::Range;

/// Where a parse starts inside a larger file: a fenced block in a spec starts
/// at some line and byte of the spec, and every position maps back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    /// Number of lines before the first line of the parsed text (0 for a whole file).
    pub line_offset: u32,
    /// Byte offset of the parsed text in the file (0 for a whole file).
    pub byte_offset: usize,
}

/// 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GherkinDocument {
    pub feature: Option<Feature>,
    pub comments: Vec<Comment>,
    /// Every parse error, in source order. A document with errors still has
    /// as much of its tree as could be recovered.
    pub errors: Vec<ParseError>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Cucumber's message text without its `(line:column): ` prefix.
    pub message: String,
    pub location: Location,
    /// `false` for "unexpected end of file", which Cucumber reports with no column.
    pub has_column: bool,
    /// The offending line's trimmed content (empty at end of file).
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub location: Location,
    /// The keyword line, from the keyword to the end of the trimmed name.
    pub span: Range<usize>,
    /// From the first tag (or the keyword) to the end of the last element.
    pub full_span: Range<usize>,
    pub tags: Vec<Tag>,
    pub language: String,
    pub keyword: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub description: String,
    pub children: Vec<FeatureChild>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeatureChild {
    Background(Background),
    Scenario(Scenario),
    Rule(Rule),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub location: Location,
    pub span: Range<usize>,
    pub full_span: Range<usize>,
    pub tags: Vec<Tag>,
    pub keyword: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub description: String,
    pub children: Vec<RuleChild>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleChild {
    Background(Background),
    Scenario(Scenario),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    pub location: Location,
    pub span: Range<usize>,
    pub full_span: Range<usize>,
    pub keyword: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub description: String,
    pub steps: Vec<Step>,
}

/// A Scenario or a Scenario Outline (the keyword tells which).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub location: Location,
    pub span: Range<usize>,
    pub full_span: Range<usize>,
    pub tags: Vec<Tag>,
    pub keyword: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub description: String,
    pub steps: Vec<Step>,
    pub examples: Vec<Examples>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordType {
    Context,
    Action,
    Outcome,
    Conjunction,
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub location: Location,
    pub span: Range<usize>,
    pub full_span: Range<usize>,
    /// The keyword with its trailing space, as Cucumber gives it (`"Given "`).
    pub keyword: String,
    pub keyword_type: KeywordType,
    pub text: String,
    pub doc_string: Option<DocString>,
    pub data_table: Option<DataTable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocString {
    pub location: Location,
    pub span: Range<usize>,
    pub delimiter: String,
    pub media_type: Option<String>,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    pub location: Location,
    pub span: Range<usize>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub location: Location,
    pub span: Range<usize>,
    pub cells: Vec<TableCell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    pub location: Location,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    pub location: Location,
    pub span: Range<usize>,
    pub full_span: Range<usize>,
    pub tags: Vec<Tag>,
    pub keyword: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub description: String,
    pub table_header: Option<TableRow>,
    pub table_body: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub location: Location,
    pub span: Range<usize>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub location: Location,
    pub span: Range<usize>,
    pub text: String,
}
