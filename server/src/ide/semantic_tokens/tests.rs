use super::TokenKind::{self, *};
use super::*;
use crate::ide::fixture::Fixture;

/// Each token's kind, whether it is a declaration, and its text.
type Seen = Vec<(TokenKind, bool, std::string::String)>;

/// The tokens of a marked text, as `kind text` lines (`*` after a
/// declaration); the marks must be the tokens' ranges.
fn tokens(marked: &str, of: impl Fn(&str) -> Vec<Token>) -> Seen {
    let fixture = Fixture::ranges(marked);
    let tokens = of(&fixture.text);
    let mut marks = fixture.ranges.clone();
    marks.sort_by_key(|r| r.start);
    let ranges: Vec<_> = tokens.iter().map(|t| t.range.clone()).collect();
    let texts: Vec<_> = tokens
        .iter()
        .map(|t| &fixture.text[t.range.clone()])
        .collect();
    assert_eq!(ranges, marks, "tokens {texts:?}");
    tokens
        .iter()
        .map(|t| {
            (
                t.kind,
                t.declaration,
                fixture.text[t.range.clone()].to_string(),
            )
        })
        .collect()
}

fn feature(marked: &str, flavor: Flavor) -> Seen {
    tokens(marked, |text| {
        feature_tokens(&gherkin::parse(text, flavor), text, flavor)
    })
}

fn spec(marked: &str) -> Seen {
    tokens(marked, |text| spec_tokens(&Spec::parse(text), text))
}

fn kinds(tokens: &Seen) -> Vec<TokenKind> {
    tokens.iter().map(|t| t.0).collect()
}

#[test]
fn every_construct_of_a_feature_file() {
    let got = feature(
        r#"# language: en
^^^^^^^^^^^^^^
@billing
^^^^^^^^
Feature: Export
^^^^^^^
  Free text is no token.
  # a comment
  ^^^^^^^^^^^
  Background:
  ^^^^^^^^^^
    Given 3 invoices of "March"
    ^^^^^ ^             ^^^^^^^
  Rule: Months
  ^^^^
    @slow @csv
    ^^^^^ ^^^^
    Scenario Outline: Export <n> rows
    ^^^^^^^^^^^^^^^^  ^^^^^^ ^^^ ^^^^
      When I export <n> rows
      ^^^^          ^^^
      Then the file reads
      ^^^^
        """csv
        ^^^^^^
        id, <n>
        ^^^ ^^^
        """
        ^^^
      And the totals are
      ^^^
        | month | total |
          ^^^^^   ^^^^^
        | March | 99.50 |
          ^^^^^   ^^^^^
      Examples:
      ^^^^^^^^
        | n |
          ^
        | 2 |
          ^
"#,
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [
            Comment, Decorator, Keyword, Comment, Keyword, Keyword, Number, String, Keyword,
            Decorator, Decorator, Keyword, Function, Parameter, Function, Keyword, Parameter,
            Keyword, String, String, Parameter, String, Keyword, String, String, String, Number,
            Keyword, Parameter, Number,
        ]
    );
    let declared: Vec<_> = got.iter().filter(|t| t.1).map(|t| t.2.as_str()).collect();
    assert_eq!(declared, ["Export", "rows"]);
}

#[test]
fn placeholders_inside_doc_strings_and_cells_are_parameters() {
    let got = feature(
        r#"Feature: F
^^^^^^^
  Scenario Outline: S
  ^^^^^^^^^^^^^^^^  ^
    Given "a <x> b"
    ^^^^^ ^^ ^^^ ^^
      | <x> y |
        ^^^ ^
      Examples:
      ^^^^^^^^
        | x |
          ^
"#,
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [
            Keyword, Keyword, Function, Keyword, String, Parameter, String, Parameter, String,
            Keyword, Parameter
        ]
    );
}

#[test]
fn keywords_of_other_languages() {
    let got = feature(
        "# language: fr
^^^^^^^^^^^^^^
Fonctionnalité: Export
^^^^^^^^^^^^^^
  Scénario: Un mois
  ^^^^^^^^  ^^^^^^^
    Soit un mois de 3 factures
    ^^^^            ^
    Alors j'obtiens un fichier
    ^^^^^
",
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [
            Comment, Keyword, Keyword, Function, Keyword, Number, Keyword
        ]
    );
}

#[test]
fn markdown_with_gherkin_files() {
    let got = feature(
        "# Feature: Export
  ^^^^^^^
## Scenario: One month
   ^^^^^^^^  ^^^^^^^^^
* Given 3 invoices
  ^^^^^ ^
* Then a file
  ^^^^
",
        Flavor::Markdown,
    );
    assert_eq!(
        kinds(&got),
        [Keyword, Keyword, Function, Keyword, Number, Keyword]
    );
}

#[test]
fn a_spec_has_tokens_in_its_gherkin_blocks_and_heading_scenarios_only() {
    let got = spec(
        "# Export 3 invoices

Some text with 3 and <x>.

```sh
Given 3
```

## Scenarios

```gherkin
@smoke
^^^^^^
Feature: Export
^^^^^^^
  Scenario: One
  ^^^^^^^^  ^^^
    Given 3 invoices
    ^^^^^ ^
```

### Scenario: Two
    ^^^^^^^^  ^^^
* Given <n> rows
  ^^^^^ ^^^
",
    );
    assert_eq!(
        kinds(&got),
        [
            Decorator, Keyword, Keyword, Function, Keyword, Number, Keyword, Function, Keyword,
            Parameter
        ]
    );
}

#[test]
fn a_block_without_its_closing_fence_and_a_tilde_fence() {
    let got = spec(
        "## Scenarios

~~~ Gherkin
Feature: A
^^^^^^^
~~~

```cucumber
Feature: B
^^^^^^^
",
    );
    assert_eq!(kinds(&got), [Keyword, Keyword]);
}

#[test]
fn numbers_are_words_of_their_own() {
    let got = feature(
        "Feature: F
^^^^^^^
  Scenario: S
  ^^^^^^^^  ^
    Given v2 and 10x and -4 and 1.5 and 7.
    ^^^^^                ^^     ^^^     ^
",
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [Keyword, Keyword, Function, Keyword, Number, Number, Number]
    );
}

#[test]
fn escaped_bars_stay_in_their_cell() {
    let got = feature(
        r"Feature: F
^^^^^^^
  Scenario: S
  ^^^^^^^^  ^
    Given a table
    ^^^^^
      | a \| b | c |
        ^^^^^^   ^
",
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [Keyword, Keyword, Function, Keyword, String, String]
    );
}

#[test]
fn a_range_selects_the_tokens_that_touch_it() {
    let text = "Feature: F\n  Scenario: S\n    Given 3\n";
    let tokens = feature_tokens(
        &gherkin::parse(text, Flavor::Classic),
        text,
        Flavor::Classic,
    );
    let second_line = 11..25;
    let picked: Vec<_> = in_range(&tokens, second_line)
        .iter()
        .map(|t| &text[t.range.clone()])
        .collect();
    assert_eq!(picked, ["Scenario", "S"]);
    assert!(in_range(&tokens, 0..0).is_empty());
}

#[test]
fn broken_gherkin_still_gives_what_was_recovered() {
    let got = feature(
        "Feature: F
^^^^^^^
  Scenario: S
  ^^^^^^^^  ^
    Given x
    ^^^^^
    nonsense line
  Scenario: T
  ^^^^^^^^  ^
",
        Flavor::Classic,
    );
    assert_eq!(
        kinds(&got),
        [Keyword, Keyword, Function, Keyword, Keyword, Function]
    );
}
