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

/// A phase spec whose numbering starts at 0, and a task spec, in a repo.
fn unit_specs() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    write(
        root,
        "specs/001-phases/README.md",
        "---\nstatus: planned\n---\n\n# Phases\n\n## Overview\nPhases are addressed as written.\n\n## Design\nOne step a phase.\n\n## Plan\n\n### Phase 0: Setup ✅\n- [x] Create the crate\n\n### Phase 1: Build (1-2 days)\n- [ ] Write the parser\n\n### Phase 2: Ship\n- [ ] Publish the release\n",
    );
    write(
        root,
        "specs/002-tasks/README.md",
        "---\nstatus: planned\n---\n\n# Tasks\n\n## Overview\nTasks are addressed by place or name.\n\n## Design\nOne task a session.\n\n## Plan\n- [ ] Parse the front matter\n  - [ ] keep unknown keys\n- [ ] Add the `update` command (1-2 days)\n",
    );
    write(
        root,
        ".smallbatch/config.toml",
        "[session]\nrequire_green_to_start = false\n",
    );
    git(root, &["init", "-q", "-b", "main"]);
    commit(root, &["specs", ".smallbatch"], "Specs");
    dir
}

/// `context SPEC ARGS… --format json`: exactly one JSON object on stdout.
fn context_json(root: &Path, spec: &str, args: &[&str]) -> Value {
    let mut all = vec!["context", spec];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let output = smallbatch(root, &all);
    assert_eq!(code(&output), 0, "{all:?}: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut values = serde_json::Deserializer::from_str(&stdout).into_iter::<Value>();
    let value = values
        .next()
        .unwrap_or_else(|| panic!("{all:?} printed no JSON: {stdout:?}"))
        .expect("JSON");
    assert!(values.next().is_none(), "one object only: {stdout}");
    value
}

#[test]
fn context_previews_any_unit_by_number_as_written_place_or_name() {
    let dir = unit_specs();
    let root = dir.path();
    let name = |spec: &str, args: &[&str]| -> String {
        let value = context_json(root, spec, args);
        value["unit"]["name"]
            .as_str()
            .expect("unit name")
            .to_string()
    };
    let phases = "specs/001-phases/README.md";
    assert_eq!(name(phases, &["--phase", "1"]), "Build");
    assert_eq!(name(phases, &["--unit", "0"]), "Setup");
    assert_eq!(name(phases, &["--unit", "3"]), "Ship", "by place");
    assert_eq!(
        name(phases, &["--unit", "Phase 1: Build (1-2 days)"]),
        "Build"
    );
    assert_eq!(name(phases, &["--unit", "phase 2"]), "Ship");
    assert_eq!(name(phases, &["--scenario", "setup ✅"]), "Setup");
    assert_eq!(name(phases, &["--phase", "Setup"]), "Setup");
    let load = context_json(root, phases, &["--unit", "2"]);
    let text = load["text"].as_str().expect("text");
    assert!(text.contains("Publish the release"), "{text}");
    assert!(!text.contains("Write the parser"), "{text}");

    let tasks = "002";
    assert_eq!(name(tasks, &["--task", "2"]), "Add the `update` command");
    assert_eq!(
        name(tasks, &["--unit", "Add the `update` command (1-2 days)"]),
        "Add the `update` command"
    );
    assert_eq!(
        name(tasks, &["--unit", "parse the front matter"]),
        "Parse the front matter"
    );

    let unknown = smallbatch(root, &["context", phases, "--unit", "Nope"]);
    assert_eq!(code(&unknown), 2, "{unknown:?}");
    assert!(stderr(&unknown).contains("`Nope`"), "{}", stderr(&unknown));

    // `start` finds its unit the same way.
    let started = json(root, &["start", phases, "--phase", "1", "--force"], 0);
    assert_eq!(started["unit"]["name"], "Build", "{started}");
}

/// What a LeanSpec reader sees in a spec's plan: its phase headings, each
/// with its checkbox lines, or else its top-level checkbox lines.
#[derive(Debug, Default)]
struct PlanAsWritten {
    /// (heading text, the text of every checkbox line under it).
    phases: Vec<(String, Vec<String>)>,
    /// The number written in each phase heading.
    numbers: Vec<Option<u32>>,
    /// The text of each top-level checkbox line, with its nested ones.
    tasks: Vec<Vec<String>>,
}

/// The plan of a README read line by line, independently of the parser.
fn plan_as_written(text: &str) -> PlanAsWritten {
    const PLANS: [&str; 6] = [
        "plan",
        "implementation plan",
        "refactoring plan",
        "phases",
        "tasks",
        "roadmap",
    ];
    let mut plan = PlanAsWritten::default();
    let (mut in_plan, mut fence, mut seen_plan) = (false, false, false);
    let box_text = |line: &str| -> Option<String> {
        let l = line.trim_start();
        let rest = l.strip_prefix("- [").or_else(|| l.strip_prefix("* ["))?;
        let rest = rest.get(1..)?.strip_prefix(']')?;
        Some(rest.trim().to_string())
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
        }
        if fence {
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            let is_plan = !seen_plan && PLANS.contains(&h.trim().to_ascii_lowercase().as_str());
            in_plan = is_plan;
            seen_plan |= is_plan;
            continue;
        }
        if line.starts_with("# ") {
            in_plan = false;
        }
        if !in_plan {
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            let t = h.trim_start_matches(|c: char| !c.is_alphanumeric());
            let is_phase = t.len() >= 5
                && t[..5].eq_ignore_ascii_case("phase")
                && !t[5..].starts_with(char::is_alphabetic);
            if is_phase {
                plan.phases.push((h.trim().to_string(), Vec::new()));
                let digits: String = t[5..]
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                plan.numbers.push(digits.parse().ok());
            }
            continue;
        }
        let Some(task) = box_text(line) else { continue };
        if task.is_empty() {
            continue;
        }
        if let Some((_, boxes)) = plan.phases.last_mut() {
            boxes.push(task);
        } else if !line.starts_with([' ', '\t']) {
            plan.tasks.push(vec![task]);
        } else if let Some(last) = plan.tasks.last_mut() {
            last.push(task);
        }
    }
    if !plan.phases.is_empty() {
        plan.tasks.clear();
    }
    plan
}

