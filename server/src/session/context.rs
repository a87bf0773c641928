//! The context load (DESIGN §6): what an agent is handed when a session
//! starts — the spec's title and the unit's place, the intent in two
//! sentences, the feature description, the unit's own text, the relevant
//! files, the summaries of completed sessions and the rules of the session.
//! It never holds the other scenarios. The resume context puts what a paused
//! session left behind on top of the load.

use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::diff::{TextDiff, unified_diff};
use super::record::{SessionRecord, UnitKind, UnitOfWork};
use crate::spec::gherkin::Flavor;
use crate::spec::{FileId, Scenario, ScenarioSource, SectionKind, Spec, UnitRef};

/// The default budget of a context load, in estimated tokens.
pub const DEFAULT_BUDGET: usize = 3_000;

/// How many sentences of the intent the load keeps.
const INTENT_SENTENCES: usize = 2;

/// The token estimate of a text: its characters / 4, rounded up.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

/// What a context load is built from.
#[derive(Debug, Clone, Copy)]
pub struct ContextInput<'a> {
    pub spec: &'a Spec,
    /// The spec's text (linked feature files' texts are in the spec's links).
    pub text: &'a str,
    pub unit: &'a UnitRef,
    /// The configured phases: the units of a spec with neither scenarios nor a plan.
    pub configured_phases: &'a [String],
    /// How commands name the spec (its path or spec-id), for the rules.
    pub spec_ref: Option<&'a str>,
    /// Files changed by earlier sessions of the spec and files named in it
    /// (see [`relevant_files`]).
    pub relevant_files: &'a [String],
    /// (unit name, summary) of the completed sessions, oldest first.
    pub summaries: &'a [(String, String)],
    /// In estimated tokens.
    pub budget: usize,
}

impl<'a> ContextInput<'a> {
    /// The input for `unit` of a spec, with no files, no summaries and the
    /// default budget.
    pub fn new(spec: &'a Spec, text: &'a str, unit: &'a UnitRef) -> ContextInput<'a> {
        ContextInput {
            spec,
            text,
            unit,
            configured_phases: &[],
            spec_ref: None,
            relevant_files: &[],
            summaries: &[],
            budget: DEFAULT_BUDGET,
        }
    }
}

/// The text handed to the agent, with its token estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextLoad {
    /// Markdown.
    pub text: String,
    pub tokens: usize,
    /// Whether the load is over its budget even with every summary dropped.
    pub over_budget: bool,
}

impl ContextLoad {
    /// The context load of a unit, in the order of DESIGN §6. The latest
    /// three summaries of completed sessions are whole, older ones their
    /// first sentence; while the load is over its budget, the oldest
    /// collapse first, then go. At most 15 relevant files are listed.
    pub fn build(input: &ContextInput<'_>) -> ContextLoad {
        let unit = UnitLabel::of(input);
        let before = [
            head_part(input.spec, &unit),
            intent_part(input.spec, input.text),
            feature_part(input.spec, input.text),
            unit_part(input, &unit),
            files_part(input.relevant_files),
        ]
        .concat();
        let rules = rules_part(input.spec_ref, &unit);
        let fixed = before.chars().count() + rules.chars().count();
        let summaries = fit_summaries(input.summaries, input.budget, fixed);
        let text = format!("{before}{summaries}{rules}");
        let tokens = estimate_tokens(&text);
        ContextLoad {
            over_budget: tokens > input.budget,
            tokens,
            text,
        }
    }
}

/// The unit as the load names it.
struct UnitLabel {
    /// "scenario" or "phase".
    kind: &'static str,
    name: String,
    /// "scenario 3 of 7".
    place: String,
}

impl UnitLabel {
    fn of(input: &ContextInput<'_>) -> UnitLabel {
        let kind = UnitKind::of(input.unit).word();
        let name = Some(input.spec.unit_name(input.unit))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "(unknown)".to_string());
        let units = input.spec.units(input.configured_phases);
        let place = match units.iter().position(|u| u == input.unit) {
            Some(i) => format!("{kind} {} of {}", i + 1, units.len()),
            None => format!("a {kind} outside the spec's {} units", units.len()),
        };
        UnitLabel { kind, name, place }
    }
}

fn head_part(spec: &Spec, unit: &UnitLabel) -> String {
    let title = spec
        .title
        .as_ref()
        .map_or("Untitled spec", |t| t.text.as_str());
    format!(
        "# {title}\n\nThis session implements {}: “{}”.\n\n",
        unit.place, unit.name
    )
}

