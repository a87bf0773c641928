//! The session an agent works in: the one named (`run` names it in
//! `SMALLBATCH_SESSION`), else the workspace's open session — its active
//! one, or the one paused when none is active.

use std::path::PathBuf;

use super::{ActionError, Refusal, Sessions};
use crate::session::record::{SessionRecord, Status};

/// The session found, and where its files are.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub record: SessionRecord,
    /// The spec's path as the other commands take it (absolute, so that it
    /// does not depend on the working directory).
    pub spec: String,
    pub spec_id: String,
    pub record_file: PathBuf,
    pub context_file: PathBuf,
    /// It is the spec's newest open session: the one `pause`, `complete`
    /// and `checkpoint` act on.
    pub open: bool,
}

impl CurrentSession {
    /// Refuses when the commands that change a session would act on
    /// another one than this.
    pub fn writable(&self) -> Result<(), Refusal> {
        if self.open {
            return Ok(());
        }
        Err(Refusal::SessionClosed {
            id: self.record.id.clone(),
            status: self.record.status.as_str(),
            spec: self.record.spec.clone(),
        })
    }
}

impl Sessions {
    /// The session named by `named`, else the workspace's open one.
    pub fn current(&self, named: Option<&str>) -> Result<CurrentSession, ActionError> {
        let listing = self.store.all(true)?;
        let record = match named.map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => listing
                .records
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| Refusal::UnknownSession { id: id.to_string() })?,
            None => only_open(listing.records)?,
        };
        let spec = self
            .root()
            .join(&record.spec)
            .to_string_lossy()
            .into_owned();
        let target = self.target(&spec)?;
        let open = self
            .open_record(&target)?
            .is_some_and(|newest| newest.id == record.id);
        let spec_id = target.id().to_string();
        Ok(CurrentSession {
            record_file: self.store.record_path(&spec_id, &record.id)?,
            context_file: self.store.context_path(&spec_id, &record.id)?,
            spec_id,
            spec,
            open,
            record,
        })
    }
}

/// The one active session among `records`, else the one paused.
fn only_open(records: Vec<SessionRecord>) -> Result<SessionRecord, Refusal> {
    for status in [Status::Active, Status::Paused] {
        let mut found: Vec<SessionRecord> = records
            .iter()
            .filter(|r| r.status == status)
            .cloned()
            .collect();
        match found.len() {
            0 => continue,
            1 => return Ok(found.remove(0)),
            _ => {
                return Err(Refusal::SeveralOpen {
                    status: status.as_str(),
                    ids: found.into_iter().map(|r| r.id).collect(),
                });
            }
        }
    }
    Err(Refusal::NoSession)
}
