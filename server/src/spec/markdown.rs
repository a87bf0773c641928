//! Markdown → [`Spec`]: sections, scenarios from ```gherkin blocks and
//! `### Scenario:` headings, the order, the session log, plan phases and links
//! to feature files.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::block_cache::BlockCache;
use super::front_matter::{FrontMatter, lines_from};
use super::gherkin::{self, FeatureChild, Flavor, KeywordType, Origin, RuleChild};
use super::{
    FeatureLink, FileId, GherkinError, Heading, LinkState, Log, LogEntry, Order, OrderEntry, Phase,
    Scenario, ScenarioSource, Section, SectionKind, Spec, Step,
};

/// What the markdown pass collects before the spec is assembled.
#[derive(Default)]
struct Outline {
    headings: Vec<Heading>,
    gherkin_blocks: Vec<Range<usize>>,
    /// Every fenced code block, fences included.
    code_blocks: Vec<Range<usize>>,
    /// Top-level list items: the item's first line.
    list_items: Vec<Range<usize>>,
    links: Vec<(String, Range<usize>)>,
}

impl Spec {
    /// Parses a spec's markdown text.
    pub fn parse(text: &str) -> Spec {
        Spec::parse_with(text, &mut BlockCache::default())
    }

    /// Parses a spec's markdown text, reusing the Gherkin blocks of an
    /// earlier parse of the same document that did not change.
    pub fn parse_with(text: &str, cache: &mut BlockCache) -> Spec {
        let front_matter = FrontMatter::parse(text);
        let outline = scan(text);
        let mut spec = Spec {
            len: text.len(),
            front_matter,
            ..Spec::default()
        };
        spec.title = outline.headings.iter().find(|h| h.level == 1).cloned();
        spec.sections = sections(text, &outline.headings);

        for block in &outline.gherkin_blocks {
            spec.add_gherkin_block(text, block.clone(), cache);
        }
        cache.finish();
        if let Some(i) = spec
            .sections
            .iter()
            .position(|s| s.kind == Some(SectionKind::Scenarios))
        {
            let section = spec.sections[i].span.clone();
            spec.add_heading_scenarios(text, &outline, section);
        }
        spec.scenarios.sort_by_key(|s| s.anchor);

        if let Some(i) = spec
            .sections
            .iter()
            .position(|s| s.kind == Some(SectionKind::Order))
        {
            let body = spec.sections[i].body_span.clone();
            let entries = outline
                .list_items
                .iter()
                .filter(|item| body.contains(&item.start))
                .filter_map(|item| order_entry(text, item.clone()))
                .collect();
            spec.order = Some(Order {
                section: i,
                entries,
            });
        }
        if let Some(i) = spec
            .sections
            .iter()
            .position(|s| s.kind == Some(SectionKind::Log))
        {
            let entries = log_entries(text, &outline.headings, spec.sections[i].span.clone());
            spec.log = Some(Log {
                section: i,
                entries,
            });
        }
        if let Some(plan) = spec.section(SectionKind::Plan) {
            let span = plan.span.clone();
            spec.phases = outline
                .headings
                .iter()
                .filter(|h| h.level > 2 && span.contains(&h.span.start))
                .filter_map(phase)
                .collect();
        }
        spec.feature_links = feature_links(outline.links);
        spec.code_blocks = outline.code_blocks;
        spec
    }

    fn add_gherkin_block(&mut self, text: &str, block: Range<usize>, cache: &mut BlockCache) {
        let content = fenced_content(text, block);
        if content.is_empty() {
            return;
        }
        let source = &text[content.clone()];
        let (scenarios, errors) = cache.block(source, content.start, || {
            let doc = gherkin::parse_at(source, Flavor::Classic, Origin::default());
            let mut relative = Spec::default();
            relative.add_gherkin_document(doc, FileId::Spec, None);
            (relative.scenarios, relative.gherkin_errors)
        });
        self.scenarios.extend(scenarios);
        self.gherkin_errors.extend(errors);
    }

