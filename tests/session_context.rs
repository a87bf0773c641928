//! The context load of DESIGN §6 through the public API, on a realistic spec:
//! what the agent is handed holds its own scenario and never the others, fits
//! the budget, and the session's edits of the spec land where they belong.

use smallbatch::session::{
    ContextInput, ContextLoad, DEFAULT_BUDGET, ResumeContext, ResumeInput, SessionRecord, UnitKind,
    UnitOfWork, estimate_tokens, relevant_files, unit_of_work,
};
use smallbatch::spec::{Spec, UnitRef, front_matter_status_edit, log_summary_edit};

/// examples/specs/001-csv-export/README.md
const CSV_EXPORT: &str = r#"---
status: in-progress
priority: high
tags: [billing, export]
created: 2026-11-20
---

# Export invoices as CSV

## Intent
Accountants re-type every month's invoices into their spreadsheets by hand.
Exporting a month as CSV removes that work and its typing errors. They open
the file in any spreadsheet program.

## Feature description
- The export streams rows: memory stays flat whatever the month's size.
- A month of 50,000 invoices exports in under 2 seconds.
- Columns: number, date, customer, net, tax, gross; amounts in cents.
- Only the invoice module is touched; no new dependency.

## Scenarios

```gherkin
Feature: Invoice export
  Scenario: Export a month with invoices
    Given a month with 3 invoices
    When I export that month
    Then I get a CSV with a header and 3 rows

  Scenario: Export an empty month
    Given a month with no invoices
    When I export that month
    Then I get a CSV with only the header row
```

The errors are described in [export errors](features/export_errors.feature).

## Scenario order
1. Export a month with invoices
2. Export an empty month
3. Refuse a month that is still open

## Session log
### Export a month with invoices
Rows are streamed through `csv::Writer` from a database cursor (`export.rs`).
Tests: `tests/export_test.rs` checks the header and three rows.
"#;

/// examples/specs/001-csv-export/features/export_errors.feature
const EXPORT_ERRORS: &str = "Feature: Export errors

  Scenario: Refuse a month that is still open
    Given the current month, which is still open
    When I export that month
    Then I am told to close the month first
    And no file is written
";

fn csv_export() -> Spec {
    let mut spec = Spec::parse(CSV_EXPORT);
    spec.attach_feature(0, Some(EXPORT_ERRORS));
    spec
}

/// The `n`th unit (0-based) in the scenario order.
fn unit(spec: &Spec, n: usize) -> UnitRef {
    spec.units(&[]).swap_remove(n)
}

