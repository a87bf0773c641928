//! The spec model: what a spec says, with the byte range of every element in
//! the file it came from.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::FrontMatter;
use super::gherkin::{self, KeywordType};
use super::plan::{Checkbox, Part, Phase, Task, strip_marks};

/// The file an element comes from: the spec itself, one of its linked
/// `.feature` / `.feature.md` files, or the sub-spec file holding its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FileId {
    /// The spec's own markdown file.
    #[default]
    Spec,
    /// `Spec::feature_links[n]`.
    Linked(usize),
    /// `Spec::parts[n]`: a sub-spec file (`IMPLEMENTATION.md`) whose plan is
    /// the spec's.
    Part(usize),
}

/// The sections a spec is made of (DESIGN §4), matched by heading with aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    Intent,
    FeatureDescription,
    Scenarios,
    Order,
    Log,
    Plan,
}

impl SectionKind {
    /// The canonical heading text.
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Intent => "Intent",
            SectionKind::FeatureDescription => "Feature description",
            SectionKind::Scenarios => "Scenarios",
            SectionKind::Order => "Scenario order",
            SectionKind::Log => "Session log",
            SectionKind::Plan => "Plan",
        }
    }

    /// The section a heading names, case-insensitively, aliases included.
    pub fn from_heading(text: &str) -> Option<SectionKind> {
        let normalized = normalize_name(text);
        let kind = match normalized.as_str() {
            "intent" | "intent description" | "why" | "problem" | "problem statement"
            | "overview" | "goal" | "goals" | "motivation" | "background" | "context" => {
                SectionKind::Intent
            }
            "feature description"
            | "feature"
            | "design"
            | "technical design"
            | "architecture"
            | "approach"
            | "requirements"
            | "constraints" => SectionKind::FeatureDescription,
            "scenarios" | "acceptance criteria" | "behaviour" | "behavior" => {
                SectionKind::Scenarios
            }
            "scenario order" | "order" | "implementation order" => SectionKind::Order,
            "session log" | "sessions" | "session summaries" | "context summaries" => {
                SectionKind::Log
            }
            "plan"
            | "implementation plan"
            | "refactoring plan"
            | "phases"
            | "tasks"
            | "roadmap" => SectionKind::Plan,
            _ => return None,
        };
        Some(kind)
    }
}

/// A markdown heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, trimmed, without `#` marks.
    pub text: String,
    /// The whole heading line (without its line break).
    pub span: Range<usize>,
    /// The text alone.
    pub text_span: Range<usize>,
}

/// A top-level section of the spec: a level-2 heading and what follows it up
/// to the next heading of level 1 or 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: Option<SectionKind>,
    pub heading: Heading,
    /// From the heading to the start of the next section (or the end of the file).
    pub span: Range<usize>,
    /// After the heading line to the end of the section.
    pub body_span: Range<usize>,
    /// Whether the body holds anything but blank lines and comments.
    pub has_content: bool,
    /// The headings of level 3 and deeper in the body, in order.
    pub subheadings: Vec<Heading>,
}

/// Where a scenario is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioSource {
    /// A ```gherkin fenced block in the spec.
    FencedBlock,
    /// A Markdown-with-Gherkin `### Scenario:` heading in the spec.
    Heading,
    /// A linked `.feature` or `.feature.md` file.
    LinkedFile,
}

/// A step of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub keyword: Arc<str>,
    pub keyword_type: KeywordType,
    pub text: Arc<str>,
    pub span: Range<usize>,
}

/// A scenario (or scenario outline) of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub name: Arc<str>,
    pub keyword: Arc<str>,
    pub source: ScenarioSource,
    pub file: FileId,
    /// The keyword line.
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    /// From its first tag or keyword to its last line.
    pub full_span: Range<usize>,
    pub steps: Vec<Step>,
    /// Where the spec refers to it: its own offset for scenarios written in
    /// the spec, the link's offset for scenarios of linked files. Sorting by
    /// it gives document order.
    pub anchor: usize,
}

impl Scenario {
    /// Whether the scenario has an outcome step (`Then`, or a conjunction after it).
    pub fn has_outcome(&self) -> bool {
        self.steps
            .iter()
            .any(|step| step.keyword_type == KeywordType::Outcome)
    }
}

/// One entry of the scenario order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderEntry {
    /// The scenario name as written (markers, checkboxes and emphasis removed).
    pub name: String,
    /// The name's bytes.
    pub name_span: Range<usize>,
    /// The whole list item line, marker included, without its line break.
    pub line_span: Range<usize>,
}

/// The `## Scenario order` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub section: usize,
    pub entries: Vec<OrderEntry>,
}

/// A `### <unit>` entry of the session log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub heading: Heading,
    /// After the heading line to the next heading.
    pub body_span: Range<usize>,
    /// The summary text, trimmed.
    pub body: String,
}

/// The `## Session log` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    pub section: usize,
    pub entries: Vec<LogEntry>,
}

