//! textDocument/hover: an order entry shows its scenario; a scenario shows itself.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::SpecFile;
use crate::spec::FileId;

pub fn hover(analysis: &Analysis, position: Position, encoding: Encoding) -> Option<Hover> {
    let loaded = analysis.spec()?;
    let file = SpecFile::open(analysis, FileId::Spec)?;
    let text = file.text(encoding);
    let hover = loaded.spec.hover_at(&loaded.text, text.offset(position))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(text.range(hover.range)),
    })
}