fn intent_part(spec: &Spec, text: &str) -> String {
    let Some(section) = spec.section(SectionKind::Intent) else {
        return String::new();
    };
    let intent = first_sentences(
        &spec_excerpt(spec, text, section.body_span.clone()),
        INTENT_SENTENCES,
    );
    part("Intent", &intent)
}

fn feature_part(spec: &Spec, text: &str) -> String {
    let Some(section) = spec.section(SectionKind::FeatureDescription) else {
        return String::new();
    };
    part(
        "Feature description",
        &spec_excerpt(spec, text, section.body_span.clone()),
    )
}

/// The scenario's Gherkin, or the phase's text.
fn unit_part(input: &ContextInput<'_>, unit: &UnitLabel) -> String {
    let spec = input.spec;
    match input.unit {
        UnitRef::Scenario(i) => match spec.scenarios.get(*i) {
            Some(scenario) => part(
                "This scenario",
                &fenced("gherkin", &scenario_text(spec, input.text, scenario)),
            ),
            None => String::new(),
        },
        UnitRef::PlanPhase(i) => match phase_span(spec, *i) {
            Some(span) => part("This phase", &spec_excerpt(spec, input.text, span)),
            None => String::new(),
        },
        UnitRef::ConfiguredPhase(_) => part(
            "This phase",
            &format!("The {} phase of the whole spec.", unit.name),
        ),
    }
}

/// At most this many relevant files are listed (the first given: files
/// changed by the latest sessions come first); the rest are counted.
const MAX_FILES: usize = 15;

/// Summaries of this many latest completed sessions are given whole; older
/// ones by their first sentence, so the load stays small however long the
/// history grows.
const WHOLE_SUMMARIES: usize = 3;

fn files_part(files: &[String]) -> String {
    let mut list: String = files
        .iter()
        .take(MAX_FILES)
        .map(|f| format!("- `{f}`\n"))
        .collect();
    if files.len() > MAX_FILES {
        let _ = writeln!(list, "- … and {} more", files.len() - MAX_FILES);
    }
    part("Relevant files", list.trim_end())
}

fn rules_part(spec_ref: Option<&str>, unit: &UnitLabel) -> String {
    let (kind, name) = (unit.kind, &unit.name);
    let spec = spec_ref.unwrap_or("SPEC");
    let others = format!("The other {kind}s have sessions of their own.");
    format!(
        "## Rules of this session\n\n\
         - Work on this {kind} only: “{name}”. {others}\n\
         - Keep the earlier {kind}s passing: run the tests before you commit.\n\
         - End with one commit whose message names the {kind} “{name}”.\n\
         - Then write the summary — what changed, in which files, which tests cover it — \
         with `smallbatch complete {spec} --summary \"…\"`.\n"
    )
}

/// `## heading`, the body and a blank line; nothing when the body is empty.
fn part(heading: &str, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        String::new()
    } else {
        format!("## {heading}\n\n{body}\n\n")
    }
}

/// A fenced code block, its fence longer than any backtick run inside.
fn fenced(lang: &str, body: &str) -> String {
    let longest = body
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    // Only line breaks are trimmed: a diff's blank context line is a space.
    format!(
        "{fence}{lang}\n{}\n{fence}",
        body.trim_end_matches(['\n', '\r'])
    )
}

/// The summaries part that fits the budget with `fixed` characters of the
/// rest: the latest few whole and the older ones by their first sentence;
/// then, over the budget, collapse the oldest first, then drop them.
fn fit_summaries(summaries: &[(String, String)], budget: usize, fixed: usize) -> String {
    let (mut collapsed, mut dropped) = (summaries.len().saturating_sub(WHOLE_SUMMARIES), 0);
    loop {
        let part = summaries_part(summaries, collapsed, dropped);
        if (fixed + part.chars().count()).div_ceil(4) <= budget {
            return part;
        }
        if collapsed < summaries.len() {
            collapsed += 1;
        } else if dropped < summaries.len() {
            dropped += 1;
        } else {
            return part;
        }
    }
}

/// The summaries with the first `collapsed` cut to their first sentence and
/// the first `dropped` left out.
fn summaries_part(summaries: &[(String, String)], collapsed: usize, dropped: usize) -> String {
    if summaries.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Completed sessions\n\n");
    match dropped {
        0 => {}
        1 => out.push_str("1 earlier summary omitted.\n\n"),
        n => {
            let _ = write!(out, "{n} earlier summaries omitted.\n\n");
        }
    }
    for (i, (name, summary)) in summaries.iter().enumerate().skip(dropped) {
        let body = if i < collapsed {
            first_sentence(summary)
        } else {
            summary.trim().to_string()
        };
        let _ = write!(out, "### {}\n{body}\n\n", name.trim());
    }
    out
}

