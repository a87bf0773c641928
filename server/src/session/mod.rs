//! Sessions (DESIGN §6): one scenario, one agent session, one commit, one
//! written summary. Records on disk, git facts, context loads.

pub mod actions;
pub mod agent;
pub mod clock;
pub mod context;
pub mod diff;
pub mod git;
pub mod pipeline;
mod process_group;
pub mod record;
pub mod store;
pub mod summary;

pub use crate::units::unit_of_work;
pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use context::{
    ContextInput, ContextLoad, DEFAULT_BUDGET, ResumeContext, ResumeInput, estimate_tokens,
    relevant_files,
};
pub use diff::{TextDiff, unified_diff};
pub use git::{FileChanges, GitRepo, is_test_path};
pub use record::{SessionRecord, Status, UnitKind, UnitOfWork};
pub use store::{Listing, SessionStore, SpecLock, StoreError, Unreadable, folder_name};
