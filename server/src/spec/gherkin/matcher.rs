//! Reading a line as a given kind of token, the way Cucumber's token
//! matchers do, for classic Gherkin and for Markdown with Gherkin.
//!
//! Matching is asked for one kind at a time, in the order the parser's
//! current state tries them; it has no side effects. Once the parser takes a
//! token, [`Matcher::accept`] applies what the token changes (the language,
//! an open doc string).

use std::borrow::Cow;
use std::ops::Range;

use super::Flavor;
use super::ast::{KeywordType, Location, ParseError};
use super::grammar::Tok;
use super::languages::{self, Dialect};
use super::line::{self, Item, Line, is_ws};

/// A line read as a token.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub kind: Tok,
    pub location: Location,
    /// From the keyword to the end of the trimmed line; for lines without a
    /// keyword, the trimmed line (the whole line for comments).
    pub span: Range<usize>,
    /// The keyword as the dialect spells it (a step keyword keeps its
    /// trailing space); the delimiter of a doc string separator.
    pub keyword: &'a str,
    pub keyword_type: KeywordType,
    /// The name after the keyword, the step text, the media type of a doc
    /// string, the line of a description or doc string, the comment.
    pub text: Cow<'a, str>,
    pub text_span: Range<usize>,
    /// Tags of a tag line, cells of a table row.
    pub items: Vec<Item<'a>>,
    /// The language the line was read in.
    pub language: &'static str,
    /// Whether the line is only whitespace.
    pub blank: bool,
    /// A Markdown table's `| --- |` line: skipped like a comment, not kept.
    pub silent: bool,
}

impl<'a> Token<'a> {
    fn new(kind: Tok, line: &Line<'a>, column: u32, language: &'static str) -> Token<'a> {
        let span = line.content();
        Token {
            kind,
            location: Location {
                line: line.number,
                column,
            },
            text_span: span.end..span.end,
            span,
            keyword: "",
            keyword_type: KeywordType::Unknown,
            text: Cow::Borrowed(""),
            items: Vec::new(),
            language,
            blank: line.is_blank(),
            silent: false,
        }
    }
}

/// The doc string being read, if any.
#[derive(Debug, Clone, Copy)]
enum DocString {
    /// Classic: closed by a line starting with the same separator.
    Classic(&'static str),
    /// Markdown: closed by a fence of exactly this many backticks.
    Fence(usize),
}

/// Reads lines as tokens; tracks the language and any open doc string.
pub(crate) struct Matcher {
    flavor: Flavor,
    dialect: &'static Dialect,
    doc_string: Option<DocString>,
    indent_to_remove: u32,
    /// Markdown: whether the feature line has been read.
    feature_seen: bool,
}

impl Matcher {
    pub fn new(flavor: Flavor) -> Matcher {
        Matcher {
            flavor,
            dialect: languages::default_dialect(),
            doc_string: None,
            indent_to_remove: 0,
            feature_seen: false,
        }
    }

