//! SB007: a scenario name that holds a control character (a NUL byte, ESC,
//! a C1 code). Such a name cannot be shown on a terminal as written, and a
//! NUL cannot be passed to an agent as an argument or in its environment.
//! A tab is whitespace and allowed.

use super::{Code, Diagnostic, Rule, Severity};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    rule.spec
        .scenarios
        .iter()
        .filter_map(|s| {
            let c = s.name.chars().find(|&c| c.is_control() && c != '\t')?;
            let what = if c == '\0' {
                format!("U+{:04X}, a NUL byte", u32::from(c))
            } else {
                format!("U+{:04X}", u32::from(c))
            };
            let message = format!(
                "the scenario name holds a control character ({what}): rename the scenario without it; such a name cannot be shown safely or passed to an agent"
            );
            Some(
                Diagnostic::new(Code::SB007, Severity::Warning, s.name_span.clone(), message)
                    .in_file(s.file),
            )
        })
        .collect()
}
