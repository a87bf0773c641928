//! Gherkin's keyword tables (`gherkin-languages.json`), parsed once on first
//! use and kept for the life of the process.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::ast::KeywordType;

/// The language of a document that has no `# language:` header.
pub(crate) const DEFAULT_LANGUAGE: &str = "en";

const LANGUAGES_JSON: &str = include_str!("../../../data/gherkin-languages.json");

/// One language's entry as it is written in the JSON file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDialect {
    feature: Vec<String>,
    background: Vec<String>,
    rule: Vec<String>,
    scenario: Vec<String>,
    scenario_outline: Vec<String>,
    examples: Vec<String>,
    given: Vec<String>,
    when: Vec<String>,
    then: Vec<String>,
    and: Vec<String>,
    but: Vec<String>,
}

/// A step keyword with the type Cucumber gives it.
pub(crate) struct StepKeyword {
    pub text: String,
    pub kind: KeywordType,
}

/// The keywords of one language, each list sorted longest first so that a
/// keyword never loses to a shorter keyword that is its prefix.
pub(crate) struct Dialect {
    /// The language code (`en`, `fr`, `en-lol`, …).
    pub code: String,
    pub feature: Vec<String>,
    pub background: Vec<String>,
    pub rule: Vec<String>,
    /// `scenario` followed by `scenarioOutline`.
    pub scenario: Vec<String>,
    pub examples: Vec<String>,
    /// Every step keyword once, longest first.
    pub steps: Vec<StepKeyword>,
}

impl Dialect {
    fn from_raw(code: &str, raw: RawDialect) -> Dialect {
        let typed = [
            (&raw.given, KeywordType::Context),
            (&raw.when, KeywordType::Action),
            (&raw.then, KeywordType::Outcome),
            (&raw.and, KeywordType::Conjunction),
            (&raw.but, KeywordType::Conjunction),
        ];
        // Cucumber's rule: a keyword listed more than once (`* ` is in every
        // list) has no single type.
        let mut steps: Vec<StepKeyword> = Vec::new();
        for (list, kind) in typed {
            for keyword in list {
                match steps.iter_mut().find(|s| s.text == *keyword) {
                    Some(existing) => existing.kind = KeywordType::Unknown,
                    None => steps.push(StepKeyword {
                        text: keyword.clone(),
                        kind,
                    }),
                }
            }
        }
        steps.sort_by_key(|s| std::cmp::Reverse(s.text.chars().count()));
        let mut scenario = raw.scenario;
        scenario.extend(raw.scenario_outline);
        Dialect {
            code: code.to_owned(),
            feature: longest_first(raw.feature),
            background: longest_first(raw.background),
            rule: longest_first(raw.rule),
            scenario: longest_first(scenario),
            examples: longest_first(raw.examples),
            steps,
        }
    }
}

fn longest_first(mut keywords: Vec<String>) -> Vec<String> {
    keywords.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    keywords
}

fn dialects() -> &'static HashMap<String, Dialect> {
    static DIALECTS: OnceLock<HashMap<String, Dialect>> = OnceLock::new();
    DIALECTS.get_or_init(|| {
        // The file is compiled in and checked by the tests; should it ever
        // be malformed the parser degrades to knowing no language at all.
        let raw: HashMap<String, RawDialect> =
            serde_json::from_str(LANGUAGES_JSON).unwrap_or_default();
        raw.into_iter()
            .map(|(code, raw)| {
                let dialect = Dialect::from_raw(&code, raw);
                (code, dialect)
            })
            .collect()
    })
}

/// The keywords of `code`, if Gherkin knows that language.
pub(crate) fn dialect(code: &str) -> Option<&'static Dialect> {
    dialects().get(code)
}

/// English, the default. Falls back to an empty table only if the compiled-in
/// JSON were broken, so that parsing never panics.
pub(crate) fn default_dialect() -> &'static Dialect {
    static EMPTY: OnceLock<Dialect> = OnceLock::new();
    dialect(DEFAULT_LANGUAGE).unwrap_or_else(|| {
        EMPTY.get_or_init(|| Dialect {
            code: DEFAULT_LANGUAGE.to_owned(),
            feature: Vec::new(),
            background: Vec::new(),
            rule: Vec::new(),
            scenario: Vec::new(),
            examples: Vec::new(),
            steps: Vec::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_loads() {
        assert!(dialects().len() >= 70);
        let en = default_dialect();
        assert_eq!(en.code, "en");
        assert!(en.scenario.iter().any(|k| k == "Scenario Outline"));
        let star = en.steps.iter().find(|s| s.text == "* ");
        assert_eq!(star.map(|s| s.kind), Some(KeywordType::Unknown));
    }

    #[test]
    fn step_keywords_are_longest_first() {
        let ht = dialect("ht").expect("Haitian Creole is in the table");
        let le = ht.steps.iter().position(|s| s.text == "Le ");
        let le_sa_a = ht.steps.iter().position(|s| s.text == "Le sa a ");
        assert!(le_sa_a < le);
    }
}
