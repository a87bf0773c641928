//! Sessions (DESIGN §6): one scenario, one agent session, one commit, one
//! written summary. Records on disk, git facts, context loads.

pub mod record;

pub use record::{SessionRecord, Status, UnitKind, UnitOfWork};