/// A summary collapsed: its first sentence as plain text (see
/// [`first_sentences`]; the first non-blank line when it has none outside
/// code), with `…` when more followed.
fn first_sentence(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_line = lines.next().unwrap_or_default();
    let more_lines = lines.next().is_some();
    let first = first_sentences(text, 1);
    if first.is_empty() {
        return if more_lines {
            format!("{first_line} …")
        } else {
            first_line.to_string()
        };
    }
    if more_lines || first_sentences(text, 2).len() > first.len() {
        format!("{first} …")
    } else {
        first
    }
}

/// The scenario's Gherkin: as written in its file, dedented, or rebuilt from
/// the model when it is written as markdown.
fn scenario_text(spec: &Spec, text: &str, scenario: &Scenario) -> String {
    let markdown = match scenario.file {
        FileId::Spec => scenario.source == ScenarioSource::Heading,
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

/// A plan phase's text: its heading to the next phase or the plan's end.
fn phase_span(spec: &Spec, i: usize) -> Option<Range<usize>> {
    let phase = spec.phases.get(i)?;
    let plan_end = spec
        .section(SectionKind::Plan)
        .map_or(spec.len, |s| s.span.end);
    let end = spec
        .phases
        .get(i + 1)
        .map_or(plan_end, |next| next.heading.span.start);
    Some(phase.heading.span.start..end.max(phase.heading.span.start))
}

/// The text of `range` of the spec without HTML comments or any scenario
/// written in it, so that no other scenario's text reaches the load.
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

/// The first `count` sentences of a markdown text, its markers, HTML and
/// code blocks left out. A paragraph, list item or heading without final
/// punctuation is a sentence of its own.
pub fn first_sentences(markdown: &str, count: usize) -> String {
    let mut sentences: Vec<String> = Vec::new();
    for block in text_blocks(markdown) {
        for sentence in split_sentences(&block) {
            if sentences.len() == count {
                return sentences.join(" ");
            }
            sentences.push(sentence);
        }
    }
    sentences.join(" ")
}

/// The plain text of each paragraph, heading, list item and table cell.
fn text_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let block = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !block.is_empty() {
            blocks.push(block);
        }
        current.clear();
    };
    let mut in_code_block = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) if !in_code_block => current.push_str(&t),
            Event::Code(code) => {
                let _ = write!(current, "`{code}`");
            }
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Item)
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => flush(&mut current),
            _ => {}
        }
    }
    flush(&mut current);
    blocks
}

/// A block of text cut after `.`, `!` or `?` (and closing quotes or
/// brackets) followed by whitespace, except after an abbreviation.
fn split_sentences(block: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = block.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !matches!(c, '.' | '!' | '?') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && is_closing(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(block.len(), |&(at, _)| at);
        let followed = chars.get(j).is_none_or(|&(_, c)| c.is_whitespace());
        let next = block[end..].trim_start().chars().next();
        if followed && !(c == '.' && is_abbreviation(&block[start..at], next)) {
            let sentence = block[start..end].trim();
            if !sentence.is_empty() {
                sentences.push(sentence.to_string());
            }
            start = end;
        }
        i = j;
    }
    let rest = block[start..].trim();
    if !rest.is_empty() {
        sentences.push(rest.to_string());
    }
    sentences
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_'
    )
}

/// Whether the word before a period is an abbreviation ("e.g", "i.e", "vs",
/// an initial) rather than the end of a sentence.
fn is_abbreviation(before: &str, next: Option<char>) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let dotted = word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic));
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let known = match word.to_lowercase().as_str() {
        "eg" | "ie" | "cf" | "vs" | "approx" | "incl" | "mr" | "mrs" | "ms" | "dr" | "prof"
        | "fig" | "resp" | "esp" => true,
        "etc" => !next.is_some_and(char::is_uppercase),
        _ => false,
    };
    dotted || initial || known
}

/// Extensions of files named without a folder (`export.rs`).
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "toml", "md", "json", "yaml", "yml", "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go",
    "java", "kt", "kts", "rb", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "sql", "sh", "html",
    "css", "scss", "txt", "csv", "lock", "xml", "proto", "graphql", "vue", "svelte", "ex", "exs",
    "php", "scala", "lua", "zig", "dart", "ini", "cfg", "conf", "tf", "nix", "hs", "ml", "lean",
];

