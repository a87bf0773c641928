//! Git facts for sessions (DESIGN §6): HEAD, branch, a dirty tree, the
//! commits made since a session started and the files they changed.
//!
//! Every fact is best effort: outside a repository [`GitRepo::discover`]
//! gives `None`, and a fact git cannot give (an unborn branch, a commit that
//! no longer exists) comes back empty rather than as an error, so sessions
//! work without git.

use std::path::Path;

use git2::{Delta, Oid, Repository, Sort, StatusOptions};
use serde::Serialize;

use crate::session::record::CommitFact;

/// The folder whose changes never make the tree dirty: smallbatch's own.
const SMALLBATCH_FOLDER: &str = ".smallbatch";

/// A repository holding the workspace.
pub struct GitRepo {
    repo: Repository,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("path", &self.repo.path())
            .finish()
    }
}

/// The files a range of commits added, modified and deleted, each sorted,
/// as paths from the repository's top with `/` separators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChanges {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub deleted: Vec<String>,
}

impl FileChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.deleted.is_empty()
    }

    /// The added and modified paths that are tests (see [`is_test_path`]).
    pub fn tests(&self) -> impl Iterator<Item = &str> {
        self.added
            .iter()
            .chain(&self.modified)
            .map(String::as_str)
            .filter(|path| is_test_path(path))
    }
}

impl GitRepo {
    /// The repository holding `root` (the folder itself or one above it);
    /// `None` outside a repository.
    pub fn discover(root: &Path) -> Option<GitRepo> {
        Repository::discover(root).ok().map(|repo| GitRepo { repo })
    }

    /// The full id of the commit HEAD points to; `None` on an unborn branch.
    pub fn head(&self) -> Option<String> {
        self.head_id().map(|id| id.to_string())
    }

    /// The branch HEAD is on, also when it has no commit yet; `None` when
    /// HEAD is detached.
    pub fn branch(&self) -> Option<String> {
        match self.repo.head() {
            Ok(head) if head.is_branch() => head.shorthand().ok().map(str::to_string),
            Ok(_) => None,
            Err(_) => self.unborn_branch(),
        }
    }

    /// Whether the working tree has tracked changes or untracked files,
    /// leaving out ignored files and anything under `.smallbatch/`. A
    /// repository without a working tree is never dirty.
    pub fn is_dirty(&self) -> bool {
        if self.repo.is_bare() {
            return false;
        }
        let mut options = StatusOptions::new();
        options
            .include_untracked(true)
            .include_ignored(false)
            .recurse_untracked_dirs(false);
        let Ok(statuses) = self.repo.statuses(Some(&mut options)) else {
            return false;
        };
        statuses
            .iter()
            .any(|entry| !is_smallbatch_path(&String::from_utf8_lossy(entry.path_bytes())))
    }

    /// The commits reachable from HEAD and not from `start`, oldest first.
    /// Only those commits (and the few around `start`) are walked. Empty on
    /// an unborn branch or when `start` is not a commit of the repository.
    pub fn commits_since(&self, start: &str) -> Vec<CommitFact> {
        let (Some(head), Some(start)) = (self.head_id(), self.commit_id(start)) else {
            return Vec::new();
        };
        self.walk(head, start).unwrap_or_default()
    }

    /// The files that differ between the trees of commits `from` and `to`
    /// (renames count as a deletion and an addition), smallbatch's own files
    /// left out. Empty when either is not a commit of the repository.
    pub fn changes(&self, from: &str, to: &str) -> FileChanges {
        let mut changes = self.diff_trees(from, to).unwrap_or_default();
        // smallbatch's own files (records, context loads) are bookkeeping,
        // not the session's work.
        for paths in [
            &mut changes.added,
            &mut changes.modified,
            &mut changes.deleted,
        ] {
            paths.retain(|path| !is_smallbatch_path(path));
        }
        changes
    }

    fn head_id(&self) -> Option<Oid> {
        let head = self.repo.head().ok()?;
        head.peel_to_commit().ok().map(|commit| commit.id())
    }

    /// `refs/heads/main` → `main`, from the symbolic HEAD of a fresh repository.
    fn unborn_branch(&self) -> Option<String> {
        let head = self.repo.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok()??;
        target.strip_prefix("refs/heads/").map(str::to_string)
    }

    /// The commit `rev` names (a full or short id, or any revision git reads).
    fn commit_id(&self, rev: &str) -> Option<Oid> {
        let object = self.repo.revparse_single(rev).ok()?;
        object.peel_to_commit().ok().map(|commit| commit.id())
    }

    fn walk(&self, head: Oid, start: Oid) -> Result<Vec<CommitFact>, git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        walk.hide(start)?;
        walk.map(|id| {
            let commit = self.repo.find_commit(id?)?;
            let summary = String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default());
            Ok(CommitFact {
                id: commit.id().to_string(),
                summary: summary.into_owned(),
            })
        })
        .collect()
    }

    fn diff_trees(&self, from: &str, to: &str) -> Option<FileChanges> {
        let tree = |rev: &str| {
            let id = self.commit_id(rev)?;
            self.repo.find_commit(id).ok()?.tree().ok()
        };
        let (old, new) = (tree(from)?, tree(to)?);
        let diff = self
            .repo
            .diff_tree_to_tree(Some(&old), Some(&new), None)
            .ok()?;
        let mut changes = FileChanges::default();
        for delta in diff.deltas() {
            let path = |file: git2::DiffFile<'_>| {
                String::from_utf8_lossy(file.path_bytes().unwrap_or_default()).into_owned()
            };
            match delta.status() {
                Delta::Added => changes.added.push(path(delta.new_file())),
                Delta::Deleted => changes.deleted.push(path(delta.old_file())),
                Delta::Modified | Delta::Typechange => {
                    changes.modified.push(path(delta.new_file()))
                }
                _ => {}
            }
        }
        for paths in [
            &mut changes.added,
            &mut changes.modified,
            &mut changes.deleted,
        ] {
            paths.sort();
            paths.dedup();
        }
        Some(changes)
    }
}

/// Whether a path (with `/` separators) is smallbatch's own: it has a
/// `.smallbatch` folder among its components.
fn is_smallbatch_path(path: &str) -> bool {
    path.split('/').any(|part| part == SMALLBATCH_FOLDER)
}

/// Whether a path (with `/` or `\` separators) is a test: under a `tests/`
/// or `test/` folder, or named `*_test.*`, `*.test.*`, `*_spec.*` or
/// `test_*.py`.
pub fn is_test_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    let name = parts.pop().unwrap_or_default();
    parts
        .iter()
        .any(|folder| matches!(*folder, "tests" | "test"))
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains("_spec.")
        || (name.starts_with("test_") && name.ends_with(".py"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_are_recognised_by_folder_or_name() {
        for path in [
            "tests/cli.rs",
            "server/tests/session_store.rs",
            "test/helper.js",
            "src/export_test.go",
            "web/export.test.ts",
            "spec/export_spec.rb",
            "tests\\windows.rs",
            "app/test_export.py",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "src/export.rs",
            "src/testing.rs",
            "tests",
            "contest/x.rs",
            "src/test_export.rs",
            "src/latest.py",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }

    #[test]
    fn smallbatch_paths_are_its_own_folder_only() {
        assert!(is_smallbatch_path(".smallbatch/"));
        assert!(is_smallbatch_path(".smallbatch/sessions/a/a.json"));
        assert!(is_smallbatch_path("app/.smallbatch/config.toml"));
        assert!(!is_smallbatch_path("src/.smallbatchrc"));
        assert!(!is_smallbatch_path("smallbatch/x"));
    }
}
