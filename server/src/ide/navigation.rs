//! Navigation over the spec model: what a cursor is on, where a scenario is
//! named and where to go from there (`rename` renames it). Byte offsets only; the
//! language server converts them.

use std::ops::Range;

use crate::spec::{
    FeatureLink, FileId, LinkState, Scenario, Spec, UnitRef, normalize_name, strip_marks,
};

/// An element of the spec under a cursor that names a scenario or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The name of `order.entries[n]`.
    OrderEntry(usize),
    /// The heading of `log.entries[n]`.
    LogEntry(usize),
    /// The name of `scenarios[n]`, written in the spec itspec.
    Scenario(usize),
    /// `feature_links[n]`.
    FeatureLink(usize),
}

/// How a place names a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// The scenario's own name, after its keyword.
    Scenario,
    /// An entry of the scenario order.
    OrderEntry,
    /// A heading of the session log.
    LogEntry,
}

/// A place where a scenario is named: the name's bytes in one of the spec's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub file: FileId,
    pub range: Range<usize>,
    pub kind: MentionKind,
}

/// Where "go to definition" leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// Places naming a scenario: the scenario for an entry, the entries for a scenario.
    Mentions(Vec<Mention>),
    /// The start of a linked file.
    File(FileId),
}

/// A scenario's place in the scenario order: the `position`-th (from 1) of
/// `of` scenarios listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderPlace {
    pub position: usize,
    pub of: usize,
}

/// The scenario name, order entry, log heading or feature link under
/// `offset` (a cursor just after a name is still on it).
pub fn reference_at(spec: &Spec, offset: usize) -> Option<Reference> {
    let on = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    let entries = spec.order.iter().flat_map(|o| &o.entries);
    if let Some(i) = entries.clone().position(|e| on(&e.name_span)) {
        return Some(Reference::OrderEntry(i));
    }
    let logged = spec.log.iter().flat_map(|l| &l.entries);
    if let Some(i) = logged.clone().position(|e| on(&e.heading.text_span)) {
        return Some(Reference::LogEntry(i));
    }
    let written = |s: &Scenario| s.file == FileId::Spec && on(&s.name_span);
    if let Some(i) = spec.scenarios.iter().position(written) {
        return Some(Reference::Scenario(i));
    }
    let linked = |l: &FeatureLink| l.span.start <= offset && offset < l.span.end;
    spec.feature_links
        .iter()
        .position(linked)
        .map(Reference::FeatureLink)
}

/// The bytes of the spec a reference covers: the name it writes, or the link.
pub fn reference_span(spec: &Spec, reference: Reference) -> Option<Range<usize>> {
    let span = match reference {
        Reference::OrderEntry(i) => &spec.order.as_ref()?.entries.get(i)?.name_span,
        Reference::LogEntry(i) => &spec.log.as_ref()?.entries.get(i)?.heading.text_span,
        Reference::Scenario(i) => &spec.scenarios.get(i)?.name_span,
        Reference::FeatureLink(i) => &spec.feature_links.get(i)?.span,
    };
    Some(span.clone())
}

/// The scenario a reference names, if any.
pub fn referenced_scenario(spec: &Spec, reference: Reference) -> Option<usize> {
    match reference {
        Reference::OrderEntry(i) => spec.find_scenario(&spec.order.as_ref()?.entries.get(i)?.name),
        Reference::LogEntry(i) => {
            spec.find_scenario(&spec.log.as_ref()?.entries.get(i)?.heading.text)
        }
        Reference::Scenario(i) => (i < spec.scenarios.len()).then_some(i),
        Reference::FeatureLink(_) => None,
    }
}

/// The reference under `offset` and the scenario it names.
pub fn scenario_at(spec: &Spec, offset: usize) -> Option<(Reference, usize)> {
    let reference = reference_at(spec, offset)?;
    Some((reference, referenced_scenario(spec, reference)?))
}

/// The unit of work under `offset`: a scenario (or an order entry or log
/// heading naming one), else the plan phase whose heading or checklist it
/// is in, else the plan task whose item it is in.
pub fn unit_at(spec: &Spec, offset: usize) -> Option<UnitRef> {
    if let Some((_, i)) = scenario_at(spec, offset) {
        return Some(UnitRef::Scenario(i));
    }
    let inside = |file: FileId, span: &Range<usize>| {
        file == FileId::Spec && span.start <= offset && offset <= span.end
    };
    if let Some(i) = spec.phases.iter().position(|p| inside(p.file, &p.span)) {
        return Some(UnitRef::PlanPhase(i));
    }
    spec.tasks
        .iter()
        .position(|t| inside(t.file, &t.span))
        .map(UnitRef::PlanTask)
}

