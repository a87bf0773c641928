//! Finding specs on disk and loading them with their linked files: the I/O
//! layer under the CLI and the language server.

mod layout;
mod paths;
mod read;
mod resolve;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

pub use paths::{normalize, percent_decode, relative_to, to_slash};
pub use read::{MAX_FILE_SIZE, ReadError, read_text};
pub use resolve::SpecNotFound;

use crate::config::Config;
use crate::spec::{BlockCache, FileId, LinkRefusal, Spec};

/// Folders never walked into (besides hidden ones).
const SKIPPED_FOLDERS: [&str; 2] = ["target", "node_modules"];

/// The workspace root for a working directory: the nearest folder holding
/// `.smallbatch/`, else the nearest holding `.git`, else `start` itself.
pub fn find_root(start: &Path) -> PathBuf {
    find_marked_root(start).unwrap_or_else(|| start.to_path_buf())
}

/// The nearest folder above `start` (or `start` itself) holding
/// `.smallbatch/`, else the nearest holding `.git`.
pub fn find_marked_root(start: &Path) -> Option<PathBuf> {
    let nearest = |marker: &str| {
        start
            .ancestors()
            .find(|dir| dir.join(marker).exists())
            .map(Path::to_path_buf)
    };
    nearest(".smallbatch").or_else(|| nearest(".git"))
}

/// Why a workspace could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("bad glob in `{key}` of the configuration: {source}")]
    Glob {
        key: &'static str,
        #[source]
        source: globset::Error,
    },
}

/// A workspace: its root, its configuration and the globs compiled from it.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    /// The root with every symbolic link resolved: what files must resolve
    /// into to be read.
    canonical_root: PathBuf,
    config: Config,
    /// The folders the `specs` globs start from, absolute (from the config).
    spec_roots: Vec<PathBuf>,
    spec_globs: GlobSet,
    feature_globs: GlobSet,
}

/// A spec read from disk, parsed, with its linked files attached.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The spec's path, as it was found (absolute when found by a walk of the root).
    pub path: PathBuf,
    /// DESIGN §6: the folder name in the LeanSpec layout, else the file stem.
    pub id: String,
    pub text: String,
    pub spec: Spec,
    /// The resolved path of each `spec.feature_links[i]`; `None` for a link
    /// that is not a local file (a URL).
    pub linked: Vec<Option<PathBuf>>,
    /// Linked files that exist but could not be read, by link index.
    pub link_problems: Vec<(usize, ReadError)>,
    /// The path of each `spec.parts[i]`, its sub-spec files.
    pub part_paths: Vec<PathBuf>,
}

impl LoadedSpec {
    /// The path and text of a file of the spec, for turning a diagnostic's
    /// byte range into lines and columns.
    pub fn source(&self, file: FileId) -> Option<(&Path, &str)> {
        match file {
            FileId::Spec => Some((&self.path, &self.text)),
            FileId::Linked(i) => {
                let path = self.linked.get(i)?.as_deref()?;
                let text = self.spec.file_text(&self.text, file).or_else(|| {
                    self.link_problems
                        .iter()
                        .find(|(link, _)| *link == i)
                        .map(|(_, problem)| problem.text())
                })?;
                Some((path, text))
            }
            FileId::Part(i) => {
                let path = self.part_paths.get(i)?;
                Some((path, self.spec.file_text(&self.text, file)?))
            }
        }
    }

    /// The path of a file of the spec: the spec's own, a linked file's, or
    /// a sub-spec file's (the spec's own when the file has no path).
    pub fn file_path(&self, file: FileId) -> &Path {
        match file {
            FileId::Spec => &self.path,
            FileId::Linked(i) => self
                .linked
                .get(i)
                .and_then(Option::as_deref)
                .unwrap_or(&self.path),
            FileId::Part(i) => self.part_paths.get(i).map_or(&self.path, PathBuf::as_path),
        }
    }
}

/// The files a walk found, and the folders it could not read.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: BTreeSet<PathBuf>,
    pub errors: Vec<(PathBuf, io::Error)>,
}

