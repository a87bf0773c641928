//! The LeanSpec layout: a spec folder holding a `README.md` is one spec,
//! its other markdown files (`DESIGN.md`, `IMPLEMENTATION.md`, …) are parts
//! of it, and a markdown file at the top of a tree of spec folders with no
//! front matter and nothing of a spec in it (LeanSpec's `FROZEN.md`) is a
//! note, not a spec.

use std::path::{Path, PathBuf};

use super::{Workspace, file_name_lowercase, is_markdown};
use crate::spec::{FileId, Part, SectionKind, Spec};

/// The names of the file that is a spec folder's spec.
const MAIN_FILES: [&str; 2] = ["readme.md", "index.md"];

impl Workspace {
    /// The spec a sub-spec file belongs to: the `README.md` (or `index.md`)
    /// of its folder, when the file is another markdown file of a folder
    /// below a spec root that holds one.
    pub fn part_owner(&self, path: &Path) -> Option<PathBuf> {
        if !is_markdown(path) || self.is_feature_path(path) {
            return None;
        }
        if MAIN_FILES.contains(&file_name_lowercase(path).as_str()) {
            return None;
        }
        let folder = path.parent()?;
        if !self.below_a_root(folder) {
            return None;
        }
        main_file(folder).filter(|main| self.matches_glob(main))
    }

    /// Whether a file is a note at the top of a spec root rather than a
    /// spec: the root holds spec folders (the LeanSpec layout), and the file
    /// has no front matter, no section of a spec and no Gherkin. A flat root
    /// of `specs/*.md`, or a spec file beside the folders, stays a spec.
    pub fn is_root_note(&self, path: &Path, text: &str) -> bool {
        let Some(folder) = path.parent() else {
            return false;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let has_front_matter = text.lines().next().map(str::trim_end) == Some("---");
        !has_front_matter
            && !looks_like_a_spec(text)
            && self.spec_roots().iter().any(|root| root == folder)
            && holds_spec_folders(folder)
    }

    /// Whether a folder lies below a spec root (not the root itself).
    fn below_a_root(&self, folder: &Path) -> bool {
        self.spec_roots()
            .iter()
            .any(|root| folder != root.as_path() && folder.starts_with(root))
    }

    /// [`Workspace::is_root_note`] for a file not read yet.
    pub(super) fn is_root_note_on_disk(&self, path: &Path) -> bool {
        let Some(folder) = path.parent() else {
            return false;
        };
        self.spec_roots().iter().any(|root| root == folder)
            && self
                .read_inside(path)
                .is_ok_and(|text| self.is_root_note(path, &text))
    }
}

impl Workspace {
    /// The sub-spec files of the spec at `path`, with the sections each
    /// holds: the other markdown files of its folder, when it is a folder's
    /// `README.md` below a spec root. Files that cannot be read are left out.
    pub(super) fn parts_of(&self, path: &Path) -> Vec<Part> {
        let Some(folder) = path.parent() else {
            return Vec::new();
        };
        let is_main = MAIN_FILES.contains(&file_name_lowercase(path).as_str());
        if !is_main || !self.below_a_root(folder) {
            return Vec::new();
        }
        let Ok(entries) = std::fs::read_dir(folder) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.as_path() != path && self.part_owner(p).is_some())
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|file| Some(part(file, &self.read_inside(file).ok()?)))
            .collect()
    }
}

/// What a sub-spec file holds for its spec.
fn part(path: &Path, text: &str) -> Part {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let spec = Spec::parse(text);
    let mut sections: Vec<SectionKind> = spec
        .sections
        .iter()
        .filter(|s| s.has_content)
        .filter_map(|s| s.kind)
        .collect();
    if name.to_ascii_uppercase().contains("DESIGN") && !text.trim().is_empty() {
        sections.push(SectionKind::FeatureDescription);
    }
    let titled_as_plan = spec
        .title
        .as_ref()
        .is_some_and(|t| SectionKind::from_heading(&t.text) == Some(SectionKind::Plan));
    // A plan section was read with the file; a file titled as a plan is
    // read again as one only then.
    let has_plan = !spec.phases.is_empty()
        || !spec.tasks.is_empty()
        || (titled_as_plan && Spec::plan_of_part(text).is_some());
    if has_plan {
        sections.push(SectionKind::Plan);
    }
    sections.dedup();
    // Kept for `adopt_part_plan`, which keeps it only for the part whose
    // plan becomes the spec's.
    Part {
        name,
        sections,
        text: has_plan.then(|| text.to_string()),
    }
}

/// When the spec's own file has no plan and no scenarios, the plan of its
/// first sub-spec file that has one becomes the spec's: its phases or tasks
/// are the units, written in that file (`FileId::Part`).
pub(super) fn adopt_part_plan(spec: &mut Spec) {
    let texts: Vec<Option<String>> = spec.parts.iter_mut().map(|p| p.text.take()).collect();
    let own_plan = spec
        .section(SectionKind::Plan)
        .is_some_and(|s| s.has_content);
    if own_plan || !spec.scenarios.is_empty() || !spec.phases.is_empty() || !spec.tasks.is_empty() {
        return;
    }
    for (i, text) in texts.into_iter().enumerate() {
        let Some(text) = text else {
            continue;
        };
        let Some((mut phases, mut tasks)) = Spec::plan_of_part(&text) else {
            continue;
        };
        for phase in &mut phases {
            phase.file = FileId::Part(i);
            for task in &mut phase.tasks {
                task.file = FileId::Part(i);
            }
        }
        for task in &mut tasks {
            task.file = FileId::Part(i);
        }
        spec.phases = phases;
        spec.tasks = tasks;
        spec.parts[i].text = Some(text);
        return;
    }
}

/// Whether a text has a section heading of a spec or a Gherkin block.
fn looks_like_a_spec(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        let heading = line.strip_prefix("## ").map(str::trim);
        heading.is_some_and(|h| SectionKind::from_heading(h).is_some())
            || line.strip_prefix("```").is_some_and(|info| {
                let lang = info.trim().to_ascii_lowercase();
                lang.starts_with("gherkin") || lang.starts_with("cucumber")
            })
    })
}

/// The spec file of a folder, if it has one.
fn main_file(folder: &Path) -> Option<PathBuf> {
    ["README.md", "index.md"]
        .iter()
        .map(|name| folder.join(name))
        .find(|path| path.is_file())
}

/// Whether a folder holds at least one folder with a `README.md`.
fn holds_spec_folders(folder: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return false;
    };
    entries
        .flatten()
        .any(|entry| entry.path().is_dir() && main_file(&entry.path()).is_some())
}