/// The bytes that stand for a unit of the plan — a phase's heading, a
/// task's first line — in the file it is written in.
pub fn plan_unit_place(spec: &Spec, unit: &UnitRef) -> Option<(FileId, Range<usize>)> {
    match unit {
        UnitRef::PlanPhase(i) => {
            let phase = spec.phases.get(*i)?;
            Some((phase.file, phase.heading.span.clone()))
        }
        UnitRef::PlanTask(i) => {
            let task = spec.tasks.get(*i)?;
            Some((task.file, task.line_span.clone()))
        }
        UnitRef::Scenario(_) | UnitRef::ConfiguredPhase(_) => None,
    }
}

/// [`plan_unit_place`] in the spec's own file; `None` for a unit written in
/// a sub-spec file.
pub fn plan_unit_span(spec: &Spec, unit: &UnitRef) -> Option<Range<usize>> {
    plan_unit_place(spec, unit)
        .filter(|(file, _)| *file == FileId::Spec)
        .map(|(_, span)| span)
}

/// Every place naming a scenario: its own name, then the order entries
/// and log headings that resolve to it, in document order.
pub fn mentions(spec: &Spec, scenario: usize) -> Vec<Mention> {
    let Some(declaration) = declaration(spec, scenario) else {
        return Vec::new();
    };
    let mut mentions = vec![declaration];
    mentions.extend(entry_mentions(spec, scenario));
    mentions
}

/// A scenario's own name, in the file it is written in.
fn declaration(spec: &Spec, scenario: usize) -> Option<Mention> {
    let declared = spec.scenarios.get(scenario)?;
    Some(Mention {
        file: declared.file,
        range: declared.name_span.clone(),
        kind: MentionKind::Scenario,
    })
}

/// The order entries and log headings that name a scenario.
fn entry_mentions(spec: &Spec, scenario: usize) -> Vec<Mention> {
    let index = spec.scenario_index();
    let names = |name: &str| index.get(name) == Some(scenario);
    let in_spec = |range: &Range<usize>, kind| Mention {
        file: FileId::Spec,
        range: range.clone(),
        kind,
    };
    let order = spec.order.iter().flat_map(|o| &o.entries);
    let log = spec.log.iter().flat_map(|l| &l.entries);
    order
        .filter(|e| names(&e.name))
        .map(|e| in_spec(&e.name_span, MentionKind::OrderEntry))
        .chain(
            log.filter(|e| names(&e.heading.text))
                .map(|e| in_spec(&e.heading.text_span, MentionKind::LogEntry)),
        )
        .collect()
}

/// Where "go to definition" at `offset` leads: from an entry to its
/// scenario, from a scenario to its entries, from a link to its file.
pub fn definition(spec: &Spec, offset: usize) -> Option<Definition> {
    let reference = reference_at(spec, offset)?;
    if let Reference::FeatureLink(i) = reference {
        let link = spec.feature_links.get(i)?;
        let unread = matches!(link.state, LinkState::Missing | LinkState::Refused(_));
        return (!unread).then_some(Definition::File(FileId::Linked(i)));
    }
    let Some(scenario) = referenced_scenario(spec, reference) else {
        return plan_unit_definition(spec, reference);
    };
    let mentions = match reference {
        Reference::Scenario(_) => entry_mentions(spec, scenario),
        _ => declaration(spec, scenario).into_iter().collect(),
    };
    (!mentions.is_empty()).then_some(Definition::Mentions(mentions))
}

/// From a Session log heading to the phase or task it names (its name
/// with or without LeanSpec's marks).
fn plan_unit_definition(spec: &Spec, reference: Reference) -> Option<Definition> {
    let Reference::LogEntry(i) = reference else {
        return None;
    };
    let wanted = normalize_name(&strip_marks(
        &spec.log.as_ref()?.entries.get(i)?.heading.text,
    ));
    let named = |name: &str| normalize_name(&strip_marks(name)) == wanted;
    let (file, range) = match spec.phases.iter().find(|p| named(&p.name)) {
        Some(phase) => (phase.file, phase.heading.text_span.clone()),
        None => {
            let task = spec.tasks.iter().find(|t| named(&t.name))?;
            (task.file, task.name_span.clone())
        }
    };
    Some(Definition::Mentions(vec![Mention {
        file,
        range,
        kind: MentionKind::Scenario,
    }]))
}

