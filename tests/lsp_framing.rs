//! The real binary over stdio against malformed frames: every bad frame gets
//! its JSON-RPC error, and the server keeps serving the frames after it.

use crate::support::lsp;

use lsp::TestClient;
use serde_json::{Value, json};
use tempfile::TempDir;

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;

/// A frame with the one header every client sends.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The binary started and initialised in an empty workspace.
async fn initialised() -> (TempDir, TestClient) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut client = TestClient::spawn(dir.path());
    client.initialize(dir.path(), &["utf-16"]).await;
    (dir, client)
}

/// A hover on a document never opened: answered with null.
async fn hover(client: &mut TestClient) -> Result<Value, Value> {
    client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///nowhere/x.md"}, "position": {"line": 0, "character": 0}}),
        )
        .await
}

/// Waits for the error response with `code` and `id` (not a server request).
async fn error_response(client: &mut TestClient, code: i64, id: &Value) -> Value {
    client
        .take(|m| {
            m.get("method").is_none() && m["error"]["code"] == code && m.get("id") == Some(id)
        })
        .await
}

#[tokio::test]
async fn given_the_server_initialised_when_an_empty_object_and_a_hover_arrive_then_the_hover_is_answered()
 {
    let (_dir, mut client) = initialised().await;
    client.send_raw(b"Content-Length: 2\r\n\r\n{}").await;
    let answer = hover(&mut client).await;
    assert_eq!(answer, Ok(Value::Null));
    error_response(&mut client, INVALID_REQUEST, &Value::Null).await;
    client.shutdown().await;
}

