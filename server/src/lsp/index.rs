//! The spec index: every spec of the spec roots (`indexing` reads them).
//!
//! The index is light on purpose: per spec its URI, id, title and the names
//! and ranges of its scenarios — never its text — so that a workspace of a
//! thousand specs costs a few megabytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{Range, Uri};

use super::position::{Encoding, LineStarts};
use super::to_proto::Text;
use crate::spec::FileId;
use crate::workspace::{LoadedSpec, Workspace};

/// A scenario as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedScenario {
    pub name: String,
    /// The spec itself or one of its linked files.
    pub file: FileId,
    /// The keyword line, in the negotiated encoding.
    pub range: Range,
}

/// A spec as the index keeps it: enough for workspace symbols, spec ids and
/// finding the specs that link to a feature file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedSpec {
    pub uri: Uri,
    pub id: String,
    /// The title heading's text, else the id.
    pub title: String,
    /// The title heading's line (the file's start when it has none).
    pub title_range: Range,
    pub scenarios: Vec<IndexedScenario>,
    /// The resolved path of each `feature_links[i]` (`None` for a URL).
    pub linked: Vec<Option<PathBuf>>,
    /// The spec's sub-spec files, by part.
    pub parts: Vec<PathBuf>,
}

impl IndexedSpec {
    /// The index entry of a loaded spec; `None` when its path is no URI.
    pub fn new(loaded: &LoadedSpec, encoding: Encoding) -> Option<IndexedSpec> {
        let uri = Uri::from_file_path(&loaded.path)?;
        let spec = &loaded.spec;
        let spec_lines = LineStarts::new(&loaded.text);
        let mut linked_lines: BTreeMap<usize, LineStarts> = BTreeMap::new();
        let mut scenarios = Vec::with_capacity(spec.scenarios.len());
        for scenario in &spec.scenarios {
            let Some(text) = spec.file_text(&loaded.text, scenario.file) else {
                continue;
            };
            let lines = match scenario.file {
                FileId::Spec | FileId::Part(_) => &spec_lines,
                FileId::Linked(i) => linked_lines
                    .entry(i)
                    .or_insert_with(|| LineStarts::new(text)),
            };
            let text = Text {
                text,
                lines,
                encoding,
            };
            scenarios.push(IndexedScenario {
                name: scenario.name.to_string(),
                file: scenario.file,
                range: text.range(scenario.span.clone()),
            });
        }
        let text = Text {
            text: &loaded.text,
            lines: &spec_lines,
            encoding,
        };
        let title = spec.title.as_ref().filter(|h| !h.text.trim().is_empty());
        Some(IndexedSpec {
            uri,
            id: loaded.id.clone(),
            title: title.map_or_else(|| loaded.id.clone(), |h| h.text.trim().to_string()),
            title_range: text.range(title.map_or(0..0, |h| h.span.clone())),
            scenarios,
            linked: loaded.linked.clone(),
            parts: loaded.part_paths.clone(),
        })
    }

    /// The URI of a file of the spec.
    pub fn file_uri(&self, file: FileId) -> Option<Uri> {
        match file {
            FileId::Spec => Some(self.uri.clone()),
            FileId::Linked(i) => Uri::from_file_path(self.linked.get(i)?.as_deref()?),
            FileId::Part(i) => Uri::from_file_path(self.parts.get(i)?),
        }
    }
}

/// Every spec of the spec roots, by normalized path.
#[derive(Debug, Default)]
pub struct SpecIndex {
    specs: BTreeMap<PathBuf, IndexedSpec>,
}

impl SpecIndex {
    /// Every indexed spec, in path order.
    pub fn specs(&self) -> impl Iterator<Item = &IndexedSpec> {
        self.specs.values()
    }

    /// Sets what the index knows of a path: a spec, or nothing.
    pub fn set(&mut self, path: PathBuf, spec: Option<IndexedSpec>) {
        match spec {
            Some(spec) => self.specs.insert(path, spec),
            None => self.specs.remove(&path),
        };
    }

    /// Keeps only the specs at `paths`.
    pub fn retain(&mut self, paths: &BTreeSet<&PathBuf>) {
        self.specs.retain(|path, _| paths.contains(path));
    }

    /// The paths of every indexed spec.
    pub fn paths(&self) -> BTreeSet<PathBuf> {
        self.specs.keys().cloned().collect()
    }

    /// The paths of the specs that link to any of `targets` (normalized) or
    /// lie under any of `folders`.
    pub fn affected_by(&self, targets: &[PathBuf], folders: &[PathBuf]) -> BTreeSet<PathBuf> {
        self.specs
            .iter()
            .filter(|(path, spec)| {
                folders.iter().any(|folder| path.starts_with(folder))
                    || spec.linked.iter().flatten().any(|l| targets.contains(l))
            })
            .map(|(path, _)| path.clone())
            .collect()
    }
}

/// The index entry of the spec at `path`; `None` when it is not a spec of
/// the spec roots or cannot be read.
pub fn index_entry(ws: &Workspace, path: &Path, encoding: Encoding) -> Option<IndexedSpec> {
    if !ws.matches_spec_globs(path) {
        return None;
    }
    match ws.read_spec(path) {
        Ok(loaded) => IndexedSpec::new(&loaded, encoding),
        Err(error) => {
            tracing::debug!(path = %path.display(), %error, "not indexed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::Position;

    use super::*;
    use crate::config::Config;

    fn workspace(root: &Path) -> Workspace {
        Workspace::new(root.to_path_buf(), Config::default()).expect("workspace")
    }

    #[test]
    fn the_index_keeps_titles_scenarios_and_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        let ws = workspace(&root);
        let spec = root.join("specs/001-export/README.md");
        std::fs::create_dir_all(root.join("specs/001-export/features")).expect("folders");
        std::fs::write(
            &spec,
            "# Export 📄\n\n## Scenarios\n\n```gherkin\nFeature: F\n  Scenario: One\n    Then x\n```\n\n[more](features/more.feature)\n",
        )
        .expect("write");
        let feature = root.join("specs/001-export/features/more.feature");
        std::fs::write(&feature, "Feature: More\n\n  Scenario: Two\n    Then y\n").expect("write");

        let entry = index_entry(&ws, &spec, Encoding::Utf16).expect("indexed");
        assert_eq!(entry.id, "001-export");
        assert_eq!(entry.title, "Export 📄");
        assert_eq!(entry.title_range.end, Position::new(0, 11));
        let names: Vec<_> = entry.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["One", "Two"]);
        assert_eq!(entry.scenarios[0].range.start, Position::new(6, 2));
        assert_eq!(entry.scenarios[1].range.start, Position::new(2, 2));
        assert_eq!(
            entry.file_uri(entry.scenarios[1].file),
            Uri::from_file_path(&feature)
        );

        let mut index = SpecIndex::default();
        index.set(spec.clone(), Some(entry));
        let affected = index.affected_by(std::slice::from_ref(&feature), &[]);
        assert_eq!(affected, BTreeSet::from([spec.clone()]));
        let gone = index.affected_by(&[], &[root.join("specs/001-export")]);
        assert_eq!(gone, BTreeSet::from([spec]));
        assert!(index_entry(&ws, &root.join("README.md"), Encoding::Utf16).is_none());
    }
}
