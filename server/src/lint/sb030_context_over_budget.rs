//! SB030: a unit's own text alone is over the token budget of a context
//! load, which always holds it whole. Computed from the spec alone, with
//! the load's estimate, before any session.

use super::session_facts::unit_range;
use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::estimate_tokens;
use crate::units::UnitKind;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let budget = rule.ctx.token_budget;
    if budget == 0 {
        return Vec::new();
    }
    let spec = rule.spec;
    spec.units(&[])
        .iter()
        .filter_map(|unit| {
            let tokens = estimate_tokens(&spec.unit_text(rule.text, unit)?);
            (tokens > budget).then_some((unit, tokens))
        })
        .map(|(unit, tokens)| {
            let kind = UnitKind::of(unit).word();
            let name = spec.unit_name(unit);
            let (file, range) = unit_range(spec, &name);
            Diagnostic::new(
                Code::SB030,
                Severity::Warning,
                range,
                format!(
                    "the text of {kind} `{name}` alone is about {tokens} tokens, over the budget of {budget} for its whole context load: split it into smaller {kind}s or move detail to the feature description"
                ),
            )
            .in_file(file)
        })
        .collect()
}