    /// Adds the scenarios and errors of a parsed Gherkin document. `anchor`
    /// is where the spec refers to it (a link), or `None` for text of the spec.
    pub(super) fn add_gherkin_document(
        &mut self,
        doc: gherkin::GherkinDocument,
        file: FileId,
        anchor: Option<usize>,
    ) {
        self.gherkin_errors
            .extend(doc.errors.into_iter().map(|e| GherkinError {
                file,
                message: e.message,
                span: e.span,
            }));
        let Some(feature) = doc.feature else { return };
        let source = if file == FileId::Spec {
            ScenarioSource::FencedBlock
        } else {
            ScenarioSource::LinkedFile
        };
        let mut push = |s: gherkin::Scenario| {
            self.scenarios.push(Scenario {
                anchor: anchor.unwrap_or(s.span.start),
                name: s.name.into(),
                keyword: s.keyword.into(),
                source,
                file,
                span: s.span,
                name_span: s.name_span,
                full_span: s.full_span,
                steps: s
                    .steps
                    .into_iter()
                    .map(|step| Step {
                        keyword: step.keyword.into(),
                        keyword_type: step.keyword_type,
                        text: step.text.into(),
                        span: step.span,
                    })
                    .collect(),
            });
        };
        for child in feature.children {
            match child {
                FeatureChild::Scenario(s) => push(s),
                FeatureChild::Rule(rule) => {
                    for child in rule.children {
                        if let RuleChild::Scenario(s) = child {
                            push(s);
                        }
                    }
                }
                FeatureChild::Background(_) => {}
            }
        }
    }

    /// Markdown-with-Gherkin scenarios: `### Scenario: name` headings in the
    /// Scenarios section, with `* Given …` list items as steps.
    fn add_heading_scenarios(&mut self, text: &str, outline: &Outline, section: Range<usize>) {
        let headings: Vec<&Heading> = outline
            .headings
            .iter()
            .filter(|h| h.level > 2 && section.contains(&h.span.start))
            .collect();
        for (i, heading) in headings.iter().enumerate() {
            let Some((keyword, name_span)) = scenario_heading(text, heading) else {
                continue;
            };
            let end = headings
                .get(i + 1)
                .map_or(section.end, |next| next.span.start);
            // List items are in document order: find this region's by bisection.
            let items = &outline.list_items;
            let first = items.partition_point(|item| item.start < heading.span.end);
            let last = items.partition_point(|item| item.start < end);
            let steps: Vec<Step> = items[first..last]
                .iter()
                .filter_map(|item| heading_step(text, item.clone()))
                .collect();
            let last = steps.last().map_or(heading.span.end, |s| s.span.end);
            self.scenarios.push(Scenario {
                name: text[name_span.clone()].into(),
                keyword: (*keyword).into(),
                source: ScenarioSource::Heading,
                file: FileId::Spec,
                span: heading.text_span.clone(),
                name_span,
                full_span: heading.span.start..last,
                steps,
                anchor: heading.span.start,
            });
        }
    }
}

/// One pass of pulldown-cmark over the text.
fn scan(text: &str) -> Outline {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH;
    let mut outline = Outline::default();
    let mut list_depth = 0usize;
    let mut heading: Option<(u8, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range)) = heading.take() {
                    outline.headings.push(heading_at(text, level, range));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                outline.code_blocks.push(range.clone());
                let lang = info.split_whitespace().next().unwrap_or_default();
                if lang.eq_ignore_ascii_case("gherkin") || lang.eq_ignore_ascii_case("cucumber") {
                    outline.gherkin_blocks.push(range);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => {
                let line_end = text[range.start..range.end]
                    .find(['\n', '\r'])
                    .map_or(range.end, |n| range.start + n);
                outline.list_items.push(range.start..line_end);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                outline.links.push((dest_url.into_string(), range));
            }
            _ => {}
        }
    }
    outline
}