impl Workspace {
    /// A workspace at `root` (ideally absolute and canonical) with its configuration.
    pub fn new(root: PathBuf, config: Config) -> Result<Workspace, WorkspaceError> {
        let spec_globs = compile_globs("specs", &config.specs)?;
        let feature_globs = compile_globs("features", &config.features)?;
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let spec_roots = spec_roots(&root, &config.specs);
        Ok(Workspace {
            spec_roots,
            root,
            canonical_root,
            config,
            spec_globs,
            feature_globs,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `path` (absolute, or relative to the root) relative to the root,
    /// when it is inside it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = if path.is_absolute() {
            normalize(path)
        } else {
            normalize(&self.root.join(path))
        };
        if let Ok(relative) = absolute.strip_prefix(&self.root) {
            return Some(relative.to_path_buf());
        }
        // The root is canonical: the path may reach it through a symbolic link.
        let canonical = absolute.canonicalize().ok()?;
        canonical
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// Whether a path is a Gherkin file: it matches the `features` globs or
    /// ends in `.feature` / `.feature.md`.
    pub fn is_feature_path(&self, path: &Path) -> bool {
        let name = file_name_lowercase(path);
        name.ends_with(".feature")
            || name.ends_with(".feature.md")
            || self
                .relative(path)
                .is_some_and(|rel| self.feature_globs.is_match(rel))
    }

    /// Whether a markdown path is a spec by the `specs` globs alone: it
    /// matches them and is not a part of another spec (a sub-spec file).
    pub fn matches_spec_globs(&self, path: &Path) -> bool {
        self.matches_glob(path) && self.part_owner(path).is_none()
    }

    /// Whether a markdown path matches the `specs` globs.
    fn matches_glob(&self, path: &Path) -> bool {
        is_markdown(path)
            && !self.is_feature_path(path)
            && self
                .relative(path)
                .is_some_and(|rel| self.spec_globs.is_match(rel))
    }

    /// DESIGN §4: a markdown file is a spec when it matches the `specs`
    /// globs or its front matter says `kind: spec` — unless it is a part of
    /// another spec or a note at the top of a tree of spec folders.
    pub fn is_spec(&self, path: &Path, text: &str) -> bool {
        let declared = is_markdown(path)
            && !self.is_feature_path(path)
            && declares_spec(text)
            && self.part_owner(path).is_none();
        (self.matches_spec_globs(path) || declared) && !self.is_root_note(path, text)
    }

    /// The folders the `specs` globs start from (their literal leading
    /// folders), absolute; the root itself for a glob like `**/*.md`.
    pub fn spec_roots(&self) -> &[PathBuf] {
        &self.spec_roots
    }

    /// A spec's id, unique in the workspace: its path below its spec root
    /// (the root itself for a spec outside every spec root), without the
    /// file name when it is `README.md` or `index.md` in a folder of its
    /// own, else without `.md` — `specs/012-invoices/README.md` is
    /// `012-invoices`, `specs/team-b/rate-limit/README.md` is
    /// `team-b/rate-limit`, `specs/notes.md` is `notes`.
    pub fn spec_id(&self, path: &Path) -> String {
        let rel = self
            .relative(path)
            .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()));
        let below = self
            .spec_roots()
            .iter()
            .filter_map(|root| root.strip_prefix(&self.root).ok())
            .filter(|root| !root.as_os_str().is_empty())
            .filter_map(|root| rel.strip_prefix(root).ok())
            .min_by_key(|below| below.components().count())
            .map_or(rel.clone(), Path::to_path_buf);
        let name = file_name_lowercase(&below);
        let folder = below.parent().filter(|p| !p.as_os_str().is_empty());
        let id = match folder {
            Some(folder) if name == "readme.md" || name == "index.md" => folder.to_path_buf(),
            _ => below.with_extension(""),
        };
        to_slash(&id)
    }

    /// What names a spec in `depends_on` and SPEC arguments: its id, and
    /// the id's last part (its folder name in the LeanSpec layout, else its
    /// file stem) when that differs.
    pub fn spec_names(&self, path: &Path) -> Vec<String> {
        let id = self.spec_id(path);
        match id.rsplit_once('/') {
            Some((_, name)) => vec![name.to_string(), id.clone()],
            None => vec![id],
        }
    }

