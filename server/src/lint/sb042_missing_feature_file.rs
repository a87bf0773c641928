//! SB042: a linked `.feature` file does not exist, or exists but is not
//! read: it lies outside the workspace or is not a regular file. The
//! message names the link only, never anything of the file.

use super::{Code, Diagnostic, Rule, Severity};
use crate::spec::{LinkRefusal, LinkState};

pub fn check(rule: &Rule<'_>) -> Vec<Diagnostic> {
    rule.spec
        .feature_links
        .iter()
        .filter_map(|link| {
            let target = &link.target;
            let message = match link.state {
                LinkState::Missing => format!(
                    "the linked feature file `{target}` does not exist: fix the path (it is relative to the spec's folder) or create the file"
                ),
                LinkState::Refused(LinkRefusal::OutsideWorkspace) => format!(
                    "the linked feature file `{target}` links outside the workspace (through `..` or a symbolic link), so it is not read: move the file into the workspace and link it there"
                ),
                LinkState::Refused(LinkRefusal::NotRegularFile) => format!(
                    "the linked feature file `{target}` is not a regular file (a folder, FIFO, device or socket), so it is not read: link a `.feature` file"
                ),
                LinkState::Unresolved | LinkState::Loaded { .. } => return None,
            };
            Some(Diagnostic::new(
                Code::SB042,
                Severity::Error,
                link.span.clone(),
                message,
            ))
        })
        .collect()
}
