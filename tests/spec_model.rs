//! The spec model read from markdown: sections, order, log, phases, front
//! matter and links, each with its exact byte range.

use smallbatch::spec::{LinkState, ScenarioSource, SectionKind, Spec};

fn slice<'a>(text: &'a str, range: &std::ops::Range<usize>) -> &'a str {
    &text[range.clone()]
}

const HEADING_SPEC: &str = "---\nstatus: planned\ntags: [billing]\n---\n\n# Export invoices\n\n## Why\nBecause.\n\n## Constraints\n<!-- nothing yet -->\n\n## Acceptance criteria\n\n### Scenario: Export a month\n* Given a month with invoices\n* When I export it\n* Then I get a CSV\n\n### Scenario: Export an empty month\n- Given an empty month\n- When I export it\n\nSee [errors](features/errors.feature#top) and [again](features/errors.feature).\n\n## Implementation order\n1. [x] **Export a month**\n2) Export an empty month\n- `Scenario: Export a month`\n\n## Session log\n### Export a month\nDid it.\n\n### Export an empty month\n";

#[test]
fn sections_match_by_alias_and_know_when_they_are_empty() {
    let spec = Spec::parse(HEADING_SPEC);
    let kinds: Vec<_> = spec.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(SectionKind::Intent),
            Some(SectionKind::FeatureDescription),
            Some(SectionKind::Scenarios),
            Some(SectionKind::Order),
            Some(SectionKind::Log)
        ]
    );
    assert!(spec.sections[0].has_content);
    assert!(
        !spec.sections[1].has_content,
        "an HTML comment is no content"
    );
    let title = spec.title.as_ref().expect("a title");
    assert_eq!(title.text, "Export invoices");
    assert_eq!(slice(HEADING_SPEC, &title.span), "# Export invoices");
    let front_matter = spec.front_matter.as_ref().expect("front matter");
    assert_eq!(front_matter.str("status"), Some("planned"));
    let tags: Vec<String> = front_matter
        .references(HEADING_SPEC, "tags")
        .into_iter()
        .map(|(tag, _)| tag)
        .collect();
    assert_eq!(tags, ["billing"]);
    assert!(front_matter.errors.is_empty());
}

#[test]
fn heading_scenarios_have_their_steps() {
    let spec = Spec::parse(HEADING_SPEC);
    let names: Vec<_> = spec.scenarios.iter().map(|s| &*s.name).collect();
    assert_eq!(names, ["Export a month", "Export an empty month"]);
    let first = &spec.scenarios[0];
    assert_eq!(first.source, ScenarioSource::Heading);
    assert_eq!(slice(HEADING_SPEC, &first.name_span), "Export a month");
    assert_eq!(first.steps.len(), 3);
    assert_eq!(
        slice(HEADING_SPEC, &first.steps[2].span),
        "Then I get a CSV"
    );
    assert!(first.has_outcome());
    assert!(!spec.scenarios[1].has_outcome());
}

#[test]
fn order_entries_lose_markers_checkboxes_and_emphasis() {
    let spec = Spec::parse(HEADING_SPEC);
    let order = spec.order.as_ref().expect("an order");
    let names: Vec<_> = order.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["Export a month", "Export an empty month", "Export a month"]
    );
    for entry in &order.entries {
        assert_eq!(slice(HEADING_SPEC, &entry.name_span), entry.name);
    }
    assert_eq!(
        slice(HEADING_SPEC, &order.entries[1].line_span),
        "2) Export an empty month"
    );
}

#[test]
fn log_entries_and_links() {
    let spec = Spec::parse(HEADING_SPEC);
    let log = spec.log.as_ref().expect("a log");
    let names: Vec<_> = log
        .entries
        .iter()
        .map(|e| e.heading.text.as_str())
        .collect();
    assert_eq!(names, ["Export a month", "Export an empty month"]);
    assert_eq!(log.entries[0].body, "Did it.");
    assert_eq!(log.entries[1].body, "");
    assert_eq!(spec.feature_links.len(), 1, "one link per target");
    assert_eq!(spec.feature_links[0].target, "features/errors.feature");
    assert_eq!(
        slice(HEADING_SPEC, &spec.feature_links[0].span),
        "[errors](features/errors.feature#top)"
    );
    assert_eq!(spec.feature_links[0].state, LinkState::Unresolved);
}

#[test]
fn leanspec_plan_phases_are_units() {
    let text = "---\nstatus: planned\npriority: high\ndepends_on: [012-invoices]\n---\n# Thing\n\n## Overview\nWhy.\n\n## Plan\n\n### Phase 1: Setup\n- [ ] a\n\n### Phase 2: Build it\n\n## Notes\n";
    let spec = Spec::parse(text);
    let phases: Vec<_> = spec
        .phases
        .iter()
        .map(|p| (p.number, p.name.as_str()))
        .collect();
    assert_eq!(phases, [(Some(1), "Setup"), (Some(2), "Build it")]);
    assert_eq!(spec.units(&[]).len(), 2);
    assert_eq!(
        spec.section(SectionKind::Intent)
            .map(|s| s.heading.text.as_str()),
        Some("Overview")
    );
}

#[test]
fn malformed_front_matter_is_an_error_on_its_line() {
    let text = "---\nstatus: planned\ntags: [a, b\n---\n# T\n";
    let spec = Spec::parse(text);
    let front_matter = spec.front_matter.expect("front matter");
    assert_eq!(front_matter.errors.len(), 1, "{:?}", front_matter.errors);
}

mod block_cache {
    use proptest::prelude::*;
    use smallbatch::spec::{BlockCache, Spec};

    const TWO_BLOCKS: &str = "# Export\n\n## Intent\nWhy.\n\n## Scenarios\n\n```gherkin\nFeature: A\n  Scenario: One\n    Given a\n    Then b\n```\n\nProse between.\n\n```gherkin\nFeature: B\n  Scenario: Two\n    Given c\n    this is wrong\n    Then d\n```\n\n## Scenario order\n1. One\n2. Two\n";

    #[test]
    fn a_reparse_with_the_cache_equals_a_fresh_parse() {
        let mut cache = BlockCache::default();
        let first = Spec::parse_with(TWO_BLOCKS, &mut cache);
        assert_eq!(first, Spec::parse(TWO_BLOCKS));
        // An edit before both blocks shifts them; one inside the second
        // block re-parses it.
        let shifted = TWO_BLOCKS.replace("Why.", "Why, with 😀 more words.");
        assert_eq!(
            Spec::parse_with(&shifted, &mut cache),
            Spec::parse(&shifted)
        );
        let inside = shifted.replace("this is wrong", "And it is right");
        let reparsed = Spec::parse_with(&inside, &mut cache);
        assert_eq!(reparsed, Spec::parse(&inside));
        assert!(reparsed.gherkin_errors.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_edits_give_what_a_fresh_parse_gives(
            edits in prop::collection::vec((0usize..400, prop::sample::select(vec![
                "x", "\n", "```", "```gherkin\n", "  Scenario: New\n", "😀", "    Then z\n", "## Intent\n",
            ])), 1..12)
        ) {
            let mut cache = BlockCache::default();
            let mut text = TWO_BLOCKS.to_string();
            Spec::parse_with(&text, &mut cache);
            for (at, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, insert);
                prop_assert_eq!(Spec::parse_with(&text, &mut cache), Spec::parse(&text));
            }
        }
    }
}
