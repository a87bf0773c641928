//! `depends_on` and `parent` are read as written: a zero-padded number
//! (`049`) names spec `049-…`, never the float `49.0`, and SB041's range is
//! the reference itself.

use crate::support::repo;

use serde_json::Value;

const BODY: &str = "# Bar

## Intent
Why.

## Feature description
How.

## Scenarios

### Scenario: One
* Given a start
* Then an end
";

fn spec(front_matter: &str) -> String {
    format!("---\nstatus: planned\n{front_matter}---\n\n{BODY}")
}

/// `check --format json` of a tree holding `049-foo` and `050-bar` (with
/// `front_matter`): the SB041 diagnostics on `050-bar`.
fn unknown_references(front_matter: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temporary folder");
    repo::write(dir.path(), "specs/049-foo/README.md", &spec(""));
    repo::write(dir.path(), "specs/050-bar/README.md", &spec(front_matter));
    let output = repo::smallbatch(dir.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| d["code"] == "SB041")
        .cloned()
        .collect()
}

/// (line, column, endLine, endColumn) of a diagnostic.
fn range(d: &Value) -> (u64, u64, u64, u64) {
    let n = |key: &str| d[key].as_u64().expect("a number");
    (n("line"), n("column"), n("endLine"), n("endColumn"))
}

#[test]
fn a_zero_padded_number_names_its_spec() {
    for front_matter in [
        "depends_on: [049]\n",
        "depends_on:\n  - 049\n",
        "parent: 049\n",
        "depends_on: 049\n",
        "depends_on: ['049']\n",
    ] {
        let found = unknown_references(front_matter);
        assert!(found.is_empty(), "{front_matter}: {found:?}");
    }
}

#[test]
fn an_unknown_zero_padded_number_is_named_as_written_at_its_place() {
    let found = unknown_references("depends_on: [049, 048]\n");
    assert_eq!(found.len(), 1, "{found:?}");
    let message = found[0]["message"].as_str().expect("a message");
    assert!(message.contains("`048`"), "{message}");
    assert!(!message.contains("48.0"), "{message}");
    // Line 3 is `depends_on: [049, 048]`: `048` is columns 19 to 21.
    assert_eq!(range(&found[0]), (3, 19, 3, 22));

    let found = unknown_references("depends_on:\n  - 049\n  - 048 # later\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]["message"].as_str().unwrap().contains("`048`"));
    assert_eq!(range(&found[0]), (5, 5, 5, 8));

    let found = unknown_references("parent: 007\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]["message"].as_str().unwrap().contains("`007`"));
    assert_eq!(range(&found[0]), (3, 9, 3, 12));
}