    /// Every markdown file under the spec roots that matches the `specs` globs.
    pub fn discover_specs(&self) -> Walk {
        let mut walk = Walk::default();
        for root in self.spec_roots() {
            if root.is_dir() {
                walk_folder(root, &mut walk);
            }
        }
        walk.files
            .retain(|path| self.matches_spec_globs(path) && !self.is_root_note_on_disk(path));
        walk
    }

    /// Whether a path lies inside the workspace as written, before any
    /// symbolic link in it is followed.
    pub fn is_inside_as_written(&self, path: &Path) -> bool {
        let path = normalize(&self.root.join(path));
        path.starts_with(&self.root) || path.starts_with(&self.canonical_root)
    }

    /// Reads a file of the workspace as text: only when it resolves (through
    /// `..` and symbolic links) to a regular file inside the root, so that
    /// nothing of a file elsewhere reaches a report and nothing blocks.
    pub fn read_inside(&self, path: &Path) -> Result<String, ReadError> {
        let canonical = match path.canonicalize() {
            Ok(canonical) => canonical,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(if self.is_inside_as_written(path) {
                    ReadError::NotFound
                } else {
                    ReadError::OutsideWorkspace
                });
            }
            Err(e) => return Err(ReadError::Io(e)),
        };
        if !canonical.starts_with(&self.canonical_root) {
            return Err(ReadError::OutsideWorkspace);
        }
        read::read_regular(&canonical, read::Follow::No)
    }

    /// Reads and loads a spec (its session records are not read).
    pub fn read_spec(&self, path: &Path) -> Result<LoadedSpec, ReadError> {
        let text = self.read_inside(path)?;
        Ok(self.read_spec_text(path, text, &mut BlockCache::default()))
    }

    /// Parses a spec's text and attaches its linked feature files (session
    /// records are the session layer's: see `session::facts`).
    pub fn read_spec_text(&self, path: &Path, text: String, cache: &mut BlockCache) -> LoadedSpec {
        let mut spec = Spec::parse_with(&text, cache);
        spec.parts = self.parts_of(path);
        layout::adopt_part_plan(&mut spec);
        let mut linked = Vec::with_capacity(spec.feature_links.len());
        let mut link_problems = Vec::new();
        for i in 0..spec.feature_links.len() {
            let target = self.resolve_link(path, &spec.feature_links[i].target);
            if let Some(target) = &target {
                match self.read_inside(target) {
                    Ok(feature) => spec.attach_feature(i, Some(&feature)),
                    Err(ReadError::NotFound) => spec.attach_feature(i, None),
                    Err(ReadError::OutsideWorkspace) => {
                        spec.refuse_feature(i, LinkRefusal::OutsideWorkspace);
                    }
                    Err(ReadError::NotRegularFile) => {
                        spec.refuse_feature(i, LinkRefusal::NotRegularFile);
                    }
                    Err(problem) => link_problems.push((i, problem)),
                }
            }
            linked.push(target);
        }
        let part_paths = spec_folder_files(path, &spec);
        LoadedSpec {
            path: path.to_path_buf(),
            id: self.spec_id(path),
            text,
            spec,
            linked,
            link_problems,
            part_paths,
        }
    }

    /// The file a link of the spec at `spec_path` points to: relative to the
    /// spec's folder (or to the root when it starts with `/`), with `%XX`
    /// decoded and any `#fragment` or `?query` dropped. `None` for a URL.
    pub fn resolve_link(&self, spec_path: &Path, target: &str) -> Option<PathBuf> {
        let target = target.trim();
        let target = target
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(target);
        if has_url_scheme(target) {
            return None;
        }
        let target = target.split(['#', '?']).next().unwrap_or_default();
        let decoded = percent_decode(target);
        if decoded.is_empty() {
            return None;
        }
        let base = match decoded.strip_prefix('/') {
            Some(_) => self.root.clone(),
            None => spec_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        Some(normalize(&base.join(decoded.trim_start_matches('/'))))
    }
}

