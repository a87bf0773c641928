//! The session commands end to end (issue 4, scenarios 1–5, 7, 9 and 10):
//! the real binary in temporary git repositories made with the `git`
//! command — no mocks.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::support::repo;

use repo::*;

/// Scenario 1.
#[test]
fn start_picks_scenario_one_and_hands_over_only_its_text() {
    let dir = repo(None);
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let started = start(dir.path());
    let id = started["sessionId"].as_str().expect("a session id");
    assert!(id.starts_with("001-export-"), "{id}");
    assert!(started["contextTokens"].as_u64().is_some_and(|t| t > 0));

    let record = record_of(dir.path(), id);
    assert_eq!(record["status"], "active");
    assert_eq!(record["unit"]["name"], "Export a month with invoices");
    assert_eq!(record["unit"]["index"], 1);
    assert_eq!(record["git"]["startCommit"], head.as_str());
    assert_eq!(record["branch"], "main");

    let context_file = started["contextFile"].as_str().expect("a context file");
    let context = fs::read_to_string(context_file).expect("the context file");
    for part in [
        "Accountants re-type every month's invoices by hand.",
        "Rows are streamed: memory stays flat.",
        "Scenario: Export a month with invoices",
        "Then I get a CSV with a header and 3 rows",
    ] {
        assert!(context.contains(part), "{part} in:\n{context}");
    }
    for other in [
        "Export an empty month",
        "When I export the quiet month",
        "Refuse an open month",
        "Then I am told to close it first",
    ] {
        assert!(!context.contains(other), "{other} in:\n{context}");
    }
    assert!(spec_text(dir.path()).starts_with("---\nstatus: in-progress\n---\n"));
}

