//! SB040: front matter that is malformed YAML, or has an unknown status or
//! priority, or a bad date.

use serde_json::Value;

use super::{Code, Diagnostic, Rule, Severity};

const STATUSES: [&str; 5] = ["draft", "planned", "in-progress", "complete", "archived"];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const DATE_KEYS: [&str; 4] = ["created", "updated", "completed", "due"];

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    let Some(front_matter) = &rule.spec.front_matter else {
        return Vec::new();
    };
    let mut diagnostics: Vec<Diagnostic> = front_matter
        .errors
        .iter()
        .map(|e| {
            Diagnostic::new(
                Code::SB040,
                Severity::Warning,
                e.span.clone(),
                e.message.clone(),
            )
        })
        .collect();
    let mut enumerated = |key: &str, allowed: &[&str]| {
        let Some(value) = front_matter.values.get(key) else {
            return;
        };
        if value.as_str().is_some_and(|v| allowed.contains(&v)) {
            return;
        }
        diagnostics.push(Diagnostic::new(
            Code::SB040,
            Severity::Warning,
            front_matter.key_span(key),
            format!(
                "unknown {key} {}: use one of {}",
                show(value),
                allowed.join(", ")
            ),
        ));
    };
    enumerated("status", &STATUSES);
    enumerated("priority", &PRIORITIES);
    for key in DATE_KEYS {
        let Some(value) = front_matter.values.get(key) else {
            continue;
        };
        if value.as_str().is_some_and(is_date) {
            continue;
        }
        diagnostics.push(Diagnostic::new(
            Code::SB040,
            Severity::Warning,
            front_matter.key_span(key),
            format!(
                "{key} {} is not a date: write it as YYYY-MM-DD",
                show(value)
            ),
        ));
    }
    diagnostics
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        Value::Null => "(empty)".to_string(),
        other => format!("`{other}`"),
    }
}

/// `YYYY-MM-DD`, optionally followed by an ISO 8601 time (`T…` or ` …`),
/// naming a real day.
fn is_date(value: &str) -> bool {
    let value = value.trim();
    let date = value.get(..10).unwrap_or(value);
    let rest = &value[date.len()..];
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return false;
    }
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates_must_name_real_days() {
        assert!(is_date("2026-11-20"));
        assert!(is_date("2024-02-29"));
        assert!(is_date("2026-11-20T10:00:00Z"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("20-11-2026"));
        assert!(!is_date("yesterday"));
    }
}
