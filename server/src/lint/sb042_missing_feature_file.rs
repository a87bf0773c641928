//! SB042: a linked `.feature` file does not exist.

use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::LinkState;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    rule.spec
        .feature_links
        .iter()
        .filter(|link| link.state == LinkState::Missing)
        .map(|link| {
            Diagnostic::new(
                Code::SB042,
                Severity::Error,
                link.span.clone(),
                format!(
                    "the linked feature file `{}` does not exist: fix the path (it is relative to the spec's folder) or create the file",
                    link.target
                ),
            )
        })
        .collect()
}
