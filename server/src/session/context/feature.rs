//! The feature description of a context load: whole when it fits, else its
//! outline (each sub-heading with its first sentence), the sub-sections the
//! unit's own text names or shares terms with, whole, and a line that says
//! where the whole text is.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use super::part;
use super::prose::first_sentences;
use crate::spec::{Heading, LineIndex, Section, SectionKind, Spec, strip_marks};

const HEADING: &str = "Feature description";

/// The feature description's part of a load, and a note of what was left
/// out when it had to be shortened.
pub(super) struct FeaturePart {
    pub text: String,
    pub shortened: Option<String>,
}

/// What the feature description is made from.
pub(super) struct FeatureInput<'a> {
    pub spec: &'a Spec,
    pub text: &'a str,
    /// The spec's path from the workspace root, for the pointer line.
    pub path: Option<&'a str>,
    /// The unit's name and own text: what makes a sub-section relevant.
    pub unit_text: &'a str,
    /// "phase", "task" or "scenario".
    pub kind: &'a str,
    /// Characters the part may take.
    pub room: usize,
}

/// The feature description: the section's text without comments or
/// scenarios (`excerpt`), whole when it fits `room`, else shortened.
pub(super) fn feature_part(
    input: &FeatureInput<'_>,
    excerpt: impl Fn(Range<usize>) -> String,
) -> FeaturePart {
    let spec = input.spec;
    let Some(section) = spec.section(SectionKind::FeatureDescription) else {
        return FeaturePart {
            text: in_part_pointer(input),
            shortened: None,
        };
    };
    let whole = part(HEADING, &excerpt(section.body_span.clone()));
    if whole.chars().count() <= input.room {
        return FeaturePart {
            text: whole,
            shortened: None,
        };
    }
    let short = shortened(input, section, &excerpt);
    if short.text.chars().count() >= whole.chars().count() {
        // Too small to gain from an outline.
        return FeaturePart {
            text: whole,
            shortened: None,
        };
    }
    short
}

/// A pointer at a sub-spec file that holds the feature description.
fn in_part_pointer(input: &FeatureInput<'_>) -> String {
    let Some(found) = input.spec.part_with(SectionKind::FeatureDescription) else {
        return String::new();
    };
    let folder = input
        .path
        .and_then(|p| p.rsplit_once('/'))
        .map_or(String::new(), |(dir, _)| format!("{dir}/"));
    part(
        HEADING,
        &format!(
            "The feature description is in `{folder}{}`: read it when this {} needs it.",
            found.name, input.kind
        ),
    )
}

/// A sub-heading of the section and the text up to the next heading of its
/// level or higher.
struct SubSection<'a> {
    heading: &'a Heading,
    span: Range<usize>,
    /// Up to the next heading of any level: what the outline summarises.
    lead: Range<usize>,
}

fn sub_sections(section: &Section) -> Vec<SubSection<'_>> {
    let heads = &section.subheadings;
    heads
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let end = heads[i + 1..]
                .iter()
                .find(|h| h.level <= heading.level)
                .map_or(section.span.end, |h| h.span.start);
            let lead_end = heads.get(i + 1).map_or(end, |h| h.span.start);
            SubSection {
                heading,
                span: heading.span.start..end,
                lead: heading.span.end..lead_end,
            }
        })
        .collect()
}

