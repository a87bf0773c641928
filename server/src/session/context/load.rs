//! The context load of one unit, built from the spec model: the title and
//! the unit's place, the intent, the feature description, the unit's own
//! text, the relevant files, the summaries and the rules of the session.

use std::collections::HashSet;
use std::ops::Range;

use super::feature::{FeatureInput, feature_part};
use super::files::{MAX_FILES, files_part};
use super::prose::{estimate_tokens, summary_sentences};
use super::summaries::{fit_summaries, summaries_part};
use super::{fenced, part};
use crate::session::record::UnitKind;
use crate::spec::{SectionKind, Spec, UnitRef};

/// The default budget of a context load, in estimated tokens.
pub const DEFAULT_BUDGET: usize = crate::spec::DEFAULT_TOKEN_BUDGET;

/// How many sentences of the intent the load keeps.
const INTENT_SENTENCES: usize = 2;

/// What a context load is built from.
#[derive(Debug, Clone, Copy)]
pub struct ContextInput<'a> {
    pub spec: &'a Spec,
    /// The spec's text (linked feature files' texts are in the spec's links).
    pub text: &'a str,
    pub unit: &'a UnitRef,
    /// The configured phases: the units of a spec with neither scenarios nor a plan.
    pub configured_phases: &'a [String],
    /// How commands name the spec (its path or spec-id), for the rules.
    pub spec_ref: Option<&'a str>,
    /// Files changed by earlier sessions of the spec and files named in it
    /// (see [`relevant_files`]).
    pub relevant_files: &'a [String],
    /// (unit name, summary) of the completed sessions, oldest first.
    pub summaries: &'a [(String, String)],
    /// In estimated tokens.
    pub budget: usize,
}

impl<'a> ContextInput<'a> {
    /// The input for `unit` of a spec, with no files, no summaries and the
    /// default budget.
    pub fn new(spec: &'a Spec, text: &'a str, unit: &'a UnitRef) -> ContextInput<'a> {
        ContextInput {
            spec,
            text,
            unit,
            configured_phases: &[],
            spec_ref: None,
            relevant_files: &[],
            summaries: &[],
            budget: DEFAULT_BUDGET,
        }
    }
}

/// The text handed to the agent, with its token estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextLoad {
    /// Markdown.
    pub text: String,
    pub tokens: usize,
    /// Whether the load is over its budget even with everything but the
    /// unit's own text shortened.
    pub over_budget: bool,
    /// What was shortened to fit the budget, one line each.
    pub shortened: Vec<String>,
}

impl ContextLoad {
    /// The context load of a unit, in the order of DESIGN §6, within its
    /// budget. The title, the place, the intent, the unit's own text and
    /// the rules are whole. The feature description is whole when it fits
    /// beside the relevant files and the summaries collapsed, else its
    /// outline with the sub-sections the unit names. Of the summaries of
    /// completed sessions, the latest three are whole and older ones their
    /// first sentence; over the budget the oldest collapse first, then go;
    /// then the relevant files are cut from the end (at most 15 listed).
    pub fn build(input: &ContextInput<'_>) -> ContextLoad {
        let unit = UnitLabel::of(input);
        let head = head_part(input.spec, &unit);
        let intent = intent_part(input.spec, input.text);
        let own = unit_part(input, &unit);
        let rules = rules_part(input.spec_ref, &unit);
        let room = input.budget.saturating_mul(4);
        let chars = |parts: &[&str]| parts.iter().map(|p| p.chars().count()).sum::<usize>();
        let fixed = chars(&[&head, &intent, &own, &rules]);
        let files = files_part(input.relevant_files, MAX_FILES);
        let history = summaries_part(input.summaries, input.summaries.len(), 0);
        // The files and the history collapsed keep at most a quarter of the room.
        let reserve = chars(&[&files, &history]).min(room / 4);
        let unit_text = format!("{}\n{own}", unit.name);
        let others = other_units_tasks(input.spec, input.unit);
        let feature = feature_part(
            &FeatureInput {
                spec: input.spec,
                text: input.text,
                path: input.spec_ref,
                unit_text: &unit_text,
                kind: unit.kind,
                room: room.saturating_sub(fixed + reserve),
            },
            |range| without_lines(&spec_excerpt(input.spec, input.text, range), &others),
        );
        let mut shortened: Vec<String> = feature.shortened.into_iter().collect();
        let before = fixed + feature.text.chars().count();
        let fitted = fit_summaries(
            input.summaries,
            input.budget,
            before + files.chars().count(),
        );
        shortened.extend(fitted.note);
        let mut listed = input.relevant_files.len().min(MAX_FILES);
        let mut files = files;
        while listed > 0 && before + fitted.text.chars().count() + files.chars().count() > room {
            listed -= 1;
            files = files_part(input.relevant_files, listed);
        }
        if listed < input.relevant_files.len().min(MAX_FILES) {
            shortened.push(format!(
                "the relevant files: {listed} of {} listed",
                input.relevant_files.len()
            ));
        }
        let text = [head, intent, feature.text, own, files, fitted.text, rules].concat();
        let tokens = estimate_tokens(&text);
        ContextLoad {
            over_budget: tokens > input.budget,
            tokens,
            text,
            shortened,
        }
    }
}