/// The plan of an `IMPLEMENTATION.md` beside a README that has none, when
/// the file is titled as a plan: its `## Phase` headings read as the phases
/// of a `## Plan` section.
fn sub_spec_plan(readme: &Path) -> Option<PlanAsWritten> {
    let text = fs::read_to_string(readme.with_file_name("IMPLEMENTATION.md")).ok()?;
    let first = text.lines().find(|l| l.starts_with("# "))?;
    if !first.to_ascii_lowercase().contains("plan") {
        return None;
    }
    let shifted: String = text
        .lines()
        .map(|l| {
            if l == first {
                "## Plan".to_string()
            } else if let Some(h) = l.strip_prefix("## ") {
                format!("### {h}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some(plan_as_written(&shifted))
}

/// Every README's front matter `status:` set to `planned`, committed.
fn all_planned(root: &Path) -> Vec<PathBuf> {
    let readmes = spec_paths(root);
    for path in &readmes {
        let text = fs::read_to_string(path).expect("read");
        let mut done = false;
        let planned: Vec<String> = text
            .split_inclusive('\n')
            .map(|line| {
                if !done && line.starts_with("status:") {
                    done = true;
                    let end = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
                    format!("status: planned{end}")
                } else {
                    line.to_string()
                }
            })
            .collect();
        fs::write(path, planned.concat()).expect("write");
    }
    commit(root, &["specs"], "Every spec planned");
    readmes
}

/// Scenario 2 of the LeanSpec tree: every unit's load fits the budget and
/// holds its own tasks (its checkbox items) and no other unit's.
#[test]
fn every_unit_of_every_planned_spec_has_a_load_within_budget_holding_its_own_tasks() {
    let dir = corpus_repo();
    let root = dir.path();
    let readmes = all_planned(root);
    assert!(readmes.len() >= 30, "{} specs", readmes.len());
    let configured = [
        "design",
        "implementation",
        "testing",
        "documentation",
        "review",
    ];
    let (mut largest, mut loads, mut failures) = ((0, String::new()), 0, Vec::new());
    for readme in &readmes {
        let rel = readme
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let mut plan = plan_as_written(&fs::read_to_string(readme).expect("read"));
        if plan.phases.is_empty() && plan.tasks.is_empty() {
            plan = sub_spec_plan(readme).unwrap_or(plan);
        }
        let status = json(root, &["status", &rel], 0);
        let units = status["units"].as_array().expect("units");
        let kinds: Vec<&str> = units.iter().map(|u| u["kind"].as_str().unwrap()).collect();
        let names: Vec<&str> = units.iter().map(|u| u["name"].as_str().unwrap()).collect();
        // Each unit's own checkbox lines, as the plan shows them.
        let own: Vec<Vec<String>> = if !plan.phases.is_empty() {
            assert!(kinds.iter().all(|k| *k == "phase"), "{rel}: {kinds:?}");
            assert_eq!(
                units.len(),
                plan.phases.len(),
                "{rel}: {names:?} vs {:?}",
                plan.phases
            );
            plan.phases.iter().map(|(_, boxes)| boxes.clone()).collect()
        } else if !plan.tasks.is_empty() {
            assert!(kinds.iter().all(|k| *k == "task"), "{rel}: {kinds:?}");
            assert_eq!(
                units.len(),
                plan.tasks.len(),
                "{rel}: {names:?} vs {:?}",
                plan.tasks
            );
            plan.tasks.clone()
        } else {
            assert_eq!(names, configured, "{rel}");
            vec![Vec::new(); configured.len()]
        };
        for (i, boxes) in own.iter().enumerate() {
            // `--unit N`: a phase by the number in its heading; one without
            // a number of its own (`Phase 1a`) by its heading; a task by place.
            let n = match plan.numbers.get(i).copied().flatten() {
                Some(n) if plan.numbers.iter().filter(|m| **m == Some(n)).count() == 1 => {
                    n.to_string()
                }
                _ if !plan.phases.is_empty() => plan.phases[i].0.clone(),
                _ => (i + 1).to_string(),
            };
            let load = context_json(root, &rel, &["--unit", &n]);
            loads += 1;
            let text = load["text"].as_str().expect("text");
            let tokens = load["tokens"].as_u64().expect("tokens") as usize;
            assert_eq!(tokens, text.chars().count().div_ceil(4), "{rel} unit {n}");
            if tokens > largest.0 {
                largest = (tokens, format!("{rel} unit {n}"));
            }
            if tokens > 3000 {
                failures.push(format!("{rel} unit {n}: {tokens} tokens"));
            }
            // As checkbox items: the feature description may name a task in
            // its prose, which is not handing over that task.
            let holds = |task: &str| {
                text.lines().any(|line| {
                    let l = line.trim_start();
                    let l = l.strip_prefix("- ").or_else(|| l.strip_prefix("* "));
                    l.and_then(|l| l.get(3..)).is_some_and(|t| t.trim() == task)
                })
            };
            for task in boxes {
                if !holds(task) {
                    failures.push(format!("{rel} unit {n} lacks its task {task:?}"));
                }
            }
            for (j, others) in own.iter().enumerate() {
                for task in others.iter().filter(|t| j != i && !boxes.contains(t)) {
                    if holds(task) {
                        failures.push(format!(
                            "{rel} unit {n} holds unit {}'s task {task:?}",
                            j + 1
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "{loads} loads; the largest: {} tokens ({})",
        largest.0, largest.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A big design is shortened to its outline and the sub-sections the
    // phase names, and `context` says so.
    let spec = "specs/160-ui-tokens-validation-display/README.md";
    let load = context_json(root, spec, &["--phase", "2"]);
    let text = load["text"].as_str().expect("text");
    let shortened = load["shortened"].as_array().expect("shortened");
    assert!(
        shortened
            .iter()
            .any(|s| s.as_str().unwrap().contains("feature description")),
        "{load}"
    );
    assert!(
        text.contains("#### TokenButton Component (Clickable)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("`{spec}` under `## Design`")),
        "a pointer at the whole text: {text}"
    );
    let human = smallbatch(root, &["context", spec, "--phase", "2"]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("\nshortened to fit: the feature description"),
        "{human}"
    );
}

/// Scenario 1's last clauses on the real subset: no SB041 names a float,
/// and what is left is what a LeanSpec user acts on — a reference to a spec
/// the subset does not hold (SB041), and nothing else.
#[test]
fn on_the_subset_only_references_to_missing_specs_are_left() {
    let dir = corpus_repo();
    let by_path = diagnostics_by_path(dir.path());
    let all: Vec<&Value> = by_path.values().flatten().collect();
    assert!(!all.is_empty());
    for d in &all {
        let message = d["message"].as_str().unwrap();
        assert_eq!(d["code"], "SB041", "{d}");
        assert!(!message.contains(".0`"), "a float: {message}");
        // The spec it names is really absent from the subset.
        let named = message.split('`').nth(1).expect("a name");
        let number = named.split('-').next().unwrap();
        let present = fs::read_dir(dir.path().join("specs"))
            .unwrap()
            .flatten()
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{number}-"))
            });
        assert!(!present, "{named} exists: {d}");
    }
}
