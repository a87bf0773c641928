//! Markdown → [`Spec`]: sections, scenarios from ```gherkin blocks and
//! `### Scenario:` headings, the order, the session log, plan phases and links
//! to feature files.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

mod entries;
mod plan;
mod scenarios;

use super::block_cache::BlockCache;
use super::front_matter::{FrontMatter, lines_from};
use super::{Heading, Log, Order, Phase, Section, SectionKind, Spec, Task};
use entries::{feature_links, log_entries, order_entry};

/// What the markdown pass collects before the spec is assembled.
#[derive(Default)]
pub(super) struct Outline {
    pub(super) headings: Vec<Heading>,
    pub(super) gherkin_blocks: Vec<Range<usize>>,
    /// Every fenced code block, fences included.
    pub(super) code_blocks: Vec<Range<usize>>,
    /// Top-level list items: the item's first line.
    pub(super) list_items: Vec<Range<usize>>,
    pub(super) links: Vec<(String, Range<usize>)>,
    /// Every task checkbox, in document order.
    pub(super) boxes: Vec<OutlineBox>,
}

/// A task list marker, with the list item that holds it.
pub(super) struct OutlineBox {
    pub(super) span: Range<usize>,
    pub(super) checked: bool,
    /// 1 for an item of a top-level list.
    pub(super) depth: usize,
    pub(super) item: Range<usize>,
}

impl Spec {
    /// The plan of a sub-spec file: its Plan section's phases or tasks, or,
    /// when its title names a plan (`# Implementation Plan`), those of the
    /// whole file (phase headings of any level below the title). `None`
    /// when it has neither phases nor tasks.
    pub fn plan_of_part(text: &str) -> Option<(Vec<Phase>, Vec<Task>)> {
        let outline = scan(text);
        let spans = sections(text, &outline.headings);
        let planned = spans.iter().find(|s| s.kind == Some(SectionKind::Plan));
        let title_is_plan = outline
            .headings
            .iter()
            .find(|h| h.level == 1)
            .is_some_and(|h| SectionKind::from_heading(&h.text) == Some(SectionKind::Plan));
        let (phases, tasks) = match planned {
            Some(section) => plan::plan(text, &outline, section.span.clone(), 3),
            None if title_is_plan => plan::plan(text, &outline, 0..text.len(), 2),
            None => return None,
        };
        (!phases.is_empty() || !tasks.is_empty()).then_some((phases, tasks))
    }

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
            (spec.phases, spec.tasks) = plan::plan(text, &outline, plan.span.clone(), 3);
        }
        spec.feature_links = feature_links(outline.links);
        spec.code_blocks = outline.code_blocks;
        spec
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
    let mut items: Vec<Range<usize>> = Vec::new();
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
            Event::Start(Tag::Item) => {
                if list_depth == 1 {
                    let line_end = text[range.start..range.end]
                        .find(['\n', '\r'])
                        .map_or(range.end, |n| range.start + n);
                    outline.list_items.push(range.start..line_end);
                }
                items.push(range);
            }
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::TaskListMarker(checked) => {
                if let Some(item) = items.last() {
                    outline.boxes.push(OutlineBox {
                        span: range,
                        checked,
                        depth: list_depth,
                        item: item.clone(),
                    });
                }
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
            subheadings: headings
                .iter()
                .filter(|h| h.level > 2 && body_span.contains(&h.span.start))
                .cloned()
                .collect(),
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
pub(super) fn fenced_content(text: &str, block: Range<usize>) -> Range<usize> {
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
