//! Semantic tokens over the protocol, from the real binary: the legend,
//! every Gherkin construct in a `.feature` file and in a spec, keywords of
//! other languages, deltas after an edit, ranges, and positions in the
//! negotiated encoding after an emoji.

use crate::support::lsp;

use std::fs;

use lsp::{TestClient, file_uri};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A workspace holding `files`, and a server started in it (offering
/// `encodings`), its legend read from `initialize`.
struct Session {
    dir: TempDir,
    client: TestClient,
    legend: Value,
}

async fn session(files: &[(&str, &str)], encodings: &[&str]) -> Session {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::create_dir_all(dir.path().join(".smallbatch")).expect("marker");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        fs::write(path, text).expect("write");
    }
    let mut client = TestClient::spawn(dir.path());
    let init = client.initialize(dir.path(), encodings).await;
    let legend = init["capabilities"]["semanticTokensProvider"]["legend"].clone();
    Session {
        dir,
        client,
        legend,
    }
}

impl Session {
    fn uri(&self, path: &str) -> String {
        file_uri(
            &self
                .dir
                .path()
                .canonicalize()
                .expect("canonical")
                .join(path),
        )
    }

    /// Opens `path` with `text` and waits for its diagnostics.
    async fn open(&mut self, path: &str, text: &str) -> String {
        let uri = self.uri(path);
        let language = if path.ends_with(".feature") {
            "cucumber"
        } else {
            "markdown"
        };
        self.client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
            )
            .await;
        self.client.diagnostics(&uri, Some(1)).await;
        uri
    }

    async fn full(&mut self, uri: &str) -> Value {
        self.client
            .request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": uri}}),
            )
            .await
            .expect("full tokens")
    }

    async fn close(mut self) {
        self.client
            .ignore(|m| m["method"] == "textDocument/publishDiagnostics");
        self.client.shutdown().await;
    }
}

/// The text of `line` from `units` units for `length` units, counting
/// UTF-16 units (or bytes when `utf8`).
fn slice(text: &str, line: usize, units: usize, length: usize, utf8: bool) -> String {
    let line = text.lines().nth(line).expect("the line exists");
    let mut seen = 0;
    let mut out = String::new();
    for c in line.chars() {
        let width = if utf8 { c.len_utf8() } else { c.len_utf16() };
        if seen >= units && seen < units + length {
            out.push(c);
        }
        seen += width;
    }
    out
}

/// The tokens of a result as `line:column type[*] text` lines (`*` for the
/// declaration modifier), decoded with the legend.
fn render(legend: &Value, text: &str, data: &Value, utf8: bool) -> String {
    let data: Vec<u64> = data
        .as_array()
        .expect("data")
        .iter()
        .map(|n| n.as_u64().expect("a number"))
        .collect();
    assert_eq!(data.len() % 5, 0, "five numbers a token");
    let (mut line, mut start) = (0, 0);
    let mut out = String::new();
    for token in data.chunks(5) {
        if token[0] > 0 {
            line += token[0] as usize;
            start = 0;
        }
        start += token[1] as usize;
        let kind = legend["tokenTypes"][token[3] as usize]
            .as_str()
            .expect("a type in the legend");
        let declaration = if token[4] & 1 == 1 { "*" } else { "" };
        let piece = slice(text, line, start, token[2] as usize, utf8);
        out.push_str(&format!("{line}:{start} {kind}{declaration} {piece}\n"));
    }
    out
}

const FEATURE: &str = r#"# a comment
@billing @monthly
Feature: Export
  Background:
    Given 3 invoices of "March"

  Scenario Outline: Export <n> rows
    When I export <n> rows
    Then the file reads
      """csv
      id,total
      """
    And the totals are
      | month | total |
      | March | 99.50 |

    Examples:
      | n |
      | 2 |
"#;

// The legend has standard types only, and the capability offers deltas
// and ranges.
#[tokio::test]
async fn the_legend_is_standard_types_with_deltas_and_ranges() {
    let s = session(&[], &["utf-16"]).await;
    assert_eq!(
        s.legend,
        json!({
            "tokenTypes": ["keyword", "decorator", "comment", "string", "number", "parameter", "function"],
            "tokenModifiers": ["declaration"]
        })
    );
    s.close().await;
}

