//! Markdown → [`Spec`].

use super::Spec;

impl Spec {
    /// Parses a spec's markdown text.
    pub fn parse(text: &str) -> Spec {
        Spec {
            len: text.len(),
            ..Spec::default()
        }
    }
}
