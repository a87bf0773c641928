//! Linked `.feature` / `.feature.md` files: the model is pure, so the
//! workspace reads them and hands their text in here.

use super::gherkin;
use super::{FileId, LinkRefusal, LinkState, Spec};

impl Spec {
    /// Attaches the text of `feature_links[link]` (`None` when the file does
    /// not exist): its scenarios join the spec's, in the link's place, and
    /// its Gherkin errors are reported in that file.
    pub fn attach_feature(&mut self, link: usize, text: Option<&str>) {
        let Some(feature_link) = self.feature_links.get_mut(link) else {
            return;
        };
        let Some(text) = text else {
            feature_link.state = LinkState::Missing;
            return;
        };
        feature_link.state = LinkState::Loaded {
            text: text.to_string(),
        };
        let anchor = feature_link.span.start;
        let doc = gherkin::parse(text, feature_link.flavor());
        self.add_gherkin_document(doc, FileId::Linked(link), Some(anchor));
        self.scenarios.sort_by_key(|s| s.anchor);
    }

    /// Marks a link as pointing at a file that is not read, and why.
    pub fn refuse_feature(&mut self, link: usize, why: LinkRefusal) {
        if let Some(feature_link) = self.feature_links.get_mut(link) {
            feature_link.state = LinkState::Refused(why);
        }
    }

    /// The text of a file of the spec: the spec's own, or a loaded linked file's.
    pub fn file_text<'a>(&'a self, spec_text: &'a str, file: FileId) -> Option<&'a str> {
        match file {
            FileId::Spec => Some(spec_text),
            FileId::Linked(i) => match &self.feature_links.get(i)?.state {
                LinkState::Loaded { text } => Some(text),
                _ => None,
            },
            FileId::Part(i) => self.parts.get(i)?.text.as_deref(),
        }
    }
}
