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
    let rules: [fn(&Rule<'_>) -> Vec<Diagnostic>; 21] = [
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
    let mut diagnostics: Vec<Diagnostic> = rules.iter().flat_map(|check| check(&rule)).collect();
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
pub fn lint_feature(doc: &crate::spec::gherkin::GherkinDocument) -> Vec<Diagnostic> {
    doc.errors
        .iter()
        .map(|e| {
            Diagnostic::new(
                Code::SB004,
                Severity::Error,
                e.span.clone(),
                sb004_gherkin_syntax::message(&e.message),
            )
        })
        .collect()
}
