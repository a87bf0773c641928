//! Plans in the editor: lenses, code actions and hovers on the phases and
//! tasks of a LeanSpec plan, as on scenarios.

use std::fs;
use std::path::PathBuf;

use serde_json::json;

use crate::support::lsp::{TestClient, actions_at, file_uri, lenses};

const PHASES: &str = "---\nstatus: planned\n---\n\n# Phases\n\n## Overview\nSpecs need filters. The list command gets them.\n\n## Design\nFilters are flags.\n\n## Plan\n\n### Phase 1: Parse ✅\n- [ ] Read the flags\n- [ ] Check them\n\n### Phase 2: Filter (1-2 days)\n- [ ] By status\n\n### Phase 3: Document\n- [ ] The README\n";

/// A workspace holding `text` as `specs/042-plan/README.md`, with a git
/// repository: its folder, root and the spec's URI.
fn workspace(text: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical");
    let spec = root.join("specs/042-plan/README.md");
    fs::create_dir_all(spec.parent().unwrap()).expect("folders");
    fs::create_dir_all(root.join(".smallbatch")).expect("folders");
    fs::write(
        root.join(".smallbatch/config.toml"),
        "[session]\nrequire_green_to_start = false\n",
    )
    .expect("config");
    fs::write(&spec, text).expect("the spec");
    crate::support::repo::git(&root, &["init", "-q", "-b", "main"]);
    crate::support::repo::commit(&root, &["specs", ".smallbatch"], "The spec");
    let uri = file_uri(&spec);
    (dir, root, uri)
}

async fn open(root: &std::path::Path, uri: &str, text: &str) -> TestClient {
    let mut client = TestClient::in_process();
    client.initialize(root, &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics(uri, Some(1)).await;
    client
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect(needle) as u32
}

#[tokio::test]
async fn every_phase_has_a_lens_and_start_on_the_second_starts_it() {
    let (_dir, root, uri) = workspace(PHASES);
    let mut client = open(&root, &uri, PHASES).await;
    let (one, two, three) = (
        line_of(PHASES, "### Phase 1"),
        line_of(PHASES, "### Phase 2"),
        line_of(PHASES, "### Phase 3"),
    );
    let found = lenses(&mut client, &uri).await;
    assert_eq!(
        found,
        [
            (
                line_of(PHASES, "# Phases") as u64,
                "0/3 done · 3 phases".to_string()
            ),
            (one as u64, "▶ Start session".to_string()),
            (two as u64, "○ pending · 2 of 3".to_string()),
            (three as u64, "○ pending · 3 of 3".to_string()),
        ]
    );

    // A task line of the second phase belongs to it too.
    let actions = actions_at(&mut client, &uri, line_of(PHASES, "By status"), 4).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    let actions = actions_at(&mut client, &uri, two, 4).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0].0, "Start session (out of order)");
    let command = &actions[0].1;
    assert_eq!(command["arguments"][0]["phase"], "Filter", "{command}");
    assert_eq!(command["arguments"][0]["force"], true, "{command}");
    let started = client
        .request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await
        .expect("the phase starts");
    let context = fs::read_to_string(started["contextFile"].as_str().unwrap()).expect("context");
    assert!(
        context.contains("By status") && !context.contains("Read the flags"),
        "{context}"
    );

    // The record is active on phase 2, and its heading now offers Pause and Complete.
    let status = crate::support::repo::json(&root, &["status", "042"], 0);
    assert_eq!(status["units"][1]["state"], "active", "{status}");
    assert_eq!(status["open"]["unit"]["name"], "Filter", "{status}");
    let mut titles = Vec::new();
    for _ in 0..50 {
        titles = lenses(&mut client, &uri).await;
        if titles
            .iter()
            .any(|(l, t)| *l == two as u64 && t.contains("Pause"))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        titles.contains(&(two as u64, "⏸ Pause".to_string()))
            && titles.contains(&(two as u64, "✓ Complete".to_string())),
        "{titles:?}"
    );
    let actions = actions_at(&mut client, &uri, two, 4).await;
    let names: Vec<&str> = actions.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        names,
        ["Complete session", "Pause session", "Abandon session"]
    );
    // Pause names the unit, not a session phase.
    assert_eq!(
        actions[1].1["arguments"][0]["unit"], "Filter",
        "{:?}",
        actions[1]
    );
    assert!(actions[1].1["arguments"][0].get("phase").is_none());

    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": two, "character": 6}}),
        )
        .await
        .expect("a hover");
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.starts_with("**Phase 2 of 3** “Filter” · 0 of 1 box ticked"),
        "{shown}"
    );
    assert!(shown.contains("active"), "{shown}");
    client
        .shutdown_ignoring(|m| m.get("id").is_none() || m["method"] == "window/showDocument")
        .await;
}

