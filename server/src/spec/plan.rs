//! The plan of a spec in the model: LeanSpec phases and tasks with their
//! checkboxes, the sub-spec files a spec is made of, and the marks LeanSpec
//! puts in unit names.

use std::ops::Range;

use super::{FileId, Heading, SectionKind};

/// A LeanSpec `### Phase N: name` heading under `## Plan`, with the tasks
/// under it as its checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// The number as written (`Phase 0` is 0).
    pub number: Option<u32>,
    /// The name as written, LeanSpec's marks included.
    pub name: String,
    pub heading: Heading,
    /// The file it is written in: the spec, or the sub-spec holding the plan.
    pub file: FileId,
    /// From the heading to the next phase heading or the end of the plan.
    pub span: Range<usize>,
    /// The top-level checkbox items under the heading.
    pub tasks: Vec<Task>,
    /// Every checkbox under the heading, nested ones included.
    pub boxes: Vec<Checkbox>,
}

impl Phase {
    /// Whether every box of the phase is ticked (and it has one).
    pub fn is_ticked(&self) -> bool {
        !self.boxes.is_empty() && self.boxes.iter().all(|b| b.checked)
    }
}

/// A task checkbox (`- [ ]` / `- [x]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkbox {
    /// The three bytes `[ ]` or `[x]`.
    pub span: Range<usize>,
    pub checked: bool,
}

/// A checkbox item of a plan: a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The file it is written in: the spec, or the sub-spec holding the plan.
    pub file: FileId,
    /// The text after the box on the item's first line, as written.
    pub name: String,
    pub name_span: Range<usize>,
    pub checkbox: Checkbox,
    /// The item's first line, list marker included.
    pub line_span: Range<usize>,
    /// The whole item, its nested items (the task's detail) included.
    pub span: Range<usize>,
}

/// What a sub-spec file (`DESIGN.md`, `IMPLEMENTATION.md`, …) of a spec
/// folder says, for the rules of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The file's name (`DESIGN.md`).
    pub name: String,
    /// The sections it holds with content; a file named after the design
    /// (`DESIGN.md`, `CLI-DESIGN.md`) is a feature description.
    pub sections: Vec<SectionKind>,
    /// The file's text, kept when its plan is the spec's (for positions,
    /// the context load and ticking).
    pub text: Option<String>,
}

/// A unit's name without LeanSpec's marks: emoji and symbols (✅, 🚧), and
/// a closing parenthesis holding a number (`(1-2 days)`, `(v1.0)`), a mark
/// or a status in capitals (`(✅ COMPLETE)`); what messages and commit
/// rules use.
pub fn strip_marks(name: &str) -> String {
    let kept: String = name.chars().filter(|&c| !is_mark(c)).collect();
    let mut out = kept.trim();
    while let Some(open) = out.strip_suffix(')').and_then(|o| o.rfind('(')) {
        let inner = out[open + 1..out.len() - 1].trim();
        let status = inner.chars().any(char::is_alphabetic)
            && inner
                .chars()
                .all(|c| c.is_uppercase() || c == ' ' || c == '-' || c == '_');
        let mark = inner.is_empty() || status || inner.contains(char::is_numeric);
        if mark && !inner.contains('`') && !out[..open].trim().is_empty() {
            out = out[..open].trim_end();
        } else {
            break;
        }
    }
    let out = out.trim_end_matches([' ', '-', '—', ':']).trim();
    if out.is_empty() {
        name.trim().to_string()
    } else {
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x2600..=0x27BF     // symbols and dingbats: ✅ ✔ ❌ ⚠
        | 0x2B00..=0x2BFF   // arrows and stars: ⭐
        | 0x1F000..=0x1FAFF // emoji
        | 0xFE0F | 0x200D   // emoji presentation, joiner
    )
}
