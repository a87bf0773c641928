//! textDocument/definition: order entry ↔ scenario ↔ log entry; links to feature files.

use tower_lsp_server::ls_types::{GotoDefinitionResponse, Location, Position, Range, Uri};

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::{SpecFile, locations};
use crate::ide::navigation::{self, Definition};
use crate::spec::FileId;

pub fn definition(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<GotoDefinitionResponse> {
    let loaded = analysis.spec()?;
    let offset = SpecFile::open(analysis, FileId::Spec)?
        .text(encoding)
        .offset(position);
    let mut locations: Vec<Location> = match navigation::definition(&loaded.spec, offset)? {
        Definition::Mentions(mentions) => locations(analysis, &mentions, encoding),
        Definition::File(file) => vec![file_start(analysis, file)?],
    };
    match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

/// The start of a linked file, whether or not it could be read.
fn file_start(analysis: &Analysis, file: FileId) -> Option<Location> {
    let FileId::Linked(i) = file else {
        return Some(Location::new(analysis.uri.clone(), Range::default()));
    };
    let path = analysis.spec()?.linked.get(i)?.as_deref()?;
    Some(Location::new(Uri::from_file_path(path)?, Range::default()))
}
