//! SB004: a Gherkin syntax error, one diagnostic per error, in the file
//! (spec or linked feature) where it is.

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    rule.spec
        .gherkin_errors
        .iter()
        .map(|error| {
            Diagnostic::new(
                Code::SB004,
                Severity::Error,
                error.span.clone(),
                message(&error.message),
            )
            .in_file(error.file)
        })
        .collect()
}

/// The message for a Gherkin parse error.
pub fn message(parser_message: &str) -> String {
    format!("invalid Gherkin: {parser_message}")
}