    /// Reads `line` as a `kind` token, or `None` if it is not one. Reading
    /// a tag line with a blank in a tag, or a language header naming an
    /// unknown language, is an error.
    pub fn matches<'a>(&self, kind: Tok, line: &Line<'a>) -> Result<Option<Token<'a>>, ParseError> {
        match self.flavor {
            Flavor::Classic => self.classic(kind, line),
            Flavor::Markdown => Ok(self.markdown(kind, line)),
        }
    }

    /// Applies what taking `token` changes.
    pub fn accept(&mut self, token: &Token<'_>) {
        match token.kind {
            Tok::Language => {
                if let Some(dialect) = languages::dialect(&token.text) {
                    self.dialect = dialect;
                }
            }
            Tok::DocStringSeparator => {
                if self.doc_string.is_some() {
                    self.doc_string = None;
                    self.indent_to_remove = 0;
                } else {
                    self.doc_string = Some(match self.flavor {
                        Flavor::Classic if token.keyword == "```" => DocString::Classic("```"),
                        Flavor::Classic => DocString::Classic("\"\"\""),
                        Flavor::Markdown => DocString::Fence(token.keyword.len()),
                    });
                    self.indent_to_remove = token.location.column.saturating_sub(1);
                }
            }
            Tok::FeatureLine => self.feature_seen = true,
            _ => {}
        }
    }

    fn language(&self) -> &'static str {
        &self.dialect.code
    }

    fn classic<'a>(&self, kind: Tok, line: &Line<'a>) -> Result<Option<Token<'a>>, ParseError> {
        let text = line.trimmed();
        let column = line.indent.saturating_add(1);
        let token = match kind {
            Tok::Eof => None,
            Tok::Empty => line
                .is_blank()
                .then(|| Token::new(kind, line, 1, self.language())),
            Tok::Comment => text.starts_with('#').then(|| self.comment(line)),
            Tok::TagLine if text.starts_with('@') => match line::classic_tags(line) {
                Ok(tags) => {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.items = tags;
                    Some(token)
                }
                Err(column) => {
                    return Err(error(
                        "A tag may not contain whitespace".to_owned(),
                        line,
                        column,
                    ));
                }
            },
            Tok::TagLine => None,
            Tok::FeatureLine => self.title(kind, line, 0, &self.dialect.feature),
            Tok::RuleLine => self.title(kind, line, 0, &self.dialect.rule),
            Tok::BackgroundLine => self.title(kind, line, 0, &self.dialect.background),
            Tok::ScenarioLine => self.title(kind, line, 0, &self.dialect.scenario),
            Tok::ExamplesLine => self.title(kind, line, 0, &self.dialect.examples),
            Tok::StepLine => self.step(line, 0, false),
            Tok::DocStringSeparator => {
                let separator = match self.doc_string {
                    Some(DocString::Classic(open)) => text.starts_with(open).then_some(open),
                    _ => ["\"\"\"", "```"].into_iter().find(|s| text.starts_with(s)),
                };
                separator.map(|separator| {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.keyword = separator;
                    if self.doc_string.is_none() {
                        let (media, span) = line.rest(separator.len());
                        token.text = Cow::Borrowed(media);
                        token.text_span = span;
                    }
                    token
                })
            }
            Tok::TableRow => text.starts_with('|').then(|| {
                let mut token = Token::new(kind, line, column, self.language());
                token.items = line::table_cells(line);
                token
            }),
            Tok::Language => match language_name(text) {
                Some(name) if languages::dialect(name).is_some() => {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.text = Cow::Borrowed(name);
                    Some(token)
                }
                Some(name) => {
                    return Err(error(
                        format!("Language not supported: {name}"),
                        line,
                        column,
                    ));
                }
                None => None,
            },
            Tok::Other => {
                let mut token = Token::new(kind, line, 1, self.language());
                let text = line.without_indent(self.indent_to_remove);
                token.text = match self.doc_string {
                    Some(DocString::Classic(separator)) => unescape_separator(text, separator),
                    _ => Cow::Borrowed(text),
                };
                Some(token)
            }
        };
        Ok(token)
    }

    fn markdown<'a>(&self, kind: Tok, line: &Line<'a>) -> Option<Token<'a>> {
        let text = line.trimmed();
        let column = line.indent.saturating_add(1);
        match kind {
            Tok::Eof | Tok::Language => None,
            // Prose is not Gherkin: every line that is nothing else is empty.
            Tok::Empty => (line.is_blank() || !self.markdown_special(line))
                .then(|| Token::new(kind, line, 1, self.language())),
            Tok::Comment => (text.starts_with('|') && is_table_separator(line)).then(|| {
                let mut token = Token::new(kind, line, column, self.language());
                token.silent = true;
                token
            }),
            Tok::TagLine => {
                let tags = line::markdown_tags(line);
                (!tags.is_empty()).then(|| {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.items = tags;
                    token
                })
            }
            Tok::FeatureLine if self.feature_seen => None,
            Tok::FeatureLine => {
                let header = header_prefix(text)
                    .and_then(|prefix| self.title(kind, line, prefix, &self.dialect.feature));
                // Without a `# Feature:` header, the first line names the feature.
                header.or_else(|| {
                    (!line.is_blank()).then(|| {
                        let mut token = Token::new(kind, line, column, self.language());
                        token.text = Cow::Borrowed(line::trim(text));
                        token.text_span = token.span.clone();
                        token
                    })
                })
            }
            Tok::RuleLine => self.header(kind, line, &self.dialect.rule),
            Tok::BackgroundLine => self.header(kind, line, &self.dialect.background),
            Tok::ScenarioLine => self.header(kind, line, &self.dialect.scenario),
            Tok::ExamplesLine => self.header(kind, line, &self.dialect.examples),
            Tok::StepLine => bullet_prefix(text).and_then(|prefix| self.step(line, prefix, true)),
            Tok::DocStringSeparator => {
                let fence = text.bytes().take_while(|&b| b == b'`').count();
                let matched = match self.doc_string {
                    Some(DocString::Fence(open)) => {
                        fence == open && text[fence..].chars().all(is_ws)
                    }
                    _ => fence >= 3,
                };
                matched.then(|| {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.keyword = &text[..fence];
                    if self.doc_string.is_none() {
                        let (media, span) = line.rest(fence);
                        token.text = Cow::Borrowed(media);
                        token.text_span = span;
                    }
                    token
                })
            }
            Tok::TableRow => {
                // Only tables indented 2 to 5 spaces are Gherkin tables.
                let indented = (2..=5).contains(&line.indent) && text.starts_with('|');
                let cells = if indented {
                    line::table_cells(line)
                } else {
                    Vec::new()
                };
                (indented && !cells.iter().any(|c| is_separator_cell(&c.text))).then(|| {
                    let mut token = Token::new(kind, line, column, self.language());
                    token.items = cells;
                    token
                })
            }
            Tok::Other => {
                let mut token = Token::new(kind, line, 1, self.language());
                token.text = Cow::Borrowed(line.without_indent(self.indent_to_remove));
                Some(token)
            }
        }
    }

    /// Whether a Markdown line is any token but `#Empty` and `#Other`.
    fn markdown_special(&self, line: &Line<'_>) -> bool {
        [
            Tok::TagLine,
            Tok::FeatureLine,
            Tok::ScenarioLine,
            Tok::BackgroundLine,
            Tok::ExamplesLine,
            Tok::RuleLine,
            Tok::TableRow,
            Tok::Comment,
            Tok::DocStringSeparator,
            Tok::StepLine,
        ]
        .into_iter()
        .any(|kind| self.markdown(kind, line).is_some())
    }

    fn header<'a>(
        &self,
        kind: Tok,
        line: &Line<'a>,
        keywords: &'static [String],
    ) -> Option<Token<'a>> {
        header_prefix(line.trimmed()).and_then(|prefix| self.title(kind, line, prefix, keywords))
    }

    fn comment<'a>(&self, line: &Line<'a>) -> Token<'a> {
        let mut token = Token::new(Tok::Comment, line, 1, self.language());
        token.text = Cow::Borrowed(line.text);
        token.span = line.start..line.start + line.text.len();
        token
    }

    /// `Keyword: name` after `prefix` bytes of the trimmed line.
    fn title<'a>(
        &self,
        kind: Tok,
        line: &Line<'a>,
        prefix: usize,
        keywords: &'static [String],
    ) -> Option<Token<'a>> {
        let text = line.trimmed().get(prefix..)?;
        let keyword = keywords.iter().find(|k| {
            text.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.starts_with(':'))
        })?;
        let mut token = Token::new(kind, line, line.column_at(prefix), self.language());
        let (name, name_span) = line.rest(prefix + keyword.len() + 1);
        token.keyword = keyword;
        token.text = Cow::Borrowed(name);
        token.text_span = name_span;
        token.span = line.at(prefix)..token.span.end;
        Some(token)
    }

    /// `Keyword text` after `prefix` bytes of the trimmed line.
    fn step<'a>(&self, line: &Line<'a>, prefix: usize, markdown: bool) -> Option<Token<'a>> {
        let text = line.trimmed().get(prefix..)?;
        let keyword = self
            .dialect
            .steps
            .iter()
            .filter(|s| !(markdown && s.text == "* "))
            .find(|s| text.starts_with(s.text.as_str()))?;
        let mut token = Token::new(Tok::StepLine, line, line.column_at(prefix), self.language());
        let (step, step_span) = line.rest(prefix + keyword.text.len());
        token.keyword = &keyword.text;
        token.keyword_type = keyword.kind;
        token.text = Cow::Borrowed(step);
        token.text_span = step_span;
        token.span = line.at(prefix)..token.span.end;
        Some(token)
    }
}

