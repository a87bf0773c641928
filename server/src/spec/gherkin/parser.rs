//! The parser: runs the grammar's state machine over the lines, one token a
//! line, and recovers from errors as Cucumber's generated parsers do (the
//! offending line is reported and skipped, the state is kept).

use super::Flavor;
use super::ast::{GherkinDocument, Location, Origin, ParseError};
use super::builder::Builder;
use super::grammar::{Lookahead, Tok};
use super::line::{self, Line};
use super::matcher::{self, Matcher};
use super::states::{self, State};

/// Cucumber gives up once a document has more errors than this.
const MAX_ERRORS: usize = 10;

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    states: &'static [State],
    matcher: Matcher,
    builder: Builder<'a>,
    errors: Vec<ParseError>,
    /// Where end of file is reported: the line after the last, and the
    /// byte after the text.
    eof: (u32, usize),
}

/// Parses `source`, a part of a larger file starting at `origin`.
pub(crate) fn parse(source: &str, flavor: Flavor, origin: Origin) -> GherkinDocument {
    let lines = line::split_lines(source, origin);
    let eof_line = origin
        .line_offset
        .saturating_add(line::to_u32(lines.len()))
        .saturating_add(1);
    let mut parser = Parser {
        lines,
        states: states::states(),
        matcher: Matcher::new(flavor),
        builder: Builder::new(),
        errors: Vec::new(),
        eof: (eof_line, origin.byte_offset.saturating_add(source.len())),
    };
    let mut state = states::START;
    let mut aborted = false;
    for index in 0..=parser.lines.len() {
        state = parser.step(state, index);
        if parser.errors.len() > MAX_ERRORS {
            aborted = true;
            break;
        }
    }
    let Parser {
        builder,
        mut errors,
        ..
    } = parser;
    let (feature, comments, closing_errors) = builder.finish();
    if !aborted {
        for error in closing_errors {
            push_error(&mut errors, error);
        }
    }
    errors.sort_by_key(|e| (e.location.line, e.location.column));
    GherkinDocument {
        feature,
        comments,
        errors,
    }
}

/// Records `error` unless it is already known (a line may be tried more
/// than once) or the parse has already failed with too many errors.
fn push_error(errors: &mut Vec<ParseError>, error: ParseError) {
    if errors.len() > MAX_ERRORS {
        return;
    }
    let seen = errors
        .iter()
        .any(|e| e.location == error.location && e.message == error.message);
    if !seen {
        errors.push(error);
    }
}

impl<'a> Parser<'a> {
    /// Reads the line at `index` (end of file past the last line) in
    /// `state` and returns the next state.
    fn step(&mut self, state: usize, index: usize) -> usize {
        let states = self.states;
        let current = &states[state];
        for transition in &current.transitions {
            let token = match self.lines.get(index) {
                None if transition.tok == Tok::Eof => None,
                None => continue,
                Some(line) => match self.matcher.matches(transition.tok, line) {
                    Ok(Some(token)) => Some(token),
                    Ok(None) => continue,
                    Err(error) => {
                        push_error(&mut self.errors, error);
                        continue;
                    }
                },
            };
            if let Some(lookahead) = transition.lookahead
                && !self.lookahead(lookahead, index)
            {
                continue;
            }
            for _ in 0..transition.ends {
                if let Some(error) = self.builder.end_rule() {
                    push_error(&mut self.errors, error);
                }
            }
            for &rule in &transition.starts {
                self.builder.start_rule(rule);
            }
            if let Some(token) = token {
                self.matcher.accept(&token);
                self.builder.build(token);
            }
            return transition.target;
        }
        let error = match self.lines.get(index) {
            Some(line) => matcher::error(
                format!(
                    "expected: {}, got '{}'",
                    current.expected,
                    line::trim(line.trimmed())
                ),
                line,
                line.indent.saturating_add(1),
            ),
            None => ParseError {
                message: format!("unexpected end of file, expected: {}", current.expected),
                location: Location {
                    line: self.eof.0,
                    column: 0,
                },
                has_column: false,
                span: self.eof.1..self.eof.1,
            },
        };
        push_error(&mut self.errors, error);
        state
    }

    /// Whether, skipping lines of the `skip` kinds after `index`, a line of
    /// the `target` kind comes.
    fn lookahead(&mut self, lookahead: Lookahead, index: usize) -> bool {
        for at in index + 1..self.lines.len() {
            let line = &self.lines[at];
            if matches!(self.matcher.matches(lookahead.target, line), Ok(Some(_))) {
                return true;
            }
            let mut skipped = false;
            for &kind in lookahead.skip {
                match self.matcher.matches(kind, line) {
                    Ok(Some(_)) => {
                        skipped = true;
                        break;
                    }
                    Ok(None) => {}
                    Err(error) => push_error(&mut self.errors, error),
                }
            }
            if !skipped {
                return false;
            }
        }
        false
    }
}
