//! Summarising text: the first sentences of markdown prose, a summary
//! collapsed to its first sentence, the summaries that fit a budget, and the
//! token estimate.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The token estimate of a text: its characters / 4, rounded up.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

/// Summaries of this many latest completed sessions are given whole; older
/// ones by their first sentence, so the load stays small however long the
/// history grows.
const WHOLE_SUMMARIES: usize = 3;

/// rest: the latest few whole and the older ones by their first sentence;
/// then, over the budget, collapse the oldest first, then drop them.
pub(super) fn fit_summaries(summaries: &[(String, String)], budget: usize, fixed: usize) -> String {
    let (mut collapsed, mut dropped) = (summaries.len().saturating_sub(WHOLE_SUMMARIES), 0);
    loop {
        let part = summaries_part(summaries, collapsed, dropped);
        if (fixed + part.chars().count()).div_ceil(4) <= budget {
            return part;
        }
        if collapsed < summaries.len() {
            collapsed += 1;
        } else if dropped < summaries.len() {
            dropped += 1;
        } else {
            return part;
        }
    }
}

/// The summaries with the first `collapsed` cut to their first sentence and
/// the first `dropped` left out.
fn summaries_part(summaries: &[(String, String)], collapsed: usize, dropped: usize) -> String {
    if summaries.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Completed sessions\n\n");
    match dropped {
        0 => {}
        1 => out.push_str("1 earlier summary omitted.\n\n"),
        n => {
            let _ = write!(out, "{n} earlier summaries omitted.\n\n");
        }
    }
    for (i, (name, summary)) in summaries.iter().enumerate().skip(dropped) {
        let body = if i < collapsed {
            first_sentence(summary)
        } else {
            summary.trim().to_string()
        };
        let _ = write!(out, "### {}\n{body}\n\n", name.trim());
    }
    out
}

/// A summary collapsed: its first sentence as plain text (see
/// [`first_sentences`]; the first non-blank line when it has none outside
/// code), with `…` when more followed.
fn first_sentence(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_line = lines.next().unwrap_or_default();
    let more_lines = lines.next().is_some();
    let first = first_sentences(text, 1);
    if first.is_empty() {
        return if more_lines {
            format!("{first_line} …")
        } else {
            first_line.to_string()
        };
    }
    if more_lines || first_sentences(text, 2).len() > first.len() {
        format!("{first} …")
    } else {
        first
    }
}

/// The scenario's Gherkin: as written in its file, dedented, or rebuilt from
/// The first `count` sentences of a markdown text, its markers, HTML and
/// code blocks left out. A paragraph, list item or heading without final
/// punctuation is a sentence of its own.
pub fn first_sentences(markdown: &str, count: usize) -> String {
    let mut sentences: Vec<String> = Vec::new();
    for block in text_blocks(markdown) {
        for sentence in split_sentences(&block) {
            if sentences.len() == count {
                return sentences.join(" ");
            }
            sentences.push(sentence);
        }
    }
    sentences.join(" ")
}

/// The plain text of each paragraph, heading, list item and table cell.
fn text_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let block = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !block.is_empty() {
            blocks.push(block);
        }
        current.clear();
    };
    let mut in_code_block = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block => current.push_str(&t),
            Event::Code(code) => {
                let _ = write!(current, "`{code}`");
            }
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Item)
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => flush(&mut current),
            _ => {}
        }
    }
    flush(&mut current);
    blocks
}

/// A block of text cut after `.`, `!` or `?` (and closing quotes or
/// brackets) followed by whitespace, except after an abbreviation.
fn split_sentences(block: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = block.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !matches!(c, '.' | '!' | '?') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && is_closing(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(block.len(), |&(at, _)| at);
        let followed = chars.get(j).is_none_or(|&(_, c)| c.is_whitespace());
        let next = block[end..].trim_start().chars().next();
        if followed && !(c == '.' && is_abbreviation(&block[start..at], next)) {
            let sentence = block[start..end].trim();
            if !sentence.is_empty() {
                sentences.push(sentence.to_string());
            }
            start = end;
        }
        i = j;
    }
    let rest = block[start..].trim();
    if !rest.is_empty() {
        sentences.push(rest.to_string());
    }
    sentences
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_'
    )
}

