//! Gherkin blocks parsed by an earlier parse of the same document, reused
//! when their text has not changed: an edit outside a block (or in another
//! block) does not re-parse it. Positions are kept relative to the block.

use std::ops::Range;

use super::{GherkinError, Scenario};

/// What a fenced block gave, with byte offsets relative to its content.
#[derive(Debug, Clone)]
struct ParsedBlock {
    content: String,
    scenarios: Vec<Scenario>,
    errors: Vec<GherkinError>,
}

/// The blocks of the last parse. Give the same cache to every parse of one
/// document; a parse keeps only the blocks it saw.
#[derive(Debug, Default)]
pub struct BlockCache {
    blocks: Vec<ParsedBlock>,
    seen: Vec<ParsedBlock>,
}

impl BlockCache {
    /// The scenarios and errors of a block whose content is `content` and
    /// starts at `start`: from the cache, or from `parse`, which must give
    /// them relative to the block's start.
    pub(super) fn block(
        &mut self,
        content: &str,
        start: usize,
        parse: impl FnOnce() -> (Vec<Scenario>, Vec<GherkinError>),
    ) -> (Vec<Scenario>, Vec<GherkinError>) {
        let block = match self.blocks.iter().position(|b| b.content == content) {
            Some(i) => self.blocks.swap_remove(i),
            None => {
                let (scenarios, errors) = parse();
                ParsedBlock {
                    content: content.to_string(),
                    scenarios,
                    errors,
                }
            }
        };
        let shifted = (
            block
                .scenarios
                .iter()
                .map(|s| shift_scenario(s, start))
                .collect(),
            block.errors.iter().map(|e| shift_error(e, start)).collect(),
        );
        self.seen.push(block);
        shifted
    }

    /// Ends a parse: the blocks not seen in it are dropped.
    pub(super) fn finish(&mut self) {
        self.blocks = std::mem::take(&mut self.seen);
    }
}

fn shift(range: &Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

fn shift_scenario(scenario: &Scenario, by: usize) -> Scenario {
    let mut s = scenario.clone();
    s.span = shift(&s.span, by);
    s.name_span = shift(&s.name_span, by);
    s.full_span = shift(&s.full_span, by);
    s.anchor += by;
    for step in &mut s.steps {
        step.span = shift(&step.span, by);
    }
    s
}

fn shift_error(error: &GherkinError, by: usize) -> GherkinError {
    GherkinError {
        span: shift(&error.span, by),
        ..error.clone()
    }
}
