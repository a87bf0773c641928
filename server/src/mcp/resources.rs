//! The resources: the current session's context load and record, read-only,
//! at `smallbatch://session/<id>/context` and `…/record`.

use rmcp::ErrorData as McpError;
use rmcp::model::{ReadResourceResult, Resource, ResourceContents};

use super::server::Scope;
use crate::session::actions::CurrentSession;

const SCHEME: &str = "smallbatch://session/";

/// One file of a session served as a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Context,
    Record,
}

impl Part {
    const ALL: [Part; 2] = [Part::Context, Part::Record];

    fn name(self) -> &'static str {
        match self {
            Part::Context => "context",
            Part::Record => "record",
        }
    }

    fn mime_type(self) -> &'static str {
        match self {
            Part::Context => "text/markdown",
            Part::Record => "application/json",
        }
    }

    fn uri(self, id: &str) -> String {
        format!("{SCHEME}{id}/{}", self.name())
    }

    fn file(self, current: &CurrentSession) -> &std::path::Path {
        match self {
            Part::Context => &current.context_file,
            Part::Record => &current.record_file,
        }
    }
}

/// The current session's resources; none when there is no session.
pub fn list(scope: &Scope) -> Vec<Resource> {
    let Ok((_, current)) = scope.current() else {
        return Vec::new();
    };
    let id = &current.record.id;
    Part::ALL
        .iter()
        .filter(|part| part.file(&current).is_file())
        .map(|part| {
            let (title, description) = match part {
                Part::Context => (
                    format!("Context load of {id}"),
                    "The context handed over when the session started or resumed.",
                ),
                Part::Record => (
                    format!("Record of {id}"),
                    "The session's record: status, git facts, checkpoints, notes.",
                ),
            };
            Resource::new(part.uri(id), format!("{id} {}", part.name()))
                .with_title(title)
                .with_description(description)
                .with_mime_type(part.mime_type())
        })
        .collect()
}

/// Reads one of the current session's resources.
pub fn read(scope: &Scope, uri: &str) -> Result<ReadResourceResult, McpError> {
    let not_found = |why: String| McpError::resource_not_found(format!("{uri}: {why}"), None);
    let (id, name) = uri
        .strip_prefix(SCHEME)
        .and_then(|rest| rest.split_once('/'))
        .ok_or_else(|| {
            not_found(format!(
                "not a resource of this server (`{SCHEME}<id>/context` or `…/record`)"
            ))
        })?;
    let part = Part::ALL
        .into_iter()
        .find(|part| part.name() == name)
        .ok_or_else(|| not_found("a session has a `context` and a `record`".to_string()))?;
    let (_, current) = scope.current().map_err(|error| not_found(error.message))?;
    if current.record.id != id {
        return Err(not_found(format!(
            "only the current session's resources are served ({}); resources/list names them",
            current.record.id
        )));
    }
    let path = part.file(&current);
    let text = std::fs::read_to_string(path)
        .map_err(|error| not_found(format!("cannot read {}: {error}", path.display())))?;
    let contents = ResourceContents::text(text, uri).with_mime_type(part.mime_type());
    Ok(ReadResourceResult::new(vec![contents]))
}
