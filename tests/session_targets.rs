//! What a SPEC argument may name: only a spec of this workspace, one spec
//! per id, each with a session folder of its own — whatever its folder is
//! called — and nothing written outside the workspace.

use std::fs;
use std::path::Path;

use serde_json::json;

use crate::support::lsp;
use crate::support::repo;

use repo::*;

/// Every file under `dir`, with its bytes (`.git` left out).
fn tree(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    files_under(dir)
}

fn refused_without_a_change(dir: &Path, outside: &Path, args: &[&str]) -> String {
    let before = (tree(dir), tree(outside));
    let output = smallbatch(dir, args);
    assert_ne!(code(&output), 0, "{args:?}: {output:?}");
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{args:?}: {message}");
    assert_eq!(
        (tree(dir), tree(outside)),
        before,
        "{args:?} changed a file"
    );
    message
}

/// Scenario 3 of the issue.
#[test]
fn a_file_that_is_not_a_spec_of_the_workspace_is_refused() {
    let dir = repo(None);
    let outside = tempfile::tempdir().expect("a folder outside");
    write(dir.path(), "Cargo.toml", "[package]\nname = \"x\"\n");
    write(
        dir.path(),
        "notes/README.md",
        "# Notes\n\n## Intent\nNot a spec.\n",
    );
    write(
        outside.path(),
        "victim.md",
        &SPEC.replace("status: planned", "kind: spec"),
    );
    let victim = outside.path().join("victim.md");
    let victim_arg = victim.to_string_lossy().into_owned();
    let relative = format!(
        "../{}/victim.md",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    assert!(
        dir.path().join(&relative).exists(),
        "the relative path reaches the victim"
    );
    for spec in [
        "Cargo.toml",
        "notes/README.md",
        victim_arg.as_str(),
        relative.as_str(),
    ] {
        let message = refused_without_a_change(dir.path(), outside.path(), &["start", spec]);
        assert!(message.contains("spec"), "{spec}: {message}");
    }
    let message = refused_without_a_change(dir.path(), outside.path(), &["start", "Cargo.toml"]);
    assert!(message.contains("not a spec"), "{message}");
    assert!(
        message.contains("specs/**/*.md") && message.contains("kind: spec"),
        "{message}"
    );
    let message = refused_without_a_change(dir.path(), outside.path(), &["start", &relative]);
    assert!(message.contains("outside the workspace"), "{message}");

    // A symbolic link in the spec root to a spec outside the workspace.
    std::os::unix::fs::symlink(&victim, dir.path().join("specs/linked.md")).expect("a link");
    let message =
        refused_without_a_change(dir.path(), outside.path(), &["start", "specs/linked.md"]);
    assert!(message.contains("outside the workspace"), "{message}");
    // Committing and completing cannot reach it either.
    for args in [
        &["complete", "Cargo.toml", "--summary", "oops"][..],
        &["pause", relative.as_str(), "--notes", "x"][..],
        &["status", victim_arg.as_str()][..],
    ] {
        refused_without_a_change(dir.path(), outside.path(), args);
    }
}

#[tokio::test]
async fn execute_command_refuses_a_spec_outside_the_workspace() {
    let dir = repo(None);
    let outside = tempfile::tempdir().expect("a folder outside");
    write(
        outside.path(),
        "victim.md",
        &SPEC.replace("status: planned", "kind: spec"),
    );
    let before = tree(outside.path());
    let mut client = lsp::TestClient::spawn(dir.path());
    client.initialize(dir.path(), &[]).await;
    client.ignore(|m| {
        m["method"] == "window/workDoneProgress/create"
            || m["method"] == "$/progress"
            || m["method"] == "client/registerCapability"
    });
    let answer = client
        .request(
            "workspace/executeCommand",
            json!({"command": "smallbatch.start",
                   "arguments": [{"spec": lsp::file_uri(&outside.path().join("victim.md"))}]}),
        )
        .await;
    let error = answer.expect_err("refused");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("outside the workspace")),
        "{error}"
    );
    assert_eq!(tree(outside.path()), before);
    assert!(
        !dir.path()
            .join(".smallbatch/sessions")
            .join("victim")
            .exists()
    );
    client.shutdown().await;
}

