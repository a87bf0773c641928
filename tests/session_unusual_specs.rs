//! Session commands on unusual specs, end to end with the real binary:
//! scenario names that look like placeholders or hold a NUL byte, and a
//! spec with thousands of scenarios.

use crate::support::repo;

use repo::*;

/// A spec whose scenarios are named `names`, in that order.
fn spec_named(names: &[&str]) -> String {
    let mut text = String::from(
        "# Odd names\n\n## Intent\nNames may hold anything.\n\n## Feature description\nNothing more.\n\n## Scenarios\n\n```gherkin\nFeature: Odd names\n",
    );
    for name in names {
        text.push_str(&format!(
            "  Scenario: {name}\n    Given a name\n    Then it is kept\n\n"
        ));
    }
    text.push_str("```\n\n## Scenario order\n");
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!("{}. {name}\n", i + 1));
    }
    text
}

const ODD_SPEC_PATH: &str = "specs/002-odd/README.md";

#[test]
fn a_scenario_named_like_a_placeholder_is_handed_over_as_written() {
    let config = "[agents]\ndefault = \"coder\"\ncoder = [\"coder\", \"{scenario}\", \"{scenario}:{session}\", \"{spec}\"]\n";
    let dir = repo(Some(config));
    write(
        dir.path(),
        ODD_SPEC_PATH,
        &spec_named(&["{session}", "{context}"]),
    );
    let started = json(dir.path(), &["start", ODD_SPEC_PATH], 0);
    let id = started["sessionId"].as_str().expect("an id");
    assert_eq!(
        started["agentCommand"],
        serde_json::json!([
            "coder",
            "{session}",
            format!("{{session}}:{id}"),
            ODD_SPEC_PATH
        ]),
        "{started}"
    );
}

#[test]
fn an_unknown_placeholder_in_an_agent_command_is_a_configuration_error() {
    let config =
        "[agents]\ndefault = \"coder\"\ncoder = [\"coder\", \"{context}\", \"--unit={unit}\"]\n";
    let dir = repo(Some(config));
    let output = smallbatch(dir.path(), &["start", SPEC_PATH]);
    assert_eq!(code(&output), 2, "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains(".smallbatch/config.toml:3:9:")
            && message.contains("`coder` in [agents]")
            && message.contains("`{unit}`"),
        "{message}"
    );
    assert!(records(dir.path()).is_empty());
}

#[test]
fn a_nul_in_a_scenario_name_is_reported_and_run_says_to_rename_it() {
    let config = "[session]\nrequire_green_to_start = false\n\n[agents]\ndefault = \"scripted\"\nscripted = [\"sh\", \"-c\", \"echo ran\", \"{scenario}\"]\n";
    let dir = repo(Some(config));
    write(dir.path(), ODD_SPEC_PATH, &spec_named(&["Export a\0month"]));

    let output = smallbatch(dir.path(), &["check", "--format", "json", ODD_SPEC_PATH]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["code"], "SB007", "{report}");
    assert_eq!(
        (&diagnostic["line"], &diagnostic["column"]),
        (&13.into(), &13.into()),
        "{report}"
    );
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("NUL")),
        "{report}"
    );

    let output = smallbatch(dir.path(), &["run", ODD_SPEC_PATH, "--format", "json"]);
    assert_eq!(code(&output), 2, "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let message = value["error"]["message"].as_str().expect("a message");
    assert!(
        message.contains("scenario name")
            && message.contains("NUL byte")
            && message.contains("rename"),
        "{message}"
    );
    assert!(!message.contains("[agents]"), "{message}");
    let err = stderr(&output);
    assert!(err.contains("Export a\\u{0}month"), "{err}");

    let status = json(dir.path(), &["status", ODD_SPEC_PATH], 0);
    assert_eq!(status["open"]["status"], "paused", "{status}");
    assert!(
        status["open"]["notes"]
            .as_str()
            .is_some_and(|n| n.contains("NUL byte")),
        "{status}"
    );
}

#[test]
fn status_context_and_start_on_three_thousand_scenarios() {
    let dir = repo(None);
    let names: Vec<String> = (1..=3000).map(|i| format!("Scenario number {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    write(dir.path(), ODD_SPEC_PATH, &spec_named(&names));

    let status = json(dir.path(), &["status", ODD_SPEC_PATH], 0);
    let units = status["units"].as_array().expect("units");
    assert_eq!(units.len(), 3000);
    for (i, unit) in units.iter().enumerate() {
        assert_eq!(unit["name"], names[i], "{unit}");
        assert_eq!(unit["index"], i + 1, "{unit}");
        assert_eq!(unit["of"], 3000, "{unit}");
        assert_eq!(unit["state"], "pending", "{unit}");
    }
    let human = smallbatch(dir.path(), &["status", ODD_SPEC_PATH]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.starts_with(&format!("{ODD_SPEC_PATH} — 0 of 3000 complete\n")),
        "{text}"
    );
    assert!(
        text.ends_with("3000. pending    Scenario number 3000\n"),
        "{text}"
    );

    let preview = json(
        dir.path(),
        &[
            "context",
            ODD_SPEC_PATH,
            "--scenario",
            "Scenario number 2999",
        ],
        0,
    );
    assert_eq!(preview["unit"]["index"], 2999, "{preview}");
    let text = preview["text"].as_str().expect("a text");
    assert!(text.contains("scenario 2999 of 3000"), "{text}");
    assert!(!text.contains("Scenario number 3000"), "{text}");

    let started = json(dir.path(), &["start", ODD_SPEC_PATH], 0);
    assert_eq!(started["unit"]["name"], "Scenario number 1", "{started}");
    assert_eq!(started["unit"]["of"], 3000, "{started}");
    let status = json(dir.path(), &["status", ODD_SPEC_PATH], 0);
    assert_eq!(status["units"][0]["state"], "active");
    assert_eq!(status["units"][1]["state"], "pending");
}
