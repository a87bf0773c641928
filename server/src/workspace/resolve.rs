//! SPEC arguments of the session commands: a path, a spec id (the folder
//! name in the LeanSpec layout, else the file stem) or a LeanSpec number.

use std::path::{Path, PathBuf};

use super::Workspace;
use crate::spec::spec_number;

/// Why a SPEC argument names no single spec.
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
}

impl Workspace {
    /// The spec a SPEC argument names, relative paths resolved from `cwd`.
    pub fn resolve_spec(&self, cwd: &Path, given: &str) -> Result<PathBuf, SpecNotFound> {
        let as_path = cwd.join(given);
        if as_path.is_file() {
            return Ok(as_path);
        }
        for name in ["README.md", "index.md"] {
            let inside = as_path.join(name);
            if as_path.is_dir() && inside.is_file() {
                return Ok(inside);
            }
        }
        let specs = self.discover_specs().files;
        if let Some(path) = specs.iter().find(|p| self.spec_id(p) == given) {
            return Ok(path.clone());
        }
        let Some(number) = spec_number(given).filter(|_| given.bytes().all(|b| b.is_ascii_digit()))
        else {
            return Err(SpecNotFound::Unknown(given.to_string()));
        };
        let numbered: Vec<&PathBuf> = specs
            .iter()
            .filter(|p| spec_number(&self.spec_id(p)) == Some(number))
            .collect();
        match numbered.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(SpecNotFound::Unknown(given.to_string())),
            many => Err(SpecNotFound::Ambiguous {
                given: given.to_string(),
                candidates: many.iter().map(|p| self.spec_id(p)).collect(),
            }),
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
            fs::write(&path, "# A spec\n").expect("write");
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
