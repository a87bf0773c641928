//! SB041: `depends_on` or `parent` names a spec that does not exist.

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(front_matter) = &rule.spec.front_matter else {
        return Vec::new();
    };
    let mut diagnostics = Vec::new();
    for key in ["depends_on", "parent"] {
        for (reference, range) in front_matter.references(rule.text, key) {
            if reference.trim().is_empty() || rule.ctx.knows_spec(&reference) {
                continue;
            }
            diagnostics.push(Diagnostic::new(
                Code::SB041,
                Severity::Warning,
                range,
                format!("{key} names `{reference}`, but no spec has that name or number: fix the reference or create the spec"),
            ));
        }
    }
    diagnostics
}
