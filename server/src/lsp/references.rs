//! textDocument/references: every place a scenario is named.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::{SpecFile, locations};
use crate::spec::{FileId, MentionKind};

pub fn references(
    analysis: &Analysis,
    position: Position,
    include_declaration: bool,
    encoding: Encoding,
) -> Option<Vec<Location>> {
    let spec = &analysis.spec()?.spec;
    let offset = SpecFile::open(analysis, FileId::Spec)?
        .text(encoding)
        .offset(position);
    let (_, scenario) = spec.scenario_at(offset)?;
    let mut mentions = spec.mentions(scenario);
    if !include_declaration {
        mentions.retain(|m| m.kind != MentionKind::Scenario);
    }
    Some(locations(analysis, &mentions, encoding))
}
