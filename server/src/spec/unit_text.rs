//! A unit's own text, as a context load hands it over and as SB030 weighs
//! it, and the token estimate both use.

use std::fmt::Write as _;
use std::ops::Range;

use super::gherkin::Flavor;
use super::{FileId, Scenario, ScenarioSource, Spec, UnitRef};

/// The default budget of a context load, in estimated tokens.
pub const DEFAULT_TOKEN_BUDGET: usize = 3_000;

/// The token estimate of a text: its characters / 4, rounded up.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

impl Spec {
    /// A unit's own text, whole: a scenario's Gherkin (as written, dedented;
    /// rebuilt from the model when written as markdown), a phase's text with
    /// its tasks, a task with its nested items (dedented). `None` for a
    /// configured phase, which has no text of its own.
    pub fn unit_text(&self, text: &str, unit: &UnitRef) -> Option<String> {
        match unit {
            UnitRef::Scenario(i) => Some(scenario_text(self, text, self.scenarios.get(*i)?)),
            UnitRef::PlanPhase(i) => {
                let phase = self.phases.get(*i)?;
                Some(plan_excerpt(self, text, phase.file, phase.span.clone()))
            }
            UnitRef::PlanTask(i) => {
                let task = self.tasks.get(*i)?;
                Some(dedent(&plan_excerpt(
                    self,
                    text,
                    task.file,
                    task.span.clone(),
                )))
            }
            UnitRef::ConfiguredPhase(_) => None,
        }
    }

    /// The text of `range` of the spec, trimmed, without HTML comments or
    /// any scenario written in it.
    pub fn excerpt(&self, text: &str, range: Range<usize>) -> String {
        spec_excerpt(self, text, range)
    }
}

/// A plan unit's text: from the spec (without scenarios and comments), or
/// as written in the sub-spec file that holds the plan.
fn plan_excerpt(spec: &Spec, text: &str, file: FileId, range: Range<usize>) -> String {
    match file {
        FileId::Spec => spec_excerpt(spec, text, range),
        _ => spec
            .file_text(text, file)
            .and_then(|t| t.get(range))
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// The scenario's Gherkin: as written in its file, dedented, or rebuilt from
/// the model when it is written as markdown.
fn scenario_text(spec: &Spec, text: &str, scenario: &Scenario) -> String {
    let markdown = match scenario.file {
        FileId::Spec | FileId::Part(_) => scenario.source == ScenarioSource::Heading,
        FileId::Linked(i) => spec
            .feature_links
            .get(i)
            .is_none_or(|l| l.flavor() == Flavor::Markdown),
    };
    let written = spec
        .file_text(text, scenario.file)
        .filter(|_| !markdown)
        .and_then(|file| {
            let start = line_start_if_indented(file, scenario.full_span.start);
            file.get(start..scenario.full_span.end)
        });
    match written {
        Some(written) => dedent(written),
        None => gherkin_from_model(scenario),
    }
}

/// The start of `at`'s line when only whitespace comes before it on it.
fn line_start_if_indented(text: &str, at: usize) -> usize {
    let Some(before) = text.get(..at) else {
        return at;
    };
    let start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if before[start..].trim().is_empty() {
        start
    } else {
        at
    }
}

/// The lines without their common indentation, joined with `\n`.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Scenario: name` and its steps, from the model.
fn gherkin_from_model(scenario: &Scenario) -> String {
    let mut out = format!("{}: {}", scenario.keyword.trim(), scenario.name);
    for step in &scenario.steps {
        let _ = write!(out, "\n  {} {}", step.keyword.trim(), step.text);
    }
    out
}

/// The text of `range` of the spec without HTML comments or any scenario
/// written in it, so that no other scenario's text reaches a context load.
fn spec_excerpt(spec: &Spec, text: &str, range: Range<usize>) -> String {
    let mut cuts: Vec<Range<usize>> = spec
        .scenarios
        .iter()
        .filter(|s| s.file == FileId::Spec)
        .map(|s| line_start_if_indented(text, s.full_span.start)..s.full_span.end)
        .chain(html_comments(text, range.clone()))
        .filter(|cut| cut.start < range.end && cut.end > range.start)
        .collect();
    cuts.sort_by_key(|c| c.start);
    let mut out = String::new();
    let mut at = range.start;
    for cut in cuts {
        if cut.start > at {
            out.push_str(text.get(at..cut.start).unwrap_or_default());
        }
        at = at.max(cut.end);
    }
    if at < range.end {
        out.push_str(text.get(at..range.end).unwrap_or_default());
    }
    out.trim().to_string()
}

/// `<!-- … -->` comments in `range` (an unclosed one runs to its end); a
/// comment alone on its lines takes its line break with it.
fn html_comments(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(region) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut comments = Vec::new();
    let mut from = 0;
    while let Some(open) = region[from..].find("<!--") {
        let start = from + open;
        let mut end = region[start + 4..]
            .find("-->")
            .map_or(region.len(), |close| start + 4 + close + 3);
        let line_start = region[..start].rfind('\n').map_or(0, |i| i + 1);
        let rest = &region[end..];
        let line_end = rest.find('\n').map_or(region.len(), |i| end + i + 1);
        if region[line_start..start].trim().is_empty() && region[end..line_end].trim().is_empty() {
            end = line_end;
        }
        comments.push(range.start + start..range.start + end);
        from = end;
    }
    comments
}
