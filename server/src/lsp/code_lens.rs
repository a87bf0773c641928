//! textDocument/codeLens. Each lens comes from a provider that reads the
//! analysed spec and says, in byte offsets, where the lens goes and what it
//! says; this module converts them. Today: on the title, "N scenarios · M in
//! order". Per-scenario session lenses are one more provider in
//! [`PROVIDERS`].

use std::collections::BTreeSet;
use std::ops::Range as ByteRange;

use serde_json::{Value, json};
use tower_lsp_server::ls_types::*;

use super::commands;
use super::documents::Analysis;
use super::position::Encoding;
use super::to_proto::Text;
use crate::lint::{Progress, UnitProgress};
use crate::spec::{FileId, UnitRef};
use crate::workspace::LoadedSpec;

/// A lens before conversion.
#[derive(Debug, Clone, PartialEq)]
struct Lens {
    /// The bytes of the spec the lens sits above (its line is what counts).
    anchor: ByteRange<usize>,
    title: String,
    /// The command run on a click; `None` for a lens that only informs.
    command: Option<(String, Vec<Value>)>,
}

impl Lens {
    /// A lens that only shows text.
    fn label(anchor: ByteRange<usize>, title: String) -> Lens {
        Lens {
            anchor,
            title,
            command: None,
        }
    }

    /// A lens always carries a command, or some clients (VS Code among
    /// them) show nothing: a lens that only informs gets the empty command
    /// id, which VS Code shows as text that cannot be clicked.
    fn into_proto(self, text: Text<'_>) -> CodeLens {
        let (command, arguments) = self.command.unwrap_or_default();
        CodeLens {
            range: text.range(self.anchor),
            command: Some(Command {
                title: self.title,
                command,
                arguments: (!arguments.is_empty()).then_some(arguments),
            }),
            data: None,
        }
    }
}

/// What lenses are computed from.
struct LensContext<'a> {
    loaded: &'a LoadedSpec,
    uri: &'a Uri,
    /// Every unit with where it stands (no sessions yet: all pending).
    progress: Vec<UnitProgress>,
}

/// The lens providers, in the order their lenses are listed.
const PROVIDERS: [fn(&LensContext<'_>) -> Vec<Lens>; 2] = [title_lens, scenario_lenses];

/// The lenses of a spec, from every provider; `None` for other documents.
pub fn code_lenses(analysis: &Analysis, encoding: Encoding) -> Option<Vec<CodeLens>> {
    let loaded = analysis.spec()?;
    let text = Text::of(analysis, encoding);
    let progress = loaded
        .facts
        .clone()
        .unwrap_or_default()
        .progress(&loaded.spec);
    let cx = LensContext {
        loaded,
        uri: &analysis.uri,
        progress,
    };
    let lenses = PROVIDERS
        .iter()
        .flat_map(|provider| provider(&cx))
        .map(|lens| lens.into_proto(text))
        .collect();
    Some(lenses)
}

/// On the title (or the first line): how many scenarios, how many of them
/// the order lists.
fn title_lens(cx: &LensContext<'_>) -> Vec<Lens> {
    let spec = &cx.loaded.spec;
    let index = spec.scenario_index();
    let ordered: BTreeSet<usize> = spec
        .order
        .iter()
        .flat_map(|order| &order.entries)
        .filter_map(|entry| index.get(&entry.name))
        .collect();
    let total = spec.scenarios.len();
    let noun = if total == 1 { "scenario" } else { "scenarios" };
    let done = cx
        .progress
        .iter()
        .filter(|u| matches!(u.progress, Progress::Done { .. }))
        .count();
    let mut title = format!(
        "{done}/{} done · {total} {noun} · {} in order",
        cx.progress.len(),
        ordered.len()
    );
    if let Some(open) = cx.progress.iter().find(|u| {
        matches!(
            u.progress,
            Progress::Active { .. } | Progress::Paused { .. }
        )
    }) {
        let state = if matches!(open.progress, Progress::Active { .. }) {
            "active"
        } else {
            "paused"
        };
        title.push_str(&format!(" · {state}: {}", open.name));
    }
    let anchor = spec.title.as_ref().map_or(0..0, |t| t.span.clone());
    vec![Lens::label(anchor, title)]
}

/// Above each scenario of the spec: its state and next action.
fn scenario_lenses(cx: &LensContext<'_>) -> Vec<Lens> {
    let spec = &cx.loaded.spec;
    let mut lenses = Vec::new();
    for unit in &cx.progress {
        let UnitRef::Scenario(i) = unit.unit else {
            continue;
        };
        let scenario = &spec.scenarios[i];
        if scenario.file != FileId::Spec {
            continue;
        }
        let anchor = scenario.span.clone();
        let argument = json!({"spec": cx.uri.as_str(), "scenario": unit.name});
        let action = |title: &str, command: &str| Lens {
            anchor: anchor.clone(),
            title: title.to_string(),
            command: Some((command.to_string(), vec![argument.clone()])),
        };
        match &unit.progress {
            Progress::Done { commit } => {
                let title = match commit {
                    Some(commit) => format!("✔ done · {}", &commit[..commit.len().min(7)]),
                    None => "✔ done".to_string(),
                };
                lenses.push(Lens::label(anchor.clone(), title));
            }
            Progress::Active { .. } => {
                lenses.push(action("✓ Complete", commands::COMPLETE));
                lenses.push(action("⏸ Pause", commands::PAUSE));
                lenses.push(action("✕ Abandon", commands::ABANDON));
            }
            Progress::Paused { .. } => {
                lenses.push(action("⟳ Resume", commands::RESUME));
                lenses.push(action("✕ Abandon", commands::ABANDON));
            }
            Progress::Next => lenses.push(action("▶ Start session", commands::START)),
            Progress::Failed | Progress::Pending => {}
        }
    }
    lenses
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
                )
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