fn shortened(
    input: &FeatureInput<'_>,
    section: &Section,
    excerpt: &impl Fn(Range<usize>) -> String,
) -> FeaturePart {
    let subs = sub_sections(section);
    let pointer = pointer_line(input, section);
    let mut outline: Vec<String> = subs
        .iter()
        .map(|sub| {
            let indent = "  ".repeat(usize::from(sub.heading.level.saturating_sub(3)));
            let first = first_sentences(&excerpt(sub.lead.clone()), 1);
            let name = sub.heading.text.trim();
            if first.is_empty() {
                format!("{indent}- {name}")
            } else {
                format!("{indent}- {name} — {first}")
            }
        })
        .collect();
    if subs.is_empty() {
        let first = first_sentences(&excerpt(section.body_span.clone()), 2);
        outline.extend((!first.is_empty()).then_some(first));
    }
    let frame = |outline: &[String], whole: &[String]| {
        let mut body = pointer.clone();
        if !outline.is_empty() {
            let _ = write!(body, "\n\n{}", outline.join("\n"));
        }
        for text in whole {
            let _ = write!(body, "\n\n{text}");
        }
        part(HEADING, &body)
    };
    // The outline as far as it fits: deeper levels go first, then its tail.
    let mut kept = outline.clone();
    if frame(&kept, &[]).chars().count() > input.room {
        kept = subs
            .iter()
            .zip(&outline)
            .filter(|(sub, _)| sub.heading.level <= 3)
            .map(|(_, line)| line.clone())
            .collect();
    }
    let listed = kept.len();
    while !kept.is_empty() && frame(&kept, &[]).chars().count() > input.room {
        kept.pop();
    }
    if kept.len() < listed {
        kept.push(format!("- … {} more sub-headings", listed - kept.len()));
    }
    // The relevant sub-sections, most relevant first, while they fit.
    let terms = terms_of(input.unit_text);
    let named = normalize_words(input.unit_text);
    let mut ranked: Vec<(usize, usize)> = subs
        .iter()
        .enumerate()
        .map(|(i, sub)| (relevance(sub, input.text, &terms, &named), i))
        .filter(|&(score, _)| score >= MIN_RELEVANCE)
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    for (_, i) in ranked {
        let span = &subs[i].span;
        let overlaps = chosen.iter().any(|&j| {
            let other = &subs[j].span;
            span.start < other.end && other.start < span.end
        });
        if overlaps {
            continue;
        }
        let mut with = chosen.clone();
        with.push(i);
        with.sort_unstable();
        let whole: Vec<String> = with
            .iter()
            .map(|&j| excerpt(subs[j].span.clone()))
            .collect();
        if frame(&kept, &whole).chars().count() <= input.room {
            chosen = with;
        }
    }
    let whole: Vec<String> = chosen
        .iter()
        .map(|&j| excerpt(subs[j].span.clone()))
        .collect();
    let names: Vec<String> = chosen
        .iter()
        .map(|&j| format!("“{}”", subs[j].heading.text.trim()))
        .collect();
    let note = match names.len() {
        0 => "the feature description: its outline only".to_string(),
        n => format!(
            "the feature description: its outline, with {n} of {} sub-sections whole ({})",
            subs.len(),
            names.join(", ")
        ),
    };
    FeaturePart {
        text: frame(&kept, &whole),
        shortened: Some(note),
    }
}

/// Where the whole feature description is, for the agent to read.
fn pointer_line(input: &FeatureInput<'_>, section: &Section) -> String {
    let index = LineIndex::new(input.text);
    let (first, _) = index.line_col(input.text, section.span.start);
    let written = input.text.get(section.span.clone()).unwrap_or_default();
    let end = (section.span.start + written.trim_end().len()).saturating_sub(1);
    let end = end.max(section.span.start);
    let (last, _) = index.line_col(input.text, end);
    let path = input.path.unwrap_or("the spec");
    format!(
        "Shortened to fit the budget: the outline, with the sub-sections this {} names in full. \
         The whole text is in `{path}` under `## {}` (lines {first}–{last}): read it when you need more.",
        input.kind,
        section.heading.text.trim()
    )
}

/// A sub-section is taken whole from this score up: its heading named by
/// the unit, or terms shared with its heading (3 each) or the text before
/// its first sub-heading (1 each).
const MIN_RELEVANCE: usize = 3;