/// Where a scenario is in the scenario order (repeats and entries naming
/// no scenario are not counted); `None` when it is not listed.
pub fn order_place(spec: &Spec, scenario: usize) -> Option<OrderPlace> {
    let index = spec.scenario_index();
    let mut listed: Vec<usize> = Vec::new();
    for entry in spec.order.iter().flat_map(|o| &o.entries) {
        if let Some(i) = index.get(&entry.name)
            && !listed.contains(&i)
        {
            listed.push(i);
        }
    }
    let position = listed.iter().position(|&i| i == scenario)? + 1;
    Some(OrderPlace {
        position,
        of: listed.len(),
    })
}

/// The first session log entry about a scenario.
pub fn log_entry_of(spec: &Spec, scenario: usize) -> Option<usize> {
    let index = spec.scenario_index();
    spec.log
        .as_ref()?
        .entries
        .iter()
        .position(|e| index.get(&e.heading.text) == Some(scenario))
}

/// Every place naming the scenario under `offset`; without its own name
/// unless `include_declaration`.
pub fn references(spec: &Spec, offset: usize, include_declaration: bool) -> Option<Vec<Mention>> {
    let (_, scenario) = scenario_at(spec, offset)?;
    let mut found = mentions(spec, scenario);
    if !include_declaration {
        found.retain(|m| m.kind != MentionKind::Scenario);
    }
    Some(found)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ide::fixture::Fixture;
    use crate::ide::rename::rename_target;

    /// A spec from a fixture where `|` marks the cursor: the spec, its text
    /// without the mark and the cursor's offset.
    pub(crate) fn fixture(marked: &str) -> (Spec, String, usize) {
        let fixture = Fixture::parse(marked);
        let cursor = fixture.cursor();
        (Spec::parse(&fixture.text), fixture.text, cursor)
    }

    /// What each mention covers, with its kind, for comparing with the fixture.
    pub(crate) fn covered<'a>(
        text: &'a str,
        feature: &'a str,
        mentions: &[Mention],
    ) -> Vec<(MentionKind, &'a str)> {
        mentions
            .iter()
            .map(|m| {
                let file = if m.file == FileId::Spec {
                    text
                } else {
                    feature
                };
                (m.kind, &file[m.range.clone()])
            })
            .collect()
    }

    const SPEC: &str = "# Export

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario: Export an empty month
    Given an empty month
    Then only the header