/// The paths a spec names in code spans or link targets that look like
/// files (`src/export.rs`, `[tests](tests/export_test.rs)`), in order, once
/// each. Feature files are left out: they hold other scenarios.
pub fn paths_named_in(markdown: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for event in Parser::new(markdown) {
        let candidate = match event {
            Event::Code(code) => code.into_string(),
            Event::Start(Tag::Link { dest_url, .. }) => dest_url
                .split(['#', '?'])
                .next()
                .unwrap_or_default()
                .to_string(),
            _ => continue,
        };
        if let Some(path) = file_path(&candidate)
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    paths
}

/// Files changed by earlier sessions, then the paths the spec names; once each.
pub fn relevant_files(changed: &[String], spec_text: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for file in changed.iter().cloned().chain(paths_named_in(spec_text)) {
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

/// The path a code span or link target names, when it looks like a file.
fn file_path(candidate: &str) -> Option<String> {
    let path = without_line_number(candidate.trim().trim_start_matches("./"));
    let odd = |c: char| c.is_whitespace() || "()<>{}[]=,;:\"'*|`$!?&".contains(c);
    if path.is_empty() || path.contains(odd) || path.starts_with(['-', '#', '@', '~']) {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".feature") || lower.ends_with(".feature.md") || path.ends_with('/') {
        return None;
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    let (stem, extension) = file.rsplit_once('.')?;
    let extension_ok = !extension.is_empty()
        && extension.chars().all(|c| c.is_ascii_alphanumeric())
        && extension.chars().any(|c| c.is_ascii_alphabetic());
    let known = FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str());
    let looks_like_file = extension_ok && (known || (path.contains('/') && !stem.is_empty()));
    looks_like_file.then(|| path.to_string())
}

/// `src/main.rs` of `src/main.rs:42` or `src/main.rs:42:7`.
fn without_line_number(path: &str) -> &str {
    let mut path = path;
    for _ in 0..2 {
        match path.rsplit_once(':') {
            Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
                path = head;
            }
            _ => break,
        }
    }
    path
}

/// What a resume context is built from.
#[derive(Debug, Clone, Copy)]
pub struct ResumeInput<'a> {
    /// The paused session.
    pub record: &'a SessionRecord,
    /// Files changed since the session started (from git).
    pub files_changed: &'a [String],
    /// The spec's text when the session started, when known.
    pub spec_at_start: Option<&'a str>,
    /// The unit's context load, on the spec as it is now.
    pub context: ContextInput<'a>,
}

/// The text handed to the agent when a paused session resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeContext {
    /// Markdown.
    pub text: String,
    pub tokens: usize,
}

impl ResumeContext {
    /// What was done, notes, next steps, files changed and spec edits since
    /// the start, then the unit's context load.
    pub fn build(input: &ResumeInput<'_>) -> ResumeContext {
        let record = input.record;
        let mut text = format!(
            "# Resuming session {}\n\nThe session of {} “{}” was paused. Go on from where it stopped.\n\n",
            record.id,
            UnitOfWork::place(&record.unit),
            record.unit.name
        );
        text.push_str(&done_part(record));
        text.push_str(&section_or(
            "Notes",
            record.notes.as_deref().unwrap_or_default(),
            "None.",
        ));
        let steps: String = record
            .next_steps
            .iter()
            .enumerate()
            .map(|(i, step)| format!("{}. {}\n", i + 1, step.trim()))
            .collect();
        text.push_str(&section_or("Next steps", &steps, "None recorded."));
        let files: String = input
            .files_changed
            .iter()
            .map(|f| format!("- `{f}`\n"))
            .collect();
        text.push_str(&section_or(
            "Files changed since the start",
            &files,
            "None.",
        ));
        text.push_str(&section_or(
            "Spec edits since the start",
            &spec_edits(input.spec_at_start, input.context.text),
            "",
        ));
        text.push_str("---\n\n");
        // What resuming adds comes out of the unit's budget, so the whole
        // stays within it (the unit's own text permitting).
        let budget = input.context.budget.saturating_sub(estimate_tokens(&text));
        let load = ContextLoad::build(&ContextInput {
            budget,
            ..input.context
        });
        text.push_str(&load.text);
        ResumeContext {
            tokens: estimate_tokens(&text),
            text,
        }
    }
}

/// The completed tasks and the commits made so far.
fn done_part(record: &SessionRecord) -> String {
    let mut done: String = record
        .completed_tasks
        .iter()
        .map(|task| format!("- {}\n", task.trim()))
        .collect();
    for commit in &record.git.commits {
        let short = commit.id.get(..7).unwrap_or(&commit.id);
        let _ = writeln!(done, "- commit `{short}`: {}", commit.summary.trim());
    }
    section_or("What was done", &done, "Nothing recorded yet.")
}