pub(super) fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading from its event range: the line, and its text without `#` marks.
fn heading_at(text: &str, level: u8, range: Range<usize>) -> Heading {
    let first = lines_from(text, range.start)
        .next()
        .map_or(range.start..range.start, |l| {
            l.start..l.end.min(range.end.max(l.start))
        });
    let line = &text[first.clone()];
    let indent = line.len() - line.trim_start().len();
    let mut start = first.start + indent;
    let mut end = first.start + line.trim_end().len();
    if text[start..end].starts_with('#') {
        // ATX: strip the opening marks and an optional closing sequence.
        start += text[start..end].bytes().take_while(|&b| b == b'#').count();
        let body = &text[start..end];
        let trimmed = body.trim_end_matches('#');
        if trimmed.len() < body.len() && (trimmed.is_empty() || trimmed.ends_with([' ', '\t'])) {
            end = start + trimmed.len();
        }
        let body = &text[start..end];
        start += body.len() - body.trim_start().len();
        end = start + text[start..end].trim_end().len();
    }
    let span = if text[first.clone()].starts_with(['#', ' ']) {
        first.clone()
    } else {
        // Setext: the heading spans its text and underline.
        first.start..range.end.max(first.end)
    };
    let span = span.start..trim_line_break(text, span);
    Heading {
        level,
        text: text[start..end].to_string(),
        span,
        text_span: start..end,
    }
}

fn trim_line_break(text: &str, span: Range<usize>) -> usize {
    span.start + text[span].trim_end_matches(['\n', '\r']).len()
}

/// Level-1 and level-2 headings cut the text into sections; the ones of
/// level 2 are the spec's sections.
fn sections(text: &str, headings: &[Heading]) -> Vec<Section> {
    let cuts: Vec<&Heading> = headings.iter().filter(|h| h.level <= 2).collect();
    let mut sections = Vec::new();
    for (i, heading) in cuts.iter().enumerate() {
        if heading.level != 2 {
            continue;
        }
        let end = cuts.get(i + 1).map_or(text.len(), |next| next.span.start);
        let body_start = lines_from(text, heading.span.start)
            .find(|l| l.end >= heading.span.end)
            .map_or(end, |l| l.next.min(end));
        let body_span = body_start..end;
        sections.push(Section {
            kind: SectionKind::from_heading(&heading.text),
            heading: (*heading).clone(),
            span: heading.span.start..end,
            has_content: has_content(&text[body_span.clone()]),
            body_span,
        });
    }
    sections
}

/// Whether a section body says anything: not only blank lines and HTML comments.
fn has_content(body: &str) -> bool {
    let mut rest = body;
    while let Some(open) = rest.find("<!--") {
        if !rest[..open].trim().is_empty() {
            return true;
        }
        match rest[open..].find("-->") {
            Some(close) => rest = &rest[open + close + 3..],
            None => return false,
        }
    }
    !rest.trim().is_empty()
}

/// The lines between a fenced block's fences.
fn fenced_content(text: &str, block: Range<usize>) -> Range<usize> {
    let mut lines = lines_from(&text[..block.end], block.start);
    let Some(open) = lines.next() else {
        return block.end..block.end;
    };
    let fence = text[open.start..open.end].trim_start();
    let fence_char = fence.chars().next().unwrap_or('`');
    let fence_len = fence.chars().take_while(|&c| c == fence_char).count();
    let start = open.next;
    let mut end = start;
    for line in lines {
        let content = text[line.start..line.end].trim();
        let run = content.chars().take_while(|&c| c == fence_char).count();
        if run >= fence_len && content.len() == run {
            break;
        }
        end = line.next;
    }
    start..end.max(start)
}

/// An order entry from a list item's first line: without the list marker, a
/// task checkbox, emphasis or code marks around the name, or a `Scenario:`
/// prefix.
fn order_entry(text: &str, line: Range<usize>) -> Option<OrderEntry> {
    let raw = &text[line.clone()];
    let mut start = line.start + (raw.len() - raw.trim_start().len());
    let mut rest = &text[start..line.end];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        }
    };
    if marker == 0 {
        return None;
    }
    start += marker;
    rest = &text[start..line.end];
    start += rest.len() - rest.trim_start().len();
    rest = &text[start..line.end];
    for checkbox in ["[ ]", "[x]", "[X]"] {
        if let Some(after) = rest.strip_prefix(checkbox) {
            start += checkbox.len() + (after.len() - after.trim_start().len());
            rest = &text[start..line.end];
            break;
        }
    }
    let mut end = start + rest.trim_end().len();
    for mark in ["**", "__", "`", "*", "_"] {
        let inner = &text[start..end];
        if inner.len() > 2 * mark.len() && inner.starts_with(mark) && inner.ends_with(mark) {
            start += mark.len();
            end -= mark.len();
        }
    }
    if let Some(after) = text[start..end].strip_prefix("Scenario:") {
        start = end - after.trim_start().len();
    }
    if start >= end {
        return None;
    }
    Some(OrderEntry {
        name: text[start..end].to_string(),
        name_span: start..end,
        line_span: line,
    })
}