/// Scenario 2.
#[test]
fn a_second_start_is_refused_naming_the_session_and_changes_nothing() {
    let dir = repo(None);
    let id = start(dir.path())["sessionId"].as_str().map(str::to_string);
    let before = snapshot(dir.path());
    let output = smallbatch(dir.path(), &["start", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains(&id.expect("an id")), "{message}");
    assert_eq!(snapshot(dir.path()), before);
}

/// Scenario 3.
#[test]
fn pause_then_resume_hands_over_notes_next_steps_and_changed_files() {
    let dir = repo(None);
    let id = start_id(dir.path());
    commit_export(dir.path(), "Export a month: the API");
    let paused = json(
        dir.path(),
        &[
            "pause",
            SPEC_PATH,
            "--notes",
            "API done, tests next",
            "--next",
            "write tests",
        ],
        0,
    );
    assert_eq!(paused["status"], "paused");
    assert_eq!(record_of(dir.path(), &id)["status"], "paused");

    let resumed = json(dir.path(), &["resume", "001-export"], 0);
    assert_eq!(resumed["sessionId"], id.as_str());
    let context = fs::read_to_string(resumed["contextFile"].as_str().expect("a file"))
        .expect("the resume context");
    for part in ["API done, tests next", "write tests", "`src/export.rs`"] {
        assert!(context.contains(part), "{part} in:\n{context}");
    }
    assert_eq!(record_of(dir.path(), &id)["status"], "active");
}

/// Scenario 4.
#[test]
fn complete_needs_a_commit_then_logs_a_prefilled_summary() {
    let dir = repo(None);
    let id = start_id(dir.path());
    let output = smallbatch(dir.path(), &["complete", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(stderr(&output).contains("commit"), "{}", stderr(&output));
    assert_eq!(record_of(dir.path(), &id)["status"], "active");

    write(dir.path(), "src/export.rs", "pub fn export() {}\n");
    write(
        dir.path(),
        "tests/export_test.rs",
        "#[test]\nfn three_rows() {}\n",
    );
    let end = commit(
        dir.path(),
        &["src", "tests"],
        "Export a month with invoices",
    );
    let completed = json(dir.path(), &["complete", "001"], 0);
    assert_eq!(completed["endCommit"], end.as_str());

    let record = record_of(dir.path(), &id);
    assert_eq!(record["status"], "completed");
    assert_eq!(record["git"]["endCommit"], end.as_str());
    let files = &record["phases"][0]["filesChanged"];
    assert_eq!(
        files,
        &serde_json::json!(["src/export.rs", "tests/export_test.rs"])
    );

    let spec = spec_text(dir.path());
    let log = spec
        .split("## Session log")
        .nth(1)
        .unwrap_or_else(|| panic!("a session log in:\n{spec}"));
    assert!(log.contains("### Export a month with invoices\n"), "{log}");
    assert!(log.contains(&format!("- Commit: `{}`", &end[..7])), "{log}");
    assert!(log.contains("- Files added: `src/export.rs`"), "{log}");
    assert!(
        log.contains("- Tests added: `tests/export_test.rs`"),
        "{log}"
    );
}

/// Scenario 5.
#[test]
fn after_scenario_one_start_picks_two_and_three_is_out_of_order() {
    let dir = repo(None);
    start(dir.path());
    complete_scenario_one(dir.path(), "Streamed rows.");

    let before = snapshot(dir.path());
    let output = smallbatch(
        dir.path(),
        &["start", SPEC_PATH, "--scenario", "Refuse an open month"],
    );
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("out of order") && message.contains("Export an empty month"),
        "{message}"
    );
    assert_eq!(snapshot(dir.path()), before);

    let started = start(dir.path());
    let id = started["sessionId"].as_str().expect("an id");
    assert_eq!(started["unit"]["name"], "Export an empty month");
    assert_eq!(record_of(dir.path(), id)["unit"]["index"], 2);
    let context =
        fs::read_to_string(started["contextFile"].as_str().expect("a file")).expect("the context");
    assert!(context.contains("Streamed rows."), "{context}");
    assert!(context.contains("`src/export.rs`"), "{context}");
}

/// Scenario 7.
#[test]
fn a_red_pipeline_refuses_complete_and_the_session_stays_active() {
    let config = "[session]\npipeline = [\"sh\", \"-c\", \"echo fine so far; echo broken; exit 1\"]\nrequire_green_to_start = false\n";
    let dir = repo(Some(config));
    let id = start_id(dir.path());
    commit_export(dir.path(), "Export a month with invoices");
    let spec_before = spec_text(dir.path());

    let output = smallbatch(dir.path(), &["complete", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("pipeline `sh -c")
            && message.contains("is red")
            && message.contains("broken"),
        "{message}"
    );
    assert_eq!(record_of(dir.path(), &id)["status"], "active");
    assert_eq!(spec_text(dir.path()), spec_before);
}

/// Scenario 9.
#[test]
fn a_truncated_record_is_reported_by_status_and_left_untouched() {
    let dir = repo(None);
    start(dir.path());
    complete_scenario_one(dir.path(), "Done.");
    let second = start_id(dir.path());

    let first = records(dir.path())
        .into_iter()
        .find(|p| !p.ends_with(format!("{second}.json")))
        .expect("the first record");
    let bytes = fs::read(&first).expect("read");
    let half = bytes[..bytes.len() / 2].to_vec();
    fs::write(&first, &half).expect("truncate");

    let status = json(dir.path(), &["status", SPEC_PATH], 1);
    let name = first
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    let unreadable = status["unreadable"].as_array().expect("a list");
    assert_eq!(unreadable.len(), 1, "{status}");
    assert!(
        unreadable[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(name)),
        "{status}"
    );
    assert_eq!(status["open"]["id"], second.as_str());
    assert_eq!(status["units"][1]["state"], "active");

    let human = smallbatch(dir.path(), &["status", SPEC_PATH]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("SB025") && text.contains(name), "{text}");
    assert_eq!(
        fs::read(&first).expect("read"),
        half,
        "the file is not rewritten"
    );
}

/// Scenario 10.
#[test]
fn eight_starts_at_once_make_exactly_one_session() {
    let dir = repo(None);
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_smallbatch"))
                .args(["start", SPEC_PATH, "--format", "json"])
                .current_dir(dir.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn smallbatch")
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|child| code(&child.wait_with_output().expect("wait")))
        .collect();
    assert_eq!(codes.iter().filter(|&&c| c == 0).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|&c| c == 0 || c == 1), "{codes:?}");
    assert_eq!(records(dir.path()).len(), 1);
}

#[test]
fn context_prints_what_start_would_write_and_writes_nothing() {
    let dir = repo(None);
    let before = snapshot(dir.path());
    let preview = json(dir.path(), &["context", SPEC_PATH], 0);
    assert_eq!(preview["unit"]["name"], "Export a month with invoices");
    assert!(preview["tokens"].as_u64().is_some_and(|t| t > 0));
    assert_eq!(preview["overBudget"], false);
    assert_eq!(snapshot(dir.path()), before, "nothing was written");

    let named = json(
        dir.path(),
        &["context", SPEC_PATH, "--scenario", "Refuse an open month"],
        0,
    );
    let text = named["text"].as_str().expect("the text");
    assert!(text.contains("Then I am told to close it first"), "{text}");
    assert!(!text.contains("When I export that month"), "{text}");

    let started = start(dir.path());
    let written =
        fs::read_to_string(started["contextFile"].as_str().expect("a file")).expect("the context");
    assert_eq!(written, preview["text"].as_str().expect("the text"));
}

#[test]
fn sessions_lists_every_session_newest_first_and_the_open_ones() {
    let dir = repo(None);
    let first = start_id(dir.path());
    complete_scenario_one(dir.path(), "Done.");
    let second = start_id(dir.path());

    let all = json(dir.path(), &["sessions"], 0);
    let ids: Vec<&str> = all["sessions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()]);
    let open = json(dir.path(), &["sessions", "--active", "--spec", "001"], 0);
    assert_eq!(open["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(open["sessions"][0]["id"], second.as_str());
}

#[test]
fn the_spec_becomes_complete_with_its_last_unit() {
    let dir = repo(None);
    for (n, name) in [
        "Export a month with invoices",
        "Export an empty month",
        "Refuse an open month",
    ]
    .iter()
    .enumerate()
    {
        start(dir.path());
        write(dir.path(), &format!("src/step{n}.rs"), "\n");
        commit(dir.path(), &["src"], name);
        let summary = format!("Summary {n}.");
        let done = json(
            dir.path(),
            &["complete", SPEC_PATH, "--summary", &summary],
            0,
        );
        let expected = if n == 2 {
            Value::from("complete")
        } else {
            Value::Null
        };
        assert_eq!(done["specStatus"], expected, "{done}");
    }
    let spec = spec_text(dir.path());
    assert!(spec.starts_with("---\nstatus: complete\n---\n"), "{spec}");
    assert!(
        spec.contains("### Refuse an open month\nSummary 2.\n"),
        "{spec}"
    );
    // The spec is finished now: a start needs --force, and with it there
    // is still no unit left to pick.
    let output = smallbatch(dir.path(), &["start", SPEC_PATH]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(
        stderr(&output).contains("is complete") && stderr(&output).contains("--force"),
        "{}",
        stderr(&output)
    );
    let output = smallbatch(dir.path(), &["start", SPEC_PATH, "--force"]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(
        stderr(&output).contains("every unit"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_spec_cannot_run_and_a_missing_session_is_refused() {
    let dir = repo(None);
    let output = smallbatch(dir.path(), &["start", "no-such-spec"]);
    assert_eq!(code(&output), 2, "{output:?}");
    assert!(stderr(&output).contains("no spec named `no-such-spec`"));
    let output = smallbatch(dir.path(), &["pause", SPEC_PATH, "--notes", "x"]);
    assert_eq!(code(&output), 1, "{output:?}");
    assert!(
        stderr(&output).contains("no open session"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_agent_command_gets_its_placeholders_filled_without_a_shell() {
    let config = "[agents]\ndefault = \"coder\"\ncoder = [\"coder\", \"--read={context}\", \"{scenario}\", \"{spec}\", \"{session}\", \"$HOME\"]\n";
    let dir = repo(Some(config));
    let started = start(dir.path());
    let id = started["sessionId"].as_str().expect("an id");
    let context = started["contextFile"].as_str().expect("a file");
    assert_eq!(
        started["agentCommand"],
        serde_json::json!([
            "coder",
            format!("--read={context}"),
            "Export a month with invoices",
            SPEC_PATH,
            id,
            "$HOME"
        ])
    );
}
