//! Summarising text: the first sentences of markdown prose, as plain text
//! or as a summary that keeps its paragraphs and lists, and the token
//! estimate.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub use crate::spec::estimate_tokens;

/// The first `count` sentences of a markdown text, its markers, HTML,
/// headings and code blocks left out. A paragraph or list item without
/// final punctuation is a sentence of its own.
pub fn first_sentences(markdown: &str, count: usize) -> String {
    let mut sentences: Vec<String> = Vec::new();
    for block in text_blocks(markdown) {
        if block.kind == BlockKind::Heading {
            continue;
        }
        for sentence in split_sentences(&block.text) {
            if sentences.len() == count {
                return sentences.join(" ");
            }
            sentences.push(sentence);
        }
    }
    sentences.join(" ")
}

/// A list this long or shorter goes into a summary with the sentence that
/// introduces it; a longer one is cut to its first items.
const SHORT_LIST_ITEMS: usize = 6;
const SHORT_LIST_CHARS: usize = 600;

/// The first `count` sentences of a markdown text as a summary: headings
/// skipped, paragraphs kept apart, and a sentence that introduces a list
/// (it ends with `:`) kept with its list — whole when short, else its
/// first items and `- …`.
pub fn summary_sentences(markdown: &str, count: usize) -> String {
    let blocks = text_blocks(markdown);
    let mut out = String::new();
    let mut taken = 0;
    let mut i = 0;
    while i < blocks.len() && taken < count {
        let block = &blocks[i];
        i += 1;
        if block.kind == BlockKind::Heading {
            continue;
        }
        let mut sentences = split_sentences(&block.text);
        sentences.truncate(count - taken);
        taken += sentences.len();
        let introduces = sentences.last().is_some_and(|s| s.ends_with(':'));
        let mut items = Vec::new();
        while introduces && blocks.get(i).is_some_and(|b| b.kind == BlockKind::Item) {
            items.push(blocks[i].text.as_str());
            i += 1;
        }
        let is_short = items.len() <= SHORT_LIST_ITEMS
            && items.iter().map(|t| t.chars().count()).sum::<usize>() <= SHORT_LIST_CHARS;
        let long_list_last = !items.is_empty() && !is_short && taken == count;
        if long_list_last && (!out.is_empty() || sentences.len() > 1) {
            // A long list after the last sentence: end before its introduction.
            sentences.pop();
            items.clear();
            taken = count;
        }
        if sentences.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push_str(if block.kind == BlockKind::Item {
                "\n"
            } else {
                "\n\n"
            });
        }
        if block.kind == BlockKind::Item {
            out.push_str("- ");
        }
        out.push_str(&sentences.join(" "));
        let shown = if is_short { items.len() } else { 3 };
        for item in items.iter().take(shown) {
            out.push_str("\n- ");
            out.push_str(item);
        }
        if shown < items.len() {
            out.push_str("\n- …");
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Prose,
    Heading,
    /// A list item's own text (nested items are items of their own).
    Item,
}

struct Block {
    kind: BlockKind,
    text: String,
}

/// The plain text of each paragraph, heading, list item and table cell.
fn text_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut kind = BlockKind::Prose;
    let mut flush = |current: &mut String, kind: BlockKind| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            blocks.push(Block { kind, text });
        }
        current.clear();
    };
    let mut in_code_block = false;
    let mut items = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block => current.push_str(&t),
            Event::Code(code) => {
                let _ = write!(current, "`{code}`");
            }
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, kind);
                kind = BlockKind::Heading;
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, kind);
                items += 1;
                kind = BlockKind::Item;
            }
            Event::End(TagEnd::Item) => {
                flush(&mut current, kind);
                items = items.saturating_sub(1);
                kind = if items > 0 {
                    BlockKind::Item
                } else {
                    BlockKind::Prose
                };
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::BlockQuote(_),
            ) => {
                flush(&mut current, kind);
                if kind == BlockKind::Heading {
                    kind = if items > 0 {
                        BlockKind::Item
                    } else {
                        BlockKind::Prose
                    };
                }
            }
            _ => {}
        }
    }
    flush(&mut current, kind);
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

    #[test]
    fn a_summary_skips_headings_and_keeps_a_list_with_its_introduction() {
        assert_eq!(
            summary_sentences(
                "### Problem & Motivation\nThe tool is slow. It blocks releases. More.",
                2
            ),
            "The tool is slow. It blocks releases."
        );
        assert_eq!(
            summary_sentences(
                "The tool is slow. It needs:\n- a cache\n- a pool\n\nMore.",
                2
            ),
            "The tool is slow. It needs:\n- a cache\n- a pool"
        );
        assert_eq!(
            summary_sentences(
                "**Part of**: spec 190\n\n**Problem**: it lacks parity:\n- one\n- two\n",
                2
            ),
            "Part of: spec 190\n\nProblem: it lacks parity:\n- one\n- two"
        );
        let long: String = (1..=9).map(|n| format!("- item {n}\n")).collect();
        assert_eq!(
            summary_sentences(&format!("The tool is slow. It needs:\n{long}"), 2),
            "The tool is slow.",
            "a long list after the last sentence: it ends before the introduction"
        );
        assert_eq!(
            summary_sentences(&format!("It needs:\n{long}\nMore."), 1),
            "It needs:\n- item 1\n- item 2\n- item 3\n- …"
        );
    }
}
