//! Text shown on a terminal. Scenario names, spec lines, notes and paths
//! come from files anyone may write; a control character in them (ESC
//! starting a colour or a window title, BEL, a C1 code) or a bidirectional
//! override would act on the terminal instead of being shown. Every such
//! character of human output is written as Rust writes it in a string,
//! `\u{1b}`; line breaks and tabs are kept. JSON output is never passed
//! through here: serde escapes it exactly.

use std::borrow::Cow;

/// The text with every character a terminal would act on escaped.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// How many columns a character takes once escaped: its escape's length,
/// else one.
pub fn shown_width(c: char) -> usize {
    if acts_on_terminal(c) {
        c.escape_unicode().len()
    } else {
        1
    }
}

/// C0 and C1 control characters (but line feed and tab), DEL, and the
/// marks and overrides that reorder bidirectional text.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape("a\u{1b}[31mb\u{7}\u{9b}c\u{202e}d\u{7f}\r"),
            "a\\u{1b}[31mb\\u{7}\\u{9b}c\\u{202e}d\\u{7f}\\u{d}"
        );
        assert_eq!(escape("line\n\ttab é 😀"), "line\n\ttab é 😀");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(shown_width('\u{1b}'), "\\u{1b}".len());
        assert_eq!(shown_width('é'), 1);
    }
}