/// The trimmed lines of a unit's scenario, without blank ones.
fn scenario_lines(spec: &Spec, unit: &UnitRef) -> Vec<String> {
    let UnitRef::Scenario(i) = unit else {
        panic!("a scenario");
    };
    let scenario = &spec.scenarios[*i];
    let text = spec
        .file_text(CSV_EXPORT, scenario.file)
        .expect("the scenario's file");
    text[scenario.full_span.clone()]
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn log_summaries(spec: &Spec) -> Vec<(String, String)> {
    spec.log
        .iter()
        .flat_map(|log| &log.entries)
        .map(|e| (e.heading.text.clone(), e.body.clone()))
        .collect()
}

#[test]
fn scenario_2_of_3_gets_its_own_gherkin_and_nothing_of_the_others() {
    let spec = csv_export();
    let second = unit(&spec, 1);
    let load = ContextLoad::build(&ContextInput::new(&spec, CSV_EXPORT, &second));
    let text = &load.text;

    assert!(text.starts_with(
        "# Export invoices as CSV\n\nThis session implements scenario 2 of 3: “Export an empty month”.\n"
    ));
    assert!(text.contains(
        "## Intent\n\nAccountants re-type every month's invoices into their spreadsheets by hand. \
         Exporting a month as CSV removes that work and its typing errors.\n\n"
    ));
    assert!(!text.contains("any spreadsheet program"));
    assert!(text.contains("- A month of 50,000 invoices exports in under 2 seconds.\n"));
    assert!(text.contains(
        "```gherkin\nScenario: Export an empty month\n  Given a month with no invoices\n  \
         When I export that month\n  Then I get a CSV with only the header row\n```"
    ));

    let own = scenario_lines(&spec, &second);
    for other in [unit(&spec, 0), unit(&spec, 2)] {
        for line in scenario_lines(&spec, &other)
            .iter()
            .filter(|l| !own.contains(l))
        {
            assert!(
                !text.contains(line.as_str()),
                "{line:?} leaked into\n{text}"
            );
        }
    }
}

#[test]
fn the_linked_scenario_comes_from_its_feature_file() {
    let spec = csv_export();
    let third = unit(&spec, 2);
    let load = ContextLoad::build(&ContextInput::new(&spec, CSV_EXPORT, &third));
    assert!(
        load.text
            .contains("scenario 3 of 3: “Refuse a month that is still open”")
    );
    assert!(load.text.contains(
        "```gherkin\nScenario: Refuse a month that is still open\n  \
         Given the current month, which is still open\n  When I export that month\n  \
         Then I am told to close the month first\n  And no file is written\n```"
    ));
    assert!(!load.text.contains("a month with no invoices"));
    assert!(!load.text.contains("a header and 3 rows"));
    let record_unit = unit_of_work(&spec, &third, &[]).expect("a unit");
    assert_eq!(
        record_unit,
        UnitOfWork {
            kind: UnitKind::Scenario,
            name: "Refuse a month that is still open".into(),
            index: 3,
            of: 3
        }
    );
}

#[test]
fn a_normal_spec_loads_well_under_the_default_budget() {
    let spec = csv_export();
    let second = unit(&spec, 1);
    let files = relevant_files(&["src/invoices/export.rs".into()], CSV_EXPORT);
    assert_eq!(
        files,
        [
            "src/invoices/export.rs",
            "export.rs",
            "tests/export_test.rs"
        ]
    );
    let summaries = log_summaries(&spec);
    let input = ContextInput {
        relevant_files: &files,
        summaries: &summaries,
        spec_ref: Some("001"),
        ..ContextInput::new(&spec, CSV_EXPORT, &second)
    };
    let load = ContextLoad::build(&input);
    assert_eq!(load.tokens, estimate_tokens(&load.text));
    assert!(load.tokens < DEFAULT_BUDGET / 2, "{} tokens", load.tokens);
    assert!(!load.over_budget);
    assert!(
        load.text
            .contains("## Relevant files\n\n- `src/invoices/export.rs`\n")
    );
    assert!(load.text.contains(
        "## Completed sessions\n\n### Export a month with invoices\n\
         Rows are streamed through `csv::Writer` from a database cursor (`export.rs`).\n\
         Tests: `tests/export_test.rs` checks the header and three rows.\n"
    ));
    assert!(
        load.text
            .ends_with("with `smallbatch complete 001 --summary \"…\"`.\n")
    );
}

#[test]
fn summaries_collapse_then_go_when_the_budget_is_small() {
    let spec = csv_export();
    let third = unit(&spec, 2);
    let summaries: Vec<(String, String)> = (1..=6)
        .map(|n| {
            (
                format!("Session {n}"),
                format!("Summary {n}.\n{}", "What was done and why. ".repeat(30)),
            )
        })
        .collect();
    let base = ContextInput {
        summaries: &summaries,
        ..ContextInput::new(&spec, CSV_EXPORT, &third)
    };
    let bare = ContextLoad::build(&ContextInput {
        summaries: &[],
        ..base
    });

    let tight = ContextLoad::build(&ContextInput {
        budget: bare.tokens + 500,
        ..base
    });
    assert!(!tight.over_budget);
    assert!(tight.text.contains("### Session 1\nSummary 1. …\n"));
    assert!(
        tight
            .text
            .contains("### Session 6\nSummary 6.\nWhat was done")
    );

    let tiny = ContextLoad::build(&ContextInput {
        budget: bare.tokens + 30,
        ..base
    });
    assert!(!tiny.over_budget);
    assert!(tiny.text.contains("earlier summaries omitted."));
    assert!(!tiny.text.contains("### Session 1\n"));
    assert!(tiny.text.contains("### Session 6\nSummary 6. …\n"));
}

#[test]
fn resume_context_shows_what_changed_since_the_start() {
    let spec = csv_export();
    let second = unit(&spec, 1);
    let at_start = CSV_EXPORT.replace(
        "- Columns: number, date, customer, net, tax, gross; amounts in cents.\n",
        "",
    );
    let mut record = SessionRecord::new(
        "001-csv-export-20261121-002".into(),
        "specs/001-csv-export/README.md".into(),
        unit_of_work(&spec, &second, &[]).expect("a unit"),
        "2026-11-21T10:00:00Z",
    );
    record.notes = Some("Interrupted while writing the empty-month test.".into());
    record.next_steps = vec!["finish tests/export_test.rs".into()];
    let files = ["src/invoices/export.rs".to_string()];
    let resume = ResumeContext::build(&ResumeInput {
        record: &record,
        files_changed: &files,
        spec_at_start: Some(&at_start),
        context: ContextInput::new(&spec, CSV_EXPORT, &second),
    });
    let text = &resume.text;
    assert!(text.contains("## Notes\n\nInterrupted while writing the empty-month test.\n"));
    assert!(text.contains("## Next steps\n\n1. finish tests/export_test.rs\n"));
    assert!(text.contains("## Files changed since the start\n\n- `src/invoices/export.rs`\n"));
    assert!(text.contains(
        "```diff\n@@ -16,4 +16,5 @@\n - The export streams rows: memory stays flat whatever the month's size.\n \
         - A month of 50,000 invoices exports in under 2 seconds.\n\
         +- Columns: number, date, customer, net, tax, gross; amounts in cents.\n \
         - Only the invoice module is touched; no new dependency.\n \n```"
    ), "{text}");
    assert!(text.contains("```gherkin\nScenario: Export an empty month\n"));
    assert!(!text.contains("Then I am told to close the month first"));
}

#[test]
fn completing_writes_the_summary_and_the_status_into_the_spec() {
    let spec = Spec::parse(CSV_EXPORT);
    let edit = log_summary_edit(
        &spec,
        CSV_EXPORT,
        "Export an empty month",
        "An empty month writes the header row only.\nTests: `tests/export_test.rs`.",
    );
    let text = edit.apply(CSV_EXPORT);
    assert!(text.ends_with(
        "checks the header and three rows.\n\n### Export an empty month\n\
         An empty month writes the header row only.\nTests: `tests/export_test.rs`.\n"
    ));
    let spec = Spec::parse(&text);
    let edit = front_matter_status_edit(&spec, &text, "complete", "2026-11-21T10:00:00Z")
        .expect("a change");
    let text = edit.apply(&text);
    assert!(text.starts_with("---\nstatus: complete\npriority: high\n"));

    let spec = Spec::parse(&text);
    assert_eq!(
        log_summaries(&spec)
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["Export a month with invoices", "Export an empty month"]
    );
    assert_eq!(
        front_matter_status_edit(&spec, &text, "complete", "2026-11-21T10:00:00Z"),
        None
    );
}
