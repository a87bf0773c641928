//! Core values → LSP values. Positions go through `position` only.

use std::ops::Range as ByteRange;

use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use super::position::{Encoding, LineStarts};
use crate::lint;

/// A text with its line starts, in the negotiated encoding.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineStarts,
    pub encoding: Encoding,
}

impl Text<'_> {
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
