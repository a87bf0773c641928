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
    /// 1-based line number.
    pub line: u32,
    /// 1-based column in characters (0 for an error at end of file).
    pub column: u32,
}

/// A parsed file (or fenced block): its feature, if it has one, its
/// comments and its errors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GherkinDocument {
    /// The feature; `None` for a document without a feature line.
    pub feature: Option<Feature>,
    /// Every `#` comment line, in source order (never Markdown lines).
    pub comments: Vec<Comment>,
    /// Every parse error, in source order. A document with errors still has
    /// as much of its tree as could be recovered.
    pub errors: Vec<ParseError>,
}

/// A syntax error, as Cucumber reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Cucumber's message text without its `(line:column): ` prefix.
    pub message: String,
    /// Where Cucumber reports the error.
    pub location: Location,
    /// `false` for "unexpected end of file", which Cucumber reports with no column.
    pub has_column: bool,
    /// The offending line's trimmed content (empty at end of file).
    pub span: Range<usize>,
}

/// `Feature: name`, with everything under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Where the keyword starts.
    pub location: Location,
    /// The keyword line, from the keyword to the end of the trimmed name.
    pub span: Range<usize>,
    /// From the first tag (or the keyword) to the end of the last element.
    pub full_span: Range<usize>,
    /// The tags on the lines above the keyword.
    pub tags: Vec<Tag>,
    /// The language code (`en` unless a `# language:` header says otherwise).
    pub language: String,
    /// The keyword as written (`Feature`, `Fonctionnalité`, …); empty for a
    /// Markdown feature named by the document's first line.
    pub keyword: String,
    /// The trimmed text after the keyword's colon.
    pub name: String,
    /// The name's bytes; when there is no name, an empty range just after
    /// the keyword's colon.
    pub name_span: Range<usize>,
    /// The free text under the keyword line, lines joined with `\n`, comment
    /// lines and trailing blank lines left out.
    pub description: String,
    /// Background, scenarios and rules, in source order.
    pub children: Vec<FeatureChild>,
}

/// What a feature holds.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureChild {
    Background(Background),
    Scenario(Scenario),
    Rule(Rule),
}

/// `Rule: name`, a group of scenarios with an optional background.
/// Fields as in [`Feature`].
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

/// What a rule holds.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleChild {
    Background(Background),
    Scenario(Scenario),
}

/// `Background: name`, steps run before each scenario. Fields as in
/// [`Feature`].
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

/// A Scenario or a Scenario Outline (the keyword tells which). Fields as in
/// [`Feature`].
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

/// What a step keyword says about its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordType {
    /// `Given` and its translations.
    Context,
    /// `When` and its translations.
    Action,
    /// `Then` and its translations.
    Outcome,
    /// `And`, `But` and their translations.
    Conjunction,
    /// `*`, and any keyword that is in more than one of the lists above.
    Unknown,
}

/// A step, with its doc string and data table if it has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Where the keyword starts.
    pub location: Location,
    /// From the keyword to the end of the trimmed line.
    pub span: Range<usize>,
    /// From the keyword to the end of the step's doc string or table.
    pub full_span: Range<usize>,
    /// The keyword with its trailing space, as Cucumber gives it (`"Given "`).
    pub keyword: String,
    pub keyword_type: KeywordType,
    /// The trimmed text after the keyword.
    pub text: String,
    pub doc_string: Option<DocString>,
    pub data_table: Option<DataTable>,
}

/// A step's doc string (`"""` or ```` ``` ```` in classic Gherkin, a fenced code
/// block in Markdown).
#[derive(Debug, Clone, PartialEq)]
pub struct DocString {
    /// Where the opening delimiter starts.
    pub location: Location,
    /// From the opening delimiter to the end of the closing one.
    pub span: Range<usize>,
    /// The opening delimiter as written.
    pub delimiter: String,
    /// What follows the opening delimiter (`json`), if anything.
    pub media_type: Option<String>,
    /// The lines between the delimiters, the delimiter's indentation
    /// removed and escaped delimiters unescaped, joined with `\n`.
    pub content: String,
}

/// A step's table.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Where the first row starts.
    pub location: Location,
    /// From the first row's `|` to the end of the last row.
    pub span: Range<usize>,
    pub rows: Vec<TableRow>,
}

/// A table row `| a | b |`.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Where the row's first `|` is.
    pub location: Location,
    /// The trimmed line.
    pub span: Range<usize>,
    pub cells: Vec<TableCell>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    /// Where the trimmed value starts.
    pub location: Location,
    /// The trimmed value, with `\|`, `\\` and `\n` unescaped.
    pub value: String,
}

/// `Examples: name` with its table: the first row is the header. Fields
/// as in [`Feature`].
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

/// A tag such as `@smoke`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Where the `@` is.
    pub location: Location,
    /// The tag's bytes, from its `@`.
    pub span: Range<usize>,
    /// The tag with its `@`.
    pub name: String,
}

/// A `#` comment line.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// Column 1 of the comment's line.
    pub location: Location,
    /// The whole line, without its line break.
    pub span: Range<usize>,
    /// The whole line, indentation included, as Cucumber gives it.
    pub text: String,
}
