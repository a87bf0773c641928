//! `check` and the server give the same diagnostics, file for file: over
//! every spec of the example workspace and every lint fixture that needs
//! no session records.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::lsp;
use crate::support::repo;

/// (line, code, severity, message) of a diagnostic.
type Seen = (u64, String, String, String);

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What `check --format json` reports, by file (relative to `root`).
fn checked(root: &Path, file: &str) -> Vec<(String, Seen)> {
    let output = repo::smallbatch(root, &["check", file, "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{file}: one JSON object ({e}): {output:?}"));
    let mut seen: Vec<(String, Seen)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                (
                    d["line"].as_u64().unwrap() - 1,
                    d["code"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    seen.sort();
    seen
}

fn severity(number: &Value) -> String {
    match number.as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        Some(3) => "info",
        _ => "hint",
    }
    .to_string()
}

/// What the server publishes for the spec and the files it links.
async fn published(client: &mut lsp::TestClient, root: &Path, file: &str) -> Vec<(String, Seen)> {
    let path = root.join(file);
    let uri = lsp::file_uri(&path);
    let text = fs::read_to_string(&path).unwrap();
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    let mut seen = Vec::new();
    let own = client.diagnostics(&uri, Some(1)).await;
    let mut batches = vec![(uri.clone(), own)];
    // Diagnostics in linked files come on their own URIs.
    for linked in linked_features(&path, &text) {
        let linked_uri = lsp::file_uri(&linked);
        let diagnostics = client.diagnostics(&linked_uri, None).await;
        batches.push((linked_uri, diagnostics));
    }
    for (uri, diagnostics) in batches {
        let shown = uri
            .strip_prefix(&lsp::file_uri(root))
            .unwrap()
            .trim_start_matches('/')
            .to_string();
        for d in diagnostics {
            seen.push((
                shown.clone(),
                (
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["code"].as_str().unwrap().to_string(),
                    severity(&d["severity"]),
                    d["message"].as_str().unwrap().to_string(),
                ),
            ));
        }
    }
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    seen.sort();
    seen
}

/// The existing `.feature` files a spec links to.
fn linked_features(spec: &Path, text: &str) -> Vec<PathBuf> {
    let folder = spec.parent().unwrap();
    let mut found: Vec<PathBuf> = text
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| target.contains(".feature"))
        .map(|target| folder.join(target.split('#').next().unwrap()))
        .filter(|path| path.is_file())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Scenario 3 of the renovation.
#[tokio::test]
async fn check_and_the_server_agree_on_every_example_and_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    copy_tree(&repo_root.join("examples"), &root);
    let fixtures = repo_root.join("tests/fixtures/lint");
    let mut files: Vec<String> = Vec::new();
    for entry in fs::read_dir(root.join("specs")).unwrap().flatten() {
        files.push(format!(
            "specs/{}/README.md",
            entry.file_name().to_string_lossy()
        ));
    }
    copy_tree(&fixtures.join("features"), &root.join("specs/features"));
    for entry in fs::read_dir(&fixtures).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        if fixtures.join(format!("{stem}.sessions.json")).exists() {
            continue; // its session facts are made up, not records
        }
        fs::copy(entry.path(), root.join("specs").join(&name)).unwrap();
        files.push(format!("specs/{name}"));
    }
    files.sort();
    assert!(files.len() > 20, "{files:?}");
    let mut client = lsp::TestClient::spawn(&root);
    client.initialize(&root, &[]).await;
    let mut differ: Vec<PathBuf> = Vec::new();
    let mut compared = 0;
    for file in &files {
        let from_check = checked(&root, file);
        let from_server = published(&mut client, &root, file).await;
        compared += from_check.len();
        if from_check != from_server {
            eprintln!("{file}:\n  check:  {from_check:?}\n  server: {from_server:?}");
            differ.push(file.into());
        }
    }
    assert!(
        differ.is_empty(),
        "check and the server disagree on {differ:?}"
    );
    assert!(compared > 30, "only {compared} diagnostics compared");
    // What closing the documents re-published is not this test's subject.
    client
        .drain(
            |m| m["method"] == "textDocument/publishDiagnostics",
            std::time::Duration::from_millis(500),
        )
        .await;
    client.ignore(|_| true);
    client.shutdown().await;
}
