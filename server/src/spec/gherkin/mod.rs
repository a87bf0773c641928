//! Gherkin, to Cucumber's standard: classic `.feature` text and Markdown with
//! Gherkin (`.feature.md`), with every error reported at its line and column.
//!
//! The parser follows Cucumber's design: each line is read as one token
//! (`matcher`), the grammar's state machine (`grammar`, derived from
//! Cucumber's `gherkin.berp`) decides which tokens may come next and
//! recovers from errors (`parser`), and the tree is built from the rules it
//! opens and closes (`builder`).

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
