//! textDocument/hover: an order entry shows its scenario; a scenario shows
//! itself, its place in the order and its sessions.

use tower_lsp_server::ls_types::*;

use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::SpecFile;
use crate::spec::FileId;

pub fn hover(analysis: &Analysis, position: Position, encoding: Encoding) -> Option<Hover> {
    let loaded = analysis.spec()?;
    let file = SpecFile::open(analysis, FileId::Spec)?;
    let text = file.text(encoding);
    let offset = text.offset(position);
    let mut hover = loaded.spec.hover_at(&loaded.text, offset)?;
    // The scenario's sessions, from its records.
    let sessions = loaded.spec.scenario_at(offset).and_then(|(_, i)| {
        let name = &loaded.spec.scenarios.get(i)?.name;
        loaded.facts.as_ref()?.describe_unit(name)
    });
    if let Some(sessions) = sessions {
        hover.markdown.push_str("\n\n");
        hover.markdown.push_str(&sessions);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(text.range(hover.range)),
    })
}