fn spec_named(title: &str) -> String {
    SPEC.replace("# Export invoices as CSV", &format!("# {title}"))
}

/// Scenario 4 of the issue.
#[test]
fn specs_with_the_same_folder_name_have_sessions_of_their_own() {
    let dir = repo(None);
    write(
        dir.path(),
        "specs/rate-limit/README.md",
        &spec_named("Rate limit A"),
    );
    write(
        dir.path(),
        "specs/team-b/rate-limit/README.md",
        &spec_named("Rate limit B"),
    );
    commit(dir.path(), &["specs"], "Two rate-limit specs");

    let a = json(dir.path(), &["start", "specs/rate-limit"], 0);
    let b = json(dir.path(), &["start", "specs/team-b/rate-limit"], 0);
    assert_ne!(a["sessionId"], b["sessionId"]);

    let output = smallbatch(dir.path(), &["start", "rate-limit"]);
    assert_ne!(code(&output), 0, "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("several specs"), "{message}");
    assert!(
        message.contains("specs/rate-limit/README.md")
            && message.contains("specs/team-b/rate-limit/README.md"),
        "{message}"
    );

    commit_export(dir.path(), "Export a month with invoices");
    json(
        dir.path(),
        &["complete", "team-b/rate-limit", "--summary", "B's work."],
        0,
    );
    let a_text = fs::read_to_string(dir.path().join("specs/rate-limit/README.md")).unwrap();
    let b_text = fs::read_to_string(dir.path().join("specs/team-b/rate-limit/README.md")).unwrap();
    assert!(b_text.contains("B's work."), "{b_text}");
    assert!(!a_text.contains("B's work."), "{a_text}");
    let a_status = json(dir.path(), &["status", "specs/rate-limit"], 0);
    assert_eq!(a_status["units"][0]["state"], "active", "{a_status}");
    let b_status = json(dir.path(), &["status", "specs/team-b/rate-limit"], 0);
    assert_eq!(b_status["units"][0]["state"], "completed", "{b_status}");
}

#[test]
fn any_folder_name_can_have_sessions() {
    let dir = repo(None);
    let names = ["rate limit", "café", "-dash", ".dot", "x.lock", "x", "50%"];
    for name in names {
        write(
            dir.path(),
            &format!("specs/{name}/README.md"),
            &spec_named(name),
        );
    }
    commit(dir.path(), &["specs"], "Oddly named specs");
    for name in names {
        let started = json(dir.path(), &["start", &format!("specs/{name}")], 0);
        let context = started["contextFile"].as_str().expect("a context file");
        let context = Path::new(context);
        assert!(context.exists(), "{name}: {context:?}");
        let sessions = dir
            .path()
            .join(".smallbatch/sessions")
            .canonicalize()
            .unwrap();
        assert!(
            context.canonicalize().unwrap().starts_with(&sessions),
            "{name}: {context:?}"
        );
        let status = json(dir.path(), &["status", &format!("specs/{name}")], 0);
        assert_eq!(status["units"][0]["state"], "active", "{name}: {status}");
    }
    let all = json(dir.path(), &["sessions"], 0);
    assert_eq!(
        all["sessions"].as_array().map(Vec::len),
        Some(names.len()),
        "{all}"
    );
}

#[test]
fn a_record_of_another_spec_is_refused() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let path = dir
        .path()
        .join(".smallbatch/sessions/001-export")
        .join(format!("{id}.json"));
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("specs/001-export/README.md", "specs/other/README.md"),
    )
    .unwrap();
    let before = snapshot(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let output = smallbatch(dir.path(), &["complete", SPEC_PATH, "--summary", "x"]);
    assert_ne!(code(&output), 0, "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("specs/other/README.md"), "{message}");
    assert!(message.contains(&format!("{id}.json")), "{message}");
    assert_eq!(snapshot(dir.path()), before);
}