/// An error on `line` at `column`.
pub(crate) fn error(message: String, line: &Line<'_>, column: u32) -> ParseError {
    ParseError {
        message,
        location: Location {
            line: line.number,
            column,
        },
        has_column: true,
        span: line.content(),
    }
}

/// The language named by `# language: xx`.
fn language_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('#')?.trim_start_matches(is_ws);
    let rest = rest.strip_prefix("language")?.trim_start_matches(is_ws);
    let rest = rest.strip_prefix(':')?.trim_start_matches(is_ws);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0 && rest[end..].chars().all(is_ws)).then(|| &rest[..end])
}

/// Inside a doc string, an escaped separator stands for the separator.
fn unescape_separator<'a>(text: &'a str, separator: &str) -> Cow<'a, str> {
    let escaped = if separator == "```" {
        "\\`\\`\\`"
    } else {
        "\\\"\\\"\\\""
    };
    if text.contains(escaped) {
        Cow::Owned(text.replace(escaped, separator))
    } else {
        Cow::Borrowed(text)
    }
}

/// The bytes of a Markdown header's `#`s and the blank after them.
fn header_prefix(text: &str) -> Option<usize> {
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let blank = text[hashes..].chars().next().filter(|&c| is_ws(c))?;
    Some(hashes + blank.len_utf8())
}

