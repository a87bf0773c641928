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

impl Flavor {
    /// THE flavor rule, for a file by its name (or a link by its target):
    /// Markdown with Gherkin when it ends in `.md` (any case, as in
    /// `x.feature.MD`), else classic.
    pub fn of_name(name: &str) -> Flavor {
        let name = name.trim_end();
        let md = name.len() >= 3
            && name.is_char_boundary(name.len() - 3)
            && name[name.len() - 3..].eq_ignore_ascii_case(".md");
        if md {
            Flavor::Markdown
        } else {
            Flavor::Classic
        }
    }

    /// [`Flavor::of_name`] of a path's file name.
    pub fn of_path(path: &std::path::Path) -> Flavor {
        Flavor::of_name(&path.file_name().unwrap_or_default().to_string_lossy())
    }
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

#[cfg(test)]
mod tests {
    use super::Flavor;

    #[test]
    fn markdown_is_any_name_ending_in_md_in_any_case() {
        for name in ["x.feature.md", "x.feature.MD", "x.Feature.Md", "x.md"] {
            assert_eq!(Flavor::of_name(name), Flavor::Markdown, "{name}");
        }
        for name in ["x.feature", "x.FEATURE", "x.feature.mdx", "md", "é"] {
            assert_eq!(Flavor::of_name(name), Flavor::Classic, "{name}");
        }
    }
}
