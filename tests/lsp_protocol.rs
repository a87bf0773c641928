//! The language server over the protocol: encodings, quick fixes, ordered
//! incremental changes, bad requests; in process and as the real binary.

use crate::support::lsp;

use crate::support::specs;

use std::fs;

use lsp::{TestClient, apply, file_uri};
use serde_json::{Value, json};
use tempfile::TempDir;

use specs::TWO_SCENARIOS;

/// A workspace with `specs/NAME` holding `text`; returns it and the spec's URI.
fn workspace_with_spec(name: &str, text: &str) -> (TempDir, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("specs").join(name);
    fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    fs::write(&path, text).expect("write the spec");
    let uri = file_uri(&path.canonicalize().expect("canonical"));
    (dir, uri)
}

async fn open(client: &mut TestClient, uri: &str, text: &str) {
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
}

fn with_code<'a>(diagnostics: &'a [Value], code: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

const EMOJI_ORDER: &str = "# Export 📄 invoices

## Intent
Accountants re-type invoices.

## Feature description
Streams rows.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV
```

## Scenario order
- Export a month
- 😀😀 Export a yaer
";

#[tokio::test]
async fn sb011_ranges_are_in_the_negotiated_encoding() {
    for (encodings, expected_encoding, end) in [
        // The entry "😀😀 Export a yaer" after "- ": each emoji is two UTF-16
        // units and four UTF-8 bytes.
        (vec!["utf-16"], "utf-16", 2 + 2 * 2 + 14),
        (vec!["utf-8", "utf-16"], "utf-8", 2 + 2 * 4 + 14),
    ] {
        let (dir, uri) = workspace_with_spec("export.md", EMOJI_ORDER);
        let mut client = TestClient::in_process();
        let init = client.initialize(dir.path(), &encodings).await;
        assert_eq!(init["capabilities"]["positionEncoding"], expected_encoding);
        open(&mut client, &uri, EMOJI_ORDER).await;
        let diagnostics = client.diagnostics(&uri, Some(1)).await;
        let sb011 = with_code(&diagnostics, "SB011");
        assert_eq!(sb011.len(), 1, "{diagnostics:#?}");
        // The entry names "😀😀 Export a yaer": the emoji are part of it.
        assert_eq!(
            sb011[0]["range"],
            json!({"start": {"line": 19, "character": 2}, "end": {"line": 19, "character": end}}),
            "{encodings:?}"
        );
        client.shutdown().await;
    }
}

#[tokio::test]
async fn insert_scenario_order_clears_sb010() {
    let (dir, uri) = workspace_with_spec("export.md", TWO_SCENARIOS);
    let mut client = TestClient::in_process();
    client.initialize(dir.path(), &["utf-16"]).await;
    open(&mut client, &uri, TWO_SCENARIOS).await;
    let diagnostics = client.diagnostics(&uri, Some(1)).await;
    let sb010 = with_code(&diagnostics, "SB010");
    assert_eq!(sb010.len(), 1, "{diagnostics:#?}");

    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": sb010[0]["range"],
                   "context": {"diagnostics": [sb010[0]]}}),
        )
        .await
        .expect("code actions");
    let action = actions
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["title"] == "Insert scenario order")
        .unwrap_or_else(|| panic!("Insert scenario order in {actions:#}"));
    assert_eq!(action["kind"], "quickfix");
    let change = &action["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1);
    let edits = change["edits"].as_array().expect("edits");
    let fixed = apply(TWO_SCENARIOS, edits);
    assert!(
        fixed.contains("## Scenario order\n\n1. Export a month\n2. Export an empty month\n"),
        "{fixed}"
    );

    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": edits.iter().map(|e| json!({"range": e["range"], "text": e["newText"]})).collect::<Vec<_>>()}),
        )
        .await;
    let diagnostics = client.diagnostics(&uri, Some(2)).await;
    assert_eq!(
        diagnostics,
        Vec::<Value>::new(),
        "the fix clears every diagnostic"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn three_hundred_edits_arrive_in_order() {
    let (dir, uri) = workspace_with_spec("export.md", TWO_SCENARIOS);
    let mut client = TestClient::in_process();
    client.initialize(dir.path(), &["utf-16"]).await;
    open(&mut client, &uri, TWO_SCENARIOS).await;
    // Type an order section at the end, one character per change, with a
    // mix of insertions and deletions.
    let mut text = TWO_SCENARIOS.to_string();
    let typed =
        "\n## Scenario order\n1. Export a month\n2. Export an empty month\n3. Export a yeaX";
    let mut version = 1;
    let mut line = text.matches('\n').count() as u64;
    let mut character = 0u64;
    for c in typed.chars().cycle().take(300) {
        version += 1;
        let change = if c == 'X' {
            // Delete the character before the cursor.
            character -= 1;
            text.pop();
            json!({"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 1}}, "text": ""})
        } else {
            let at = json!({"line": line, "character": character});
            text.push(c);
            if c == '\n' {
                line += 1;
                character = 0;
            } else {
                character += c.len_utf16() as u64;
            }
            json!({"range": {"start": at, "end": at}, "text": c.to_string()})
        };
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
            )
            .await;
    }
    let last = client.diagnostics(&uri, Some(version)).await;
    // Whatever was published before belongs to earlier versions.
    client.ignore(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["version"].as_i64() < Some(version)
    });

    // The server's text is the client's: ask for the fix of an entry that is
    // there only if every edit landed in order.
    let expected: Vec<String> = {
        let spec = smallbatch::spec::Spec::parse(&text);
        let ctx = smallbatch::lint::LintContext::default();
        smallbatch::lint::lint_spec(&spec, &text, &ctx)
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    };
    let actual: Vec<String> = last
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d["code"].as_str().expect("code"),
                d["message"].as_str().expect("message")
            )
        })
        .collect();
    assert!(
        !expected.is_empty(),
        "the typed order leaves problems to report"
    );
    assert_eq!(
        actual, expected,
        "the last diagnostics are those of the last text:\n{text}"
    );
    let whole = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": line + 1, "character": 0}}, "context": {"diagnostics": []}}),
        )
        .await
        .expect("code actions");
    for action in whole.as_array().expect("a list") {
        assert_eq!(
            action["edit"]["documentChanges"][0]["textDocument"]["version"],
            version
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn bad_requests_get_errors_and_the_server_keeps_serving() {
    let (dir, uri) = workspace_with_spec("export.md", TWO_SCENARIOS);
    let mut client = TestClient::in_process();
    client.initialize(dir.path(), &["utf-16"]).await;

    let unknown = client.request("smallbatch/noSuchMethod", json!({})).await;
    assert_eq!(unknown.expect_err("an error")["code"], -32601);
    // A change to a document never opened is ignored.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": "file:///nowhere/x.md", "version": 2}, "contentChanges": [{"text": "x"}]}),
        )
        .await;
    // Malformed params are an error, not a crash.
    let malformed = client
        .request("textDocument/codeAction", json!({"textDocument": 3}))
        .await;
    assert!(malformed.is_err(), "{malformed:?}");

    open(&mut client, &uri, TWO_SCENARIOS).await;
    client.diagnostics(&uri, Some(1)).await;
    // A position far out of range is clamped, not a failure.
    let far = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 9999, "character": 9999}, "end": {"line": 99999, "character": 0}}, "context": {"diagnostics": []}}),
        )
        .await;
    assert!(far.is_ok(), "{far:?}");
    // A stale version is ignored: the text stays as it was.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"text": "# Replaced\n"}]}),
        )
        .await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 30, "character": 0}}, "context": {"diagnostics": []}}),
        )
        .await
        .expect("still serving");
    assert!(
        actions
            .as_array()
            .expect("a list")
            .iter()
            .any(|a| a["title"] == "Insert scenario order"),
        "the stale change was not applied: {actions:#}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn the_binary_speaks_only_protocol_on_stdout() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut client = TestClient::spawn(dir.path());
    let init = client.initialize(dir.path(), &["utf-8"]).await;
    assert_eq!(init["serverInfo"]["name"], "smallbatch");
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    // Every frame read so far parsed as a protocol message; shutdown and exit
    // end the process with status 0.
    client.shutdown().await;
}

#[tokio::test]
async fn the_binary_accepts_stdio_and_exits_on_eof() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(["lsp", "--stdio"])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("run the server");
    assert!(output.stdout.is_empty(), "nothing but frames on stdout");
    assert!(output.status.success(), "{:?}", output.status);
}