/// The bytes of a Markdown list item's bullet and the blanks after it.
fn bullet_prefix(text: &str) -> Option<usize> {
    text.bytes()
        .next()
        .filter(|b| matches!(b, b'*' | b'+' | b'-'))?;
    let rest = &text[1..];
    Some(1 + rest.len() - rest.trim_start_matches(is_ws).len())
}

/// Whether a Markdown table line is the `| --- | :-: |` line under its header.
fn is_table_separator(line: &Line<'_>) -> bool {
    line::table_cells(line)
        .iter()
        .any(|c| is_separator_cell(&c.text))
}

fn is_separator_cell(text: &str) -> bool {
    let inner = text.strip_prefix(':').unwrap_or(text);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.bytes().all(|b| b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_header() {
        assert_eq!(language_name("#language:fr"), Some("fr"));
        assert_eq!(language_name("#  language  :  en-lol  "), Some("en-lol"));
        assert_eq!(language_name("# language: fr x"), None);
        assert_eq!(language_name("# languages: fr"), None);
    }

    #[test]
    fn markdown_prefixes() {
        assert_eq!(header_prefix("## Feature: x"), Some(3));
        assert_eq!(header_prefix("####### Feature: x"), None);
        assert_eq!(header_prefix("#Feature: x"), None);
        assert_eq!(bullet_prefix("*  Given x"), Some(3));
        assert_eq!(bullet_prefix("Given x"), None);
        assert!(is_separator_cell(":---:"));
        assert!(!is_separator_cell("::"));
    }
}
