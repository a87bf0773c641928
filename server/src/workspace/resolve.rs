//! SPEC arguments of the session commands: a path, a spec id (the folder
//! name in the LeanSpec layout, else the file stem) or a LeanSpec number.

use std::path::{Path, PathBuf};

use super::{Workspace, is_markdown, normalize, read_text, relative_to, to_slash};
use crate::spec::spec_number;

/// Why a SPEC argument names no single spec of the workspace.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpecNotFound {
    #[error(
        "no spec named `{0}`: give a path to the spec, its id (folder name or file stem) or its number"
    )]
    Unknown(String),
    #[error("`{given}` names several specs ({}): give the path or the full id", .candidates.join(", "))]
    Ambiguous {
        given: String,
        candidates: Vec<String>,
    },
    #[error(
        "`{given}` is outside the workspace ({}): session commands work only on the specs of their workspace",
        root.display()
    )]
    OutsideWorkspace { given: String, root: PathBuf },
    #[error(
        "`{given}` is not a spec: {why}; a spec is a markdown file under the spec roots ({}) or one with `kind: spec` in its front matter",
        globs.join(", ")
    )]
    NotASpec {
        given: String,
        why: &'static str,
        globs: Vec<String>,
    },
}

impl Workspace {
    /// The spec a SPEC argument names, relative paths resolved from `cwd`:
    /// a spec file of this workspace (a folder means its `README.md` or
    /// `index.md`), else a spec id, a spec's folder name or file stem, or
    /// a LeanSpec number. Anything outside the workspace, even through a
    /// symbolic link, and any file that is not a spec is refused.
    pub fn resolve_spec(&self, cwd: &Path, given: &str) -> Result<PathBuf, SpecNotFound> {
        let as_path = normalize(&cwd.join(given));
        if as_path.exists() {
            return self.spec_at(given, &as_path);
        }
        let specs = self.discover_specs().files;
        let named: Vec<&PathBuf> = specs
            .iter()
            .filter(|p| self.spec_names(p).iter().any(|name| name == given))
            .collect();
        if !named.is_empty() {
            return self.one_of(given, &named);
        }
        let Some(number) = spec_number(given).filter(|_| given.bytes().all(|b| b.is_ascii_digit()))
        else {
            return Err(SpecNotFound::Unknown(given.to_string()));
        };
        let numbered: Vec<&PathBuf> = specs
            .iter()
            .filter(|p| spec_number(&self.spec_id(p)) == Some(number))
            .collect();
        if numbered.is_empty() {
            return Err(SpecNotFound::Unknown(given.to_string()));
        }
        self.one_of(given, &numbered)
    }

    fn one_of(&self, given: &str, found: &[&PathBuf]) -> Result<PathBuf, SpecNotFound> {
        match found {
            [one] => Ok((*one).clone()),
            many => Err(SpecNotFound::Ambiguous {
                given: given.to_string(),
                candidates: many
                    .iter()
                    .map(|p| to_slash(&relative_to(p, self.root())))
                    .collect(),
            }),
        }
    }

    /// The spec at an existing path, when it is one of this workspace.
    fn spec_at(&self, given: &str, path: &Path) -> Result<PathBuf, SpecNotFound> {
        let not_a_spec = |why| SpecNotFound::NotASpec {
            given: given.to_string(),
            why,
            globs: self.config().specs.clone(),
        };
        let file = if path.is_dir() {
            ["README.md", "index.md"]
                .iter()
                .map(|name| path.join(name))
                .find(|inside| inside.is_file())
                .ok_or_else(|| not_a_spec("a folder without a README.md or index.md"))?
        } else {
            path.to_path_buf()
        };
        let root = self
            .root()
            .canonicalize()
            .unwrap_or_else(|_| self.root().to_path_buf());
        let inside = |p: &Path| p.starts_with(self.root()) || p.starts_with(&root);
        let real = file.canonicalize().unwrap_or_else(|_| file.clone());
        if !inside(&file) || !inside(&real) {
            return Err(SpecNotFound::OutsideWorkspace {
                given: given.to_string(),
                root: self.root().to_path_buf(),
            });
        }
        let regular = std::fs::metadata(&real).is_ok_and(|m| m.is_file());
        if !regular {
            return Err(not_a_spec("it is not a regular file"));
        }
        if !is_markdown(&file) || self.is_feature_path(&file) {
            return Err(not_a_spec("it is not a markdown file"));
        }
        if let Some(owner) = self.part_owner(&file) {
            return Ok(owner);
        }
        if self.is_root_note_on_disk(&file) {
            return Err(not_a_spec(
                "it is a note at the top of a tree of spec folders (it has no front matter)",
            ));
        }
        if self.matches_spec_globs(&file) {
            return Ok(file);
        }
        match read_text(&real) {
            Ok(text) if self.is_spec(&file, &text) => Ok(file),
            _ => Err(not_a_spec(
                "it is outside the spec roots and has no `kind: spec`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::SpecNotFound;
    use crate::config::Config;
    use crate::workspace::Workspace;

    #[test]
    fn a_spec_is_named_by_path_id_or_number() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().canonicalize().expect("canonical");
        for path in [
            "specs/045-export/README.md",
            "specs/046-import/README.md",
            "specs/notes.md",
            "specs/047drafts/README.md",
        ] {
            let path = root.join(path);
            fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            fs::write(&path, "---\nstatus: draft\n---\n# A spec\n").expect("write");
        }
        let ws = Workspace::new(root.clone(), Config::default()).expect("workspace");
        let export = root.join("specs/045-export/README.md");
        assert_eq!(
            ws.resolve_spec(&root, "specs/045-export/README.md"),
            Ok(export.clone())
        );
        assert_eq!(
            ws.resolve_spec(&root, "specs/045-export"),
            Ok(export.clone())
        );
        assert_eq!(ws.resolve_spec(&root, "045-export"), Ok(export.clone()));
        assert_eq!(ws.resolve_spec(&root, "045"), Ok(export.clone()));
        assert_eq!(ws.resolve_spec(&root, "45"), Ok(export));
        assert_eq!(
            ws.resolve_spec(&root, "notes"),
            Ok(root.join("specs/notes.md"))
        );
        assert_eq!(
            ws.resolve_spec(&root, "047"),
            Err(SpecNotFound::Unknown("047".into()))
        );
    }
}
