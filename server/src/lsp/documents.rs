//! The open documents: one rope per URI, changed only by notifications, in
//! order; and the analysis of a version, which requests read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, LineStarts, rope_char};
use crate::analysis::{self, FileAnalysis};
use crate::lint::{Diagnostic, LintContext};
use crate::spec::BlockCache;
use crate::units::{SessionFacts, UnitProgress};
use crate::workspace::{LoadedSpec, Workspace};

pub use crate::analysis::Content;

/// One version of a document, analysed. Requests read it; nothing changes it.
#[derive(Debug)]
pub struct Analysis {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
    pub lines: LineStarts,
    pub content: Content,
    /// What a spec's session records say, once its sessions are tracked.
    pub facts: Option<SessionFacts>,
    /// Every diagnostic, in the spec and in its linked files.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Reads `text` as what its path makes it: a spec, a feature file, or neither.
    pub fn new(
        uri: Uri,
        version: i32,
        text: String,
        ws: &Workspace,
        ctx: &LintContext,
        blocks: &mut BlockCache,
    ) -> Analysis {
        let analysis = match uri.to_file_path() {
            Some(path) => analysis::analyze(ws, &path, text.clone(), ctx, blocks),
            None => FileAnalysis {
                content: Content::Other,
                facts: None,
                diagnostics: Vec::new(),
            },
        };
        Analysis {
            uri,
            version,
            lines: LineStarts::new(&text),
            text,
            content: analysis.content,
            facts: analysis.facts,
            diagnostics: analysis.diagnostics,
        }
    }

    /// A version that could not be analysed (the analysis panicked, which
    /// was logged): no diagnostics rather than a dead server.
    pub fn unanalysed(uri: Uri, version: i32, text: String) -> Analysis {
        Analysis {
            uri,
            version,
            lines: LineStarts::new(&text),
            text,
            content: Content::Other,
            facts: None,
            diagnostics: Vec::new(),
        }
    }

    pub fn spec(&self) -> Option<&LoadedSpec> {
        match &self.content {
            Content::Spec(loaded) => Some(loaded),
            _ => None,
        }
    }

    /// The spec a sub-spec file holds the plan of, with the part's index.
    pub fn owner(&self) -> Option<(&LoadedSpec, usize)> {
        match &self.content {
            Content::Part(part) => Some((part.owner.as_ref()?, part.index)),
            _ => None,
        }
    }

    /// Every unit of the spec (or of the spec a sub-spec file holds the
    /// plan of) with where it stands; none for other documents.
    pub fn progress(&self) -> Vec<UnitProgress> {
        let Some(loaded) = self.spec().or_else(|| self.owner().map(|(o, _)| o)) else {
            return Vec::new();
        };
        let facts = self.facts.clone().unwrap_or_default();
        facts.progress(&loaded.spec)
    }
}

#[cfg(test)]
impl Analysis {
    /// Version 1 of `text` at `path` (relative to a workspace with the
    /// default configuration in the temporary folder), analysed: a fixture
    /// for the feature modules' tests.
    pub fn fixture(path: &str, text: &str) -> Analysis {
        let root = std::env::temp_dir().join("smallbatch-fixture");
        let ws = Workspace::new(root.clone(), crate::config::Config::default())
            .expect("the default globs compile");
        let uri = Uri::from_file_path(root.join(path)).expect("an absolute path");
        let ctx = LintContext::default();
        Analysis::new(
            uri,
            1,
            text.to_string(),
            &ws,
            &ctx,
            &mut BlockCache::default(),
        )
    }
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// The analysis of the latest version analysed (maybe older than `version`).
    pub analysis: Option<Arc<Analysis>>,
    /// Whether a task is analysing this document; it picks up later versions
    /// before it stops, so bursts of edits are coalesced.
    pub analysing: bool,
    /// Bumped when what the analysis read besides the text (linked files,
    /// the workspace) changed: the same version is then analysed again.
    pub generation: u64,
    /// The Gherkin blocks of the last analysis, reused when unchanged.
    pub blocks: Arc<Mutex<BlockCache>>,
}

impl Document {
    /// The analysis of the current version, if there is one yet.
    pub fn current(&self) -> Option<Arc<Analysis>> {
        self.analysis
            .as_ref()
            .filter(|a| a.version == self.version)
            .cloned()
    }
}

/// Why a change was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    NotOpen,
    /// The change's version is not newer than the document's.
    Stale {
        have: i32,
        got: i32,
    },
}

#[derive(Debug, Default)]
pub struct DocumentStore {
    docs: HashMap<Uri, Document>,
}

impl DocumentStore {
    pub fn open(&mut self, uri: Uri, version: i32, text: &str) {
        self.docs.insert(
            uri,
            Document {
                version,
                rope: Rope::from_str(text),
                analysis: None,
                analysing: false,
                generation: 0,
                blocks: Arc::default(),
            },
        );
    }

    pub fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.docs.get_mut(uri)
    }

    /// Every open document.
    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.docs.iter()
    }

    /// Applies changes in order: a change with a range edits that range, one
    /// without replaces the whole text.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<(), ChangeError> {
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        if version <= doc.version {
            return Err(ChangeError::Stale {
                have: doc.version,
                got: version,
            });
        }
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = rope_char(&doc.rope, range.start, encoding);
                    let end = rope_char(&doc.rope, range.end, encoding).max(start);
                    doc.rope.remove(start..end);
                    doc.rope.insert(start, &change.text);
                }
                None => doc.rope = Rope::from_str(&change.text),
            }
        }
        doc.version = version;
        Ok(())
    }
}
