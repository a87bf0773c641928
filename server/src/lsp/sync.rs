//! Document sync: open, change and close change the document store
//! synchronously, in the order they arrive; each change schedules an
//! analysis on a blocking thread, whose diagnostics (the same as `smallbatch
//! check`, on the spec and on its linked feature files) are published.

use std::collections::BTreeMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::documents::Analysis;
use super::guard::guard;
use super::state::{State, recover};
use super::to_proto::{self, SpecFile};
use crate::spec::FileId;

impl State {
    pub fn open(self: &Arc<Self>, uri: Uri, version: i32, text: &str) {
        self.docs().open(uri.clone(), version, text);
        self.schedule(uri);
    }

    pub fn change(
        self: &Arc<Self>,
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        let changed = self.docs().change(&uri, version, changes, self.encoding());
        match changed {
            Ok(()) => self.schedule(uri),
            Err(error) => tracing::warn!(uri = uri.as_str(), ?error, "change ignored"),
        }
    }

    pub fn close(self: &Arc<Self>, uri: &Uri) {
        self.docs().close(uri);
        let client = self.client.clone();
        let uri = uri.clone();
        tokio::spawn(async move { client.publish_diagnostics(uri, Vec::new(), None).await });
    }

    /// Analyses a document and publishes its diagnostics, in a task. While the
    /// task runs, later changes are picked up by it rather than starting
    /// another, so a burst of edits costs one analysis per pass, and the last
    /// diagnostics published are always those of the last version.
    fn schedule(self: &Arc<Self>, uri: Uri) {
        {
            let mut docs = self.docs();
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            if doc.analysing {
                return;
            }
            doc.analysing = true;
        }
        let state = Arc::clone(self);
        tokio::spawn(async move {
            while let Some((analysis, generation)) = state.analyse_latest(&uri).await {
                state.publish(&analysis).await;
                let mut docs = state.docs();
                let Some(doc) = docs.get_mut(&uri) else { break };
                if doc.version == analysis.version && doc.generation == generation {
                    doc.analysing = false;
                    break;
                }
            }
        });
    }

    /// Analyses an open document again and publishes its diagnostics,
    /// although its text did not change: a file it reads (a linked
    /// `.feature` file) or the workspace (spec ids, configuration) did.
    pub fn reanalyse(self: &Arc<Self>, uri: &Uri) {
        {
            let mut docs = self.docs();
            let Some(doc) = docs.get_mut(uri) else {
                return;
            };
            doc.generation += 1;
            doc.analysis = None;
        }
        self.schedule(uri.clone());
    }

    /// The analysis of a document's current version, made now if needed.
    pub async fn analysis(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Analysis>> {
        if let Some(current) = self.docs().get(uri).and_then(|d| d.current()) {
            return Some(current);
        }
        self.analyse_latest(uri).await.map(|(analysis, _)| analysis)
    }

    /// Analyses the document's latest version and stores the result, unless
    /// the document was invalidated meanwhile; returns it with the
    /// generation it was made for. The version is the one current now; it
    /// is analysed on a blocking thread, since an analysis reads linked
    /// files and session records and no read may hold up the threads that
    /// answer requests.
    async fn analyse_latest(self: &Arc<Self>, uri: &Uri) -> Option<(Arc<Analysis>, u64)> {
        let (version, generation, text, blocks) = {
            let docs = self.docs();
            let doc = docs.get(uri)?;
            let blocks = Arc::clone(&doc.blocks);
            (doc.version, doc.generation, doc.rope.to_string(), blocks)
        };
        let ws = self.workspace();
        let analysed = {
            let uri = uri.clone();
            tokio::task::spawn_blocking(move || {
                guard("analysis", || {
                    let mut blocks = recover(blocks.lock());
                    Analysis::new(
                        uri.clone(),
                        version,
                        text.clone(),
                        &ws.ws,
                        &ws.ctx,
                        &mut blocks,
                    )
                })
                .unwrap_or_else(|_| Analysis::unanalysed(uri, version, text))
            })
            .await
        };
        let analysis = match analysed {
            Ok(analysis) => Arc::new(analysis),
            Err(error) => {
                tracing::error!(?error, "the analysis task failed");
                return None;
            }
        };
        let mut docs = self.docs();
        let doc = docs.get_mut(uri)?;
        if doc.generation == generation
            && doc.analysis.as_ref().is_none_or(|a| a.version <= version)
        {
            doc.analysis = Some(Arc::clone(&analysis));
        }
        Some((analysis, generation))
    }

    /// Publishes an analysis's diagnostics: the document's own with its version,
    /// and those of each linked file under that file's URI.
    async fn publish(&self, analysis: &Analysis) {
        let encoding = self.encoding();
        let mut by_file: BTreeMap<FileId, Vec<_>> = BTreeMap::new();
        // Every file gets a publish, empty ones too, so fixed problems clear.
        by_file.insert(FileId::Spec, Vec::new());
        if let Some(loaded) = analysis.spec() {
            for i in 0..loaded.linked.len() {
                by_file.insert(FileId::Linked(i), Vec::new());
            }
        }
        for d in &analysis.diagnostics {
            by_file.entry(d.file).or_default().push(d);
        }
        for (file, diagnostics) in by_file {
            let Some(source) = SpecFile::open(analysis, file) else {
                continue;
            };
            let text = source.text(encoding);
            let diagnostics = diagnostics
                .iter()
                .map(|d| to_proto::diagnostic(d, text))
                .collect();
            let version = (file == FileId::Spec).then_some(analysis.version);
            self.client
                .publish_diagnostics(source.uri.clone(), diagnostics, version)
                .await;
        }
    }
}