/// What is known of a linked feature file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Not looked at yet (the model is pure; the workspace resolves links).
    Unresolved,
    /// The file does not exist.
    Missing,
    /// The file exists but is not read, for the reason given.
    Refused(LinkRefusal),
    /// The file was read and parsed; its text is kept for positions.
    Loaded { text: String },
}

/// Why a linked file that exists is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// It resolves (through `..` or a symbolic link) outside the workspace.
    OutsideWorkspace,
    /// It is a folder, a FIFO, a device or a socket.
    NotRegularFile,
}

/// A markdown link to a `.feature` or `.feature.md` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureLink {
    /// The link target as written (relative to the spec's folder).
    pub target: String,
    /// The link's bytes in the spec (`[text](target)`).
    pub span: Range<usize>,
    pub state: LinkState,
}

impl FeatureLink {
    /// The Gherkin flavor of the linked file, from its extension.
    pub fn flavor(&self) -> gherkin::Flavor {
        let target = self.target.split(['#', '?']).next().unwrap_or_default();
        gherkin::Flavor::of_name(target.trim_end_matches('>'))
    }
}

/// A Gherkin syntax error in the spec or one of its linked files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GherkinError {
    pub file: FileId,
    pub message: String,
    pub span: Range<usize>,
}

/// A unit of work: what one session implements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitRef {
    /// `Spec::scenarios[n]`.
    Scenario(usize),
    /// `Spec::phases[n]`.
    PlanPhase(usize),
    /// `Spec::tasks[n]`: a top-level task of a plan without phases.
    PlanTask(usize),
    /// A phase named in the configuration.
    ConfiguredPhase(String),
}

/// A parsed spec.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    pub front_matter: Option<FrontMatter>,
    /// The first level-1 heading.
    pub title: Option<Heading>,
    pub sections: Vec<Section>,
    /// Every scenario, in document order.
    pub scenarios: Vec<Scenario>,
    pub order: Option<Order>,
    pub log: Option<Log>,
    pub phases: Vec<Phase>,
    /// The plan's top-level tasks, when it has no phase headings.
    pub tasks: Vec<Task>,
    /// The sections written in the spec's sub-spec files (filled by the
    /// workspace; the model of one file cannot see them).
    pub parts: Vec<Part>,
    pub feature_links: Vec<FeatureLink>,
    pub gherkin_errors: Vec<GherkinError>,
    /// Every fenced code block (Gherkin or not), fences included.
    pub code_blocks: Vec<Range<usize>>,
    /// Byte length of the spec's text.
    pub len: usize,
}