// Every construct of a .feature file gets its token.
#[tokio::test]
async fn every_construct_of_a_feature_file() {
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("features/export.feature", FEATURE).await;
    let full = s.full(&uri).await;
    assert!(full["resultId"].is_string(), "{full}");
    assert_eq!(
        render(&s.legend, FEATURE, &full["data"], false),
        "0:0 comment # a comment
1:0 decorator @billing
1:9 decorator @monthly
2:0 keyword Feature
3:2 keyword Background
4:4 keyword Given
4:10 number 3
4:24 string \"March\"
6:2 keyword Scenario Outline
6:20 function* Export
6:27 parameter <n>
6:31 function* rows
7:4 keyword When
7:18 parameter <n>
8:4 keyword Then
9:6 string \"\"\"csv
10:6 string id,total
11:6 string \"\"\"
12:4 keyword And
13:8 string month
13:16 string total
14:8 string March
14:16 number 99.50
16:4 keyword Examples
17:8 parameter n
18:8 number 2
"
    );
    s.close().await;
}

const SPEC: &str = "# Export

## Intent
Why.

## Feature description
How.

## Scenarios

```gherkin
Feature: Export
  @smoke
  Scenario: One <kind> month
    Given a month of <kind> invoices
    Then the file holds
      \"\"\"
      <kind>
      \"\"\"
```

### Scenario: Two
* Given 2 months

## Scenario order
1. One <kind> month
2. Two
";

// Given a ```gherkin block in a spec, its keywords, tags, placeholders and
// doc string are marked, and so is a Markdown-with-Gherkin scenario;
// the markdown around them is not.
#[tokio::test]
async fn a_gherkin_block_in_a_spec() {
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("specs/export/README.md", SPEC).await;
    let full = s.full(&uri).await;
    assert_eq!(
        render(&s.legend, SPEC, &full["data"], false),
        "11:0 keyword Feature
12:2 decorator @smoke
13:2 keyword Scenario
13:12 function* One
13:16 parameter <kind>
13:23 function* month
14:4 keyword Given
14:21 parameter <kind>
15:4 keyword Then
16:6 string \"\"\"
17:6 parameter <kind>
18:6 string \"\"\"
21:4 keyword Scenario
21:14 function* Two
22:2 keyword Given
22:8 number 2
"
    );
    s.close().await;
}

// Keywords of a `# language:` header are keywords.
#[tokio::test]
async fn keywords_of_other_languages() {
    let text = "# language: fr\nFonctionnalité: Export\n  Scénario: Un mois\n    Soit 3 factures\n    Alors un fichier\n";
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("features/export.feature", text).await;
    let full = s.full(&uri).await;
    assert_eq!(
        render(&s.legend, text, &full["data"], false),
        "0:0 comment # language: fr
1:0 keyword Fonctionnalité
2:2 keyword Scénario
2:12 function* Un mois
3:4 keyword Soit
3:9 number 3
4:4 keyword Alors
"
    );
    s.close().await;
}

/// Applies a delta's edits (offsets in numbers of the flat array) to `data`.
fn apply_delta(data: &Value, edits: &Value) -> Value {
    let mut numbers: Vec<Value> = data.as_array().expect("data").clone();
    let mut edits: Vec<&Value> = edits.as_array().expect("edits").iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64()));
    for edit in edits {
        let start = edit["start"].as_u64().expect("start") as usize;
        let count = edit["deleteCount"].as_u64().expect("deleteCount") as usize;
        let inserted = edit["data"].as_array().cloned().unwrap_or_default();
        numbers.splice(start..start + count, inserted);
    }
    Value::Array(numbers)
}

