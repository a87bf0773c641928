//! `smallbatch check [PATHS…] [--format human|json|github]` (DESIGN §5).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::report::{Format, Report};
use super::{EXIT_FOUND, EXIT_OK};
use crate::analysis::{self, Content};
use crate::config::Config;
use crate::lint::{Code, Diagnostic, LintContext, Severity};
use crate::spec::{BlockCache, FileId};
use crate::workspace::{
    self, LoadedSpec, ReadError, Walk, Workspace, normalize, read_text, relative_to, to_slash,
};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check; default: the configured spec roots.
    pub paths: Vec<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// What one path of the run is checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A markdown file: a spec when it matches the `specs` globs or says
    /// `kind: spec`. `explicit` when named on the command line, so that a
    /// file that cannot be read is reported even when it may not be a spec.
    Markdown { explicit: bool, reach: Reach },
    /// A `.feature` / `.feature.md` file: its Gherkin errors only.
    Feature { reach: Reach },
}

/// Where a file may resolve to and still be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Found in the workspace, or named there: read only when it resolves
    /// (through symbolic links) to a file inside it.
    Workspace,
    /// Named on the command line outside the workspace: read where it is.
    Anywhere,
}

/// Runs the check and prints the report; returns the exit status.
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let cwd = std::env::current_dir().context("cannot find the working directory")?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    // The workspace is the one holding the first path named (so that
    // `check examples/specs` uses `examples/.smallbatch/config.toml`), else
    // the working directory's.
    let root = args
        .paths
        .first()
        .map(|p| normalize(&cwd.join(p)))
        .and_then(|p| workspace::find_marked_root(&p))
        .unwrap_or_else(|| workspace::find_root(&cwd));
    let config = Config::load(&shown_root(&root, &cwd))?;
    let ws = Workspace::new(root, config)?;

    let discovered = ws.discover_specs();
    let ctx = analysis::lint_context(&ws, &discovered.files);
    let targets = if args.paths.is_empty() {
        Targets::spec_roots(discovered)
    } else {
        Targets::named(&ws, &cwd, &args.paths)?
    };

    let mut check = Check {
        ws: &ws,
        cwd: &cwd,
        ctx,
        report: Report::default(),
    };
    check.run(&targets);

    let mut report = check.report;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = report
        .write(args.format, &mut out)
        .and_then(|()| out.flush());
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write the report");
    }
    Ok(if report.errors() > 0 {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// The root as a path relative to the working directory (empty when they
/// are the same), so that configuration errors name `.smallbatch/config.toml`
/// the way the user sees it.
fn shown_root(root: &Path, cwd: &Path) -> PathBuf {
    let relative = relative_to(root, cwd);
    if relative == Path::new(".") {
        PathBuf::new()
    } else {
        relative
    }
}

/// The files a run checks, and the folders it could not walk.
#[derive(Debug, Default)]
struct Targets {
    files: BTreeMap<PathBuf, Target>,
    unreadable_folders: Vec<(PathBuf, io::Error)>,
}

impl Targets {
    /// The specs found under the configured spec roots.
    fn spec_roots(walk: Walk) -> Targets {
        let files = walk
            .files
            .into_iter()
            .map(|path| {
                let target = Target::Markdown {
                    explicit: false,
                    reach: Reach::Workspace,
                };
                (path, target)
            })
            .collect();
        Targets {
            files,
            unreadable_folders: walk.errors,
        }
    }

    /// The files the command-line paths name: folders are walked for
    /// markdown files; a path that does not exist stops the run.
    fn named(ws: &Workspace, cwd: &Path, paths: &[PathBuf]) -> anyhow::Result<Targets> {
        let mut targets = Targets::default();
        let mut walk = Walk::default();
        for given in paths {
            let path = normalize(&cwd.join(given));
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    bail!("{}: no such file or folder", given.display())
                }
                Err(e) => bail!("{}: {e}", given.display()),
            };
            let reach = if ws.is_inside_as_written(&path) {
                Reach::Workspace
            } else {
                Reach::Anywhere
            };
            // A file named inside the workspace keeps its name when it
            // resolves outside: reports name it as the user did.
            let path = match path.canonicalize() {
                Ok(canonical)
                    if reach == Reach::Anywhere || ws.is_inside_as_written(&canonical) =>
                {
                    canonical
                }
                _ => path,
            };
            if meta.is_dir() {
                workspace::walk_folder(&path, &mut walk);
            } else if ws.is_feature_path(&path) {
                targets.files.insert(path, Target::Feature { reach });
            } else if workspace::is_markdown(&path) {
                let target = Target::Markdown {
                    explicit: true,
                    reach,
                };
                targets.files.insert(path, target);
            }
        }
        // A walk looks for specs only; feature files are checked through
        // the specs that link them.
        for path in walk.files {
            if !ws.is_feature_path(&path) {
                targets.files.entry(path).or_insert(Target::Markdown {
                    explicit: false,
                    reach: Reach::Workspace,
                });
            }
        }
        targets.unreadable_folders = walk.errors;
        Ok(targets)
    }
}

/// The state of one run: the workspace, the lint facts and the report.
struct Check<'a> {
    ws: &'a Workspace,
    cwd: &'a Path,
    ctx: LintContext,
    report: Report,
}

