//! Core values → LSP values. Positions go through `position` only.

use std::borrow::Cow;
use std::ops::Range as ByteRange;

use tower_lsp_server::ls_types::{self as lsp, Location, NumberOrString, Uri};

use super::documents::Analysis;
use super::position::{Encoding, LineStarts};
use crate::ide::navigation::Mention;
use crate::lint;
use crate::spec::FileId;

/// A text with its line starts, in the negotiated encoding.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineStarts,
    pub encoding: Encoding,
}

impl<'a> Text<'a> {
    /// The analysed document's own text.
    pub fn of(analysis: &'a Analysis, encoding: Encoding) -> Text<'a> {
        Text {
            text: &analysis.text,
            lines: &analysis.lines,
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        self.lines.position(self.text, offset, self.encoding)
    }

    pub fn range(&self, range: ByteRange<usize>) -> lsp::Range {
        lsp::Range::new(self.position(range.start), self.position(range.end))
    }

    pub fn offset(&self, position: lsp::Position) -> usize {
        self.lines.offset(self.text, position, self.encoding)
    }
}

pub fn severity(severity: lint::Severity) -> lsp::DiagnosticSeverity {
    match severity {
        lint::Severity::Error => lsp::DiagnosticSeverity::ERROR,
        lint::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        lint::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostic(d: &lint::Diagnostic, text: Text<'_>) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: text.range(d.range.clone()),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().into())),
        source: Some("smallbatch".into()),
        message: d.message.clone(),
        ..lsp::Diagnostic::default()
    }
}

pub fn text_edit(edit: &lint::TextEdit, text: Text<'_>) -> lsp::TextEdit {
    lsp::TextEdit {
        range: text.range(edit.range.clone()),
        new_text: edit.new_text.clone(),
    }
}

/// The locations of mentions, in the spec or in its linked files.
pub fn locations(analysis: &Analysis, mentions: &[Mention], encoding: Encoding) -> Vec<Location> {
    mentions
        .iter()
        .filter_map(|m| {
            let file = SpecFile::open(analysis, m.file)?;
            Some(file.location(m.range.clone(), encoding))
        })
        .collect()
}

/// A file of the analysed spec (the document itself or a linked feature
/// file) with what converting its offsets needs.
pub struct SpecFile<'a> {
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
