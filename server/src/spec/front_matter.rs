//! YAML front matter (LeanSpec fields; unknown keys kept).

use std::collections::BTreeMap;
use std::ops::Range;

/// The front matter block of a spec.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrontMatter {
    /// The whole block, from the opening `---` to the closing one.
    pub span: Range<usize>,
    /// The YAML between the fences.
    pub body_span: Range<usize>,
    /// Every key as parsed (known keys too), in key order.
    pub values: BTreeMap<String, serde_json::Value>,
    /// Problems found while reading it.
    pub errors: Vec<FrontMatterError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub message: String,
    pub span: Range<usize>,
}
