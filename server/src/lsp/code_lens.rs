//! textDocument/codeLens: the lenses of `ide::lenses`, converted. A lens
//! always carries a command, or some clients (VS Code among them) show
//! nothing: a lens that only informs gets the empty command id, which VS
//! Code shows as text that cannot be clicked.

use serde_json::{Value, json};
use tower_lsp_server::ls_types::{CodeLens, Command, Uri};

use super::commands;
use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::Text;
use crate::ide::lenses::{self, Lens, LensAction, SessionCommand};
use crate::spec::UnitRef;

/// The lenses of a spec, or of the units a sub-spec file holds the plan
/// of (their commands naming the spec); `None` for other documents.
pub fn code_lenses(analysis: &Analysis, encoding: Encoding) -> Option<Vec<CodeLens>> {
    let text = Text::of(analysis, encoding);
    let progress = analysis.progress();
    let (found, spec_uri) = match (analysis.spec(), analysis.owner()) {
        (Some(loaded), _) => (
            lenses::lenses(&loaded.spec, &progress),
            analysis.uri.clone(),
        ),
        (None, Some((owner, part))) => (
            lenses::part_lenses(&owner.spec, &progress, part),
            Uri::from_file_path(&owner.path)?,
        ),
        (None, None) => return None,
    };
    let lenses = found
        .into_iter()
        .map(|lens| code_lens(lens, &spec_uri, text))
        .collect();
    Some(lenses)
}

fn code_lens(lens: Lens, uri: &Uri, text: Text<'_>) -> CodeLens {
    let (command, arguments) = match &lens.action {
        Some(action) => (
            commands::session_command(action.command).to_string(),
            Some(vec![argument(uri, action)]),
        ),
        None => (String::new(), None),
    };
    CodeLens {
        range: text.range(lens.anchor),
        command: Some(Command {
            title: lens.title,
            command,
            arguments,
        }),
        data: None,
    }
}

/// `{"spec": <uri>, "scenario": <name>}`; a phase or task is named
/// `"phase"` / `"task"` on Start (where it picks the unit) and `"unit"`
/// otherwise (on resume `phase` names the session's phase).
fn argument(uri: &Uri, action: &LensAction) -> Value {
    let start = action.command == SessionCommand::Start;
    let key = match action.unit {
        UnitRef::Scenario(_) => "scenario",
        UnitRef::PlanPhase(_) | UnitRef::ConfiguredPhase(_) if start => "phase",
        UnitRef::PlanTask(_) if start => "task",
        _ => "unit",
    };
    json!({"spec": uri.as_str(), key: action.name})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Vec<(u32, String, String)> {
        let analysis = Analysis::fixture("specs/export.md", text);
        code_lenses(&analysis, Encoding::Utf16)
            .expect("lenses")
            .into_iter()
            .map(|lens| {
                let command = lens.command.expect("a command");
                (lens.range.start.line, command.title, command.command)
            })
            .collect()
    }

    #[test]
    fn the_title_counts_scenarios_and_ordered_ones() {
        let text = "---\nstatus: draft\n---\n# Export\n\n## Scenarios\n```gherkin\nFeature: F\n  Scenario: One\n    Then x\n  Scenario: Two\n    Then y\n  Scenario: Three\n    Then z\n```\n\n## Scenario order\n1. two\n2. Nowhere\n3. One\n4. One\n";
        assert_eq!(
            titles(text),
            [
                (
                    3,
                    "0/3 done · 3 scenarios · 2 in order".to_string(),
                    String::new()
                ),
                // The order lists `two` first: it is the next to build.
                (
                    10,
                    "▶ Start session".to_string(),
                    "smallbatch.start".to_string()
                ),
                (8, "○ pending · 2 of 3".to_string(), String::new()),
                (12, "○ pending · 3 of 3".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn a_spec_without_title_or_scenarios_still_gets_its_lens() {
        assert_eq!(
            titles("## Intent\nWhy.\n"),
            [(
                0,
                "0/0 done · 0 scenarios · 0 in order".to_string(),
                String::new()
            )]
        );
        let one = "# A\n## Scenarios\n### Scenario: Only\n* Then x\n";
        assert_eq!(titles(one)[0].1, "0/1 done · 1 scenario · 0 in order");
    }

    #[test]
    fn other_documents_have_no_lenses() {
        let analysis = Analysis::fixture("notes/readme.md", "# Notes\n");
        assert_eq!(code_lenses(&analysis, Encoding::Utf16), None);
    }
}
