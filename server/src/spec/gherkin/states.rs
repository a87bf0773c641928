//! The parser's states, derived once from the grammar.
//!
//! A state is a position in the grammar: the path of open rules down to the
//! token just consumed. Its transitions are the tokens that may come next,
//! each with the rules it closes and opens and the state it leads to. They
//! are ordered as Berp, Cucumber's parser generator, orders them, so that the
//! "expected: …" lists of error messages are Cucumber's.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::grammar::{Lookahead, Mult, RuleKind, Sym, Tok, def};

/// Tokens skipped wherever the grammar does not mention them.
const IGNORED: [Tok; 2] = [Tok::Comment, Tok::Empty];

/// One way out of a state.
#[derive(Debug, Clone)]
pub(crate) struct Transition {
    pub tok: Tok,
    pub lookahead: Option<Lookahead>,
    /// How many open rules the token closes, innermost first.
    pub ends: usize,
    /// The rules the token opens, outermost first.
    pub starts: Vec<RuleKind>,
    pub target: usize,
}

/// A parser state: its transitions in the order they are tried, and the
/// list of expected tokens that an error in this state reports.
#[derive(Debug)]
pub(crate) struct State {
    pub transitions: Vec<Transition>,
    pub expected: String,
}

/// A position in the grammar: for each open rule, the index of the item
/// being expanded; the last frame's item is the token just consumed (`None`
/// only at the very start).
type Position = Vec<(RuleKind, Option<usize>)>;

struct Pending {
    tok: Tok,
    lookahead: Option<Lookahead>,
    ends: usize,
    starts: Vec<RuleKind>,
    target: Position,
}

/// The state the parser starts in.
pub(crate) const START: usize = 0;

/// Every state, built from the grammar on first use.
pub(crate) fn states() -> &'static [State] {
    static STATES: OnceLock<Vec<State>> = OnceLock::new();
    STATES.get_or_init(build_states)
}

fn build_states() -> Vec<State> {
    let start: Position = vec![(RuleKind::GherkinDocument, None)];
    let mut ids: HashMap<Position, usize> = HashMap::new();
    let mut queue: Vec<Position> = vec![start.clone()];
    ids.insert(start, START);
    let mut states = Vec::new();
    while states.len() < queue.len() {
        let id = states.len();
        let pending = order(follow(&queue[id]));
        let mut transitions = Vec::with_capacity(pending.len() + IGNORED.len());
        for p in pending {
            let next = ids.len();
            let target = *ids.entry(p.target.clone()).or_insert_with(|| {
                queue.push(p.target);
                next
            });
            transitions.push(Transition {
                tok: p.tok,
                lookahead: p.lookahead,
                ends: p.ends,
                starts: p.starts,
                target,
            });
        }
        // Tokens that the grammar does not mention are skipped in every state
        // but the end and those that take any line as `#Other`.
        let open = !transitions.is_empty();
        if open && !transitions.iter().any(|t| t.tok == Tok::Other) {
            for tok in IGNORED {
                if !transitions.iter().any(|t| t.tok == tok) {
                    transitions.push(Transition {
                        tok,
                        lookahead: None,
                        ends: 0,
                        starts: Vec::new(),
                        target: id,
                    });
                }
            }
        }
        let mut expected: Vec<&str> = Vec::new();
        for t in &transitions {
            if !expected.contains(&t.tok.name()) {
                expected.push(t.tok.name());
            }
        }
        states.push(State {
            transitions,
            expected: expected.join(", "),
        });
    }
    states
}

/// Berp's order: `#EOF` first, `#Other` last (it matches any line), and the
/// transitions on one token kept together, in grammar order.
fn order(found: Vec<Pending>) -> Vec<Pending> {
    let mut kinds: Vec<Tok> = Vec::new();
    for p in &found {
        if !kinds.contains(&p.tok) {
            kinds.push(p.tok);
        }
    }
    let rank = |tok: Tok| match tok {
        Tok::Eof => 0,
        Tok::Other => 2,
        _ => 1,
    };
    kinds.sort_by_key(|&t| rank(t));
    let mut ordered = Vec::with_capacity(found.len());
    let mut found: Vec<Option<Pending>> = found.into_iter().map(Some).collect();
    for kind in kinds {
        for slot in found.iter_mut() {
            if slot.as_ref().is_some_and(|p| p.tok == kind) {
                ordered.extend(slot.take());
            }
        }
    }
    ordered
}

/// Every token that may follow `position`, in grammar order.
fn follow(position: &Position) -> Vec<Pending> {
    let mut out = Vec::new();
    let mut ends = 0;
    for level in (0..position.len()).rev() {
        let (rule, consumed) = position[level];
        let items = def(rule).items;
        let mut frames: Position = position[..level].to_vec();
        let next = match consumed {
            Some(i) => {
                if matches!(items[i].1, Mult::Star | Mult::Plus) {
                    frames.push((rule, Some(i)));
                    first(items[i].0, &mut frames, ends, &[], None, &mut out);
                    frames.pop();
                }
                i + 1
            }
            None => 0,
        };
        let mut blocked = false;
        for (j, item) in items.iter().enumerate().skip(next) {
            frames.push((rule, Some(j)));
            let nullable = first(item.0, &mut frames, ends, &[], None, &mut out);
            frames.pop();
            if !nullable && matches!(item.1, Mult::One | Mult::Plus) {
                blocked = true;
                break;
            }
        }
        if blocked {
            break;
        }
        if def(rule).ast {
            ends += 1;
        }
    }
    out
}