#[tokio::test]
async fn every_bad_frame_gets_its_error_and_the_next_request_is_answered() {
    let not_utf8: &[u8] = &[0xff, 0xfe, b'{', b'}'];
    let cases: Vec<(&str, Vec<u8>, i64, Value)> = vec![
        (
            "an empty object",
            frame(b"{}"),
            INVALID_REQUEST,
            Value::Null,
        ),
        (
            "invalid JSON",
            frame(br#"{"jsonrpc":"2.0","method":"#),
            PARSE_ERROR,
            Value::Null,
        ),
        ("an empty array", frame(b"[]"), INVALID_REQUEST, Value::Null),
        (
            "a batch",
            frame(br#"[{"jsonrpc":"2.0","id":"in-batch","method":"shutdown"}]"#),
            INVALID_REQUEST,
            Value::Null,
        ),
        ("null", frame(b"null"), INVALID_REQUEST, Value::Null),
        ("a number", frame(b"42"), INVALID_REQUEST, Value::Null),
        (
            "JSON-RPC 1.0",
            frame(br#"{"jsonrpc":"1.0","id":"v1","method":"textDocument/hover","params":{}}"#),
            INVALID_REQUEST,
            json!("v1"),
        ),
        (
            "no jsonrpc member",
            frame(br#"{"id":"no-version","method":"textDocument/hover"}"#),
            INVALID_REQUEST,
            json!("no-version"),
        ),
        (
            "a method that is not a string",
            frame(br#"{"jsonrpc":"2.0","id":"number-method","method":3}"#),
            INVALID_REQUEST,
            json!("number-method"),
        ),
        (
            "an id that is an object",
            frame(br#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}"#),
            INVALID_REQUEST,
            Value::Null,
        ),
        (
            "a request without a method",
            frame(br#"{"jsonrpc":"2.0","id":"no-method"}"#),
            INVALID_REQUEST,
            json!("no-method"),
        ),
        (
            "a response without an id",
            frame(br#"{"jsonrpc":"2.0","result":1}"#),
            INVALID_REQUEST,
            Value::Null,
        ),
        (
            "a body that is not UTF-8",
            frame(not_utf8),
            PARSE_ERROR,
            Value::Null,
        ),
        ("an empty body", frame(b""), PARSE_ERROR, Value::Null),
        (
            "a non-numeric Content-Length",
            b"Content-Length: two\r\n\r\n{}".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
        (
            "a negative Content-Length",
            b"Content-Length: -2\r\n\r\n{}".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
        (
            "a header line without a colon",
            b"Content-Length: 2\r\nnonsense\r\n\r\n{}".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
        (
            "a Content-Length shorter than the body",
            b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
        (
            "a Content-Length of a terabyte",
            b"Content-Length: 1000000000000\r\n\r\n".to_vec(),
            PARSE_ERROR,
            Value::Null,
        ),
    ];
    let (_dir, mut client) = initialised().await;
    for (name, bytes, code, id) in cases {
        client.send_raw(&bytes).await;
        let answer = hover(&mut client).await;
        assert_eq!(answer, Ok(Value::Null), "after {name}");
        let error = error_response(&mut client, code, &id).await;
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| m.len() > "Parse error: ".len()),
            "after {name}: {error:#}"
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn a_content_length_longer_than_the_body_costs_only_the_frames_it_covers() {
    let (_dir, mut client) = initialised().await;
    // The declared 40 bytes take `{}` and the start of the next frame.
    client.send_raw(b"Content-Length: 40\r\n\r\n{}").await;
    client
        .send_raw(&frame(
            br#"{"jsonrpc":"2.0","id":"swallowed","method":"textDocument/hover","params":{}}"#,
        ))
        .await;
    let answer = hover(&mut client).await;
    assert_eq!(answer, Ok(Value::Null));
    error_response(&mut client, PARSE_ERROR, &Value::Null).await;
    client.shutdown().await;
}

#[tokio::test]
async fn headers_are_case_insensitive_any_number_and_content_type_optional_charset() {
    let body = |id: &str| {
        format!(
            r#"{{"jsonrpc":"2.0","id":"{id}","method":"textDocument/hover","params":{{"textDocument":{{"uri":"file:///nowhere/x.md"}},"position":{{"line":0,"character":0}}}}}}"#
        )
    };
    let framings = [
        ("lowercase", "content-length: {len}\r\n\r\n"),
        ("uppercase", "CONTENT-LENGTH:{len}\r\n\r\n"),
        (
            "content type without charset",
            "Content-Type: application/vscode-jsonrpc\r\nContent-Length: {len}\r\n\r\n",
        ),
        (
            "content type with charset",
            "Content-Length: {len}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
        ),
        (
            "three and more headers",
            "X-First: 1\r\nContent-Length: {len}\r\nx-second:2\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\nX-Third: three\r\n\r\n",
        ),
    ];
    let (_dir, mut client) = initialised().await;
    for (name, header) in framings {
        let body = body(name);
        let mut bytes = header
            .replace("{len}", &body.len().to_string())
            .into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        client.send_raw(&bytes).await;
        let response = client
            .take(|m| m.get("method").is_none() && m["id"] == name)
            .await;
        assert_eq!(response.get("error"), None, "{name}: {response:#}");
        assert_eq!(response["result"], Value::Null, "{name}: {response:#}");
    }
    client.shutdown().await;
}

#[tokio::test]
async fn dollar_requests_are_method_not_found_and_dollar_notifications_pass() {
    let (_dir, mut client) = initialised().await;
    let unknown = client.request("$/foo", json!({})).await;
    assert_eq!(unknown.expect_err("an error")["code"], METHOD_NOT_FOUND);
    client.notify("$/cancelRequest", json!({"id": 12345})).await;
    client.notify("$/setTrace", json!({"value": "off"})).await;
    assert_eq!(hover(&mut client).await, Ok(Value::Null));
    client.shutdown().await;
}

#[tokio::test]
async fn exit_without_shutdown_is_status_1() {
    let (_dir, client) = initialised().await;
    let status = client.exit().await.expect("a process");
    assert_eq!(status.code(), Some(1), "{status}");
}

#[tokio::test]
async fn exit_after_shutdown_is_status_0() {
    let (_dir, mut client) = initialised().await;
    client
        .request("shutdown", Value::Null)
        .await
        .expect("shutdown succeeds");
    let status = client.exit().await.expect("a process");
    assert_eq!(status.code(), Some(0), "{status}");
}
