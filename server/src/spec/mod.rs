//! Markdown + Gherkin → the [`Spec`] model. Pure: no I/O, byte offsets only.

mod block_cache;
mod edit;
mod front_matter;
pub mod gherkin;
mod line_index;
mod links;
mod markdown;
mod model;
mod plan;
mod unit_text;

pub use block_cache::BlockCache;
pub use edit::{
    Replacement, demote_headings, front_matter_status_edit, log_entry, log_summary_edit,
};
pub use front_matter::{FrontMatter, FrontMatterError};
pub use line_index::LineIndex;
pub use model::*;
pub use plan::{Checkbox, Part, Phase, Task, strip_marks};
pub use unit_text::{DEFAULT_TOKEN_BUDGET, estimate_tokens};