/// The unit as the load names it.
struct UnitLabel {
    /// "scenario" or "phase".
    kind: &'static str,
    name: String,
    /// "scenario 3 of 7".
    place: String,
}

impl UnitLabel {
    fn of(input: &ContextInput<'_>) -> UnitLabel {
        let kind = UnitKind::of(input.unit).word();
        let name = Some(input.spec.unit_name(input.unit))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "(unknown)".to_string());
        let units = input.spec.units(input.configured_phases);
        let place = match units.iter().position(|u| u == input.unit) {
            Some(i) => format!("{kind} {} of {}", i + 1, units.len()),
            None => format!("a {kind} outside the spec's {} units", units.len()),
        };
        UnitLabel { kind, name, place }
    }
}

fn head_part(spec: &Spec, unit: &UnitLabel) -> String {
    let title = spec
        .title
        .as_ref()
        .map_or("Untitled spec", |t| t.text.as_str());
    format!(
        "# {title}\n\nThis session implements {}: “{}”.\n\n",
        unit.place, unit.name
    )
}

fn intent_part(spec: &Spec, text: &str) -> String {
    let Some(section) = spec.section(SectionKind::Intent) else {
        return String::new();
    };
    let intent = summary_sentences(
        &spec_excerpt(spec, text, section.body_span.clone()),
        INTENT_SENTENCES,
    );
    part("Intent", &intent)
}

/// The unit's own text, whole: the scenario's Gherkin, the phase with its
/// tasks, the task with its nested items.
fn unit_part(input: &ContextInput<'_>, unit: &UnitLabel) -> String {
    let own = input.spec.unit_text(input.text, input.unit);
    match (input.unit, own) {
        (UnitRef::Scenario(_), Some(own)) => part("This scenario", &fenced("gherkin", &own)),
        (UnitRef::PlanPhase(_), Some(own)) => part("This phase", &own),
        (UnitRef::PlanTask(_), Some(own)) => part("This task", &own),
        (UnitRef::ConfiguredPhase(_), _) => part(
            "This phase",
            &format!("The {} phase of the whole spec.", unit.name),
        ),
        (_, None) => String::new(),
    }
}

/// The text of `range` of the spec without comments or scenarios.
fn spec_excerpt(spec: &Spec, text: &str, range: Range<usize>) -> String {
    spec.excerpt(text, range)
}

/// The checkbox items of the plan that belong to other units than `unit`
/// (as written, trimmed): the feature description may repeat them, and the
/// load hands over no other unit's checklist.
fn other_units_tasks<'s>(spec: &'s Spec, unit: &UnitRef) -> HashSet<&'s str> {
    let phases = spec
        .phases
        .iter()
        .enumerate()
        .filter(|(i, _)| unit != &UnitRef::PlanPhase(*i));
    let tasks = spec
        .tasks
        .iter()
        .enumerate()
        .filter(|(i, _)| unit != &UnitRef::PlanTask(*i));
    phases
        .flat_map(|(_, p)| &p.tasks)
        .chain(tasks.map(|(_, t)| t))
        .map(|t| t.name.trim())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The text without the checkbox lines whose item is one of `tasks`.
