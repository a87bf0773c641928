//! The report of `smallbatch check`: diagnostics turned into positions
//! (1-based lines, columns in characters), printed as `human`, `json` or
//! `github` workflow annotations.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::terminal;
use crate::lint::{Code, Diagnostic, Severity};
use crate::spec::LineIndex;

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-like: `path:line:col: severity[code]: message` and the source line.
    #[default]
    Human,
    /// One JSON object.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// The longest source line shown under a diagnostic, in characters.
const MAX_SHOWN_LINE: usize = 240;

/// One diagnostic with its position resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the working directory, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// The line the diagnostic starts on (shortened when very long); `None`
    /// when there is no text to show (a file that could not be read).
    pub source_line: Option<String>,
    /// Character columns (0-based, end exclusive) to underline in `source_line`.
    pub underline: Range<usize>,
}

/// Every diagnostic of a run and the number of files checked.
#[derive(Debug, Default)]
pub struct Report {
    pub files: usize,
    entries: Vec<Entry>,
}

impl Report {
    /// Adds the diagnostics of one file, whose text their ranges point into.
    pub fn add_file<'a>(
        &mut self,
        path: &str,
        text: &str,
        diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    ) {
        let mut diagnostics = diagnostics.into_iter().peekable();
        if diagnostics.peek().is_none() {
            return;
        }
        let index = LineIndex::new(text);
        for diagnostic in diagnostics {
            self.entries.push(entry(path, text, &index, diagnostic));
        }
    }

    /// Adds another report's files and diagnostics after this one's.
    pub fn append(&mut self, other: Report) {
        self.files += other.files;
        self.entries.extend(other.entries);
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.entries
            .iter()
            .filter(|e| e.severity == severity)
            .count()
    }

    /// The entries sorted by path, then position.
    pub fn entries(&mut self) -> &[Entry] {
        self.entries.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.end_line, a.end_column, a.code).cmp(&(
                &b.path,
                b.line,
                b.column,
                b.end_line,
                b.end_column,
                b.code,
            ))
        });
        &self.entries
    }

    /// Prints the report in a format.
    pub fn write(&mut self, format: Format, out: &mut impl Write) -> io::Result<()> {
        match format {
            Format::Human => self.write_human(out),
            Format::Json => self.write_json(out),
            Format::Github => self.write_github(out),
        }
    }

    fn write_human(&mut self, out: &mut impl Write) -> io::Result<()> {
        for entry in self.entries() {
            write_human_entry(entry, out)?;
        }
        writeln!(out, "{}", self.summary())
    }

    fn write_json(&mut self, out: &mut impl Write) -> io::Result<()> {
        let json = JsonReport {
            files: self.files,
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: self.entries().iter().map(JsonDiagnostic::from).collect(),
        };
        serde_json::to_writer(&mut *out, &json)?;
        writeln!(out)
    }

    fn write_github(&mut self, out: &mut impl Write) -> io::Result<()> {
        for entry in self.entries() {
            let command = match entry.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&terminal::escape(&entry.path)),
                entry.line,
                entry.column,
                entry.end_line,
                entry.end_column,
                escape_property(entry.code.as_str()),
                escape_data(&terminal::escape(&entry.message)),
            )?;
        }
        writeln!(out, "{}", self.summary())
    }

    /// `3 files checked: 1 error, 2 warnings`.
    pub fn summary(&self) -> String {
        format!(
            "{} checked: {}, {}",
            plural(self.files, "file"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn entry(path: &str, text: &str, index: &LineIndex, diagnostic: &Diagnostic) -> Entry {
    let start = diagnostic.range.start.min(text.len());
    let end = diagnostic.range.end.clamp(start, text.len());
    let (line, column) = index.line_col(text, start);
    let (end_line, end_column) = index.line_col(text, end);
    let line_start = index.line_start(line - 1).unwrap_or(0);
    let line_end = index.line_start(line).unwrap_or(text.len());
    let full_line = text
        .get(line_start..line_end)
        .unwrap_or_default()
        .trim_end_matches(['\n', '\r']);
    let source_line: String = full_line.chars().take(MAX_SHOWN_LINE).collect();
    let shown = source_line.chars().count();
    let underline_end = if end_line == line {
        end_column
    } else {
        shown + 1
    };
    let first = (column - 1).min(shown);
    let last = (underline_end - 1).clamp(first + 1, shown.max(first + 1));
    Entry {
        path: path.to_string(),
        line,
        column,
        end_line,
        end_column,
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        source_line: (!text.is_empty()).then_some(source_line),
        underline: first..last,
    }
}

fn write_human_entry(entry: &Entry, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{}:{}:{}: {}[{}]: {}",
        terminal::escape(&entry.path),
        entry.line,
        entry.column,
        entry.severity.as_str(),
        entry.code,
        terminal::escape(&entry.message)
    )?;
    let Some(source_line) = &entry.source_line else {
        return writeln!(out);
    };
    let number = entry.line.to_string();
    let gutter = " ".repeat(number.len());
    // Keep tabs, and count escaped characters at their shown width, so that
    // the carets line up with the text above them.
    let padding: String = source_line
        .chars()
        .take(entry.underline.start)
        .flat_map(|c| {
            let fill = if c == '\t' { '\t' } else { ' ' };
            std::iter::repeat_n(fill, terminal::shown_width(c))
        })
        .collect();
    let underlined: usize = source_line
        .chars()
        .skip(entry.underline.start)
        .take(entry.underline.len())
        .map(terminal::shown_width)
        .sum();
    let carets = "^".repeat(underlined.max(1));
    let source_line = terminal::escape(source_line);
    writeln!(out, "{number} | {source_line}")?;
    writeln!(out, "{gutter} | {padding}{carets}")?;
    writeln!(out)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
}

impl<'a> From<&'a Entry> for JsonDiagnostic<'a> {
    fn from(entry: &'a Entry) -> Self {
        JsonDiagnostic {
            path: &entry.path,
            line: entry.line,
            column: entry.column,
            end_line: entry.end_line,
            end_column: entry.end_column,
            severity: entry.severity.as_str(),
            code: entry.code.as_str(),
            message: &entry.message,
        }
    }
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn report() -> Report {
        let text = "# Title\n\tsome ç text\nlast";
        let mut report = Report {
            files: 2,
            ..Report::default()
        };
        let diagnostics = [
            Diagnostic::new(Code::SB002, Severity::Warning, 22..26, "a warning, 100%"),
            Diagnostic::new(Code::SB001, Severity::Error, 14..16, "an error:\nhere"),
        ];
        report.add_file("specs/a.md", text, &diagnostics);
        report
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        report().write(format, &mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn human_shows_the_line_and_underlines_the_range() {
        expect![[r#"
            specs/a.md:2:7: error[SB001]: an error:
            here
            2 | 	some ç text
              | 	     ^

            specs/a.md:3:1: warning[SB002]: a warning, 100%
            3 | last
              | ^^^^

            2 files checked: 1 error, 1 warning
        "#]]
        .assert_eq(&render(Format::Human));
    }

    #[test]
    fn json_is_one_object() {
        expect![[r#"
            {"files":2,"errors":1,"warnings":1,"diagnostics":[{"path":"specs/a.md","line":2,"column":7,"endLine":2,"endColumn":8,"severity":"error","code":"SB001","message":"an error:\nhere"},{"path":"specs/a.md","line":3,"column":1,"endLine":3,"endColumn":5,"severity":"warning","code":"SB002","message":"a warning, 100%"}]}
        "#]]
        .assert_eq(&render(Format::Json));
    }

    #[test]
    fn github_annotations_are_escaped() {
        expect![[r#"
            ::error file=specs/a.md,line=2,col=7,endLine=2,endColumn=8,title=SB001::an error:%0Ahere
            ::warning file=specs/a.md,line=3,col=1,endLine=3,endColumn=5,title=SB002::a warning, 100%25
            2 files checked: 1 error, 1 warning
        "#]]
        .assert_eq(&render(Format::Github));
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
    }

    #[test]
    fn ranges_past_the_end_are_clamped() {
        let mut report = Report::default();
        let diagnostic = Diagnostic::new(Code::SB000, Severity::Error, 50..90, "x");
        report.add_file("a.md", "ab\ncd", [&diagnostic]);
        let entry = &report.entries()[0];
        assert_eq!(
            (entry.line, entry.column, entry.end_line, entry.end_column),
            (2, 3, 2, 3)
        );
    }
}
