//! Rename: which scenario a cursor renames, whether a new name is fit and
//! every place to write it.

use std::ops::Range;

use super::navigation::{Mention, mentions, reference_span, scenario_at};
use crate::spec::{Spec, normalize_name};

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

/// What a rename at a cursor would rename: the scenario, the name under the
/// cursor and the scenario's name as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameTarget {
    pub scenario: usize,
    /// The bytes of the spec under the cursor that name the scenario.
    pub range: Range<usize>,
    pub placeholder: String,
}

/// The scenario a rename at `offset` renames, if the cursor is on a name of one.
pub fn rename_target(spec: &Spec, offset: usize) -> Option<RenameTarget> {
    let (reference, scenario) = scenario_at(spec, offset)?;
    Some(RenameTarget {
        scenario,
        range: reference_span(spec, reference)?,
        placeholder: spec.scenarios.get(scenario)?.name.to_string(),
    })
}

/// Checks `new_name` for a scenario (trimmed: not empty, one line, no
/// other scenario's) and lists the places to write it.
pub fn rename(spec: &Spec, scenario: usize, new_name: &str) -> Result<Rename, RenameError> {
    let name = new_name.trim();
    if name.is_empty() {
        return Err(RenameError::Empty);
    }
    if name.contains(['\n', '\r']) {
        return Err(RenameError::LineBreak);
    }
    let wanted = normalize_name(name);
    let taken = spec
        .scenarios
        .iter()
        .enumerate()
        .find(|(i, s)| *i != scenario && normalize_name(&s.name) == wanted);
    if let Some((_, other)) = taken {
        return Err(RenameError::Taken(other.name.to_string()));
    }
    Ok(Rename {
        name: name.to_string(),
        mentions: mentions(spec, scenario),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::navigation::tests::{covered, fixture, spec};
    use crate::ide::navigation::{MentionKind, Reference, scenario_at};

    #[test]
    fn rename_checks_the_name_and_lists_every_mention() {
        let (spec, _) = spec();
        let renamed = rename(&spec, 0, "  Export a quarter ").expect("a rename");
        assert_eq!(renamed.name, "Export a quarter");
        assert_eq!(renamed.mentions.len(), 3);
        assert_eq!(rename(&spec, 0, " \t"), Err(RenameError::Empty));
        assert_eq!(rename(&spec, 0, "a\nb"), Err(RenameError::LineBreak));
        assert_eq!(
            rename(&spec, 0, "export AN empty month"),
            Err(RenameError::Taken("Export an empty month".into()))
        );
        // A new case of its own name is no clash.
        assert!(rename(&spec, 0, "Export A Month").is_ok());
    }

    #[test]
    fn a_heading_scenario_is_named_after_its_keyword() {
        let (spec, text, cursor) = fixture(
            "# E\n\n## Scenarios\n\n### Scenario: Export a |month\n\n* Then a CSV\n\n## Scenario order\n- Scenario: Export a month\n",
        );
        let (reference, scenario) = scenario_at(&spec, cursor).expect("a scenario");
        assert_eq!(reference, Reference::Scenario(0));
        let renamed = rename(&spec, scenario, "Export a week").expect("a rename");
        assert_eq!(
            covered(&text, "", &renamed.mentions),
            [
                (MentionKind::Scenario, "Export a month"),
                (MentionKind::OrderEntry, "Export a month"),
            ]
        );
        let heading = text.find("### Scenario: ").expect("heading") + "### Scenario: ".len();
        assert_eq!(renamed.mentions[0].range.start, heading);
    }
}