/// The paths of a spec's sub-spec files, by part.
fn spec_folder_files(path: &Path, spec: &Spec) -> Vec<PathBuf> {
    let folder = path.parent().unwrap_or(Path::new(""));
    spec.parts.iter().map(|p| folder.join(&p.name)).collect()
}

/// Collects every markdown file under `dir`, skipping hidden folders,
/// `target` and `node_modules`; symbolic links to folders are not followed.
pub fn walk_folder(dir: &Path, walk: &mut Walk) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.errors.push((dir.to_path_buf(), e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                walk.errors.push((dir.to_path_buf(), e));
                continue;
            }
        };
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_ref()) {
                walk_folder(&path, walk);
            }
        } else if is_markdown(&path) && path.is_file() {
            walk.files.insert(path);
        }
    }
}

/// Whether front matter says `kind: spec`.
pub fn declares_spec(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            break;
        }
        if let Some(value) = line.strip_prefix("kind:") {
            let value = value.split(" #").next().unwrap_or_default().trim();
            let value = value.trim_matches(['"', '\'']);
            if value.eq_ignore_ascii_case("spec") {
                return true;
            }
        }
    }
    false
}

/// Whether the path names a markdown file (`.md` or `.markdown`).
pub fn is_markdown(path: &Path) -> bool {
    let name = file_name_lowercase(path);
    name.ends_with(".md") || name.ends_with(".markdown")
}

fn file_name_lowercase(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn has_url_scheme(target: &str) -> bool {
    let Some((scheme, _)) = target.split_once(':') else {
        return false;
    };
    // `C:` is a drive letter, not a scheme.
    scheme.len() > 1
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The folders `globs` start from under `root`; a root inside another
/// root is walked with it, so only the outer one is kept.
fn spec_roots(root: &Path, globs: &[String]) -> Vec<PathBuf> {
    let roots: BTreeSet<PathBuf> = globs
        .iter()
        .map(|glob| root.join(literal_prefix(glob)))
        .collect();
    roots
        .iter()
        .filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o)))
        .cloned()
        .collect()
}

/// The leading folders of a glob before its first wildcard component.
fn literal_prefix(glob: &str) -> &str {
    let mut end = 0;
    for (start, part) in glob.split('/').scan(0, |offset, part| {
        let start = *offset;
        *offset += part.len() + 1;
        Some((start, part))
    }) {
        if part.contains(['*', '?', '[', '{']) {
            return glob[..end].trim_end_matches('/');
        }
        end = start + part.len();
    }
    // A glob without wildcards names a file: its folder is the root.
    Path::new(glob)
        .parent()
        .and_then(Path::to_str)
        .unwrap_or_default()
}

