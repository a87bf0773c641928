//! Navigation over the spec model: what a cursor is on, where a scenario is
//! named, where to go from there and how to rename it. Byte offsets only; the
//! language server converts them.

mod completion;
mod hover;

use std::ops::Range;

pub use completion::{Completion, CompletionCandidate, CompletionKind};
pub use hover::HoverText;

use super::{FeatureLink, FileId, LinkState, Scenario, Spec, normalize_name};

/// An element of the spec under a cursor that names a scenario or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The name of `order.entries[n]`.
    OrderEntry(usize),
    /// The heading of `log.entries[n]`.
    LogEntry(usize),
    /// The name of `scenarios[n]`, written in the spec itself.
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

/// A checked rename: the new name and every place to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub name: String,
    pub mentions: Vec<Mention>,
}

/// Why a scenario cannot take a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("a scenario needs a name: type at least one character")]
    Empty,
    #[error("a scenario name is one line: remove the line break")]
    LineBreak,
    #[error("another scenario is already named `{0}`: choose a name no other scenario has")]
    Taken(String),
}

impl Spec {
    /// The scenario name, order entry, log heading or feature link under
    /// `offset` (a cursor just after a name is still on it).
    pub fn reference_at(&self, offset: usize) -> Option<Reference> {
        let on = |span: &Range<usize>| span.start <= offset && offset <= span.end;
        let entries = self.order.iter().flat_map(|o| &o.entries);
        if let Some(i) = entries.clone().position(|e| on(&e.name_span)) {
            return Some(Reference::OrderEntry(i));
        }
        let logged = self.log.iter().flat_map(|l| &l.entries);
        if let Some(i) = logged.clone().position(|e| on(&e.heading.text_span)) {
            return Some(Reference::LogEntry(i));
        }
        let written = |s: &Scenario| s.file == FileId::Spec && on(&s.name_span);
        if let Some(i) = self.scenarios.iter().position(written) {
            return Some(Reference::Scenario(i));
        }
        let linked = |l: &FeatureLink| l.span.start <= offset && offset < l.span.end;
        self.feature_links
            .iter()
            .position(linked)
            .map(Reference::FeatureLink)
    }

    /// The bytes of the spec a reference covers: the name it writes, or the link.
    pub fn reference_span(&self, reference: Reference) -> Option<Range<usize>> {
        let span = match reference {
            Reference::OrderEntry(i) => &self.order.as_ref()?.entries.get(i)?.name_span,
            Reference::LogEntry(i) => &self.log.as_ref()?.entries.get(i)?.heading.text_span,
            Reference::Scenario(i) => &self.scenarios.get(i)?.name_span,
            Reference::FeatureLink(i) => &self.feature_links.get(i)?.span,
        };
        Some(span.clone())
    }

    /// The scenario a reference names, if any.
    pub fn referenced_scenario(&self, reference: Reference) -> Option<usize> {
        match reference {
            Reference::OrderEntry(i) => {
                self.find_scenario(&self.order.as_ref()?.entries.get(i)?.name)
            }
            Reference::LogEntry(i) => {
                self.find_scenario(&self.log.as_ref()?.entries.get(i)?.heading.text)
            }
            Reference::Scenario(i) => (i < self.scenarios.len()).then_some(i),
            Reference::FeatureLink(_) => None,
        }
    }

    /// The reference under `offset` and the scenario it names.
    pub fn scenario_at(&self, offset: usize) -> Option<(Reference, usize)> {
        let reference = self.reference_at(offset)?;
        Some((reference, self.referenced_scenario(reference)?))
    }

    /// Every place naming a scenario: its own name, then the order entries
    /// and log headings that resolve to it, in document order.
    pub fn mentions(&self, scenario: usize) -> Vec<Mention> {
        let Some(declaration) = self.declaration(scenario) else {
            return Vec::new();
        };
        let mut mentions = vec![declaration];
        mentions.extend(self.entry_mentions(scenario));
        mentions
    }

    /// A scenario's own name, in the file it is written in.
    fn declaration(&self, scenario: usize) -> Option<Mention> {
        let declared = self.scenarios.get(scenario)?;
        Some(Mention {
            file: declared.file,
            range: declared.name_span.clone(),
            kind: MentionKind::Scenario,
        })
    }

