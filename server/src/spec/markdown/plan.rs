//! The Plan: `### Phase N: name` headings with the tasks under each, or,
//! without phase headings, the top-level checkbox items as tasks.

use std::ops::Range;

use super::super::{Checkbox, FileId, Heading, Phase, Task, strip_marks};
use super::{Outline, OutlineBox};

/// The phases and, when there are none, the top-level tasks of the plan
/// section at `span`.
pub(super) fn plan(
    text: &str,
    outline: &Outline,
    span: Range<usize>,
    min_level: u8,
) -> (Vec<Phase>, Vec<Task>) {
    let headings: Vec<(&Heading, (Option<u32>, String))> = outline
        .headings
        .iter()
        .filter(|h| h.level >= min_level && span.contains(&h.span.start))
        .filter_map(|h| Some((h, phase_title(&h.text)?)))
        .collect();
    let boxes_in = |range: Range<usize>| {
        outline
            .boxes
            .iter()
            .filter(move |b| range.contains(&b.span.start))
    };
    if headings.is_empty() {
        let tasks = boxes_in(span)
            .filter(|b| b.depth == 1)
            .map(|b| task(text, b))
            .collect();
        return (Vec::new(), tasks);
    }
    let phases = headings
        .iter()
        .enumerate()
        .map(|(i, (heading, (number, name)))| {
            let end = headings
                .get(i + 1)
                .map_or(span.end, |(next, _)| next.span.start);
            let range = heading.span.start..end;
            Phase {
                file: FileId::Spec,
                number: *number,
                name: name.clone(),
                heading: (*heading).clone(),
                tasks: boxes_in(range.clone())
                    .filter(|b| b.depth == 1)
                    .map(|b| task(text, b))
                    .collect(),
                boxes: boxes_in(range.clone())
                    .map(|b| Checkbox {
                        span: b.span.clone(),
                        checked: b.checked,
                    })
                    .collect(),
                span: range,
            }
        })
        .collect();
    (phases, Vec::new())
}

/// `Phase 2: Name` (LeanSpec's marks allowed around it): the number and
/// the name, which is the whole title when nothing follows the number.
fn phase_title(title: &str) -> Option<(Option<u32>, String)> {
    let text = title
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim();
    let word = text.get(..5).filter(|p| p.eq_ignore_ascii_case("phase"))?;
    let rest = &text[word.len()..];
    if rest.starts_with(char::is_alphabetic) {
        return None;
    }
    let rest = rest.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // `Phase 1a`, `Phase 3.5`: a number with more to it is a label, not a number.
    let label = if digits == 0 {
        0
    } else {
        let more = rest[digits..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.')
            .count();
        digits + rest[digits..digits + more].trim_end_matches('.').len()
    };
    let number = (label == digits)
        .then(|| rest[..digits].parse().ok())
        .flatten();
    let name = rest[label..]
        .trim_start_matches([':', '.', '-', ' ', '—', '–'])
        .trim();
    let name = if strip_marks(name).is_empty() || name.is_empty() {
        text.to_string()
    } else {
        name.to_string()
    };
    Some((number, name))
}

/// The task of a checkbox item: the text after the box on its first line.
fn task(text: &str, b: &OutlineBox) -> Task {
    let item = b.item.start..trim_end(text, b.item.clone());
    let line_end = text[item.clone()]
        .find(['\n', '\r'])
        .map_or(item.end, |n| item.start + n);
    let after = b.span.end.min(line_end);
    let rest = &text[after..line_end];
    let start = after + (rest.len() - rest.trim_start().len());
    let end = after + rest.trim_end().len();
    Task {
        file: FileId::Spec,
        name: text[start..end.max(start)].to_string(),
        name_span: start..end.max(start),
        checkbox: Checkbox {
            span: b.span.clone(),
            checked: b.checked,
        },
        line_span: item.start..line_end,
        span: item,
    }
}

fn trim_end(text: &str, range: Range<usize>) -> usize {
    range.start + text[range].trim_end().len()
}

#[cfg(test)]
mod tests {
    use crate::spec::{Spec, UnitRef, strip_marks};

    #[test]
    fn a_plan_of_checkboxes_has_its_top_level_tasks_as_units() {
        let text = "# T\n\n## Plan\n- [ ] Parse the front matter\n  - [ ] nested detail\n- [x] Add the `update` command (1-2 days)\n\n## Test\n- [ ] not a task\n";
        let spec = Spec::parse(text);
        let names: Vec<&str> = spec.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Parse the front matter",
                "Add the `update` command (1-2 days)"
            ]
        );
        assert_eq!(&text[spec.tasks[0].checkbox.span.clone()], "[ ]");
        assert!(spec.tasks[1].checkbox.checked);
        assert!(
            spec.tasks[0].span.end > spec.tasks[0].line_span.end,
            "nested items are detail"
        );
        assert_eq!(
            spec.units(&[]),
            [UnitRef::PlanTask(0), UnitRef::PlanTask(1)]
        );
        assert_eq!(
            spec.unit_name(&UnitRef::PlanTask(1)),
            "Add the `update` command"
        );
        assert!(spec.is_ticked(&UnitRef::PlanTask(1)));
    }

    #[test]
    fn phase_headings_make_phases_with_their_checklists() {
        let text = "# T\n\n## Implementation Plan\n\n### Phase 0: Setup ✅\n- [x] a\n  - [x] a1\n\n### Phase 1\n- [ ] b\n- [x] c\n\n### Notes\ntext\n\n## Other\n- [ ] outside\n";
        let spec = Spec::parse(text);
        assert_eq!(spec.phases.len(), 2);
        assert_eq!(spec.phases[0].number, Some(0));
        assert_eq!(spec.unit_name(&UnitRef::PlanPhase(0)), "Setup");
        assert_eq!(spec.phases[1].name, "Phase 1");
        let labelled = Spec::parse(
            "# T\n## Plan\n### Phase 3.5: Sub-specs\n- [ ] a\n### Phase 1a: Base\n- [ ] b\n",
        );
        let names: Vec<(Option<u32>, &str)> = labelled
            .phases
            .iter()
            .map(|p| (p.number, p.name.as_str()))
            .collect();
        assert_eq!(names, [(None, "Sub-specs"), (None, "Base")]);
        assert_eq!(spec.phases[0].boxes.len(), 2);
        assert_eq!(spec.phases[0].tasks.len(), 1);
        assert_eq!(spec.phases[1].tasks.len(), 2);
        assert!(spec.is_ticked(&UnitRef::PlanPhase(0)));
        assert!(!spec.is_ticked(&UnitRef::PlanPhase(1)));
        assert!(spec.tasks.is_empty());
    }

    #[test]
    fn marks_are_stripped_from_unit_names() {
        assert_eq!(
            strip_marks("✅ Build the parser (1-2 days)"),
            "Build the parser"
        );
        assert_eq!(strip_marks("Release (v1.0) 🚀"), "Release");
        assert_eq!(
            strip_marks("Use `gray-matter` (the library)"),
            "Use `gray-matter` (the library)"
        );
        assert_eq!(strip_marks("✅"), "✅");
        assert_eq!(strip_marks("Framework (✅ COMPLETE)"), "Framework");
        assert_eq!(strip_marks("Export (CSV only)"), "Export (CSV only)");
    }
}
