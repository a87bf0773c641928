//! Gherkin, to Cucumber's standard: classic `.feature` text and Markdown with
//! Gherkin (`.feature.md`), with every error reported at its line and column.
//!
//! The parser follows Cucumber's design: each line is read as one token
//! (`matcher`, with the keywords of `languages`), a state machine derived
//! from Cucumber's grammar `gherkin.berp` (`grammar`, `states`) decides which
//! tokens may come next and recovers from errors (`parser`), and the tree is
//! built from the rules it opens and closes (`builder`). Error messages,
//! their expected-token lists and their positions are Cucumber's; like
//! Cucumber, parsing stops after the eleventh error.
//!
//! Where `@cucumber/gherkin` behaves accidentally, this parser does not:
//! a byte-order mark is not counted as indentation; a blank first line of a
//! Markdown document does not become a nameless feature; a Markdown code
//! fence only opens or closes a doc string where a doc string may be, never
//! as a side effect of testing the line for something else; columns count
//! characters everywhere (cucumber-js counts UTF-16 units in table cells);
//! and a table with rows of different lengths is kept in the tree.

mod ast;
mod builder;
mod grammar;
mod languages;
mod line;
mod matcher;
mod parser;
mod states;

pub use ast::*;

/// Which surface syntax the text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Classic Gherkin (`.feature` files and ```gherkin blocks).
    Classic,
    /// Markdown with Gherkin (`.feature.md` files).
    Markdown,
}

/// Parses `source` as a whole file.
pub fn parse(source: &str, flavor: Flavor) -> GherkinDocument {
    parse_at(source, flavor, Origin::default())
}

/// Parses `source`, a slice of a larger file that starts at `origin`; every
/// location and span in the result is in the larger file's terms.
pub fn parse_at(source: &str, flavor: Flavor, origin: Origin) -> GherkinDocument {
    parser::parse(source, flavor, origin)
}
