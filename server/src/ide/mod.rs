//! Editor features over the spec model, in byte offsets: what a cursor is
//! on and where it leads, completion, hover text, the outline, folding,
//! lenses, order marks and semantic tokens. Pure: no I/O and no protocol types; the
//! language server converts what these modules return.

pub mod completion;
#[cfg(test)]
pub(crate) mod fixture;
pub mod folding;
pub mod hover;
pub mod lenses;
pub mod marks;
pub mod navigation;
pub mod outline;
pub mod rename;
pub mod semantic_tokens;

/// A commit id as shown beside a unit: its first seven characters.
pub fn short_commit(commit: &str) -> &str {
    commit
        .char_indices()
        .nth(7)
        .map_or(commit, |(end, _)| &commit[..end])
}