impl Check<'_> {
    fn run(&mut self, targets: &Targets) {
        for (folder, error) in &targets.unreadable_folders {
            self.folder_problem(folder, error);
        }
        // Specs named explicitly (say in a hidden folder) are known to the
        // lint rules too. A `kind: spec` file outside the spec roots is not:
        // knowing it would need reading every markdown file first.
        for path in targets.files.keys() {
            if self.ws.matches_spec_globs(path) {
                self.ctx.spec_ids.extend(self.ws.spec_names(path));
            }
        }
        let files: Vec<(&PathBuf, &Target)> = targets.files.iter().collect();
        for report in examine_all(self, &files) {
            self.report.append(report);
        }
    }

    /// Reads and analyzes one file: what `record` adds to the report.
    fn examine(&self, path: &Path, target: &Target) -> Examined {
        let (explicit, reach, feature) = match *target {
            Target::Markdown { explicit, reach } => (explicit, reach, false),
            Target::Feature { reach } => (false, reach, true),
        };
        let text = match self.read(path, reach) {
            Ok(text) => text,
            Err(problem) if feature => return Examined::Problem(problem),
            // A file that is not UTF-8 may still say `kind: spec` before its first bad byte.
            Err(problem)
                if self.ws.matches_spec_globs(path)
                    || explicit
                    || self.ws.is_spec(path, problem.text()) =>
            {
                return Examined::Problem(problem);
            }
            Err(_) => return Examined::Nothing,
        };
        let kept = feature.then(|| text.clone());
        let analysis =
            analysis::analyze(self.ws, path, text, &self.ctx, &mut BlockCache::default());
        match (kept, &analysis.content) {
            (Some(text), _) => Examined::Feature(text, analysis),
            (None, Content::Spec(_)) => Examined::Spec(analysis),
            (None, _) => Examined::Nothing,
        }
    }

    /// The report of one file: what was found in it, its texts dropped.
    fn record(&self, path: &Path, examined: Examined) -> Report {
        let mut report = Report::default();
        match examined {
            Examined::Nothing => {}
            Examined::Problem(problem) => self.file_problem(&mut report, path, &problem),
            Examined::Spec(analysis) => {
                if let Content::Spec(loaded) = &analysis.content {
                    report.files += 1;
                    self.add_spec(&mut report, loaded, &analysis.diagnostics);
                }
            }
            Examined::Feature(text, analysis) => {
                report.files += 1;
                let shown = self.shown(path);
                report.add_file(&shown, &text, &analysis.diagnostics);
            }
        }
        report
    }

    /// Adds a spec's diagnostics, each in the file its range points into.
    fn add_spec(&self, report: &mut Report, loaded: &LoadedSpec, diagnostics: &[Diagnostic]) {
        let mut by_file: BTreeMap<FileId, Vec<&Diagnostic>> = BTreeMap::new();
        for diagnostic in diagnostics {
            by_file.entry(diagnostic.file).or_default().push(diagnostic);
        }
        for (file, diagnostics) in by_file {
            let (path, text) = match loaded.source(file) {
                Some(source) => source,
                // A linked file without text: point at its start.
                None => (loaded.file_path(file), ""),
            };
            let shown = self.shown(path);
            report.add_file(&shown, text, diagnostics);
        }
    }

    fn read(&self, path: &Path, reach: Reach) -> Result<String, ReadError> {
        match reach {
            Reach::Workspace => self.ws.read_inside(path),
            Reach::Anywhere => read_text(path),
        }
    }

    /// A file that could not be read: SB000, and it counts as checked.
    fn file_problem(&self, report: &mut Report, path: &Path, problem: &ReadError) {
        report.files += 1;
        let diagnostic = analysis::read_problem(problem, FileId::Spec);
        let shown = self.shown(path);
        report.add_file(&shown, problem.text(), [&diagnostic]);
    }

    /// A folder that could not be walked: SB000 on the folder.
    fn folder_problem(&mut self, folder: &Path, error: &io::Error) {
        let diagnostic = Diagnostic::new(
            Code::SB000,
            Severity::Error,
            0..0,
            format!("cannot read the folder: {error}"),
        );
        let shown = self.shown(folder);
        self.report.add_file(&shown, "", [&diagnostic]);
    }

    /// A path as reports show it: relative to the working directory, `/`-separated.
    fn shown(&self, path: &Path) -> String {
        to_slash(&relative_to(&normalize(&self.cwd.join(path)), self.cwd))
    }
}

/// What reading and analyzing one file gave.
enum Examined {
    /// Not a spec: nothing to report.
    Nothing,
    /// It could not be read.
    Problem(ReadError),
    Spec(analysis::FileAnalysis),
    /// A feature file, with its text.
    Feature(String, analysis::FileAnalysis),
}

/// Examines every file and makes its report, on as many threads as there
/// are cores (at most 8); the reports come in the files' order, and only
/// they are kept, not the files' texts.
fn examine_all(check: &Check<'_>, files: &[(&PathBuf, &Target)]) -> Vec<Report> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(files.len().max(1));
    if threads == 1 {
        return files
            .iter()
            .map(|(p, t)| check.record(p, check.examine(p, t)))
            .collect();
    }
    let mut found: Vec<(usize, Report)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                scope.spawn(move || {
                    (k..files.len())
                        .step_by(threads)
                        .map(|i| {
                            let (path, target) = files[i];
                            (i, check.record(path, check.examine(path, target)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, e)| e).collect()
}