// After an edit, the delta against the last result, applied to it, equals
// a fresh full result of the new text; a delta against an unknown result
// id answers a full result.
#[tokio::test]
async fn a_delta_after_an_edit_equals_a_fresh_full_result() {
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("features/export.feature", FEATURE).await;
    let before = s.full(&uri).await;
    // "When I export <n> rows" → "When I export 7 <n> rows": a number more.
    s.client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 7, "character": 18},
                                                 "end": {"line": 7, "character": 18}},
                                       "text": "7 "}]}),
        )
        .await;
    s.client.diagnostics(&uri, Some(2)).await;
    let delta = s
        .client
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": uri}, "previousResultId": before["resultId"]}),
        )
        .await
        .expect("delta");
    let edits = &delta["edits"];
    assert!(edits.is_array(), "a delta, not a full result: {delta}");
    assert_ne!(delta["resultId"], before["resultId"]);
    assert!(
        edits.as_array().expect("edits").len() == 1
            && edits[0]["deleteCount"].as_u64() < before["data"].as_array().map(|d| d.len() as u64),
        "one edit smaller than the whole: {delta}"
    );

    let edited = FEATURE.replace("I export <n>", "I export 7 <n>");
    let fresh_uri = s.open("features/fresh.feature", &edited).await;
    let fresh = s.full(&fresh_uri).await;
    assert_eq!(apply_delta(&before["data"], edits), fresh["data"]);
    assert!(render(&s.legend, &edited, &fresh["data"], false).contains("7:18 number 7\n"));

    let unknown = s
        .client
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": uri}, "previousResultId": "no such result"}),
        )
        .await
        .expect("full result");
    assert!(unknown.get("edits").is_none(), "{unknown}");
    assert_eq!(unknown["data"], fresh["data"]);
    s.close().await;
}

// A range request answers the tokens of that range only.
#[tokio::test]
async fn a_range_answers_its_tokens_only() {
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("features/export.feature", FEATURE).await;
    let ranged = s
        .client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 6, "character": 0}, "end": {"line": 8, "character": 0}}}),
        )
        .await
        .expect("range tokens");
    let rendered = render(&s.legend, FEATURE, &ranged["data"], false);
    assert_eq!(
        rendered,
        "6:2 keyword Scenario Outline
6:20 function* Export
6:27 parameter <n>
6:31 function* rows
7:4 keyword When
7:18 parameter <n>
"
    );
    s.close().await;
}

const EMOJI: &str = "Feature: 📄 Export\n  Scenario: 🗓 month 😀\n    Given 😀 3 \"🗓\" <n>\n";

// After an emoji, positions and lengths count UTF-16 units, or bytes
// when the client chose UTF-8.
#[tokio::test]
async fn positions_after_emoji_are_in_the_negotiated_encoding() {
    for (encodings, utf8, expected) in [
        (
            &["utf-16"][..],
            false,
            "0:0 keyword Feature\n1:2 keyword Scenario\n1:12 function* 🗓 month 😀\n2:4 keyword Given\n2:13 number 3\n2:15 string \"🗓\"\n2:20 parameter <n>\n",
        ),
        (
            &["utf-8", "utf-16"][..],
            true,
            "0:0 keyword Feature\n1:2 keyword Scenario\n1:12 function* 🗓 month 😀\n2:4 keyword Given\n2:15 number 3\n2:17 string \"🗓\"\n2:24 parameter <n>\n",
        ),
    ] {
        let mut s = session(&[], encodings).await;
        let uri = s.open("features/emoji.feature", EMOJI).await;
        let full = s.full(&uri).await;
        let data = full["data"].as_array().expect("data");
        // The scenario name's length: 🗓 and 😀 are two UTF-16 units, four bytes.
        assert_eq!(data[12], if utf8 { 15 } else { 11 }, "{full}");
        assert_eq!(render(&s.legend, EMOJI, &full["data"], utf8), expected);
        s.close().await;
    }
}

// Documents that are neither specs nor feature files have no tokens.
#[tokio::test]
async fn other_documents_have_none() {
    let mut s = session(&[], &["utf-16"]).await;
    let uri = s.open("notes.md", "```gherkin\nFeature: F\n```\n").await;
    let full = s.full(&uri).await;
    assert_eq!(full, Value::Null);
    s.close().await;
}
