//! A file as smallbatch sees it: classify → parse → link → facts → lint.
//! `smallbatch check` and the language server both call [`analyze`], so they
//! give the same diagnostics by construction; each keeps only its own job
//! (the CLI its targets and reports, the server its documents and
//! versions).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::lint::{Diagnostic, LintContext, lint_feature};
use crate::session::facts::session_facts;
pub use crate::session::facts::{read_problem, spec_diagnostics};
use crate::spec::gherkin::{self, Flavor, GherkinDocument};
use crate::spec::{BlockCache, Spec};
use crate::units::SessionFacts;
use crate::workspace::{LoadedSpec, Workspace};

/// What a file is to smallbatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A spec (DESIGN §4).
    Spec,
    /// A sub-spec file of the spec at that path (DESIGN §4): part of it,
    /// with no diagnostics of its own.
    Part(PathBuf),
    /// A `.feature` or `.feature.md` file, in its flavor.
    Feature(Flavor),
    /// Any other file: no diagnostics.
    Other,
}

/// Classifies a file by its path and text, with the one flavor rule.
pub fn classify(ws: &Workspace, path: &Path, text: &str) -> Kind {
    if ws.is_feature_path(path) {
        Kind::Feature(Flavor::of_path(path))
    } else if let Some(owner) = ws.part_owner(path) {
        Kind::Part(owner)
    } else if ws.is_spec(path, text) {
        Kind::Spec
    } else {
        Kind::Other
    }
}

/// A file, parsed.
#[derive(Debug)]
pub enum Content {
    /// A spec, with its linked files attached.
    Spec(Box<LoadedSpec>),
    Feature(Box<GherkinDocument>),
    /// A sub-spec file, parsed for navigation, outline and folding.
    Part(Box<PartAnalysis>),
    Other,
}

/// A sub-spec file as smallbatch sees it.
#[derive(Debug)]
pub struct PartAnalysis {
    /// The file's own parse.
    pub spec: Spec,
    /// The spec it is part of, when the spec's plan is written in this file
    /// (as saved: with the text given), for the lenses of its units.
    pub owner: Option<LoadedSpec>,
    /// Which of the owner's parts this file is.
    pub index: usize,
}

/// A file as smallbatch sees it.
#[derive(Debug)]
pub struct FileAnalysis {
    pub content: Content,
    /// What a spec's session records say, once its sessions are tracked.
    pub facts: Option<SessionFacts>,
    /// Every diagnostic, in the file and in the files a spec links.
    pub diagnostics: Vec<Diagnostic>,
}

/// Classifies, parses, links, reads the session facts and lints `text`,
/// the content of the file at `path`. `blocks` are the Gherkin blocks of an
/// earlier analysis of the same document, reused where unchanged.
pub fn analyze(
    ws: &Workspace,
    path: &Path,
    text: String,
    ctx: &LintContext,
    blocks: &mut BlockCache,
) -> FileAnalysis {
    match classify(ws, path, &text) {
        Kind::Feature(flavor) => {
            let document = gherkin::parse(&text, flavor);
            FileAnalysis {
                diagnostics: lint_feature(&document, &text),
                content: Content::Feature(Box::new(document)),
                facts: None,
            }
        }
        Kind::Spec => {
            let loaded = ws.read_spec_text(path, text, blocks);
            let facts = session_facts(ws, &loaded);
            FileAnalysis {
                diagnostics: spec_diagnostics(&loaded, facts.as_ref(), ctx),
                content: Content::Spec(Box::new(loaded)),
                facts,
            }
        }
        Kind::Part(owner) => {
            let spec = Spec::parse_with(&text, blocks);
            // The owner's plan, when it is this file's text as saved.
            let loaded = ws.read_spec(&owner).ok().and_then(|loaded| {
                let index = loaded.part_paths.iter().position(|p| p == path)?;
                let same = loaded.spec.parts.get(index)?.text.as_deref() == Some(text.as_str());
                same.then_some((loaded, index))
            });
            let facts = loaded
                .as_ref()
                .and_then(|(loaded, _)| session_facts(ws, loaded));
            let (owner, index) = match loaded {
                Some((loaded, index)) => (Some(loaded), index),
                None => (None, 0),
            };
            FileAnalysis {
                content: Content::Part(Box::new(PartAnalysis { spec, owner, index })),
                facts,
                diagnostics: Vec::new(),
            }
        }
        Kind::Other => FileAnalysis {
            content: Content::Other,
            facts: None,
            diagnostics: Vec::new(),
        },
    }
}

/// The facts about the workspace that some rules need: every spec's names.
pub fn lint_context(ws: &Workspace, specs: &BTreeSet<PathBuf>) -> LintContext {
    LintContext {
        spec_ids: specs.iter().flat_map(|path| ws.spec_names(path)).collect(),
        token_budget: ws.config().session.token_budget,
    }
}