impl Spec {
    /// The first section of a kind.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == Some(kind))
    }

    /// The sub-spec file that holds a section of `kind` with content, when
    /// the spec's own file has none.
    pub fn part_with(&self, kind: SectionKind) -> Option<&Part> {
        self.parts.iter().find(|p| p.sections.contains(&kind))
    }

    /// Whether a unit's checkboxes are all ticked: a task its own, a phase
    /// every box under its heading.
    pub fn is_ticked(&self, unit: &UnitRef) -> bool {
        match unit {
            UnitRef::PlanPhase(i) => self.phases.get(*i).is_some_and(Phase::is_ticked),
            UnitRef::PlanTask(i) => self.tasks.get(*i).is_some_and(|t| t.checkbox.checked),
            UnitRef::Scenario(_) | UnitRef::ConfiguredPhase(_) => false,
        }
    }

    /// The file a unit is written in: the spec's own, a linked file for a
    /// scenario of one, or the sub-spec file holding the plan.
    pub fn unit_file(&self, unit: &UnitRef) -> FileId {
        match unit {
            UnitRef::Scenario(i) => self.scenarios.get(*i).map(|s| s.file),
            UnitRef::PlanPhase(i) => self.phases.get(*i).map(|p| p.file),
            UnitRef::PlanTask(i) => self.tasks.get(*i).map(|t| t.file),
            UnitRef::ConfiguredPhase(_) => None,
        }
        .unwrap_or_default()
    }

    /// The boxes a unit ticks when it completes.
    pub fn unit_boxes(&self, unit: &UnitRef) -> Vec<&Checkbox> {
        match unit {
            UnitRef::PlanPhase(i) => self.phases.get(*i).map(|p| p.boxes.iter().collect()),
            UnitRef::PlanTask(i) => self.tasks.get(*i).map(|t| vec![&t.checkbox]),
            UnitRef::Scenario(_) | UnitRef::ConfiguredPhase(_) => None,
        }
        .unwrap_or_default()
    }

    /// The scenario an order or log entry names (case and spacing ignored).
    pub fn find_scenario(&self, name: &str) -> Option<usize> {
        let wanted = normalize_name(name);
        self.scenarios
            .iter()
            .position(|s| normalize_name(&s.name) == wanted)
    }

    /// Whether the Session log holds a summary of `unit`: an entry named
    /// after it (case and spacing ignored) with some text.
    pub fn has_summary(&self, unit: &str) -> bool {
        let key = normalize_name(unit);
        self.log
            .iter()
            .flat_map(|log| &log.entries)
            .any(|e| normalize_name(&e.heading.text) == key && !e.body.trim().is_empty())
    }

    /// The summaries of the Session log with some text, oldest first, as
    /// (unit name, summary): what a context load hands over of the history.
    pub fn log_summaries(&self) -> Vec<(String, String)> {
        self.log
            .iter()
            .flat_map(|log| &log.entries)
            .filter(|e| !e.body.trim().is_empty())
            .map(|e| (e.heading.text.clone(), e.body.clone()))
            .collect()
    }

    /// Every scenario by its normalized name (the first of a repeated name).
    pub fn scenario_index(&self) -> ScenarioIndex {
        let keys: Vec<String> = self
            .scenarios
            .iter()
            .map(|s| normalize_name(&s.name))
            .collect();
        let mut by_name = HashMap::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            by_name.entry(key.clone()).or_insert(i);
        }
        ScenarioIndex { keys, by_name }
    }

    /// The name of a unit: its scenario's, its phase's, or the configured phase.
    pub fn unit_name(&self, unit: &UnitRef) -> String {
        match unit {
            UnitRef::Scenario(i) => self
                .scenarios
                .get(*i)
                .map_or_else(String::new, |s| s.name.to_string()),
            UnitRef::PlanPhase(i) => self
                .phases
                .get(*i)
                .map_or_else(String::new, |p| strip_marks(&p.name)),
            UnitRef::PlanTask(i) => self
                .tasks
                .get(*i)
                .map_or_else(String::new, |t| strip_marks(&t.name)),
            UnitRef::ConfiguredPhase(name) => name.clone(),
        }
    }

    /// The number written in a phase's heading (`### Phase 0:` is 0).
    pub fn unit_number(&self, unit: &UnitRef) -> Option<u32> {
        match unit {
            UnitRef::PlanPhase(i) => self.phases.get(*i)?.number,
            _ => None,
        }
    }

    /// A unit's name as written, marks included: a phase's whole heading
    /// (`Phase 1: Build (1-2 days)`), a task's text, a scenario's name.
    pub fn unit_written_name(&self, unit: &UnitRef) -> String {
        match unit {
            UnitRef::PlanPhase(i) => self
                .phases
                .get(*i)
                .map_or_else(String::new, |p| p.heading.text.clone()),
            UnitRef::PlanTask(i) => self
                .tasks
                .get(*i)
                .map_or_else(String::new, |t| t.name.clone()),
            UnitRef::Scenario(_) | UnitRef::ConfiguredPhase(_) => self.unit_name(unit),
        }
    }

    /// The units of work, in order: scenarios in the scenario order (then
    /// those missing from it, in document order); else the plan's phases;
    /// else the configured phases.
    pub fn units(&self, configured_phases: &[String]) -> Vec<UnitRef> {
        if !self.scenarios.is_empty() {
            let mut units = Vec::with_capacity(self.scenarios.len());
            let mut taken = vec![false; self.scenarios.len()];
            let index = self.scenario_index();
            for entry in self.order.iter().flat_map(|o| &o.entries) {
                if let Some(i) = index.get(&entry.name)
                    && !taken[i]
                {
                    taken[i] = true;
                    units.push(UnitRef::Scenario(i));
                }
            }
            units.extend(
                (0..self.scenarios.len())
                    .filter(|&i| !taken[i])
                    .map(UnitRef::Scenario),
            );
            return units;
        }
        if !self.phases.is_empty() {
            return (0..self.phases.len()).map(UnitRef::PlanPhase).collect();
        }
        if !self.tasks.is_empty() {
            return (0..self.tasks.len()).map(UnitRef::PlanTask).collect();
        }
        configured_phases
            .iter()
            .cloned()
            .map(UnitRef::ConfiguredPhase)
            .collect()
    }
}

/// Scenarios by name, for looking up many order and log entries.
#[derive(Debug, Clone, Default)]
pub struct ScenarioIndex {
    /// Each scenario's normalized name, by scenario index.
    keys: Vec<String>,
    by_name: HashMap<String, usize>,
}

impl ScenarioIndex {
    /// The scenario a name names (case and spacing ignored).
    pub fn get(&self, name: &str) -> Option<usize> {
        self.get_key(&normalize_name(name))
    }

    /// The scenario of a name already normalized.
    pub fn get_key(&self, key: &str) -> Option<usize> {
        self.by_name.get(key).copied()
    }

    /// The normalized name of scenario `i`.
    pub fn key(&self, i: usize) -> &str {
        self.keys.get(i).map_or("", String::as_str)
    }
}

/// The LeanSpec number of a spec id or reference: its leading digits when
/// they are the whole id or are followed by `-` or `_` (`045-export` and
/// `045` are 45; `045export` has none).
pub fn spec_number(id: &str) -> Option<u64> {
    let digits = id.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &id[digits..];
    if digits == 0 || !(rest.is_empty() || rest.starts_with(['-', '_'])) {
        return None;
    }
    id[..digits].parse().ok()
}

/// A name as compared between order, log and scenarios: lowercase, with runs
/// of whitespace collapsed to one space.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}
