//! textDocument/definition: order entry ↔ scenario ↔ log entry; links to feature files.

use std::borrow::Cow;
use std::ops::Range as ByteRange;

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::{Encoding, LineStarts};
use super::to_proto::Text;
use crate::spec::{Definition, FileId, Mention};

pub fn definition(
    analysis: &Analysis,
    position: Position,
    encoding: Encoding,
) -> Option<GotoDefinitionResponse> {
    let loaded = analysis.spec()?;
    let offset = SpecFile::open(analysis, FileId::Spec)?
        .text(encoding)
        .offset(position);
    let mut locations: Vec<Location> = match loaded.spec.definition(offset)? {
        Definition::Mentions(mentions) => locations(analysis, &mentions, encoding),
        Definition::File(file) => vec![file_start(analysis, file)?],
    };
    match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

/// The locations of mentions, in the spec or in its linked files.
pub(super) fn locations(
    analysis: &Analysis,
    mentions: &[Mention],
    encoding: Encoding,
) -> Vec<Location> {
    mentions
        .iter()
        .filter_map(|m| {
            let file = SpecFile::open(analysis, m.file)?;
            Some(file.location(m.range.clone(), encoding))
        })
        .collect()
}

/// The start of a linked file, whether or not it could be read.
fn file_start(analysis: &Analysis, file: FileId) -> Option<Location> {
    let FileId::Linked(i) = file else {
        return Some(Location::new(analysis.uri.clone(), Range::default()));
    };
    let path = analysis.spec()?.linked.get(i)?.as_deref()?;
    Some(Location::new(Uri::from_file_path(path)?, Range::default()))
}

/// A file of the analysed spec (the document itself or a linked feature
/// file) with what converting its offsets needs.
pub(super) struct SpecFile<'a> {
    pub uri: Uri,
    text: &'a str,
    lines: Cow<'a, LineStarts>,
}

impl<'a> SpecFile<'a> {
    /// The document itself, or a linked file as the spec was loaded with it.
    pub fn open(analysis: &'a Analysis, file: FileId) -> Option<SpecFile<'a>> {
        if file == FileId::Spec {
            return Some(SpecFile {
                uri: analysis.uri.clone(),
                text: &analysis.text,
                lines: Cow::Borrowed(&analysis.lines),
            });
        }
        let (path, text) = analysis.spec()?.source(file)?;
        Some(SpecFile {
            uri: Uri::from_file_path(path)?,
            text,
            lines: Cow::Owned(LineStarts::new(text)),
        })
    }

    pub fn text(&self, encoding: Encoding) -> Text<'_> {
        Text {
            text: self.text,
            lines: &self.lines,
            encoding,
        }
    }

    pub fn location(&self, range: ByteRange<usize>, encoding: Encoding) -> Location {
        Location::new(self.uri.clone(), self.text(encoding).range(range))
    }
}