fn compile_globs(key: &'static str, globs: &[String]) -> Result<GlobSet, WorkspaceError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|source| WorkspaceError::Glob { key, source })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|source| WorkspaceError::Glob { key, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn workspace(root: &Path) -> Workspace {
        let root = root.canonicalize().expect("canonical root");
        Workspace::new(root, Config::default()).expect("workspace")
    }

    fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn the_root_is_the_nearest_smallbatch_folder_then_git() {
        let dir = tempfile::tempdir().expect("temp dir");
        let top = dir.path();
        fs::create_dir_all(top.join(".smallbatch")).expect("mkdir");
        fs::create_dir_all(top.join("repo/.git")).expect("mkdir");
        fs::create_dir_all(top.join("repo/src/deep")).expect("mkdir");
        assert_eq!(find_root(&top.join("repo/src/deep")), top);
        fs::remove_dir(top.join(".smallbatch")).expect("rmdir");
        assert_eq!(find_root(&top.join("repo/src/deep")), top.join("repo"));
        fs::remove_dir(top.join("repo/.git")).expect("rmdir");
        assert_eq!(
            find_root(&top.join("repo/src/deep")),
            top.join("repo/src/deep")
        );
    }

    #[test]
    fn specs_are_the_glob_matches_or_kind_spec() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = workspace(dir.path());
        let root = ws.root().to_path_buf();
        assert!(ws.matches_spec_globs(&root.join("specs/001-a/README.md")));
        assert!(ws.matches_spec_globs(&root.join("specs/b.md")));
        assert!(!ws.matches_spec_globs(&root.join("README.md")));
        assert!(!ws.matches_spec_globs(&root.join("specs/x.feature.md")));
        assert!(!ws.is_spec(&root.join("docs/x.md"), "# Notes\n"));
        assert!(ws.is_spec(&root.join("docs/x.md"), "---\nkind: spec\n---\n# X\n"));
        assert!(!ws.is_spec(&root.join("docs/x.md"), "# X\n---\nkind: spec\n---\n"));
    }

    #[test]
    fn spec_ids_follow_the_leanspec_layout() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = workspace(dir.path());
        let root = ws.root().to_path_buf();
        assert_eq!(
            ws.spec_id(&root.join("specs/012-invoices/README.md")),
            "012-invoices"
        );
        assert_eq!(
            ws.spec_id(&root.join("specs/012-invoices/index.md")),
            "012-invoices"
        );
        assert_eq!(ws.spec_id(&root.join("specs/export.md")), "export");
        assert_eq!(ws.spec_id(&root.join("specs/README.md")), "README");
        assert_eq!(ws.spec_id(&root.join("README.md")), "README");
    }

    #[test]
    fn discovery_walks_the_spec_roots_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = workspace(dir.path());
        let root = ws.root().to_path_buf();
        write(&root, "specs/001-a/README.md", "# A\n");
        write(&root, "specs/b.md", "---\nstatus: draft\n---\n# B\n");
        // A note beside spec folders, with no front matter, is no spec.
        write(&root, "specs/FROZEN.md", "# Frozen\n");
        write(&root, "specs/.hidden/c.md", "# C\n");
        write(&root, "specs/node_modules/d.md", "# D\n");
        write(&root, "specs/001-a/features/e.feature.md", "# Feature: E\n");
        write(&root, "README.md", "# Readme\n");
        let walk = ws.discover_specs();
        let found: Vec<_> = walk
            .files
            .iter()
            .map(|p| to_slash(&relative_to(p, &root)))
            .collect();
        assert_eq!(found, ["specs/001-a/README.md", "specs/b.md"]);
        let names: Vec<String> = walk.files.iter().flat_map(|p| ws.spec_names(p)).collect();
        assert_eq!(names, ["001-a", "b"]);
    }

    #[test]
    fn spec_roots_come_from_the_globs() {
        assert_eq!(literal_prefix("specs/**/*.md"), "specs");
        assert_eq!(literal_prefix("docs/specs/*.md"), "docs/specs");
        assert_eq!(literal_prefix("**/*.md"), "");
        assert_eq!(literal_prefix("{a,b}/*.md"), "");
        assert_eq!(literal_prefix("docs/one.md"), "docs");
    }

    #[test]
    fn links_resolve_relative_to_the_spec() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = workspace(dir.path());
        let root = ws.root().to_path_buf();
        let spec = root.join("specs/001-a/README.md");
        assert_eq!(
            ws.resolve_link(&spec, "features/my%20export.feature#L3"),
            Some(root.join("specs/001-a/features/my export.feature"))
        );
        assert_eq!(
            ws.resolve_link(&spec, "../shared/x.feature"),
            Some(root.join("specs/shared/x.feature"))
        );
        assert_eq!(
            ws.resolve_link(&spec, "/features/x.feature"),
            Some(root.join("features/x.feature"))
        );
        assert_eq!(
            ws.resolve_link(&spec, "https://example.com/x.feature"),
            None
        );
    }

    #[test]
    fn loading_a_spec_never_panics_on_bad_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = workspace(dir.path());
        let root = ws.root().to_path_buf();
        let path = write(&root, "specs/a.md", "# A\n");
        let loaded = ws.read_spec(&path).expect("load");
        assert_eq!(loaded.id, "a");
        assert_eq!(loaded.source(FileId::Spec).map(|(_, t)| t), Some("# A\n"));
        assert!(loaded.source(FileId::Linked(0)).is_none());
    }
}
