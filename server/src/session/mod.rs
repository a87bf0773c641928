//! Sessions (DESIGN §6): one scenario, one agent session, one commit, one
//! written summary. Records on disk, git facts, context loads.

pub mod clock;
pub mod context;
pub mod diff;
pub mod git;
pub mod pipeline;
pub mod record;
pub mod store;

pub use record::{SessionRecord, Status, UnitKind, UnitOfWork};