const TASKS: &str = "---\nstatus: planned\n---\n\n# Tasks\n\n## Overview\nWhy.\n\n## Design\nHow.\n\n## Plan\n- [x] Parse the flags\n- [ ] Filter by status\n- [ ] Filter by tag\n";

#[tokio::test]
async fn tasks_have_lenses_and_a_start_action() {
    let (_dir, root, uri) = workspace(TASKS);
    let mut client = open(&root, &uri, TASKS).await;
    let found = lenses(&mut client, &uri).await;
    let (first, second, third) = (
        line_of(TASKS, "Parse the flags") as u64,
        line_of(TASKS, "Filter by status") as u64,
        line_of(TASKS, "Filter by tag") as u64,
    );
    assert_eq!(
        found[1..],
        [
            (first, "✔ done".to_string()),
            (second, "▶ Start session".to_string()),
            (third, "○ pending · 3 of 3".to_string()),
        ]
    );
    assert_eq!(found[0].1, "1/3 done · 3 tasks");
    let actions = actions_at(&mut client, &uri, third as u32, 4).await;
    assert_eq!(actions[0].0, "Start session (out of order)");
    let command = &actions[0].1;
    assert_eq!(
        command["arguments"][0]["task"], "Filter by tag",
        "{command}"
    );
    client
        .request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await
        .expect("the task starts");
    let status = crate::support::repo::json(&root, &["status", "042"], 0);
    assert_eq!(status["open"]["unit"]["name"], "Filter by tag", "{status}");
    assert_eq!(status["open"]["unit"]["kind"], "task", "{status}");
    // With a session record, the task ticked by hand is SB027.
    client
        .take(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m.to_string().contains("SB027")
        })
        .await;
    client
        .shutdown_ignoring(|m| m.get("id").is_none() || m["method"] == "window/showDocument")
        .await;
}

const PLAN_PART: &str = "# Implementation Plan\n\n## Phase 1: Parse\n- [ ] Read the flags\n\n## Phase 2: Filter\n- [ ] By status\n";

#[tokio::test]
async fn a_plan_in_a_sub_spec_file_has_its_lenses_there() {
    let readme = "---\nstatus: planned\n---\n\n# Filters\n\n## Overview\nSpecs need filters.\n\n## Design\nFlags.\n";
    let (_dir, root, uri) = workspace(readme);
    let part = root.join("specs/042-plan/IMPLEMENTATION.md");
    fs::write(&part, PLAN_PART).expect("the plan");
    let part_uri = file_uri(&part);
    let mut client = TestClient::in_process();
    client.initialize(&root, &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": part_uri, "languageId": "markdown", "version": 1, "text": PLAN_PART}}),
        )
        .await;
    client.diagnostics(&part_uri, Some(1)).await;
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": part_uri}}),
        )
        .await
        .expect("code lenses");
    let found: Vec<(u64, &str)> = lenses
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (line_of(PLAN_PART, "Phase 1") as u64, "▶ Start session"),
            (line_of(PLAN_PART, "Phase 2") as u64, "○ pending · 2 of 2"),
        ]
    );
    let start = &lenses[0]["command"];
    assert_eq!(start["arguments"][0]["spec"], json!(uri), "{start}");
    client
        .request(
            "workspace/executeCommand",
            json!({"command": start["command"], "arguments": start["arguments"]}),
        )
        .await
        .expect("the phase starts");
    let status = crate::support::repo::json(&root, &["status", "042"], 0);
    assert_eq!(status["open"]["unit"]["name"], "Parse", "{status}");
    client
        .shutdown_ignoring(|m| m.get("id").is_none() || m["method"] == "window/showDocument")
        .await;
}