/// `## heading` and the body, or `empty` when the body is blank.
fn section_or(heading: &str, body: &str, empty: &str) -> String {
    let body = if body.trim().is_empty() {
        empty
    } else {
        body.trim_end()
    };
    format!("## {heading}\n\n{body}\n\n")
}

/// The spec's edits since the start as a fenced unified diff.
fn spec_edits(at_start: Option<&str>, now: &str) -> String {
    let Some(at_start) = at_start else {
        return "Unknown: the spec's text at the start was not recorded.".to_string();
    };
    match unified_diff(at_start, now) {
        TextDiff::Unchanged => "No changes.".to_string(),
        TextDiff::Unified(hunks) => fenced("diff", &hunks),
        too_large @ TextDiff::TooLarge { .. } => format!("Not shown: {too_large}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::record::{CommitFact, SessionRecord};
    use crate::units::unit_of_work;

    const SPEC: &str = "---\nstatus: in-progress\n---\n\n# Export invoices as CSV\n\n## Intent\nAccountants re-type invoices by hand, e.g. every month. Exporting removes that work! They open the file anywhere.\n\n## Feature description\n- Rows are streamed.\n<!-- hint: constraints -->\n- Only the invoice module changes.\n\n## Scenarios\n\n```gherkin\nFeature: Invoice export\n  Scenario: Export a month with invoices\n    Given a month with 3 invoices\n    When I export the full month\n    Then I get a CSV with 3 rows\n\n  Scenario: Export an empty month\n    Given a month with no invoices\n    When I export the empty month\n    Then I get only the header row\n\n  Scenario: Refuse an open month\n    Given the current month is open\n    When I export the open month\n    Then I am told to close it first\n```\n\n## Scenario order\n1. Export a month with invoices\n2. Export an empty month\n3. Refuse an open month\n\n## Session log\n### Export a month with invoices\nStreamed through `csv::Writer` in `src/export.rs`.\n";

    fn load_of(spec: &Spec, text: &str, unit: &UnitRef) -> ContextLoad {
        ContextLoad::build(&ContextInput::new(spec, text, unit))
    }

    /// The scenario's lines, trimmed, without blank ones.
    fn lines_of(text: &str, scenario: &Scenario) -> Vec<String> {
        text[scenario.full_span.clone()]
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn the_load_of_scenario_2_holds_its_own_gherkin_and_no_other_scenario() {
        let spec = Spec::parse(SPEC);
        let load = load_of(&spec, SPEC, &UnitRef::Scenario(1));
        let text = &load.text;
        assert!(text.contains(
            "## Intent\n\nAccountants re-type invoices by hand, e.g. every month. Exporting removes that work!\n\n"
        ));
        assert!(!text.contains("They open the file anywhere"));
        assert!(text.contains(
            "## Feature description\n\n- Rows are streamed.\n- Only the invoice module changes.\n\n"
        ));
        assert!(!text.contains("hint: constraints"));
        assert!(text.contains(
            "```gherkin\nScenario: Export an empty month\n  Given a month with no invoices\n  When I export the empty month\n  Then I get only the header row\n```"
        ));
        for other in [&spec.scenarios[0], &spec.scenarios[2]] {
            for line in lines_of(SPEC, other) {
                assert!(!text.contains(&line), "{line:?} leaked into\n{text}");
            }
        }
        assert_eq!(load.tokens, text.chars().count().div_ceil(4));
        assert!(!load.over_budget);
    }

    #[test]
    fn the_parts_come_in_the_order_of_the_design() {
        let spec = Spec::parse(SPEC);
        let summaries = [(
            "Export a month with invoices".to_string(),
            "Did it.".to_string(),
        )];
        let files = ["src/export.rs".to_string()];
        let unit = UnitRef::Scenario(1);
        let input = ContextInput {
            summaries: &summaries,
            relevant_files: &files,
            spec_ref: Some("001-csv-export"),
            ..ContextInput::new(&spec, SPEC, &unit)
        };
        let text = ContextLoad::build(&input).text;
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        let order = [
            at("# Export invoices as CSV\n"),
            at("scenario 2 of 3"),
            at("## Intent"),
            at("## Feature description"),
            at("## This scenario"),
            at("## Relevant files\n\n- `src/export.rs`\n"),
            at("## Completed sessions\n\n### Export a month with invoices\nDid it.\n"),
            at("## Rules of this session"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{text}");
        assert!(text.contains("`smallbatch complete 001-csv-export --summary"));
        assert!(
            text.contains("one commit whose message names the scenario “Export an empty month”")
        );
    }

    #[test]
    fn the_place_line_names_the_unit_and_its_place() {
        let spec = Spec::parse(SPEC);
        let load = load_of(&spec, SPEC, &UnitRef::Scenario(2));
        assert!(load.text.starts_with(
            "# Export invoices as CSV\n\nThis session implements scenario 3 of 3: “Refuse an open month”.\n\n"
        ));
        let unit = unit_of_work(&spec, &UnitRef::Scenario(2), &[]).expect("a unit");
        assert_eq!(
            (unit.kind, unit.name.as_str(), unit.index, unit.of),
            (UnitKind::Scenario, "Refuse an open month", 3, 3)
        );
    }

    #[test]
    fn a_linked_file_scenario_is_taken_from_its_file() {
        let text = "# Export\n\n## Scenarios\n\n```gherkin\nFeature: A\n  Scenario: Written here\n    Given a thing written here\n```\n\nSee [errors](features/errors.feature).\n";
        let feature = "Feature: Errors\r\n\r\n  @slow\r\n  Scenario: Refuse an open month\r\n    Given an open month\r\n    Then I am told to close it\r\n";
        let mut spec = Spec::parse(text);
        spec.attach_feature(0, Some(feature));
        let i = spec
            .find_scenario("Refuse an open month")
            .expect("linked scenario");
        let load = load_of(&spec, text, &UnitRef::Scenario(i));
        assert!(load.text.contains("scenario 2 of 2"), "{}", load.text);
        assert!(load.text.contains(
            "```gherkin\n@slow\nScenario: Refuse an open month\n  Given an open month\n  Then I am told to close it\n```"
        ), "{}", load.text);
        assert!(!load.text.contains("a thing written here"));
    }

    #[test]
    fn scenarios_written_outside_the_scenarios_section_are_left_out() {
        let text = "# Export\n\n## Intent\nWhy.\n\n## Feature description\nStreams rows.\n\n```gherkin\nFeature: A\n  Scenario: Stray\n    Given a stray scenario step\n```\n\n## Scenarios\n\n```gherkin\nFeature: B\n  Scenario: Mine\n    Given my own step\n```\n";
        let spec = Spec::parse(text);
        let mine = spec.find_scenario("Mine").expect("a scenario");
        let load = load_of(&spec, text, &UnitRef::Scenario(mine));
        assert!(load.text.contains("Streams rows."));
        assert!(load.text.contains("Given my own step"));
        assert!(!load.text.contains("stray"), "{}", load.text);
    }

    #[test]
    fn a_heading_scenario_is_rebuilt_as_gherkin() {
        let text = "# Export\n\n## Scenarios\n\n### Scenario: Export a month\n* Given a month\n* When I export it\n* Then I get a CSV\n\n### Scenario: Other\n* Given something else\n";
        let spec = Spec::parse(text);
        let load = load_of(&spec, text, &UnitRef::Scenario(0));
        assert!(load.text.contains(
            "```gherkin\nScenario: Export a month\n  Given a month\n  When I export it\n  Then I get a CSV\n```"
        ), "{}", load.text);
        assert!(!load.text.contains("something else"));
    }

    #[test]
    fn a_plan_phase_load_holds_its_section_only() {
        let text = "# Billing plans\n\n## Overview\nPlans are invoiced by hand.\n\n## Plan\n\n### Phase 1: Schema\n- [ ] add the plans table\n\n### Phase 2: Month-end invoicing\n- [ ] one invoice per plan\n\n## Notes\nLater.\n";
        let spec = Spec::parse(text);
        let load = load_of(&spec, text, &UnitRef::PlanPhase(1));
        assert!(load.text.contains("phase 2 of 2: “Month-end invoicing”"));
        assert!(load.text.contains(
            "## This phase\n\n### Phase 2: Month-end invoicing\n- [ ] one invoice per plan\n\n"
        ));
        assert!(!load.text.contains("add the plans table"));
        assert!(!load.text.contains("Later."));
        assert!(load.text.contains("Keep the earlier phases passing"));
    }

    #[test]
    fn only_the_latest_summaries_are_whole_and_files_are_capped() {
        let spec = Spec::parse(SPEC);
        let summaries: Vec<(String, String)> = (1..=5)
            .map(|n| (format!("S{n}"), format!("S{n} first line.\nS{n} detail.")))
            .collect();
        let files: Vec<String> = (1..=20).map(|n| format!("src/f{n}.rs")).collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            relevant_files: &files,
            budget: 100_000,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains("### S1\nS1 first line. …\n"),
            "{}",
            load.text
        );
        assert!(load.text.contains("### S2\nS2 first line. …\n"));
        for n in 3..=5 {
            assert!(
                load.text
                    .contains(&format!("### S{n}\nS{n} first line.\nS{n} detail."))
            );
        }
        assert!(load.text.contains("- `src/f15.rs`\n- … and 5 more\n"));
        assert!(!load.text.contains("src/f16.rs"));
    }

    #[test]
    fn older_summaries_collapse_to_their_first_sentence() {
        let spec = Spec::parse(SPEC);
        let written = |what: &str| {
            format!(
                "{what} streamed through `csv::Writer` in `src/export.rs`. Rows are not \
                 buffered, e.g. for big months.\n\n- Commit: `abcdef1` {what}\n\
                 - Files changed: `src/export.rs`\n"
            )
        };
        let summaries: Vec<(String, String)> = ["One", "Two", "Three", "Four"]
            .iter()
            .map(|n| (n.to_string(), written(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let load = ContextLoad::build(&ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        });
        assert!(
            load.text.contains(
                "### One\nOne streamed through `csv::Writer` in `src/export.rs`. …\n\n### Two\n"
            ),
            "{}",
            load.text
        );
        assert!(
            load.text
                .contains(&format!("### Two\n{}", written("Two").trim()))
        );
        assert_eq!(load.text.matches("Rows are not buffered").count(), 3);
    }

    #[test]
    fn a_collapsed_summary_is_plain_text_with_a_mark_when_more_followed() {
        assert_eq!(first_sentence("Did it."), "Did it.");
        assert_eq!(first_sentence("  Did it.  \n\n"), "Did it.");
        assert_eq!(first_sentence("Built it. Then tested it."), "Built it. …");
        assert_eq!(first_sentence("Built it\n- Commit: `abc`"), "Built it …");
        assert_eq!(
            first_sentence("**Streamed** rows via [csv](https://x.y/a.rs), i.e. lazily. More."),
            "Streamed rows via csv, i.e. lazily. …"
        );
        assert_eq!(
            first_sentence(
                "TODO: what was built, the decisions taken and why, and what the next scenario should know.\n\n- Commit: `abcdef1` Export a month\n"
            ),
            "TODO: what was built, the decisions taken and why, and what the next scenario should know. …"
        );
        assert_eq!(first_sentence("```\nlet x = 1;\n```"), "``` …");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn summaries_collapse_oldest_first_then_drop_under_a_small_budget() {
        let spec = Spec::parse(SPEC);
        let long = |name: &str| format!("{name} first line.\n{}", "More detail. ".repeat(40));
        let summaries: Vec<(String, String)> = ["One", "Two", "Three"]
            .iter()
            .map(|n| (n.to_string(), long(n)))
            .collect();
        let unit = UnitRef::Scenario(1);
        let base = ContextInput {
            summaries: &summaries,
            ..ContextInput::new(&spec, SPEC, &unit)
        };
        let full = ContextLoad::build(&base);
        assert!(!full.over_budget);
        assert_eq!(full.text.matches("More detail.").count(), 120);

        // Room for the fixed parts and a little more: the oldest collapse.
        let without = ContextLoad::build(&ContextInput {
            summaries: &[],
            ..base
        });
        let budget = without.tokens + 300;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(load.tokens <= budget, "{} > {budget}", load.tokens);
        assert!(load.text.contains("### One\nOne first line. …\n"));
        assert!(
            load.text
                .contains("### Three\nThree first line.\nMore detail.")
        );

        // Room for almost nothing: every summary collapses, then the oldest go.
        let budget = without.tokens + 25;
        let load = ContextLoad::build(&ContextInput { budget, ..base });
        assert!(
            load.text
                .contains("2 earlier summaries omitted.\n\n### Three\nThree first line. …\n"),
            "{}",
            load.text
        );
        assert!(!load.text.contains("### One"));
        assert!(!load.over_budget);

        let load = ContextLoad::build(&ContextInput { budget: 10, ..base });
        assert!(load.over_budget);
        assert!(load.text.contains("3 earlier summaries omitted."));
    }

    #[test]
    fn intent_sentences_skip_markers_comments_and_abbreviations() {
        let intent = "<!-- why does this exist? -->\nPeople **re-type** [invoices](http://x.y/z) by hand, i.e. slowly. Dr. Who agrees: see `a.rs`.  Third one.";
        assert_eq!(
            first_sentences(intent, 2),
            "People re-type invoices by hand, i.e. slowly. Dr. Who agrees: see `a.rs`."
        );
        assert_eq!(
            first_sentences("- First item\n- Second item\n- Third", 2),
            "First item Second item"
        );
        assert_eq!(
            first_sentences("Is it? Yes (really). No.", 2),
            "Is it? Yes (really)."
        );
        assert_eq!(
            first_sentences("Version 1.5 is out, etc. Next one.", 1),
            "Version 1.5 is out, etc."
        );
        assert_eq!(first_sentences("", 2), "");
    }

    #[test]
    fn paths_named_in_the_spec_look_like_files() {
        let text = "Uses `csv::Writer` in `src/export.rs:42`, see `README.md` and [tests](./tests/export_test.rs#L3).\nNot `self.len`, `1.5`, `smallbatch complete`, [site](https://example.com/a.rs) or [errors](features/errors.feature).\n\n```rust\nlet x = `not/in/code.rs`;\n```\n\nAgain `src/export.rs`.";
        assert_eq!(
            paths_named_in(text),
            ["src/export.rs", "README.md", "tests/export_test.rs"]
        );
        assert_eq!(
            relevant_files(&["src/lib.rs".into(), "README.md".into()], text),
            [
                "src/lib.rs",
                "README.md",
                "src/export.rs",
                "tests/export_test.rs"
            ]
        );
    }

    fn paused_record() -> SessionRecord {
        let mut record = SessionRecord::new(
            "001-csv-export-20261121-002".into(),
            "specs/001-csv-export/README.md".into(),
            UnitOfWork {
                kind: UnitKind::Scenario,
                name: "Export an empty month".into(),
                index: 2,
                of: 3,
            },
            "2026-11-21T10:00:00Z",
        );
        record.completed_tasks = vec!["wrote the header row".into()];
        record.notes = Some("The writer flushes twice.".into());
        record.next_steps = vec!["test an empty month".into(), "commit".into()];
        record.git.commits = vec![CommitFact {
            id: "0123456789abcdef".into(),
            summary: "Header row".into(),
        }];
        record
    }

    #[test]
    fn the_resume_context_holds_notes_next_steps_files_and_a_diff() {
        let spec = Spec::parse(SPEC);
        let at_start = SPEC.replace("- Rows are streamed.\n", "- Rows are buffered.\n");
        let record = paused_record();
        let files = ["src/export.rs".to_string()];
        let unit = UnitRef::Scenario(1);
        let input = ResumeInput {
            record: &record,
            files_changed: &files,
            spec_at_start: Some(&at_start),
            context: ContextInput::new(&spec, SPEC, &unit),
        };
        let resume = ResumeContext::build(&input);
        let text = &resume.text;
        assert!(text.starts_with("# Resuming session 001-csv-export-20261121-002\n"));
        assert!(text.contains("scenario 2 of 3 “Export an empty month”"));
        assert!(text.contains(
            "## What was done\n\n- wrote the header row\n- commit `0123456`: Header row\n"
        ));
        assert!(text.contains("## Notes\n\nThe writer flushes twice.\n"));
        assert!(text.contains("## Next steps\n\n1. test an empty month\n2. commit\n"));
        assert!(text.contains("## Files changed since the start\n\n- `src/export.rs`\n"));
        assert!(
            text.contains("## Spec edits since the start\n\n```diff\n@@ -"),
            "{text}"
        );
        assert!(text.contains("\n-- Rows are buffered.\n+- Rows are streamed.\n"));
        assert!(text.contains("## This scenario"));
        assert_eq!(resume.tokens, estimate_tokens(text));

        let unchanged = ResumeContext::build(&ResumeInput {
            spec_at_start: Some(SPEC),
            ..input
        });
        assert!(
            unchanged
                .text
                .contains("## Spec edits since the start\n\nNo changes.\n")
        );
    }

    #[test]
    fn a_diff_of_a_spec_with_fences_gets_a_longer_fence() {
        let spec = Spec::parse(SPEC);
        let at_start = SPEC.replace(
            "```\n\n## Scenario order",
            "```\n\nMore.\n\n## Scenario order",
        );
        let record = paused_record();
        let unit = UnitRef::Scenario(1);
        let resume = ResumeContext::build(&ResumeInput {
            record: &record,
            files_changed: &[],
            spec_at_start: Some(&at_start),
            context: ContextInput::new(&spec, SPEC, &unit),
        });
        assert!(resume.text.contains("````diff\n"), "{}", resume.text);
    }
}
