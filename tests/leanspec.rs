//! A LeanSpec tree as it is: LeanSpec's own specs (a real subset, MIT, in
//! `tests/corpora/leanspec/`) and fixtures of each of its shapes —
//! sub-spec files, checkbox plans, phases and tasks.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::repo::{code, commit, git, json, smallbatch, stderr, write};

/// The LeanSpec subset, copied into a fresh git repository.
pub fn corpus_repo() -> TempDir {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpora/leanspec/specs");
    assert!(
        corpus.is_dir(),
        "the LeanSpec corpus at {}",
        corpus.display()
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&corpus, &dir.path().join("specs"));
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit(dir.path(), &["specs"], "LeanSpec's specs");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("read the corpus") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// `check --format json`'s diagnostics, by path.
fn diagnostics_by_path(dir: &Path) -> BTreeMap<String, Vec<Value>> {
    let output = smallbatch(dir, &["check", "--format", "json"]);
    assert!(code(&output) <= 1, "check ran: {}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let mut by_path: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        by_path
            .entry(d["path"].as_str().expect("path").to_string())
            .or_default()
            .push(d.clone());
    }
    by_path
}

fn is_readme(path: &str) -> bool {
    path.ends_with("/README.md")
}

#[test]
fn sub_spec_files_and_frozen_md_get_no_diagnostics_of_their_own() {
    let dir = corpus_repo();
    let by_path = diagnostics_by_path(dir.path());
    let parts: Vec<(&String, Vec<&str>)> = by_path
        .iter()
        .filter(|(path, _)| !is_readme(path))
        .map(|(path, ds)| {
            (
                path,
                ds.iter().map(|d| d["code"].as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert!(
        parts.is_empty(),
        "diagnostics on sub-specs or FROZEN.md: {parts:?}"
    );
}

#[test]
fn no_spec_with_a_plan_is_told_it_has_none() {
    let dir = corpus_repo();
    let by_path = diagnostics_by_path(dir.path());
    let mut wrong = Vec::new();
    for (path, ds) in &by_path {
        let text = fs::read_to_string(dir.path().join(path)).expect("read");
        let has_plan = text.lines().any(|l| {
            let l = l.trim().to_ascii_lowercase();
            [
                "## plan",
                "## implementation plan",
                "## refactoring plan",
                "## phases",
                "## tasks",
                "## roadmap",
            ]
            .contains(&l.as_str())
        });
        if has_plan && ds.iter().any(|d| d["code"] == "SB003") {
            wrong.push(path.clone());
        }
    }
    assert!(wrong.is_empty(), "SB003 on specs with a plan: {wrong:?}");
}

#[test]
fn sections_written_in_a_sub_spec_count_for_the_spec() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    write(
        root,
        "specs/018-validation/README.md",
        "---\nstatus: planned\n---\n\n# Validation\n\n## Overview\nSpecs drift from their template. A validator says where.\n\n## Plan\n- [ ] Check the front matter\n",
    );
    write(
        root,
        "specs/018-validation/DESIGN.md",
        "# Validation design\n\nThe rules run over the parsed spec, one file each.\n",
    );
    write(
        root,
        "specs/018-validation/IMPLEMENTATION.md",
        "# Implementation\n\n## Steps\nWrite the rules.\n",
    );
    write(
        root,
        "specs/019-plain/README.md",
        "---\nstatus: planned\n---\n\n# Plain\n\n## Plan\n- [ ] One task\n",
    );
    write(
        root,
        "specs/019-plain/NOTES.md",
        "# Notes\n\n## Why\nBecause.\n",
    );
    git(root, &["init", "-q", "-b", "main"]);
    let by_path = diagnostics_by_path(root);
    let codes = |path: &str| -> Vec<String> {
        by_path
            .get(path)
            .into_iter()
            .flatten()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    // DESIGN.md is 018's feature description; neither part has diagnostics.
    assert_eq!(
        codes("specs/018-validation/README.md"),
        Vec::<String>::new()
    );
    assert!(codes("specs/018-validation/DESIGN.md").is_empty());
    assert!(codes("specs/018-validation/IMPLEMENTATION.md").is_empty());
    // 019 has an intent in its NOTES.md (## Why), and no feature description.
    assert_eq!(codes("specs/019-plain/README.md"), ["SB002"]);
}

#[test]
fn a_markdown_file_at_the_top_of_a_tree_of_spec_folders_is_not_a_spec() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    write(
        root,
        "specs/001-a/README.md",
        "# A\n\n## Overview\nWhy.\n\n## Design\nHow.\n\n## Plan\n- [ ] Do it\n",
    );
    write(
        root,
        "specs/FROZEN.md",
        "# Frozen\n\nDo not add specs here.\n",
    );
    write(
        root,
        "specs/draft.md",
        "---\nstatus: draft\n---\n\n# A draft\n",
    );
    git(root, &["init", "-q", "-b", "main"]);
    let by_path = diagnostics_by_path(root);
    assert!(!by_path.contains_key("specs/FROZEN.md"), "{by_path:?}");
    // With front matter it is a spec, and is told what it lacks.
    assert!(by_path.contains_key("specs/draft.md"), "{by_path:?}");
    let out = smallbatch(root, &["status", "FROZEN"]);
    assert_eq!(code(&out), 2, "{out:?}");
}

#[test]
fn sessions_on_two_implementation_files_belong_to_their_folders() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    for name in ["018-x", "029-y"] {
        write(
            root,
            &format!("specs/{name}/README.md"),
            &format!(
                "---\nstatus: planned\n---\n\n# {name}\n\n## Overview\nWhy {name}.\n\n## Design\nHow.\n\n## Plan\n- [ ] First of {name}\n- [ ] Second of {name}\n"
            ),
        );
        write(
            root,
            &format!("specs/{name}/IMPLEMENTATION.md"),
            "# Implementation\n\nNotes.\n",
        );
    }
    write(
        root,
        ".smallbatch/config.toml",
        "[session]\nrequire_green_to_start = false\n",
    );
    git(root, &["init", "-q", "-b", "main"]);
    commit(root, &["specs", ".smallbatch"], "Specs");
    let first = json(root, &["start", "specs/018-x/IMPLEMENTATION.md"], 0);
    assert!(
        first["sessionId"].as_str().unwrap().starts_with("018-x-"),
        "{first}"
    );
    let second = json(root, &["start", "specs/029-y/IMPLEMENTATION.md"], 0);
    assert!(
        second["sessionId"].as_str().unwrap().starts_with("029-y-"),
        "{second}"
    );
    // A stem shared by several parts names no spec of its own.
    let out = smallbatch(root, &["status", "IMPLEMENTATION"]);
    assert_eq!(code(&out), 2, "{out:?}");
    let status = json(root, &["status", "specs/018-x/IMPLEMENTATION.md"], 0);
    assert_eq!(status["units"][0]["state"], "active", "{status}");
    assert_eq!(status["units"][0]["kind"], "task", "{status}");
}

#[allow(dead_code)]
fn spec_paths(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir.join("specs")).expect("specs") {
        let path = entry.expect("entry").path().join("README.md");
        if path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A git repository holding one LeanSpec-shaped spec at `specs/042-tasks/README.md`.
fn plan_repo(text: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "specs/042-tasks/README.md", text);
    write(
        dir.path(),
        ".smallbatch/config.toml",
        "[session]\nrequire_green_to_start = false\n",
    );
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit(dir.path(), &["specs", ".smallbatch"], "The spec");
    dir
}

const TASK_SPEC: &str = "---\r\nstatus: planned\r\n---\r\n\r\n# Tasks\r\n\r\n## Overview\r\nSpecs need filters. The list command gets them.\r\n\r\n## Design\r\nFilters are flags.\r\n\r\n## Plan\r\n- [x] Parse the flags\r\n- [ ] Filter by status\r\n  - [ ] nested detail\r\n- [ ] Filter by tag\r\n";

#[test]
fn a_completed_task_is_ticked_in_the_same_write_as_its_summary() {
    let dir = plan_repo(TASK_SPEC);
    let root = dir.path();
    let status = json(root, &["status", "042"], 0);
    let states: Vec<&str> = status["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["completed", "pending", "pending"], "{status}");
    let started = json(root, &["start", "042"], 0);
    assert_eq!(started["unit"]["name"], "Filter by status", "{started}");
    assert_eq!(started["unit"]["kind"], "task", "{started}");
    write(root, "src/filter.rs", "pub fn by_status() {}\n");
    commit(root, &["src"], "Filter by status");
    json(
        root,
        &["complete", "042", "--summary", "Status filter added."],
        0,
    );
    let text = fs::read_to_string(root.join("specs/042-tasks/README.md")).expect("spec");
    assert!(text.contains("- [x] Filter by status\r\n"), "{text}");
    // Only the task's own box: its nested detail and the next task stay.
    assert!(text.contains("  - [ ] nested detail\r\n"), "{text}");
    assert!(text.contains("- [ ] Filter by tag"), "{text}");
    assert!(text.contains("Status filter added."), "{text}");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "line endings kept: {text:?}"
    );
}

#[test]
fn a_completed_phase_ticks_every_box_under_its_heading() {
    let spec = "---\nstatus: planned\n---\n\n# Phases\n\n## Overview\nWhy.\n\n## Design\nHow.\n\n## Implementation Plan\n\n### Phase 1: Build ✅\n- [ ] a\n  - [ ] a1\n- [ ] b\n\n### Phase 2: Ship\n- [ ] c\n";
    let dir = plan_repo(spec);
    let root = dir.path();
    let started = json(root, &["start", "042"], 0);
    assert_eq!(started["unit"]["name"], "Build", "{started}");
    assert_eq!(started["unit"]["kind"], "phase", "{started}");
    write(root, "src/build.rs", "pub fn build() {}\n");
    commit(root, &["src"], "Build");
    json(root, &["complete", "042", "--summary", "Built."], 0);
    let text = fs::read_to_string(root.join("specs/042-tasks/README.md")).expect("spec");
    assert!(text.contains("- [x] a\n  - [x] a1\n- [x] b\n"), "{text}");
    assert!(text.contains("- [ ] c\n"), "{text}");
    let status = json(root, &["status", "042"], 0);
    assert_eq!(status["units"][0]["state"], "completed", "{status}");
    assert_eq!(status["units"][1]["state"], "pending", "{status}");
}

#[test]
fn a_plan_in_a_sub_spec_file_is_the_specs_plan() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    write(
        root,
        "specs/018-validation/README.md",
        "---\nstatus: planned\n---\n\n# Validation\n\n## Overview\nSpecs drift from their template. A validator says where.\n\n## Design\nRules over the parsed spec.\n",
    );
    write(
        root,
        "specs/018-validation/IMPLEMENTATION.md",
        "# Implementation Plan\n\n## Phase 1a: Framework (✅ COMPLETE)\n- [x] The rule interface\n\n## Phase 2: Front matter\n- [ ] Required fields\n- [ ] Status values\n\n## Phase 3: Structure\n- [ ] Sections\n",
    );
    write(
        root,
        ".smallbatch/config.toml",
        "[session]\nrequire_green_to_start = false\n",
    );
    git(root, &["init", "-q", "-b", "main"]);
    commit(root, &["specs", ".smallbatch"], "The spec");
    let status = json(root, &["status", "018"], 0);
    let units: Vec<(&str, &str, &str)> = status["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["kind"].as_str().unwrap(),
                u["name"].as_str().unwrap(),
                u["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("phase", "Framework", "completed"),
            ("phase", "Front matter", "pending"),
            ("phase", "Structure", "pending"),
        ],
        "{status}"
    );
    let started = json(root, &["start", "018"], 0);
    assert_eq!(started["unit"]["name"], "Front matter", "{started}");
    let context = fs::read_to_string(started["contextFile"].as_str().unwrap()).expect("context");
    assert!(
        context.contains("Required fields") && !context.contains("Sections"),
        "{context}"
    );
    write(root, "src/fields.rs", "pub fn required() {}\n");
    commit(root, &["src"], "Front matter");
    json(
        root,
        &["complete", "018", "--summary", "Fields checked."],
        0,
    );
    let plan =
        fs::read_to_string(root.join("specs/018-validation/IMPLEMENTATION.md")).expect("plan");
    assert!(
        plan.contains("- [x] Required fields\n- [x] Status values\n"),
        "{plan}"
    );
    assert!(plan.contains("- [ ] Sections\n"), "{plan}");
    let spec = fs::read_to_string(root.join("specs/018-validation/README.md")).expect("spec");
    assert!(spec.contains("Fields checked."), "{spec}");
    // No SB003 (the spec has a plan): only the spec's own SB027, at the
    // box ticked by hand in the sub-spec now that the spec has sessions.
    let by_path = diagnostics_by_path(root);
    let found: Vec<(&str, &str, u64)> = by_path
        .iter()
        .flat_map(|(path, ds)| {
            ds.iter().map(move |d| {
                (
                    path.as_str(),
                    d["code"].as_str().unwrap(),
                    d["line"].as_u64().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(
        found,
        [("specs/018-validation/IMPLEMENTATION.md", "SB027", 4)],
        "{by_path:?}"
    );
}