    /// The order entries and log headings that name a scenario.
    fn entry_mentions(&self, scenario: usize) -> Vec<Mention> {
        let index = self.scenario_index();
        let names = |name: &str| index.get(name) == Some(scenario);
        let in_spec = |range: &Range<usize>, kind| Mention {
            file: FileId::Spec,
            range: range.clone(),
            kind,
        };
        let order = self.order.iter().flat_map(|o| &o.entries);
        let log = self.log.iter().flat_map(|l| &l.entries);
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
    pub fn definition(&self, offset: usize) -> Option<Definition> {
        let reference = self.reference_at(offset)?;
        if let Reference::FeatureLink(i) = reference {
            let link = self.feature_links.get(i)?;
            let unread = matches!(link.state, LinkState::Missing | LinkState::Refused(_));
            return (!unread).then_some(Definition::File(FileId::Linked(i)));
        }
        let scenario = self.referenced_scenario(reference)?;
        let mentions = match reference {
            Reference::Scenario(_) => self.entry_mentions(scenario),
            _ => self.declaration(scenario).into_iter().collect(),
        };
        (!mentions.is_empty()).then_some(Definition::Mentions(mentions))
    }

    /// Where a scenario is in the scenario order (repeats and entries naming
    /// no scenario are not counted); `None` when it is not listed.
    pub fn order_place(&self, scenario: usize) -> Option<OrderPlace> {
        let index = self.scenario_index();
        let mut listed: Vec<usize> = Vec::new();
        for entry in self.order.iter().flat_map(|o| &o.entries) {
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
    pub fn log_entry_of(&self, scenario: usize) -> Option<usize> {
        let index = self.scenario_index();
        self.log
            .as_ref()?
            .entries
            .iter()
            .position(|e| index.get(&e.heading.text) == Some(scenario))
    }

    /// Checks `new_name` for a scenario (trimmed: not empty, one line, no
    /// other scenario's) and lists the places to write it.
    pub fn rename(&self, scenario: usize, new_name: &str) -> Result<Rename, RenameError> {
        let name = new_name.trim();
        if name.is_empty() {
            return Err(RenameError::Empty);
        }
        if name.contains(['\n', '\r']) {
            return Err(RenameError::LineBreak);
        }
        let wanted = normalize_name(name);
        let taken = self
            .scenarios
            .iter()
            .enumerate()
            .find(|(i, s)| *i != scenario && normalize_name(&s.name) == wanted);
        if let Some((_, other)) = taken {
            return Err(RenameError::Taken(other.name.to_string()));
        }
        Ok(Rename {
            name: name.to_string(),
            mentions: self.mentions(scenario),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A spec from a fixture where `|` marks the cursor: the spec, its text
    /// without the mark and the cursor's offset.
    pub(crate) fn fixture(marked: &str) -> (Spec, String, usize) {
        let cursor = marked
            .find('|')
            .expect("the fixture marks the cursor with |");
        let text = marked.replacen('|', "", 1);
        (Spec::parse(&text), text, cursor)
    }

    /// What each mention covers, with its kind, for comparing with the fixture.
    fn covered<'a>(
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
    fn spec() -> (Spec, String) {
        (Spec::parse(SPEC), SPEC.to_string())
    }

    #[test]
    fn the_cursor_finds_what_it_is_on() {
        let (spec, text, cursor) = at("2. **ex|port");
        assert_eq!(spec.reference_at(cursor), Some(Reference::OrderEntry(1)));
        assert_eq!(spec.referenced_scenario(Reference::OrderEntry(1)), Some(0));
        let span = spec
            .reference_span(Reference::OrderEntry(1))
            .expect("a span");
        assert_eq!(&text[span], "export a month");

        let (spec, _, cursor) = at("### Export a month|\n");
        assert_eq!(spec.scenario_at(cursor), Some((Reference::LogEntry(0), 0)));

        let (spec, _, cursor) = at("Scenario: |Export an");
        assert_eq!(spec.scenario_at(cursor), Some((Reference::Scenario(1), 1)));

        let (spec, _, cursor) = at("    Given a |month");
        assert_eq!(spec.reference_at(cursor), None);
    }

    #[test]
    fn a_scenario_is_mentioned_by_its_name_its_entries_and_its_log() {
        let (spec, text) = spec();
        let mentions = spec.mentions(0);
        assert_eq!(
            covered(&text, "", &mentions),
            [
                (MentionKind::Scenario, "Export a month"),
                (MentionKind::OrderEntry, "export a month"),
                (MentionKind::LogEntry, "Export a month"),
            ]
        );
        assert_eq!(
            covered(&text, "", &spec.mentions(1)),
            [
                (MentionKind::Scenario, "Export an empty month"),
                (MentionKind::OrderEntry, "Export an empty month"),
            ]
        );
    }

    #[test]
    fn definition_goes_from_entries_to_the_scenario_and_back() {
        let (spec, text, cursor) = at("1. Export an |empty");
        let Some(Definition::Mentions(found)) = spec.definition(cursor) else {
            panic!("a definition");
        };
        assert_eq!(
            covered(&text, "", &found),
            [(MentionKind::Scenario, "Export an empty month")]
        );
        assert!(found[0].range.start < text.find("## Scenario order").expect("order"));

        let (spec, text, cursor) = at("Scenario: Export a |month");
        let Some(Definition::Mentions(found)) = spec.definition(cursor) else {
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
    fn definition_reaches_scenarios_and_files_that_are_linked() {
        let feature = "Feature: Errors\n  Scenario: Export fails\n    Then an error\n";
        let (mut spec, text, cursor) = fixture(
            "# E\n\n## Scenarios\n\nSee [errors](errors.feature).\n\n## Scenario order\n1. Export fa|ils\n",
        );
        spec.attach_feature(0, Some(feature));
        let Some(Definition::Mentions(found)) = spec.definition(cursor) else {
            panic!("a definition");
        };
        assert_eq!(found[0].file, FileId::Linked(0));
        assert_eq!(
            covered(&text, feature, &found),
            [(MentionKind::Scenario, "Export fails")]
        );
        let link = text.find("[errors]").expect("link") + 2;
        assert_eq!(
            spec.definition(link),
            Some(Definition::File(FileId::Linked(0)))
        );
        spec.feature_links[0].state = LinkState::Missing;
        assert_eq!(spec.definition(link), None);
    }

    #[test]
    fn the_order_place_counts_listed_scenarios() {
        let (spec, _) = spec();
        assert_eq!(spec.order_place(0), Some(OrderPlace { position: 2, of: 2 }));
        assert_eq!(spec.log_entry_of(0), Some(0));
        assert_eq!(spec.log_entry_of(1), None);
    }

    #[test]
    fn rename_checks_the_name_and_lists_every_mention() {
        let (spec, _) = spec();
        let rename = spec.rename(0, "  Export a quarter ").expect("a rename");
        assert_eq!(rename.name, "Export a quarter");
        assert_eq!(rename.mentions.len(), 3);
        assert_eq!(spec.rename(0, " \t"), Err(RenameError::Empty));
        assert_eq!(spec.rename(0, "a\nb"), Err(RenameError::LineBreak));
        assert_eq!(
            spec.rename(0, "export AN empty month"),
            Err(RenameError::Taken("Export an empty month".into()))
        );
        // A new case of its own name is no clash.
        assert!(spec.rename(0, "Export A Month").is_ok());
    }

    #[test]
    fn a_heading_scenario_is_named_after_its_keyword() {
        let (spec, text, cursor) = fixture(
            "# E\n\n## Scenarios\n\n### Scenario: Export a |month\n\n* Then a CSV\n\n## Scenario order\n- Scenario: Export a month\n",
        );
        let (reference, scenario) = spec.scenario_at(cursor).expect("a scenario");
        assert_eq!(reference, Reference::Scenario(0));
        let rename = spec.rename(scenario, "Export a week").expect("a rename");
        assert_eq!(
            covered(&text, "", &rename.mentions),
            [
                (MentionKind::Scenario, "Export a month"),
                (MentionKind::OrderEntry, "Export a month"),
            ]
        );
        let heading = text.find("### Scenario: ").expect("heading") + "### Scenario: ".len();
        assert_eq!(rename.mentions[0].range.start, heading);
    }
}
