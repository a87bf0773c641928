//! Spec model → diagnostics. One rule per file; each rule is a pure function
//! of the model (and, for the rules that need them, facts about the workspace).

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use crate::spec::{FileId, ScenarioIndex, Spec, normalize_name, spec_number};

mod edits;
mod sb001_intent;
mod sb002_feature_description;
mod sb003_no_scenarios;
mod sb004_gherkin_syntax;
mod sb005_duplicate_scenario;
mod sb006_no_outcome;
mod sb007_control_character;
mod sb010_no_order;
mod sb011_unknown_order_entry;
mod sb012_unordered_scenario;
mod sb013_repeated_order_entry;
mod sb020_missing_summary;
mod sb021_log_without_session;
mod sb022_out_of_order_session;
mod sb023_paused_without_notes;
mod sb024_repeated_failures;
mod sb025_unreadable_record;
mod sb026_unticked_boxes;
mod sb027_ticked_without_session;
mod sb030_context_over_budget;
mod session_facts;

pub use session_facts::{Progress, SessionFact, SessionFacts, SessionState, UnitProgress};
mod sb040_front_matter;
mod sb041_unknown_dependency;
mod sb042_missing_feature_file;

/// What every rule reads: the model, the spec's text, and workspace facts.
pub struct Rule<'a> {
    pub spec: &'a Spec,
    pub text: &'a str,
    pub ctx: &'a LintContext,
    /// The spec's scenarios by name, built once for every rule.
    pub scenarios: ScenarioIndex,
    /// Each order entry's normalized name and the scenario it names.
    pub entries: Vec<(String, Option<usize>)>,
    /// What the spec's session records say, when they were read.
    pub facts: Option<&'a SessionFacts>,
}

/// A diagnostic's stable code (DESIGN §5). Codes never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The file could not be read: not UTF-8, unreadable, or too large.
    SB000,
    SB001,
    SB002,
    SB003,
    SB004,
    SB005,
    SB006,
    /// A scenario name holds a control character.
    SB007,
    SB010,
    SB011,
    SB012,
    SB013,
    SB020,
    SB021,
    SB022,
    SB023,
    SB024,
    SB025,
    SB026,
    SB027,
    SB030,
    SB040,
    SB041,
    SB042,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SB000 => "SB000",
            Code::SB001 => "SB001",
            Code::SB002 => "SB002",
            Code::SB003 => "SB003",
            Code::SB004 => "SB004",
            Code::SB005 => "SB005",
            Code::SB006 => "SB006",
            Code::SB007 => "SB007",
            Code::SB010 => "SB010",
            Code::SB011 => "SB011",
            Code::SB012 => "SB012",
            Code::SB013 => "SB013",
            Code::SB020 => "SB020",
            Code::SB021 => "SB021",
            Code::SB022 => "SB022",
            Code::SB023 => "SB023",
            Code::SB024 => "SB024",
            Code::SB025 => "SB025",
            Code::SB026 => "SB026",
            Code::SB027 => "SB027",
            Code::SB030 => "SB030",
            Code::SB040 => "SB040",
            Code::SB041 => "SB041",
            Code::SB042 => "SB042",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One replacement in the spec's text.
pub use crate::spec::Replacement as TextEdit;

/// A quick fix: a titled set of edits to the spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file the range is in: the spec or one of its linked files.
    pub file: FileId,
    /// Byte range in that file.
    pub range: Range<usize>,
    /// What is wrong and what to do.
    pub message: String,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        severity: Severity,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            file: FileId::Spec,
            range,
            message: message.into(),
            fixes: Vec::new(),
        }
    }

    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = file;
        self
    }

    /// The diagnostic with a range that covers at least one character of
    /// the line it names (an editor shows nothing for an empty range): the
    /// character at an empty range, else the one before it at a line's end,
    /// else the line break of an empty line (the last one at the end of the
    /// text). Every rule's diagnostic goes
    /// through this.
    fn covering_a_character(mut self, text: &str) -> Self {
        let at = self.range.start;
        if !self.range.is_empty() || !text.is_char_boundary(at) {
            return self;
        }
        let after = text[at..].chars().next();
        let before = text[..at].chars().next_back();
        let is_break = |c: char| c == '\n' || c == '\r';
        self.range = match (before, after) {
            (_, Some(c)) if !is_break(c) => at..at + c.len_utf8(),
            (Some(c), _) if !is_break(c) => at - c.len_utf8()..at,
            (_, Some(_)) if text[at..].starts_with("\r\n") => at..at + 2,
            (_, Some(_)) => at..at + 1,
            (Some(c), None) => at - c.len_utf8()..at,
            (None, None) => self.range,
        };
        self
    }

    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<TextEdit>) -> Self {
        self.fixes.push(Fix {
            title: title.into(),
            edits,
        });
        self
    }
}

/// Facts about the workspace that some rules need.
#[derive(Debug, Clone)]
pub struct LintContext {
    /// The ids of every spec in the workspace (folder name in the LeanSpec
    /// layout, else the file stem), for SB041.
    pub spec_ids: HashSet<String>,
    /// The configured budget of a context load, in estimated tokens (SB030).
    pub token_budget: usize,
}

