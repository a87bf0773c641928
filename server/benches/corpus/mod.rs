//! The corpora the benchmarks generate: specs of a given shape (front
//! matter, intent, a feature description, a gherkin block, the order, a log)
//! and `.feature` files. Spec `i` depends on spec `i - 1`, by the folder
//! name `{i:04}-feature-{i}` the benchmarks write it under.

#![allow(dead_code)]

use std::fmt::Write as _;

/// How big a generated spec is.
pub struct Shape {
    pub description: usize,
    pub scenarios: usize,
    pub logged: usize,
}

/// About 1 MB.
pub const BIG_SPEC: Shape = Shape {
    description: 200,
    scenarios: 4_300,
    logged: 40,
};

/// LeanSpec-sized: about 200 lines.
pub const SMALL_SPEC: Shape = Shape {
    description: 80,
    scenarios: 8,
    logged: 3,
};

/// A spec: front matter, intent, a feature description, scenarios in a
/// gherkin block, the scenario order and a session log.
pub fn generate_spec(i: usize, shape: &Shape) -> String {
    let depends = if i > 0 {
        format!("[{:04}-feature-{}]", i, i - 1)
    } else {
        "[]".into()
    };
    let mut s = format!(
        "---\nstatus: in-progress\npriority: high\ntags: [area-{}, generated]\ndepends_on: {depends}\ncreated: 2026-11-20\n---\n\n# Feature number {i}\n\n## Intent\nPeople need feature {i} because the current way takes too long. This spec says how it will work.\n\n## Feature description\n",
        i % 7
    );
    for line in 0..shape.description {
        let _ = writeln!(
            s,
            "- Constraint {line}: the module keeps its public API; budget {line} ms for step {line}."
        );
    }
    let _ = writeln!(
        s,
        "\n## Scenarios\n\n```gherkin\nFeature: Feature number {i}"
    );
    for n in 0..shape.scenarios {
        let _ = write!(
            s,
            "\n  @tag{n}\n  Scenario: Behaviour {n} of feature {i}\n    Given a starting state {n}\n    And some data\n      | key | value |\n      | a   | {n}   |\n    When the user acts {n}\n    Then the outcome {n} is visible\n"
        );
    }
    s.push_str("```\n\n## Scenario order\n");
    for n in 0..shape.scenarios {
        let _ = writeln!(s, "{}. Behaviour {n} of feature {i}", n + 1);
    }
    s.push_str("\n## Session log\n");
    for n in 0..shape.logged.min(shape.scenarios) {
        let _ = writeln!(
            s,
            "### Behaviour {n} of feature {i}\nDone in module_{n}.rs; tests in tests/t{n}.rs.\n"
        );
    }
    s
}

/// A `.feature` of `scenarios` scenarios, six lines each (as in the check bench).
pub fn generate_feature(scenarios: usize) -> String {
    let mut s = String::from("Feature: Generated\n");
    for n in 0..scenarios {
        let _ = write!(
            s,
            "\n  Scenario: Behaviour {n}\n    Given a starting state {n}\n    When the user acts {n}\n    Then the outcome {n} is visible\n    And nothing else changes\n"
        );
    }
    s
}
