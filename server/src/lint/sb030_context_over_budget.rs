//! SB030: a unit's context load is over the token budget.

use super::session_facts::unit_range;
use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(facts) = rule.facts else {
        return Vec::new();
    };
    facts
        .context_tokens
        .iter()
        .filter(|&&(_, tokens)| facts.token_budget > 0 && tokens > facts.token_budget)
        .map(|(unit, tokens)| {
            let (file, range) = unit_range(rule.spec, unit);
            Diagnostic::new(
                Code::SB030,
                Severity::Warning,
                range,
                format!(
                    "the context load of `{unit}` is about {tokens} tokens, over the budget of {}: shorten the feature description or split the scenario",
                    facts.token_budget
                ),
            )
            .in_file(file)
        })
        .collect()
}