fn without_lines(text: &str, tasks: &HashSet<&str>) -> String {
    if tasks.is_empty() {
        return text.to_string();
    }
    let is_task = |line: &str| {
        let item = line.trim_start();
        let item = item.strip_prefix(['-', '*', '+']).map(str::trim_start);
        item.and_then(|i| {
            i.strip_prefix("[ ]")
                .or_else(|| i.strip_prefix("[x]"))
                .or_else(|| i.strip_prefix("[X]"))
        })
        .is_some_and(|name| tasks.contains(name.trim()))
    };
    text.lines()
        .filter(|line| !is_task(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rules_part(spec_ref: Option<&str>, unit: &UnitLabel) -> String {
    let (kind, name) = (unit.kind, &unit.name);
    let spec = spec_ref.unwrap_or("SPEC");
    let others = format!("The other {kind}s have sessions of their own.");
    format!(
        "## Rules of this session\n\n\
         - Work on this {kind} only: “{name}”. {others}\n\
         - Keep the earlier {kind}s passing: run the tests before you commit.\n\
         - End with one commit whose message names the {kind} “{name}”.\n\
         - Then write the summary — what changed, in which files, which tests cover it — \
         with `smallbatch complete {spec} --summary \"…\"`.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::context::SPEC;
    use crate::spec::Scenario;
    use crate::units::unit_of_work;

    fn load_of(spec: &Spec, text: &str, unit: &UnitRef) -> ContextLoad {
        ContextLoad::build(&ContextInput::new(spec, text, unit))
    }

    /// The scenario's lines, trimmed, without blank ones.
    fn lines_of(text: &str, scenario: &Scenario) -> Vec<String> {
        text[scenario.full_span.clone()]
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn the_load_of_scenario_2_holds_its_own_gherkin_and_no_other_scenario() {
        let spec = Spec::parse(SPEC);
        let load = load_of(&spec, SPEC, &UnitRef::Scenario(1));
        let text = &load.text;
        assert!(text.contains(
            "## Intent\n\nAccountants re-type invoices by hand, e.g. every month. Exporting removes that work!\n\n"
        ));
        assert!(!text.contains("They open the file anywhere"));
        assert!(text.contains(
            "## Feature description\n\n- Rows are streamed.\n- Only the invoice module changes.\n\n"
        ));
        assert!(!text.contains("hint: constraints"));
        assert!(text.contains(
            "```gherkin\nScenario: Export an empty month\n  Given a month with no invoices\n  When I export the empty month\n  Then I get only the header row\n```"
        ));
        for other in [&spec.scenarios[0], &spec.scenarios[2]] {
            for line in lines_of(SPEC, other) {
                assert!(!text.contains(&line), "{line:?} leaked into\n{text}");
            }
        }
        assert_eq!(load.tokens, text.chars().count().div_ceil(4));
        assert!(!load.over_budget);
    }

    #[test]
    fn the_parts_come_in_the_order_of_the_design() {
        let spec = Spec::parse(SPEC);
        let summaries = [(
            "Export a month with invoices".to_string(),
            "Did it.".to_string(),
        )];
        let files = ["src/export.rs".to_string()];
        let unit = UnitRef::Scenario(1);
        let input = ContextInput {
            summaries: &summaries,
            relevant_files: &files,
            spec_ref: Some("001-csv-export"),
            ..ContextInput::new(&spec, SPEC, &unit)
        };
        let text = ContextLoad::build(&input).text;
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        let order = [
            at("# Export invoices as CSV\n"),
            at("scenario 2 of 3"),
            at("## Intent"),
            at("## Feature description"),
            at("## This scenario"),
            at("## Relevant files\n\n- `src/export.rs`\n"),
            at("## Completed sessions\n\n### Export a month with invoices\nDid it.\n"),
            at("## Rules of this session"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{text}");
        assert!(text.contains("`smallbatch complete 001-csv-export --summary"));
        assert!(
            text.contains("one commit whose message names the scenario “Export an empty month”")
        );
    }

    #[test]
    fn the_place_line_names_the_unit_and_its_place() {
        let spec = Spec::parse(SPEC);
        let load = load_of(&spec, SPEC, &UnitRef::Scenario(2));
        assert!(load.text.starts_with(
            "# Export invoices as CSV\n\nThis session implements scenario 3 of 3: “Refuse an open month”.\n\n"
        ));
        let unit = unit_of_work(&spec, &UnitRef::Scenario(2), &[]).expect("a unit");
        assert_eq!(
            (unit.kind, unit.name.as_str(), unit.index, unit.of),
            (UnitKind::Scenario, "Refuse an open month", 3, 3)
        );
    }

    #[test]
    fn a_linked_file_scenario_is_taken_from_its_file() {
        let text = "# Export\n\n## Scenarios\n\n```gherkin\nFeature: A\n  Scenario: Written here\n    Given a thing written here\n```\n\nSee [errors](features/errors.feature).\n";
        let feature = "Feature: Errors\r\n\r\n  @slow\r\n  Scenario: Refuse an open month\r\n    Given an open month\r\n    Then I am told to close it\r\n";
        let mut spec = Spec::parse(text);
        spec.attach_feature(0, Some(feature));
        let i = spec
            .find_scenario("Refuse an open month")
            .expect("linked scenario");
        let load = load_of(&spec, text, &UnitRef::Scenario(i));
        assert!(load.text.contains("scenario 2 of 2"), "{}", load.text);
        assert!(load.text.contains(
            "```gherkin\n@slow\nScenario: Refuse an open month\n  Given an open month\n  Then I am told to close it\n```"
        ), "{}", load.text);
        assert!(!load.text.contains("a thing written here"));
    }

    #[test]
    fn scenarios_written_outside_the_scenarios_section_are_left_out() {
        let text = "# Export\n\n## Intent\nWhy.\n\n## Feature description\nStreams rows.\n\n```gherkin\nFeature: A\n  Scenario: Stray\n    Given a stray scenario step\n```\n\n## Scenarios\n\n```gherkin\nFeature: B\n  Scenario: Mine\n    Given my own step\n```\n";
        let spec = Spec::parse(text);
        let mine = spec.find_scenario("Mine").expect("a scenario");
        let load = load_of(&spec, text, &UnitRef::Scenario(mine));
        assert!(load.text.contains("Streams rows."));
        assert!(load.text.contains("Given my own step"));
        assert!(!load.text.contains("stray"), "{}", load.text);
    }

    #[test]
    fn a_heading_scenario_is_rebuilt_as_gherkin() {
        let text = "# Export\n\n## Scenarios\n\n### Scenario: Export a month\n* Given a month\n* When I export it\n* Then I get a CSV\n\n### Scenario: Other\n* Given something else\n";
        let spec = Spec::parse(text);
        let load = load_of(&spec, text, &UnitRef::Scenario(0));
        assert!(load.text.contains(
            "```gherkin\nScenario: Export a month\n  Given a month\n  When I export it\n  Then I get a CSV\n```"
        ), "{}", load.text);
        assert!(!load.text.contains("something else"));
    }

    #[test]
    fn a_plan_phase_load_holds_its_section_only() {
        let text = "# Billing plans\n\n## Overview\nPlans are invoiced by hand.\n\n## Plan\n\n### Phase 1: Schema\n- [ ] add the plans table\n\n### Phase 2: Month-end invoicing\n- [ ] one invoice per plan\n\n## Notes\nLater.\n";
        let spec = Spec::parse(text);
        let load = load_of(&spec, text, &UnitRef::PlanPhase(1));
        assert!(load.text.contains("phase 2 of 2: “Month-end invoicing”"));
        assert!(load.text.contains(
            "## This phase\n\n### Phase 2: Month-end invoicing\n- [ ] one invoice per plan\n\n"
        ));
        assert!(!load.text.contains("add the plans table"));
        assert!(!load.text.contains("Later."));
        assert!(load.text.contains("Keep the earlier phases passing"));
    }
}