```

## Scenario order
1. Export an empty month
2. **export a month**

## Session log
### Export a month
Done.
";

    /// [`SPEC`] with the cursor where `needle` (which holds a `|`) is.
    fn at(needle: &str) -> (Spec, String, usize) {
        let found = SPEC
            .find(&needle.replace('|', ""))
            .expect("the needle is in SPEC");
        let cursor = found + needle.find('|').expect("the needle marks the cursor");
        (Spec::parse(SPEC), SPEC.to_string(), cursor)
    }

    /// [`SPEC`], parsed.
    pub(crate) fn spec() -> (Spec, String) {
        (Spec::parse(SPEC), SPEC.to_string())
    }

    /// The marked ranges of a fixture against what `found` covers.
    fn check_ranges(marked: &str, found: impl Fn(&Spec, usize) -> Vec<Range<usize>>) {
        let fixture = Fixture::parse(marked);
        let spec = Spec::parse(&fixture.text);
        assert_eq!(found(&spec, fixture.cursor()), fixture.ranges, "{marked}");
    }

    #[test]
    fn references_and_rename_targets_in_fixtures() {
        let marked = "## Scenarios
### Scenario: Export a month
              ^^^^^^^^^^^^^^
* Then a CSV

## Scenario order
1. Export a |month
   ^^^^^^^^^^^^^^

## Session log
### export  a month
    ^^^^^^^^^^^^^^^
Done.
";
        let all = |spec: &Spec, cursor| {
            let found = references(spec, cursor, true).expect("references");
            found.into_iter().map(|m| m.range).collect()
        };
        check_ranges(marked, all);
        let target = |spec: &Spec, cursor| {
            let target = rename_target(spec, cursor).expect("a rename target");
            assert_eq!(target.placeholder, "Export a month");
            vec![target.range]
        };
        check_ranges(
            "## Scenarios\n### Scenario: Export a month\n* Then a CSV\n\n## Scenario order\n1. Export |a month\n   ^^^^^^^^^^^^^^\n",
            target,
        );
        let without_declaration = |spec: &Spec, cursor| {
            let found = references(spec, cursor, false).expect("references");
            found.into_iter().map(|m| m.range).collect()
        };
        check_ranges(
            "## Scenarios\n### Scenario: Export a |month\n* Then a CSV\n\n## Scenario order\n1. Export a month\n   ^^^^^^^^^^^^^^\n",
            without_declaration,
        );
    }

    #[test]
    fn the_cursor_finds_what_it_is_on() {
        let (spec, text, cursor) = at("2. **ex|port");
        assert_eq!(reference_at(&spec, cursor), Some(Reference::OrderEntry(1)));
        assert_eq!(
            referenced_scenario(&spec, Reference::OrderEntry(1)),
            Some(0)
        );
        let span = reference_span(&spec, Reference::OrderEntry(1)).expect("a span");
        assert_eq!(&text[span], "export a month");

        let (spec, _, cursor) = at("### Export a month|\n");
        assert_eq!(
            scenario_at(&spec, cursor),
            Some((Reference::LogEntry(0), 0))
        );

        let (spec, _, cursor) = at("Scenario: |Export an");
        assert_eq!(
            scenario_at(&spec, cursor),
            Some((Reference::Scenario(1), 1))
        );

        let (spec, _, cursor) = at("    Given a |month");
        assert_eq!(reference_at(&spec, cursor), None);
    }

    #[test]
    fn a_scenario_is_mentioned_by_its_name_its_entries_and_its_log() {
        let (spec, text) = spec();
        assert_eq!(
            covered(&text, "", &mentions(&spec, 0)),
            [
                (MentionKind::Scenario, "Export a month"),
                (MentionKind::OrderEntry, "export a month"),
                (MentionKind::LogEntry, "Export a month"),
            ]
        );
        assert_eq!(
            covered(&text, "", &mentions(&spec, 1)),
            [
                (MentionKind::Scenario, "Export an empty month"),
                (MentionKind::OrderEntry, "Export an empty month"),
            ]
        );
    }

    #[test]
    fn definition_goes_from_entries_to_the_scenario_and_back() {
        let (spec, text, cursor) = at("1. Export an |empty");
        let Some(Definition::Mentions(found)) = definition(&spec, cursor) else {
            panic!("a definition");
        };
        assert_eq!(
            covered(&text, "", &found),
            [(MentionKind::Scenario, "Export an empty month")]
        );
        assert!(found[0].range.start < text.find("## Scenario order").expect("order"));

        let (spec, text, cursor) = at("Scenario: Export a |month");
        let Some(Definition::Mentions(found)) = definition(&spec, cursor) else {
            panic!("a definition");
        };
        assert_eq!(
            covered(&text, "", &found),
            [
                (MentionKind::OrderEntry, "export a month"),
                (MentionKind::LogEntry, "Export a month"),
            ]
        );
    }

    #[test]
    fn definition_goes_from_a_log_entry_to_its_phase_or_task() {
        let (spec, text, cursor) = fixture(
            "# T\n## Plan\n### Phase 1: Build ✅\n- [x] a\n## Session log\n### B|uild\nDone.\n",
        );
        let Some(Definition::Mentions(found)) = definition(&spec, cursor) else {
            panic!("a definition");
        };
        assert_eq!(&text[found[0].range.clone()], "Phase 1: Build ✅");
        let (spec, text, cursor) = fixture(
            "# T\n## Plan\n- [x] Parse the flags\n## Session log\n### Parse |the flags\nDone.\n",
        );
        let Some(Definition::Mentions(found)) = definition(&spec, cursor) else {
            panic!("a definition");
        };
        assert_eq!(&text[found[0].range.clone()], "Parse the flags");
    }

    #[test]
    fn definition_reaches_scenarios_and_files_that_are_linked() {
        let feature = "Feature: Errors\n  Scenario: Export fails\n    Then an error\n";
        let (mut spec, text, cursor) = fixture(
            "# E\n\n## Scenarios\n\nSee [errors](errors.feature).\n\n## Scenario order\n1. Export fa|ils\n",
        );
        spec.attach_feature(0, Some(feature));
        let Some(Definition::Mentions(found)) = definition(&spec, cursor) else {
            panic!("a definition");
        };
        assert_eq!(found[0].file, FileId::Linked(0));
        assert_eq!(
            covered(&text, feature, &found),
            [(MentionKind::Scenario, "Export fails")]
        );
        let link = text.find("[errors]").expect("link") + 2;
        assert_eq!(
            definition(&spec, link),
            Some(Definition::File(FileId::Linked(0)))
        );
        spec.feature_links[0].state = LinkState::Missing;
        assert_eq!(definition(&spec, link), None);
    }

    #[test]
    fn the_order_place_counts_listed_scenarios() {
        let (spec, _) = spec();
        assert_eq!(
            order_place(&spec, 0),
            Some(OrderPlace { position: 2, of: 2 })
        );
        assert_eq!(log_entry_of(&spec, 0), Some(0));
        assert_eq!(log_entry_of(&spec, 1), None);
    }
}
