//! textDocument/semanticTokens/full, /full/delta and /range: the Gherkin
//! tokens of `ide::semantic_tokens`, in the negotiated encoding, with a
//! legend of standard token types only.
//!
//! Each document's last full result is kept with the version it was made
//! for, so a delta is computed against it (one pass over the two token
//! lists) and a second request for the same version costs nothing. A
//! delta asked against any other result id answers a full result.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types::{
    Range, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens,
    SemanticTokensDelta, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, Uri, WorkDoneProgressOptions,
};

use super::documents::{Analysis, Content};
use super::position::Encoding;
use super::state::recover;
use super::to_proto::Text;
use crate::ide::semantic_tokens::{self as ide, Token, TokenKind};
use crate::spec::gherkin::Flavor;

/// The bit of the `declaration` modifier, the legend's only one.
const DECLARATION: u32 = 1;

fn token_type(kind: TokenKind) -> SemanticTokenType {
    match kind {
        TokenKind::Keyword => SemanticTokenType::KEYWORD,
        TokenKind::Decorator => SemanticTokenType::DECORATOR,
        TokenKind::Comment => SemanticTokenType::COMMENT,
        TokenKind::String => SemanticTokenType::STRING,
        TokenKind::Number => SemanticTokenType::NUMBER,
        TokenKind::Parameter => SemanticTokenType::PARAMETER,
        TokenKind::Function => SemanticTokenType::FUNCTION,
    }
}

/// The legend: every token kind, in `TokenKind::ALL`'s order.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenKind::ALL.into_iter().map(token_type).collect(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// The capability: full (with deltas) and range.
pub fn capability() -> SemanticTokensServerCapabilities {
    SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: WorkDoneProgressOptions::default(),
        legend: legend(),
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
    })
}

/// A document's last full result.
#[derive(Debug)]
struct Kept {
    version: i32,
    id: String,
    data: Arc<Vec<SemanticToken>>,
}

/// The last full result of each open document.
#[derive(Debug, Default)]
pub struct TokenCache {
    results: Mutex<HashMap<Uri, Kept>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl TokenCache {
    /// Forgets a closed document's result.
    pub fn forget(&self, uri: &Uri) {
        recover(self.results.lock()).remove(uri);
    }

    /// The full result of an analysed version: the one kept when it is of
    /// that version, else made now and kept. `None` for a document that is
    /// neither a spec nor a feature file.
    pub fn full(&self, analysis: &Analysis, encoding: Encoding) -> Option<SemanticTokens> {
        let (id, data) = self.current(analysis, encoding)?;
        Some(SemanticTokens {
            result_id: Some(id),
            data: data.to_vec(),
        })
    }

    /// The edits from the result `previous` to the current one; the full
    /// current result when `previous` is not the document's last one.
    pub fn delta(
        &self,
        analysis: &Analysis,
        previous: &str,
        encoding: Encoding,
    ) -> Option<SemanticTokensFullDeltaResult> {
        let before = recover(self.results.lock())
            .get(&analysis.uri)
            .filter(|r| r.id == previous)
            .map(|r| Arc::clone(&r.data));
        let (id, data) = self.current(analysis, encoding)?;
        let Some(before) = before else {
            return Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data: data.to_vec(),
            }));
        };
        Some(SemanticTokensFullDeltaResult::TokensDelta(
            SemanticTokensDelta {
                result_id: Some(id),
                edits: edits(&before, &data),
            },
        ))
    }

    fn current(
        &self,
        analysis: &Analysis,
        encoding: Encoding,
    ) -> Option<(String, Arc<Vec<SemanticToken>>)> {
        if let Some(kept) = recover(self.results.lock())
            .get(&analysis.uri)
            .filter(|r| r.version == analysis.version)
        {
            return Some((kept.id.clone(), Arc::clone(&kept.data)));
        }
        let tokens = tokens(analysis)?;
        let data = Arc::new(encode(&tokens, Text::of(analysis, encoding)));
        let n = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = n.to_string();
        recover(self.results.lock()).insert(
            analysis.uri.clone(),
            Kept {
                version: analysis.version,
                id: id.clone(),
                data: Arc::clone(&data),
            },
        );
        Some((id, data))
    }
}

/// The tokens that touch a range of the document (no result id: a range
/// result is not the base of a delta).
pub fn range(analysis: &Analysis, range: Range, encoding: Encoding) -> Option<SemanticTokens> {
    let text = Text::of(analysis, encoding);
    let tokens = tokens(analysis)?;
    let within = ide::in_range(&tokens, text.offset(range.start)..text.offset(range.end));
    Some(SemanticTokens {
        result_id: None,
        data: encode(within, text),
    })
}

/// The document's tokens, in byte offsets.
fn tokens(analysis: &Analysis) -> Option<Vec<Token>> {
    match &analysis.content {
        Content::Spec(loaded) => Some(ide::spec_tokens(&loaded.spec, &analysis.text)),
        Content::Part(part) => Some(ide::spec_tokens(&part.spec, &analysis.text)),
        Content::Feature(doc) => {
            let flavor = analysis
                .uri
                .to_file_path()
                .map_or(Flavor::Classic, |path| Flavor::of_path(&path));
            Some(ide::feature_tokens(doc, &analysis.text, flavor))
        }
        Content::Other => None,
    }
}