/// Records the tokens that can begin `sym` (whose item is the last frame of
/// `frames`); returns whether `sym` can match nothing at all.
fn first(
    sym: Sym,
    frames: &mut Position,
    ends: usize,
    starts: &[RuleKind],
    lookahead: Option<Lookahead>,
    out: &mut Vec<Pending>,
) -> bool {
    match sym {
        Sym::T(tok) => {
            out.push(Pending {
                tok,
                lookahead: lookahead.filter(|l| l.skip.contains(&tok)),
                ends,
                starts: starts.to_vec(),
                target: frames.clone(),
            });
            false
        }
        Sym::R(rule) => {
            let rule_def = def(rule);
            let mut starts = starts.to_vec();
            if rule_def.ast {
                starts.push(rule);
            }
            let lookahead = rule_def.lookahead.or(lookahead);
            for (k, item) in rule_def.items.iter().enumerate() {
                frames.push((rule, Some(k)));
                let nullable = first(item.0, frames, ends, &starts, lookahead, out);
                frames.pop();
                if !nullable && matches!(item.1, Mult::One | Mult::Plus) {
                    return false;
                }
            }
            true
        }
        Sym::Alt(alternatives) => {
            let mut nullable = false;
            for &alt in alternatives {
                nullable |= first(alt, frames, ends, starts, lookahead, out);
            }
            nullable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected_after(path: &[Tok]) -> String {
        let states = states();
        let mut state = START;
        for &tok in path {
            // The last transition on a token is the one without lookahead.
            let t = states[state]
                .transitions
                .iter()
                .rev()
                .find(|t| t.tok == tok)
                .expect("token allowed");
            state = t.target;
        }
        states[state].expected.clone()
    }

    #[test]
    fn expected_lists_match_cucumber() {
        assert_eq!(
            expected_after(&[]),
            "#EOF, #Language, #TagLine, #FeatureLine, #Comment, #Empty"
        );
        assert_eq!(
            expected_after(&[Tok::FeatureLine]),
            "#EOF, #Empty, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, #RuleLine, #Other"
        );
        assert_eq!(
            expected_after(&[Tok::FeatureLine, Tok::ScenarioLine, Tok::StepLine]),
            "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, #ExamplesLine, \
             #ScenarioLine, #RuleLine, #Comment, #Empty"
        );
        assert_eq!(
            expected_after(&[
                Tok::FeatureLine,
                Tok::ScenarioLine,
                Tok::StepLine,
                Tok::DocStringSeparator,
                Tok::DocStringSeparator
            ]),
            "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, \
             #Comment, #Empty"
        );
        assert_eq!(
            expected_after(&[
                Tok::FeatureLine,
                Tok::ScenarioLine,
                Tok::StepLine,
                Tok::DocStringSeparator
            ]),
            "#DocStringSeparator, #Other"
        );
        assert_eq!(
            expected_after(&[Tok::FeatureLine, Tok::TagLine]),
            "#TagLine, #RuleLine, #Comment, #Empty"
        );
    }

    /// The distinct lists of Cucumber's generated parser for this grammar
    /// (`@cucumber/gherkin` 42): every state's list must be one of them.
    #[test]
    fn every_list_is_one_of_cucumbers() {
        let cucumber = [
            "#DocStringSeparator, #Other",
            "#EOF, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Comment, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Comment, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Empty, #Comment, #BackgroundLine, #TagLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, \
             #RuleLine, #Other",
            "#EOF, #Empty, #Comment, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Other",
            "#EOF, #Empty, #Comment, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, \
             #RuleLine, #Other",
            "#EOF, #Language, #TagLine, #FeatureLine, #Comment, #Empty",
            "#EOF, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty",
            "#EOF, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Comment, #Empty",
            "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, #ExamplesLine, \
             #ScenarioLine, #RuleLine, #Comment, #Empty",
            "#EOF, #TableRow, #DocStringSeparator, #StepLine, #TagLine, #ScenarioLine, \
             #RuleLine, #Comment, #Empty",
            "#EOF, #TableRow, #StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, \
             #Comment, #Empty",
            "#EOF, #TableRow, #StepLine, #TagLine, #ScenarioLine, #RuleLine, #Comment, #Empty",
            "#EOF, #TableRow, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, #Comment, #Empty",
            "#TagLine, #ExamplesLine, #Comment, #Empty",
            "#TagLine, #FeatureLine, #Comment, #Empty",
            "#TagLine, #RuleLine, #Comment, #Empty",
            "#TagLine, #ScenarioLine, #Comment, #Empty",
        ];
        let mut ours: Vec<&str> = states()
            .iter()
            .filter(|s| !s.transitions.is_empty())
            .map(|s| s.expected.as_str())
            .collect();
        ours.sort_unstable();
        ours.dedup();
        assert_eq!(ours, cucumber);
    }
}
