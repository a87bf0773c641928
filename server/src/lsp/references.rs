//! textDocument/references: every place a scenario is named.

use tower_lsp_server::ls_types::{Location, Position};

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::{SpecFile, locations};
use crate::ide::navigation;
use crate::spec::FileId;

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
    let mentions = navigation::references(spec, offset, include_declaration)?;
    Some(locations(analysis, &mentions, encoding))
}