/// Tokens (sorted, one line each) → LSP's relative encoding. One pass
/// over the text: each token's line and column are counted on from the
/// last token's, never from the start of its line again.
fn encode(tokens: &[Token], text: Text<'_>) -> Vec<SemanticToken> {
    let source = text.text;
    let units = |piece: &str| -> u32 {
        let n = match text.encoding {
            _ if piece.is_ascii() => piece.len(),
            Encoding::Utf8 => piece.len(),
            Encoding::Utf16 => piece.chars().map(char::len_utf16).sum(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    let mut out = Vec::with_capacity(tokens.len());
    // Where the walk is, and the line and column there.
    let (mut at, mut line, mut column) = (0usize, 0u32, 0u32);
    // The last token's line and column.
    let (mut last_line, mut last_column) = (0u32, 0u32);
    for token in tokens {
        let (start, end) = (token.range.start, token.range.end);
        let (Some(between), Some(piece)) = (source.get(at..start), source.get(start..end)) else {
            continue;
        };
        if piece.is_empty() || piece.contains(['\n', '\r']) {
            continue;
        }
        let mut run = 0;
        let bytes = between.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                line += 1;
                column = 0;
                run = i + 1;
            }
        }
        column += units(&between[run..]);
        at = start;
        let delta_line = line - last_line;
        let delta_start = if delta_line == 0 {
            column - last_column
        } else {
            column
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: units(piece),
            token_type: TokenKind::ALL
                .iter()
                .position(|k| *k == token.kind)
                .unwrap_or_default() as u32,
            token_modifiers_bitset: if token.declaration { DECLARATION } else { 0 },
        });
        (last_line, last_column) = (line, column);
    }
    out
}

/// One edit that turns `before` into `after`: what lies between their
/// common first and last tokens. Offsets count numbers of the flat array
/// (five a token), as LSP says.
fn edits(before: &[SemanticToken], after: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = before.len() - prefix - suffix;
    let inserted = &after[prefix..after.len() - suffix];
    if removed == 0 && inserted.is_empty() {
        return Vec::new();
    }
    let flat = |n: usize| u32::try_from(n * 5).unwrap_or(u32::MAX);
    vec![SemanticTokensEdit {
        start: flat(prefix),
        delete_count: flat(removed),
        data: Some(inserted.to_vec()),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, delta_start: u32, length: u32) -> SemanticToken {
        SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: 0,
            token_modifiers_bitset: 0,
        }
    }

    /// `before` with `edits` applied, in the flat numbers of the protocol.
    fn apply(before: &[SemanticToken], edits: &[SemanticTokensEdit]) -> Vec<SemanticToken> {
        let mut out = before.to_vec();
        for edit in edits {
            let start = edit.start as usize / 5;
            let end = start + edit.delete_count as usize / 5;
            out.splice(start..end, edit.data.clone().unwrap_or_default());
        }
        out
    }

    #[test]
    fn a_delta_turns_the_old_result_into_the_new() {
        let a = [token(0, 0, 7), token(1, 2, 8), token(1, 4, 5)];
        let cases: [&[SemanticToken]; 5] = [
            &[token(0, 0, 7), token(1, 2, 9), token(1, 4, 5)],
            &[token(0, 0, 7), token(1, 4, 5)],
            &[
                token(0, 0, 7),
                token(1, 2, 8),
                token(1, 4, 5),
                token(1, 4, 5),
            ],
            &[],
            &a,
        ];
        for b in cases {
            let edits = edits(&a, b);
            assert_eq!(apply(&a, &edits), b, "{edits:?}");
        }
        assert!(edits(&a, &a).is_empty());
    }

    /// Tokens from positions, the slow way, for comparing; a token across
    /// a line break (a lone CR inside a Gherkin line) is left out.
    fn by_positions(tokens: &[Token], text: Text<'_>) -> Vec<(u32, u32, u32)> {
        tokens
            .iter()
            .map(|t| (text.position(t.range.start), text.position(t.range.end)))
            .filter(|(a, b)| a.line == b.line)
            .map(|(a, b)| (a.line, a.character, b.character - a.character))
            .collect()
    }

    fn absolute(data: &[SemanticToken]) -> Vec<(u32, u32, u32)> {
        let (mut line, mut start) = (0, 0);
        data.iter()
            .map(|t| {
                if t.delta_line > 0 {
                    start = 0;
                }
                line += t.delta_line;
                start += t.delta_start;
                (line, start, t.length)
            })
            .collect()
    }

    #[test]
    fn one_pass_agrees_with_positions_across_cr_crlf_and_emoji() {
        let text = "Feature: 😀 F\r\n  Scenario: 🗓 <a> x\r    Given 3 \"é\" 4\n\r\n  Scenario: S\n";
        let analysis = Analysis::fixture("x.feature", text);
        let tokens = tokens(&analysis).unwrap();
        assert!(tokens.len() >= 7, "{tokens:?}");
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let text = Text::of(&analysis, encoding);
            assert_eq!(
                absolute(&encode(&tokens, text)),
                by_positions(&tokens, text)
            );
        }
    }

    #[test]
    fn positions_count_units_of_the_encoding() {
        let analysis = Analysis::fixture("x.feature", "Feature: 😀 F\n  Scenario: 😀 <a> 3\n");
        let utf16 = encode(
            &tokens(&analysis).unwrap(),
            Text::of(&analysis, Encoding::Utf16),
        );
        let utf8 = encode(
            &tokens(&analysis).unwrap(),
            Text::of(&analysis, Encoding::Utf8),
        );
        let starts = |data: &[SemanticToken]| {
            data.iter()
                .map(|t| (t.delta_line, t.delta_start, t.length))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            starts(&utf16),
            [(0, 0, 7), (1, 2, 8), (0, 10, 2), (0, 3, 3), (0, 4, 1)]
        );
        assert_eq!(
            starts(&utf8),
            [(0, 0, 7), (1, 2, 8), (0, 10, 4), (0, 5, 3), (0, 4, 1)]
        );
    }
}
