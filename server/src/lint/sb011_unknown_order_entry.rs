//! SB011: an order entry that names no scenario.

use super::edits::remove_line;
use super::{Code, Diagnostic, Rule, Severity, TextEdit};
use crate::spec::normalize_name;

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let spec = rule.spec;
    let Some(order) = &spec.order else {
        return Vec::new();
    };
    let mut diagnostics = Vec::new();
    for (entry, (_, scenario)) in order.entries.iter().zip(&rule.entries) {
        if scenario.is_some() {
            continue;
        }
        let closest = closest_name(&entry.name, spec.scenarios.iter().map(|s| &*s.name));
        let message = match closest {
            Some(name) => format!(
                "`{}` names no scenario of this spec; did you mean `{name}`?",
                entry.name
            ),
            None => format!(
                "`{}` names no scenario of this spec: use a scenario's exact name or remove the entry",
                entry.name
            ),
        };
        let mut diagnostic = Diagnostic::new(
            Code::SB011,
            Severity::Error,
            entry.name_span.clone(),
            message,
        );
        if let Some(name) = closest {
            diagnostic = diagnostic.with_fix(
                format!("Replace with `{name}`"),
                vec![TextEdit {
                    range: entry.name_span.clone(),
                    new_text: name.to_string(),
                }],
            );
        }
        diagnostics.push(diagnostic.with_fix(
            "Remove the entry",
            vec![remove_line(rule.text, entry.line_span.clone())],
        ));
    }
    diagnostics
}

/// The candidate nearest to `name` by edit distance, when it is near enough
/// to be a likely typo or rewording (a third of the longer name's length).
fn closest_name<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = normalize_name(name).chars().collect();
    candidates
        .filter_map(|c| {
            let other: Vec<char> = normalize_name(c).chars().collect();
            let limit = wanted.len().max(other.len()) / 3 + 1;
            // The distance is at least the difference in length.
            if wanted.len().abs_diff(other.len()) > limit {
                return None;
            }
            let distance = levenshtein(&wanted, &other);
            (distance <= limit).then_some((distance, limit, c))
        })
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, _, c)| c)
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest_name;

    #[test]
    fn closest_name_tolerates_typos_but_not_strangers() {
        let names = ["Export a month with invoices", "Export an empty month"];
        assert_eq!(
            closest_name("Export a month with invoice", names.into_iter()),
            Some("Export a month with invoices")
        );
        assert_eq!(closest_name("Import customers", names.into_iter()), None);
    }
}
