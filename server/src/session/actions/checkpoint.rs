//! `checkpoint`: what the agent says of its work so far, kept in the open
//! session's record with HEAD and the time; the session goes on as it was.

use super::{ActionError, Refusal, Sessions};
use crate::session::git::GitRepo;
use crate::session::record::{Checkpoint, SessionRecord};

impl Sessions {
    /// Adds a checkpoint with `note` to the spec's open session, and the
    /// commits made since its start.
    pub fn checkpoint(&self, spec: &str, note: &str) -> Result<SessionRecord, ActionError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(Refusal::EmptyNote.into());
        }
        let target = self.target(spec)?;
        let lock = self.store.lock(target.id())?;
        let open = self.open_session(&target)?;
        let head = self.git.as_ref().and_then(GitRepo::head);
        let commits = self.commits_since(&open);
        let now = self.store.now().to_string();
        Ok(lock.update(&open.id, |record| {
            record.git.commits = commits;
            record.checkpoints.push(Checkpoint {
                timestamp: now,
                phase: record.phase.clone(),
                git_commit: head,
                note: Some(note.to_string()),
            });
        })?)
    }
}