/// Whether the word before a period is an abbreviation ("e.g", "i.e", "vs",
/// an initial) rather than the end of a sentence.
fn is_abbreviation(before: &str, next: Option<char>) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let dotted = word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic));
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let known = match word.to_lowercase().as_str() {
        "eg" | "ie" | "cf" | "vs" | "approx" | "incl" | "mr" | "mrs" | "ms" | "dr" | "prof"
        | "fig" | "resp" | "esp" => true,
        "etc" => !next.is_some_and(char::is_uppercase),
        _ => false,
    };
    dotted || initial || known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::context::{ContextInput, ContextLoad, SPEC};
    use crate::spec::{Spec, UnitRef};

    #[test]
    fn only_the_latest_summaries_are_whole_and_files_are_capped() {
        let spec = Spec::parse(SPEC);
        let summaries: Vec<(String, String)> = (1..=5)
            .map(|n| (format!("S{n}"), format!("S{n} first line.\nS{n} detail.")))
            .collect();
        let files: Vec<String> = (1..=20).map(|n| format!("src/f{n}.rs")).collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            relevant_files: &files,
            budget: 100_000,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains("### S1\nS1 first line. …\n"),
            "{}",
            load.text
        );
        assert!(load.text.contains("### S2\nS2 first line. …\n"));
        for n in 3..=5 {
            assert!(
                load.text
                    .contains(&format!("### S{n}\nS{n} first line.\nS{n} detail."))
            );
        }
        assert!(load.text.contains("- `src/f15.rs`\n- … and 5 more\n"));
        assert!(!load.text.contains("src/f16.rs"));
    }

    #[test]
    fn older_summaries_collapse_to_their_first_sentence() {
        let spec = Spec::parse(SPEC);
        let written = |what: &str| {
            format!(
                "{what} streamed through `csv::Writer` in `src/export.rs`. Rows are not \
                 buffered, e.g. for big months.\n\n- Commit: `abcdef1` {what}\n\
                 - Files changed: `src/export.rs`\n"
            )
        };
        let summaries: Vec<(String, String)> = ["One", "Two", "Three", "Four"]
            .iter()
            .map(|n| (n.to_string(), written(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains(
                "### One\nOne streamed through `csv::Writer` in `src/export.rs`. …\n\n### Two\n"
            ),
            "{}",
            load.text
        );
        assert!(
            load.text
                .contains(&format!("### Two\n{}", written("Two").trim()))
        );
        assert_eq!(load.text.matches("Rows are not buffered").count(), 3);
    }

    #[test]
    fn a_collapsed_summary_is_plain_text_with_a_mark_when_more_followed() {
        assert_eq!(first_sentence("Did it."), "Did it.");
        assert_eq!(first_sentence("  Did it.  \n\n"), "Did it.");
        assert_eq!(first_sentence("Built it. Then tested it."), "Built it. …");
        assert_eq!(first_sentence("Built it\n- Commit: `abc`"), "Built it …");
        assert_eq!(
            first_sentence("**Streamed** rows via [csv](https://x.y/a.rs), i.e. lazily. More."),
            "Streamed rows via csv, i.e. lazily. …"
        );
        assert_eq!(
            first_sentence(
                "TODO: what was built, the decisions taken and why, and what the next scenario should know.\n\n- Commit: `abcdef1` Export a month\n"
            ),
            "TODO: what was built, the decisions taken and why, and what the next scenario should know. …"
        );
        assert_eq!(first_sentence("```\nlet x = 1;\n```"), "``` …");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn summaries_collapse_oldest_first_then_drop_under_a_small_budget() {
        let spec = Spec::parse(SPEC);
        let long = |name: &str| format!("{name} first line.\n{}", "More detail. ".repeat(40));
        let summaries: Vec<(String, String)> = ["One", "Two", "Three"]
            .iter()
            .map(|n| (n.to_string(), long(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let base = ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        };
        let full = ContextLoad::build(&base);
        assert!(!full.over_budget);
        assert_eq!(full.text.matches("More detail.").count(), 120);

        // Room for the fixed parts and a little more: the oldest collapse.
        let without = ContextLoad::build(&ContextInput {
            summaries: &[],
            ..base
        });
        let budget = without.tokens + 300;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(load.tokens <= budget, "{} > {budget}", load.tokens);
        assert!(load.text.contains("### One\nOne first line. …\n"));
        assert!(
            load.text
                .contains("### Three\nThree first line.\nMore detail.")
        );

        // Room for almost nothing: every summary collapses, then the oldest go.
        let budget = without.tokens + 25;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(
            load.text
                .contains("2 earlier summaries omitted.\n\n### Three\nThree first line. …\n"),
            "{}",
            load.text
        );
        assert!(!load.text.contains("### One"));
        assert!(!load.over_budget);

        let load = ContextLoad::build(&ContextInput { budget: 10, ..base });
        assert!(load.over_budget);
        assert!(load.text.contains("3 earlier summaries omitted."));
    }

    #[test]
    fn intent_sentences_skip_markers_comments_and_abbreviations() {
        let intent = "<!-- why does this exist? -->\nPeople **re-type** [invoices](http://x.y/z) by hand, i.e. slowly. Dr. Who agrees: see `a.rs`.  Third one.";
        assert_eq!(
            first_sentences(intent, 2),
            "People re-type invoices by hand, i.e. slowly. Dr. Who agrees: see `a.rs`."
        );
        assert_eq!(
            first_sentences("- First item\n- Second item\n- Third", 2),
            "First item Second item"
        );
        assert_eq!(
            first_sentences("Is it? Yes (really). No.", 2),
            "Is it? Yes (really)."
        );
        assert_eq!(
            first_sentences("Version 1.5 is out, etc. Next one.", 1),
            "Version 1.5 is out, etc."
        );
        assert_eq!(first_sentences("", 2), "");
    }
}
