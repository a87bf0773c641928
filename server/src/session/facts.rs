//! The session facts of a spec, read from its records for the session lint
//! rules (SB020–SB025), and a loaded spec's diagnostics with them:
//! the same for `check`, the server and `start`.

use crate::lint::{Code, Diagnostic, LintContext, Severity, lint_spec_with};
use crate::session::{GitRepo, SessionRecord, SessionStore, summary};
use crate::spec::{FileId, Replacement, Spec, normalize_name};
use crate::units::{SessionFact, SessionFacts, SessionState};
use crate::workspace::{LoadedSpec, ReadError, Workspace, normalize, relative_to, to_slash};

/// What the records of a loaded spec say; `None` while the spec has no
/// sessions folder (its sessions are not tracked yet).
pub fn session_facts(ws: &Workspace, loaded: &LoadedSpec) -> Option<SessionFacts> {
    let rel = to_slash(&relative_to(&normalize(&loaded.path), ws.root()));
    facts_of(ws, &loaded.id, &rel, &loaded.spec)
}

/// What the records of spec `id` (at `rel`, from the root) say.
fn facts_of(ws: &Workspace, id: &str, rel: &str, spec: &Spec) -> Option<SessionFacts> {
    {
        let store = SessionStore::new(ws.root());
        let folder = store.spec_dir(id).ok()?;
        if !folder.is_dir() {
            return None;
        }
        // Archived sessions count too: a unit completed long ago is complete.
        let listing = store.history_of(id, rel).ok()?;
        let mut records = listing.records;
        records.reverse(); // oldest first
        let git = GitRepo::discover(ws.root());
        let sessions = records
            .iter()
            .map(|record| fact(record, spec, git.as_ref()))
            .collect();
        let unreadable = listing
            .unreadable
            .iter()
            .map(|u| {
                let shown = to_slash(&relative_to(&u.path, ws.root()));
                (shown, u.message.clone())
            })
            .collect();
        let config = ws.config();
        Some(SessionFacts {
            sessions,
            unreadable,
            configured_phases: config.phases.clone(),
        })
    }
}

fn fact(record: &SessionRecord, spec: &Spec, git: Option<&GitRepo>) -> SessionFact {
    let state = record.status.state();
    // The template is only needed when the log lacks the summary (SB020's fix).
    let summary_template =
        (state == SessionState::Completed && !spec.has_summary(&record.unit.name)).then(|| {
            let changes = match (git, &record.git.start_commit, &record.git.end_commit) {
                (Some(git), Some(start), Some(end)) => git.changes(start, end),
                _ => Default::default(),
            };
            summary::prefilled_summary(record, &changes)
        });
    SessionFact {
        summary_template,
        ..record.fact()
    }
}

/// Every diagnostic of a loaded spec: the lint rules' (with its session
/// facts) and its linked files' read problems.
pub fn spec_diagnostics(
    loaded: &LoadedSpec,
    facts: Option<&SessionFacts>,
    ctx: &LintContext,
) -> Vec<Diagnostic> {
    let mut diagnostics = lint_spec_with(&loaded.spec, &loaded.text, ctx, facts);
    diagnostics.extend(
        loaded
            .link_problems
            .iter()
            .map(|(i, problem)| read_problem(problem, FileId::Linked(*i))),
    );
    diagnostics
}

/// A file that could not be read: SB000, an error, at the first bad byte
/// or at the start of the file.
pub fn read_problem(problem: &ReadError, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::SB000,
        Severity::Error,
        problem.range(),
        problem.to_string(),
    )
    .in_file(file)
}

/// An edit of a session record's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEdit {
    pub path: std::path::PathBuf,
    /// The record's text, for turning the range into positions.
    pub text: String,
    pub edit: Replacement,
}

/// The edits that rename unit `old` to `new` in the records of spec `id`
/// (kept and archived): the `unit.name` string of each record of that
/// unit. Unreadable records are left alone.
pub fn record_renames(ws: &Workspace, id: &str, old: &str, new: &str) -> Vec<RecordEdit> {
    let store = SessionStore::new(ws.root());
    let key = normalize_name(old);
    let mut edits = Vec::new();
    for (path, text) in store.record_texts(id) {
        let Ok(record) = SessionRecord::from_json(&text) else {
            continue;
        };
        if normalize_name(&record.unit.name) != key {
            continue;
        }
        if let Some(range) = unit_name_range(&text, &record.unit.name) {
            let new_text = serde_json::to_string(new).unwrap_or_default();
            edits.push(RecordEdit {
                path,
                text,
                edit: Replacement { range, new_text },
            });
        }
    }
    edits
}

/// The bytes of the `"name"` string inside a record's `"unit"` object,
/// quotes included, when it holds `name`.
fn unit_name_range(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let unit = text.find("\"unit\"")?;
    let key = unit + text[unit..].find("\"name\"")?;
    let colon = key + 6 + text[key + 6..].find(':')?;
    let start = colon + 1 + text[colon + 1..].find('"')?;
    // The literal ends at the first quote not escaped by a backslash.
    let bytes = text.as_bytes();
    let mut end = start + 1;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    let literal = text.get(start..=end)?;
    let value: String = serde_json::from_str(literal).ok()?;
    (value == name).then_some(start..end + 1)
}
