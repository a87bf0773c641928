//! A frame's body as the server takes it: a request, a notification or a
//! response, checked against the same JSON-RPC types the server reads, so
//! that whatever is passed on reads as a message. Anything else becomes the
//! JSON-RPC error that answers it.

use serde_json::{Map, Value};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// A body that is a protocol message.
#[derive(Debug, PartialEq)]
pub enum Message {
    /// A request (with an id) or a notification.
    Request(Request),
    Response(Response),
}

/// A body that is not a message, and the response that answers it.
#[derive(Debug, PartialEq)]
pub struct Refusal {
    pub answer: Response,
    /// The body is not JSON at all, so its declared length may be wrong too.
    pub not_json: bool,
}

impl Message {
    /// Reads a body, or the error that answers it: `-32700` for bytes that
    /// are not JSON, `-32600` for JSON that is not a message, with the
    /// request's own id when it has a valid one.
    pub fn read(body: &[u8]) -> Result<Message, Refusal> {
        let value: Value = serde_json::from_slice(body).map_err(|error| Refusal {
            answer: refusal(
                Id::Null,
                ErrorCode::ParseError,
                &format!(
                    "the body is not UTF-8 JSON ({error}); send one JSON-RPC message per frame"
                ),
            ),
            not_json: true,
        })?;
        Message::from_value(value).map_err(|answer| Refusal {
            answer,
            not_json: false,
        })
    }

    fn from_value(value: Value) -> Result<Message, Response> {
        let invalid = |id: Id, detail: &str| refusal(id, ErrorCode::InvalidRequest, detail);
        let Value::Object(object) = value else {
            return Err(invalid(Id::Null, not_an_object(&value)));
        };
        let has = |key: &str| object.contains_key(key);
        let answers = has("result") || has("error");
        if !has("method") && !answers {
            return Err(invalid(
                request_id(&object),
                "a message needs a method (a request or notification) or a result or an error (a response)",
            ));
        }
        if has("method") {
            let id = request_id(&object);
            if answers {
                return Err(invalid(
                    id,
                    "a message has a method or a result or an error, not more than one",
                ));
            }
            return serde_json::from_value(Value::Object(object))
                .map(Message::Request)
                .map_err(|error| invalid(id, &error.to_string()));
        }
        if has("result") && has("error") {
            return Err(invalid(
                Id::Null,
                "a response has a result or an error, not both",
            ));
        }
        if !has("id") {
            return Err(invalid(Id::Null, "a response needs the id of its request"));
        }
        serde_json::from_value(Value::Object(object))
            .map(Message::Response)
            .map_err(|error| invalid(Id::Null, &error.to_string()))
    }

    /// The message as JSON, for the server behind this layer.
    pub fn to_json(&self) -> Vec<u8> {
        let json = match self {
            Message::Request(request) => serde_json::to_vec(request),
            Message::Response(response) => serde_json::to_vec(response),
        };
        // Both types serialise plain JSON values: this cannot fail.
        json.unwrap_or_default()
    }
}

/// The id to answer a bad request with: its own when valid, else null.
fn request_id(object: &Map<String, Value>) -> Id {
    match object.get("id") {
        Some(Value::Number(number)) => number.as_i64().map_or(Id::Null, Id::Number),
        Some(Value::String(text)) => Id::String(text.clone()),
        _ => Id::Null,
    }
}

fn not_an_object(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "batches are not part of the protocol; send one message per frame",
        Value::Null => "a message is a JSON object, not null",
        Value::Bool(_) => "a message is a JSON object, not a boolean",
        Value::Number(_) => "a message is a JSON object, not a number",
        Value::String(_) => "a message is a JSON object, not a string",
        Value::Object(_) => "a message is a JSON object",
    }
}

/// An error response: the code's description, then what was wrong.
pub fn refusal(id: Id, code: ErrorCode, detail: &str) -> Response {
    Response::from_error(
        id,
        Error {
            code,
            message: format!("{}: {detail}", code.description()).into(),
            data: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refused(body: &str) -> (i64, Value) {
        let refusal = Message::read(body.as_bytes()).expect_err("refused");
        let answer = serde_json::to_value(&refusal.answer).expect("JSON");
        (
            answer["error"]["code"].as_i64().expect("a code"),
            answer["id"].clone(),
        )
    }

    #[test]
    fn bytes_that_are_not_json_are_a_parse_error() {
        for body in ["", "{", r#"{"jsonrpc":"2.0","method":"#, "\u{0}"] {
            assert_eq!(refused(body), (-32700, Value::Null), "{body:?}");
        }
        let not_utf8 = Message::read(&[0xff, b'{', b'}']).expect_err("refused");
        assert!(not_utf8.not_json);
    }

    #[test]
    fn json_that_is_not_a_message_is_an_invalid_request() {
        for (body, id) in [
            ("{}", Value::Null),
            ("[]", Value::Null),
            ("null", Value::Null),
            ("3", Value::Null),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#,
                Value::Null,
            ),
            (r#"{"jsonrpc":"1.0","id":4,"method":"x"}"#, json!(4)),
            (r#"{"id":"a","method":"x"}"#, json!("a")),
            (r#"{"jsonrpc":"2.0","id":5,"method":7}"#, json!(5)),
            (r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#, Value::Null),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Value::Null),
            (r#"{"jsonrpc":"2.0","id":6}"#, json!(6)),
            (r#"{"jsonrpc":"2.0"}"#, Value::Null),
            (
                r#"{"jsonrpc":"2.0","id":7,"method":"x","result":1}"#,
                json!(7),
            ),
            (r#"{"jsonrpc":"2.0","result":1}"#, Value::Null),
            (
                r#"{"jsonrpc":"2.0","id":8,"result":1,"error":{"code":1,"message":"m"}}"#,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":9,"error":{"code":"x"}}"#,
                Value::Null,
            ),
        ] {
            assert_eq!(refused(body), (-32600, id), "{body}");
        }
    }

    #[test]
    fn messages_pass_as_the_server_reads_them() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":"s","method":"shutdown","params":null}"#,
            r#"{"jsonrpc":"2.0","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","id":2,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}}"#,
        ] {
            let message = Message::read(body.as_bytes()).expect("a message");
            let again: Value = serde_json::from_slice(&message.to_json()).expect("JSON");
            let original: Value = serde_json::from_str(body).expect("JSON");
            assert_eq!(again, original, "{body}");
        }
    }
}