fn relevance(sub: &SubSection<'_>, text: &str, terms: &HashSet<String>, named: &str) -> usize {
    let heading = strip_marks(&sub.heading.text);
    let heading_words = normalize_words(&heading);
    let mut score = 0;
    if !heading_words.is_empty() && format!(" {named} ").contains(&format!(" {heading_words} ")) {
        score += 10;
    }
    let in_heading = terms_of(&heading);
    score += 3 * in_heading.intersection(terms).count();
    // Its own lead only: a parent is not relevant for what its children say.
    let body = terms_of(text.get(sub.lead.clone()).unwrap_or_default());
    score += body
        .difference(&in_heading)
        .filter(|t| terms.contains(*t))
        .count();
    score
}

/// The words of a text, lowercase, separated by single spaces.
fn normalize_words(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The distinctive words of a text: four letters or more, not a common word.
fn terms_of(text: &str) -> HashSet<String> {
    words(text)
        .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect()
}

const COMMON: &[&str] = &[
    "about",
    "after",
    "also",
    "before",
    "being",
    "both",
    "each",
    "from",
    "have",
    "into",
    "just",
    "like",
    "make",
    "more",
    "most",
    "much",
    "must",
    "need",
    "needs",
    "only",
    "other",
    "over",
    "same",
    "should",
    "some",
    "such",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "under",
    "used",
    "using",
    "very",
    "were",
    "what",
    "when",
    "where",
    "which",
    "will",
    "with",
    "would",
    "your",
    "could",
    "does",
    "done",
    "been",
    "none",
    "true",
    "false",
    "null",
    "else",
    "every",
    "all",
    "add",
    "adds",
    "added",
    "update",
    "updates",
    "create",
    "creates",
    "implement",
    "support",
    "ensure",
    "verify",
    "check",
    "test",
    "tests",
    "file",
    "files",
    "new",
    "existing",
    "phase",
    "task",
    "tasks",
    "days",
    "step",
    "steps",
];

#[cfg(test)]
mod tests {
    use crate::session::context::{ContextInput, ContextLoad};
    use crate::spec::{Spec, UnitRef};

    #[test]
    fn a_large_feature_description_goes_in_as_its_outline_and_the_named_sub_section() {
        let filler = "Every row is checked against the schema before it is written. ".repeat(25);
        let text = format!(
            "# Billing\n\n## Overview\nPlans are invoiced by hand.\n\n## Design\n\n### Schema\nThe plans table holds prices. {filler}\n\n### Invoicing\nOne invoice per plan and month. {filler}\n\n## Plan\n\n### Phase 1: Schema\n- [ ] add the plans table\n\n### Phase 2: Invoicing\n- [ ] write one invoice per plan\n"
        );
        let spec = Spec::parse(&text);
        let unit = UnitRef::PlanPhase(1);
        let input = ContextInput {
            budget: 900,
            spec_ref: Some("specs/001-billing/README.md"),
            ..ContextInput::new(&spec, &text, &unit)
        };
        let load = ContextLoad::build(&input);
        assert!(load.tokens <= 900, "{} tokens\n{}", load.tokens, load.text);
        assert!(
            load.text.contains("- Schema — The plans table holds prices.\n- Invoicing — One invoice per plan and month."),
            "{}",
            load.text
        );
        assert!(
            load.text
                .contains("### Invoicing\nOne invoice per plan and month. Every row")
        );
        assert!(!load.text.contains("### Schema\n"), "{}", load.text);
        assert!(
            load.text.contains(
                "The whole text is in `specs/001-billing/README.md` under `## Design` (lines 6–12)"
            ),
            "{}",
            load.text
        );
        assert!(load.text.contains("- [ ] write one invoice per plan"));
        assert_eq!(
            load.shortened,
            ["the feature description: its outline, with 1 of 2 sub-sections whole (“Invoicing”)"]
        );

        let roomy = ContextLoad::build(&ContextInput {
            budget: 3000,
            ..input
        });
        assert!(roomy.shortened.is_empty());
        assert_eq!(roomy.text.matches("Every row is checked").count(), 50);
    }
}
