//! textDocument/hover: an order entry shows its scenario; a scenario shows
//! itself, its place in the order and its sessions.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::SpecFile;
use crate::ide::hover;
use crate::spec::FileId;

pub fn hover(analysis: &Analysis, position: Position, encoding: Encoding) -> Option<Hover> {
    let loaded = analysis.spec()?;
    let file = SpecFile::open(analysis, FileId::Spec)?;
    let text = file.text(encoding);
    let offset = text.offset(position);
    let shown = hover::hover(&loaded.spec, &loaded.text, offset, loaded.facts.as_ref())?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: shown.markdown,
        }),
        range: Some(text.range(shown.range)),
    })
}