/// Log entries: the headings just below the Session log heading.
fn log_entries(text: &str, headings: &[Heading], section: Range<usize>) -> Vec<LogEntry> {
    let inner: Vec<&Heading> = headings
        .iter()
        .filter(|h| h.level > 2 && section.contains(&h.span.start))
        .collect();
    let Some(level) = inner.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let entries: Vec<&Heading> = inner.iter().copied().filter(|h| h.level == level).collect();
    entries
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let end = entries
                .get(i + 1)
                .map_or(section.end, |next| next.span.start);
            let body_start = lines_from(text, heading.span.start)
                .next()
                .map_or(end, |l| l.next.min(end));
            LogEntry {
                heading: (*heading).clone(),
                body: text[body_start..end].trim().to_string(),
                body_span: body_start..end,
            }
        })
        .collect()
}

/// A LeanSpec `### Phase 2: Name` heading.
fn phase(heading: &Heading) -> Option<Phase> {
    let text = heading.text.trim();
    let rest = text.get(..5).filter(|p| p.eq_ignore_ascii_case("phase"))?;
    let rest = text[rest.len()..].trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let number = rest[..digits].parse().ok();
    let name = rest[digits..]
        .trim_start_matches([':', '.', '-', ' ', '—'])
        .trim();
    let name = if name.is_empty() { text } else { name };
    Some(Phase {
        number,
        name: name.to_string(),
        heading: heading.clone(),
    })
}

const SCENARIO_KEYWORDS: [&str; 4] = [
    "Scenario Outline",
    "Scenario Template",
    "Scenario",
    "Example",
];

/// `Scenario: name` in a heading: the keyword and the name's bytes.
fn scenario_heading(text: &str, heading: &Heading) -> Option<(&'static str, Range<usize>)> {
    let title = &text[heading.text_span.clone()];
    let keyword = SCENARIO_KEYWORDS.iter().find(|k| {
        title
            .get(..k.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(k) && title[k.len()..].starts_with(':'))
    })?;
    let after = &title[keyword.len() + 1..];
    let start =
        heading.text_span.start + keyword.len() + 1 + (after.len() - after.trim_start().len());
    Some((keyword, start..heading.text_span.end))
}

const STEP_KEYWORDS: [(&str, KeywordType); 5] = [
    ("Given", KeywordType::Context),
    ("When", KeywordType::Action),
    ("Then", KeywordType::Outcome),
    ("And", KeywordType::Conjunction),
    ("But", KeywordType::Conjunction),
];

/// A `* Given …` list item.
fn heading_step(text: &str, line: Range<usize>) -> Option<Step> {
    let raw = &text[line.clone()];
    let item = raw.trim_start();
    let item = item.strip_prefix(['*', '-', '+'])?.trim_start();
    let (keyword, keyword_type) = STEP_KEYWORDS
        .iter()
        .find(|(k, _)| item.starts_with(k) && item[k.len()..].starts_with([' ', '\t']))?;
    let start = line.end - item.len();
    Some(Step {
        keyword: format!("{keyword} ").into(),
        keyword_type: *keyword_type,
        text: item[keyword.len()..].trim().into(),
        span: start..line.start + raw.trim_end().len(),
    })
}

/// Links to `.feature` / `.feature.md` files, one per target.
fn feature_links(links: Vec<(String, Range<usize>)>) -> Vec<FeatureLink> {
    let mut out: Vec<FeatureLink> = Vec::new();
    for (target, span) in links {
        let path = target.split(['#', '?']).next().unwrap_or_default();
        let lower = path.to_ascii_lowercase();
        let is_feature = lower.ends_with(".feature") || lower.ends_with(".feature.md");
        if !is_feature || path.contains("://") || out.iter().any(|l| l.target == path) {
            continue;
        }
        out.push(FeatureLink {
            target: path.to_string(),
            span,
            state: LinkState::Unresolved,
        });
    }
    out
}