impl Default for LintContext {
    fn default() -> Self {
        LintContext {
            spec_ids: HashSet::new(),
            token_budget: crate::spec::DEFAULT_TOKEN_BUDGET,
        }
    }
}

impl LintContext {
    /// Whether a `depends_on`/`parent` reference names a known spec: by its
    /// id, or by its leading number (`12`, `012` and `012-invoices` all name
    /// `012-invoices`).
    pub fn knows_spec(&self, reference: &str) -> bool {
        let reference = reference.trim();
        if self.spec_ids.contains(reference) {
            return true;
        }
        let Some(number) = spec_number(reference) else {
            return false;
        };
        self.spec_ids
            .iter()
            .any(|id| spec_number(id) == Some(number))
    }
}

/// The missing-section checks: not reported on a finished (`complete` or
/// `archived`) spec, as LeanSpec's validator does not.
const MISSING_SECTIONS: [Code; 5] = [
    Code::SB001,
    Code::SB002,
    Code::SB003,
    Code::SB010,
    Code::SB012,
];

/// Every diagnostic of a spec that its text and the workspace give, sorted
/// by file and position.
pub fn lint_spec(spec: &Spec, text: &str, ctx: &LintContext) -> Vec<Diagnostic> {
    lint_spec_with(spec, text, ctx, None)
}

/// Every diagnostic of a spec, the session rules included when `facts` are
/// given, sorted by file and position.
pub fn lint_spec_with(
    spec: &Spec,
    text: &str,
    ctx: &LintContext,
    facts: Option<&SessionFacts>,
) -> Vec<Diagnostic> {
    let rules: [fn(&Rule<'_>) -> Vec<Diagnostic>; 23] = [
        sb001_intent::check,
        sb002_feature_description::check,
        sb003_no_scenarios::check,
        sb004_gherkin_syntax::check,
        sb005_duplicate_scenario::check,
        sb006_no_outcome::check,
        sb007_control_character::check,
        sb010_no_order::check,
        sb011_unknown_order_entry::check,
        sb012_unordered_scenario::check,
        sb013_repeated_order_entry::check,
        sb020_missing_summary::check,
        sb021_log_without_session::check,
        sb022_out_of_order_session::check,
        sb023_paused_without_notes::check,
        sb024_repeated_failures::check,
        sb025_unreadable_record::check,
        sb026_unticked_boxes::check,
        sb027_ticked_without_session::check,
        sb030_context_over_budget::check,
        sb040_front_matter::check,
        sb041_unknown_dependency::check,
        sb042_missing_feature_file::check,
    ];
    let scenarios = spec.scenario_index();
    let entries = spec
        .order
        .iter()
        .flat_map(|order| &order.entries)
        .map(|entry| {
            let key = normalize_name(&entry.name);
            let scenario = scenarios.get_key(&key);
            (key, scenario)
        })
        .collect();
    let rule = Rule {
        spec,
        text,
        ctx,
        scenarios,
        entries,
        facts,
    };
    let finished = spec
        .front_matter
        .as_ref()
        .and_then(|f| f.finished_status())
        .is_some();
    let mut diagnostics: Vec<Diagnostic> = rules
        .iter()
        .flat_map(|check| check(&rule))
        .filter(|d| !(finished && MISSING_SECTIONS.contains(&d.code)))
        .map(|d| {
            let file_text = spec.file_text(text, d.file).unwrap_or(text);
            d.covering_a_character(file_text)
        })
        .collect();
    diagnostics.sort_by(|a, b| {
        (a.file, a.range.start, a.range.end, a.code).cmp(&(
            b.file,
            b.range.start,
            b.range.end,
            b.code,
        ))
    });
    diagnostics
}

/// Diagnostics of a standalone `.feature` / `.feature.md` file: its Gherkin errors.
pub fn lint_feature(doc: &crate::spec::gherkin::GherkinDocument, text: &str) -> Vec<Diagnostic> {
    doc.errors
        .iter()
        .map(|e| {
            Diagnostic::new(
                Code::SB004,
                Severity::Error,
                e.span.clone(),
                sb004_gherkin_syntax::message(&e.message),
            )
            .covering_a_character(text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str, at: usize) -> Range<usize> {
        Diagnostic::new(Code::SB002, Severity::Warning, at..at, "x")
            .covering_a_character(text)
            .range
    }

    #[test]
    fn an_empty_range_grows_to_a_character_of_its_line() {
        assert_eq!(covered("ab\n", 0), 0..1, "the character at it");
        assert_eq!(covered("ab\ncd", 2), 1..2, "the last one of the line");
        assert_eq!(covered("é\n", 2), 0..2, "a whole character");
        assert_eq!(covered("a\n\nb", 2), 2..3, "an empty line's break");
        assert_eq!(covered("a\r\n\r\nb", 3), 3..5, "a CRLF break whole");
        assert_eq!(covered("a\n", 2), 1..2, "the end of the text");
        assert_eq!(covered("", 0), 0..0, "nothing to cover");
    }
}
