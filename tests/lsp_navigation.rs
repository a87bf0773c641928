//! Navigating a spec over the protocol: definition, references, rename,
//! completion and hover, between scenarios (in the spec or in a linked
//! `.feature` file), order entries and log headings.

use crate::support::lsp;

use std::collections::BTreeSet;
use std::fs;

use lsp::{TestClient, apply, file_uri};
use serde_json::{Value, json};
use tempfile::TempDir;

const SPEC: &str = "# Export 📄 invoices

## Intent
Accountants re-type invoices. Export a month is where it starts.

## Feature description
Streams rows.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month with invoices
    Then a CSV with one row per invoice

  Scenario: Export an empty 🗓 month
    Given a month without invoices
    Then only the header
```

Also linked: [export errors](features/errors.feature)

## Scenario order
1. Export a month
2. Export an empty 🗓 month
3. The disk is full

## Session log
### Export a month
Wrote the exporter: Export a month streams rows.
";

const FEATURE: &str = "Feature: Export errors

  Scenario: The disk is full
    Given a full disk
    When I export a month
    Then I see \"disk full\"
";

/// A workspace holding the spec (as `text`) and its linked feature file.
struct Workspace {
    dir: TempDir,
    spec_uri: String,
    feature_uri: String,
}

fn workspace(text: &str) -> Workspace {
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = dir.path().join("specs/export");
    fs::create_dir_all(folder.join("features")).expect("folders");
    fs::write(folder.join("README.md"), text).expect("write the spec");
    fs::write(folder.join("features/errors.feature"), FEATURE).expect("write the feature");
    let folder = folder.canonicalize().expect("canonical");
    Workspace {
        spec_uri: file_uri(&folder.join("README.md")),
        feature_uri: file_uri(&folder.join("features/errors.feature")),
        dir,
    }
}

/// A client (UTF-16) with `text` open as the spec, its first diagnostics
/// (and its linked file's) read.
async fn open(text: &str) -> (Workspace, TestClient) {
    let ws = workspace(text);
    let mut client = TestClient::in_process();
    client.initialize(ws.dir.path(), &["utf-16"]).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": ws.spec_uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics(&ws.spec_uri, Some(1)).await;
    if text.contains("(features/errors.feature)") {
        client.diagnostics(&ws.feature_uri, None).await;
    }
    (ws, client)
}

/// Shuts down, dropping the diagnostics this suite does not assert on.
async fn close(mut client: TestClient) {
    client.ignore(|m| m["method"] == "textDocument/publishDiagnostics");
    client.shutdown().await;
}

/// The UTF-16 position of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The position of the `|` in `needle` (a piece of `text` with a `|` added).
fn cursor(text: &str, needle: &str) -> Value {
    let found = text
        .find(&needle.replace('|', ""))
        .unwrap_or_else(|| panic!("{needle:?} is in the text"));
    position(text, found + needle.find('|').expect("a | in the needle"))
}

/// The range of `name` inside the first occurrence of `context` in `text`.
fn range(text: &str, context: &str, name: &str) -> Value {
    let at = text
        .find(context)
        .unwrap_or_else(|| panic!("{context:?} is in the text"));
    let start = at + context.find(name).expect("the name is in its context");
    json!({"start": position(text, start), "end": position(text, start + name.len())})
}

fn at(uri: &str, text: &str, needle: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": cursor(text, needle)})
}

fn location(uri: &str, range: Value) -> Value {
    json!({"uri": uri, "range": range})
}

// Given an order entry, when the client asks for the definition, then it
// gets the scenario's range (also when the scenario is in a linked .feature file).
#[tokio::test]
async fn the_definition_of_an_order_entry_is_its_scenario() {
    let (ws, mut client) = open(SPEC).await;
    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "1. Export a |month"),
        )
        .await
        .expect("a definition");
    let scenario = range(SPEC, "Scenario: Export a month\n", "Export a month");
    assert_eq!(found, location(&ws.spec_uri, scenario.clone()));

    // The emoji before the cursor counts two UTF-16 units.
    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "2. Export an empty 🗓 mo|nth"),
        )
        .await
        .expect("a definition");
    let empty = range(
        SPEC,
        "Scenario: Export an empty 🗓 month",
        "Export an empty 🗓 month",
    );
    assert_eq!(found, location(&ws.spec_uri, empty));

    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "3. The disk| is full"),
        )
        .await
        .expect("a definition");
    let linked = range(FEATURE, "Scenario: The disk is full", "The disk is full");
    assert_eq!(found, location(&ws.feature_uri, linked));

    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "### |Export a month"),
        )
        .await
        .expect("a definition");
    assert_eq!(
        found,
        location(&ws.spec_uri, scenario),
        "a log heading leads to its scenario too"
    );
    close(client).await;
}

#[tokio::test]
async fn the_definition_of_a_scenario_is_its_order_entry_and_log_heading() {
    let (ws, mut client) = open(SPEC).await;
    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "Scenario: Export| a month"),
        )
        .await
        .expect("a definition");
    assert_eq!(
        found,
        json!([
            location(
                &ws.spec_uri,
                range(SPEC, "1. Export a month", "Export a month")
            ),
            location(
                &ws.spec_uri,
                range(SPEC, "### Export a month", "Export a month")
            ),
        ])
    );
    let nothing = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "Given a month |with"),
        )
        .await
        .expect("an answer");
    assert_eq!(nothing, Value::Null);
    close(client).await;
}

#[tokio::test]
async fn the_definition_of_a_feature_link_is_the_file() {
    let (ws, mut client) = open(SPEC).await;
    let found = client
        .request(
            "textDocument/definition",
            at(&ws.spec_uri, SPEC, "[export |errors]"),
        )
        .await
        .expect("a definition");
    let start = json!({"line": 0, "character": 0});
    assert_eq!(
        found,
        location(&ws.feature_uri, json!({"start": start, "end": start}))
    );
    close(client).await;
}

#[tokio::test]
async fn references_are_the_scenario_its_order_entry_and_its_log_heading() {
    let (ws, mut client) = open(SPEC).await;
    let expected = [
        location(
            &ws.spec_uri,
            range(SPEC, "Scenario: Export a month\n", "Export a month"),
        ),
        location(
            &ws.spec_uri,
            range(SPEC, "1. Export a month", "Export a month"),
        ),
        location(
            &ws.spec_uri,
            range(SPEC, "### Export a month", "Export a month"),
        ),
    ];
    for needle in [
        "Scenario: Export a |month",
        "1. |Export a month",
        "### Export a month|",
    ] {
        let mut params = at(&ws.spec_uri, SPEC, needle);
        params["context"] = json!({"includeDeclaration": true});
        let found = client
            .request("textDocument/references", params.clone())
            .await
            .expect("references");
        assert_eq!(found, json!(expected), "from {needle:?}");
        params["context"] = json!({"includeDeclaration": false});
        let found = client
            .request("textDocument/references", params)
            .await
            .expect("references");
        assert_eq!(
            found,
            json!(expected[1..]),
            "from {needle:?}, no declaration"
        );
    }
    close(client).await;
}

// Given a scenario, when the client renames it, then the edit changes the
// scenario, its order entry and its log heading, and nothing else.
#[tokio::test]
async fn renaming_a_scenario_changes_its_name_its_order_entry_and_its_log_heading_only() {
    let (ws, mut client) = open(SPEC).await;
    let prepared = client
        .request(
            "textDocument/prepareRename",
            at(&ws.spec_uri, SPEC, "Scenario: Export a mon|th"),
        )
        .await
        .expect("a rename is possible");
    let scenario = range(SPEC, "Scenario: Export a month\n", "Export a month");
    assert_eq!(
        prepared,
        json!({"range": scenario, "placeholder": "Export a month"})
    );

    let mut params = at(&ws.spec_uri, SPEC, "Scenario: Export a mon|th");
    params["newName"] = json!("Export one month");
    let edit = client
        .request("textDocument/rename", params)
        .await
        .expect("a rename");
    let changes = edit["documentChanges"]
        .as_array()
        .expect("document changes");
    assert_eq!(changes.len(), 1, "only the spec changes: {edit:#}");
    assert_eq!(
        changes[0]["textDocument"],
        json!({"uri": ws.spec_uri, "version": 1})
    );
    let edits = changes[0]["edits"].as_array().expect("edits");
    let replace = |range: Value| json!({"range": range, "newText": "Export one month"});
    let expected: BTreeSet<String> = [
        replace(scenario),
        replace(range(SPEC, "1. Export a month", "Export a month")),
        replace(range(SPEC, "### Export a month", "Export a month")),
    ]
    .iter()
    .map(Value::to_string)
    .collect();
    let actual: BTreeSet<String> = edits.iter().map(Value::to_string).collect();
    assert_eq!(actual, expected);
    assert_eq!(edits.len(), 3);

    let renamed = SPEC
        .replace("Scenario: Export a month", "Scenario: Export one month")
        .replace("1. Export a month", "1. Export one month")
        .replace("### Export a month", "### Export one month");
    assert_eq!(apply(SPEC, edits), renamed);
    // The prose that happens to say the name is left alone.
    assert!(renamed.contains("Export a month is where it starts."));
    assert!(renamed.contains("Wrote the exporter: Export a month streams rows."));
    close(client).await;
}

#[tokio::test]
async fn renaming_a_linked_scenario_edits_the_feature_file_unversioned() {
    let (ws, mut client) = open(SPEC).await;
    let mut params = at(&ws.spec_uri, SPEC, "3. The disk is |full");
    params["newName"] = json!("The disk fills up");
    let edit = client
        .request("textDocument/rename", params)
        .await
        .expect("a rename");
    let new_text = |range: Value| json!([{"range": range, "newText": "The disk fills up"}]);
    assert_eq!(
        edit["documentChanges"],
        json!([
            {"textDocument": {"uri": ws.spec_uri, "version": 1},
             "edits": new_text(range(SPEC, "3. The disk is full", "The disk is full"))},
            {"textDocument": {"uri": ws.feature_uri, "version": null},
             "edits": new_text(range(FEATURE, "Scenario: The disk is full", "The disk is full"))},
        ])
    );
    close(client).await;
}

#[tokio::test]
async fn rename_refuses_empty_multiline_and_taken_names() {
    let (ws, mut client) = open(SPEC).await;
    for (new_name, says) in [
        ("  ", "needs a name"),
        ("Export\na month", "line break"),
        (
            "export AN empty 🗓 month",
            "already named `Export an empty 🗓 month`",
        ),
    ] {
        let mut params = at(&ws.spec_uri, SPEC, "1. Export a |month");
        params["newName"] = json!(new_name);
        let error = client
            .request("textDocument/rename", params)
            .await
            .expect_err("a refusal");
        let message = error["message"].as_str().expect("a message");
        assert!(message.contains(says), "{new_name:?}: {message}");
    }
    let nowhere = client
        .request(
            "textDocument/prepareRename",
            at(&ws.spec_uri, SPEC, "Streams |rows"),
        )
        .await
        .expect("an answer");
    assert_eq!(nowhere, Value::Null);
    close(client).await;
}

/// The labels of a completion list, by their sort text, and the edits.
fn completion_items(list: &Value) -> Vec<(String, Value)> {
    let mut items: Vec<&Value> = list.as_array().expect("a list").iter().collect();
    items.sort_by_key(|i| i["sortText"].as_str().map(str::to_string));
    items
        .iter()
        .map(|i| {
            (
                i["label"].as_str().expect("label").to_string(),
                i["textEdit"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn completion_in_the_order_offers_the_unlisted_scenarios_first() {
    let text = SPEC.replace("2. Export an empty 🗓 month\n", "2. Exp\n");
    let (ws, mut client) = open(&text).await;
    let list = client
        .request(
            "textDocument/completion",
            at(&ws.spec_uri, &text, "2. Exp|"),
        )
        .await
        .expect("completion");
    let items = completion_items(&list);
    let labels: Vec<&str> = items.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Export an empty 🗓 month",
            "Export a month",
            "The disk is full"
        ]
    );
    assert_eq!(
        items[0].1,
        json!({"range": range(&text, "2. Exp\n", "Exp"), "newText": "Export an empty 🗓 month"})
    );
    close(client).await;
}

#[tokio::test]
async fn completion_in_the_log_offers_the_scenarios_without_an_entry_first() {
    let text = format!("{SPEC}\n### \n");
    let (ws, mut client) = open(&text).await;
    let list = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": ws.spec_uri}, "position": position(&text, text.len() - 1)}),
        )
        .await
        .expect("completion");
    let labels: Vec<String> = completion_items(&list)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(
        labels,
        [
            "Export an empty 🗓 month",
            "The disk is full",
            "Export a month"
        ]
    );
    close(client).await;
}

#[tokio::test]
async fn completion_on_a_level_two_line_offers_the_missing_sections() {
    let text = "# Export\n\n## Intent\nWhy.\n\n## Sc\n";
    let (ws, mut client) = open(text).await;
    let list = client
        .request("textDocument/completion", at(&ws.spec_uri, text, "## Sc|"))
        .await
        .expect("completion");
    let items = completion_items(&list);
    let labels: Vec<&str> = items.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Feature description",
            "Scenarios",
            "Scenario order",
            "Session log"
        ]
    );
    assert_eq!(
        items[1].1,
        json!({"range": range(text, "## Sc", "## Sc"), "newText": "## Scenarios"})
    );
    close(client).await;
}

#[tokio::test]
async fn hover_on_an_order_entry_shows_the_scenario() {
    let (ws, mut client) = open(SPEC).await;
    let hover = client
        .request(
            "textDocument/hover",
            at(&ws.spec_uri, SPEC, "1. Export| a month"),
        )
        .await
        .expect("a hover");
    assert_eq!(
        hover,
        json!({
            "contents": {"kind": "markdown", "value": "```gherkin\nScenario: Export a month\n  Given a month with invoices\n  Then a CSV with one row per invoice\n```"},
            "range": range(SPEC, "1. Export a month", "Export a month"),
        })
    );
    let hover = client
        .request("textDocument/hover", at(&ws.spec_uri, SPEC, "3. |The disk"))
        .await
        .expect("a hover");
    let value = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        value.starts_with("```gherkin\nScenario: The disk is full\n  Given a full disk\n")
            && value.ends_with("from `features/errors.feature`"),
        "{value}"
    );
    close(client).await;
}

#[tokio::test]
async fn hover_on_a_scenario_says_where_it_is_in_the_order_and_the_log() {
    let (ws, mut client) = open(SPEC).await;
    let hover = client
        .request(
            "textDocument/hover",
            at(&ws.spec_uri, SPEC, "Scenario: Export an |empty"),
        )
        .await
        .expect("a hover");
    let value = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        value.ends_with("```\n\n2nd of 3 in the order · no Session log entry"),
        "{value}"
    );
    let text = SPEC.replace("1. Export a month\n", "");
    let (ws, mut other) = open(&text).await;
    let hover = other
        .request(
            "textDocument/hover",
            at(&ws.spec_uri, &text, "Scenario: Export a |month"),
        )
        .await
        .expect("a hover");
    let value = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        value.ends_with("not in the scenario order · has a Session log entry"),
        "{value}"
    );
    close(client).await;
    close(other).await;
}
