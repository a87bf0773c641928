//! A line diff of our own for the resume context: what changed in the spec
//! since the session started, as unified diff hunks.
//!
//! Myers' O((N+M)·D) algorithm in linear space (the "middle snake" divide and
//! conquer), after the common head and tail are set aside. A changed region
//! of more than [`MAX_LINES`] lines is summarised instead of diffed.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

/// Lines of unchanged context around each change.
pub const CONTEXT_LINES: usize = 2;

/// The most lines (at the start and now together, common head and tail set
/// aside) that are diffed; beyond it the diff is only a summary.
pub const MAX_LINES: usize = 20_000;

/// What changed between two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextDiff {
    /// The texts are equal.
    Unchanged,
    /// Unified diff hunks (`@@ -a,b +c,d @@`), without file headers, each
    /// line ending with `\n`.
    Unified(String),
    /// The changed region was too large to diff.
    TooLarge { old_lines: usize, new_lines: usize },
}

/// "no changes", the hunks, or one line saying the diff is too large.
impl fmt::Display for TextDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextDiff::Unchanged => f.write_str("no changes"),
            TextDiff::Unified(hunks) => f.write_str(hunks),
            TextDiff::TooLarge {
                old_lines,
                new_lines,
            } => write!(
                f,
                "too many changes to show ({old_lines} lines before, {new_lines} lines after)"
            ),
        }
    }
}

/// The unified diff of `old` → `new` with [`CONTEXT_LINES`] of context.
pub fn unified_diff(old: &str, new: &str) -> TextDiff {
    unified_diff_bounded(old, new, CONTEXT_LINES, MAX_LINES)
}

/// One line-level step from the old text to the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

fn unified_diff_bounded(old: &str, new: &str, context: usize, max_lines: usize) -> TextDiff {
    if old == new {
        return TextDiff::Unchanged;
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let (a, b) = intern(&old_lines, &new_lines);
    let head = common_prefix(&a, &b);
    let tail = common_suffix(&a[head..], &b[head..]);
    if (a.len() - head - tail) + (b.len() - head - tail) > max_lines {
        return TextDiff::TooLarge {
            old_lines: old_lines.len(),
            new_lines: new_lines.len(),
        };
    }
    let ops = diff(&a, &b);
    TextDiff::Unified(render(&ops, &old_lines, &new_lines, context))
}

/// Every distinct line as a number, so that comparing lines is cheap.
fn intern<'a>(old: &[&'a str], new: &[&'a str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&'a str, u32> = HashMap::new();
    let mut id = |line: &'a str| -> u32 {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        *ids.entry(line).or_insert(next)
    };
    let a = old.iter().map(|&l| id(l)).collect();
    let b = new.iter().map(|&l| id(l)).collect();
    (a, b)
}

/// The line-level steps from `a` to `b`, in order, deletions before
/// insertions within a change.
fn diff(a: &[u32], b: &[u32]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(a.len() + b.len());
    let mut frontier = Frontier::new(a.len() + b.len());
    conquer(a, b, &mut frontier, &mut ops);
    ops
}

/// Diffs `a` against `b`: equal head and tail, then the middle split at a
/// point of an optimal path and each half diffed in turn.
fn conquer(a: &[u32], b: &[u32], frontier: &mut Frontier, ops: &mut Vec<Op>) {
    let head = common_prefix(a, b);
    ops.extend(std::iter::repeat_n(Op::Equal, head));
    let (a, b) = (&a[head..], &b[head..]);
    let tail = common_suffix(a, b);
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    if a.is_empty() || b.is_empty() {
        ops.extend(std::iter::repeat_n(Op::Delete, a.len()));
        ops.extend(std::iter::repeat_n(Op::Insert, b.len()));
    } else {
        match frontier.middle_snake(a, b) {
            Some((x, y)) if (x, y) != (0, 0) && (x, y) != (a.len(), b.len()) => {
                conquer(&a[..x], &b[..y], frontier, ops);
                conquer(&a[x..], &b[y..], frontier, ops);
            }
            // Not reached for a correct search; stay correct anyway.
            _ => {
                ops.extend(std::iter::repeat_n(Op::Delete, a.len()));
                ops.extend(std::iter::repeat_n(Op::Insert, b.len()));
            }
        }
    }
    ops.extend(std::iter::repeat_n(Op::Equal, tail));
}

fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The furthest x reached on each diagonal k, forward and backward, reused
/// by every step of the divide and conquer.
struct Frontier {
    forward: Vec<isize>,
    backward: Vec<isize>,
    offset: isize,
}

impl Frontier {
    fn new(total: usize) -> Frontier {
        let reach = total / 2 + 2;
        Frontier {
            forward: vec![0; 2 * reach + 1],
            backward: vec![0; 2 * reach + 1],
            offset: isize::try_from(reach).unwrap_or(isize::MAX),
        }
    }

    fn at(&self, k: isize) -> usize {
        usize::try_from(k + self.offset).unwrap_or(0)
    }

    /// A point `(x, y)` on an optimal edit path of `a` → `b`, found where the
    /// searches from both ends meet. `a` and `b` differ in their first and
    /// last lines.
    fn middle_snake(&mut self, a: &[u32], b: &[u32]) -> Option<(usize, usize)> {
        let n = isize::try_from(a.len()).ok()?;
        let m = isize::try_from(b.len()).ok()?;
        let delta = n - m;
        let odd = delta % 2 != 0;
        let one = self.at(1);
        *self.forward.get_mut(one)? = 0;
        *self.backward.get_mut(one)? = 0;
        let same = |x: isize, y: isize| a.get(x as usize) == b.get(y as usize);
        for d in 0..=(n + m + 1) / 2 {
            for k in (-d..=d).step_by(2) {
                let (x0, y0) = self.step(true, k, d)?;
                let (mut x, mut y) = (x0, y0);
                while x < n && y >= 0 && y < m && same(x, y) {
                    x += 1;
                    y += 1;
                }
                let slot = self.at(k);
                *self.forward.get_mut(slot)? = x;
                if odd && (k - delta).abs() < d {
                    let back = *self.backward.get(self.at(delta - k))?;
                    if x + back >= n {
                        return point(x0, y0);
                    }
                }
            }
            for k in (-d..=d).step_by(2) {
                let (mut x, mut y) = self.step(false, k, d)?;
                while x < n && y >= 0 && y < m && same(n - x - 1, m - y - 1) {
                    x += 1;
                    y += 1;
                }
                let slot = self.at(k);
                *self.backward.get_mut(slot)? = x;
                if !odd && (k - delta).abs() <= d {
                    let forth = *self.forward.get(self.at(delta - k))?;
                    if x + forth >= n {
                        return point(n - x, m - y);
                    }
                }
            }
        }
        None
    }

    /// The point on diagonal `k` reached with `d` edits, before its snake:
    /// down from diagonal k+1 or right from diagonal k-1, whichever got further.
    fn step(&self, forward: bool, k: isize, d: isize) -> Option<(isize, isize)> {
        let v = if forward {
            &self.forward
        } else {
            &self.backward
        };
        let below = *v.get(self.at(k + 1))?;
        let x = if k == -d || (k != d && *v.get(self.at(k - 1))? < below) {
            below
        } else {
            *v.get(self.at(k - 1))? + 1
        };
        Some((x, x - k))
    }
}

fn point(x: isize, y: isize) -> Option<(usize, usize)> {
    Some((usize::try_from(x).ok()?, usize::try_from(y).ok()?))
}

/// The steps as unified diff hunks with `context` lines around changes.
fn render(ops: &[Op], old: &[&str], new: &[&str], context: usize) -> String {
    // Where each step starts in the old and new texts.
    let mut positions = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (0, 0);
    for op in ops {
        positions.push((i, j));
        match op {
            Op::Equal => (i, j) = (i + 1, j + 1),
            Op::Delete => i += 1,
            Op::Insert => j += 1,
        }
    }
    positions.push((i, j));
    let mut out = String::new();
    for hunk in hunks(ops, context) {
        let (old_at, new_at) = positions[hunk.start];
        let (old_end, new_end) = positions[hunk.end];
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            hunk_range(old_at, old_end - old_at),
            hunk_range(new_at, new_end - new_at)
        );
        for (op, &(i, j)) in ops[hunk.clone()].iter().zip(&positions[hunk]) {
            let (mark, line) = match op {
                Op::Equal => (' ', old.get(i)),
                Op::Delete => ('-', old.get(i)),
                Op::Insert => ('+', new.get(j)),
            };
            let line = line.copied().unwrap_or_default();
            out.push(mark);
            out.push_str(line.trim_end_matches('\n').trim_end_matches('\r'));
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// `start,count` of a hunk: 1-based, or the line before it when empty.
fn hunk_range(at: usize, count: usize) -> String {
    let start = if count == 0 { at } else { at + 1 };
    format!("{start},{count}")
}

/// The ranges of steps shown: each change with `context` equal steps around
/// it, changes closer than twice that merged into one hunk.
fn hunks(ops: &[Op], context: usize) -> Vec<std::ops::Range<usize>> {
    let mut hunks = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if ops[i] == Op::Equal {
            i += 1;
            continue;
        }
        let start = i.saturating_sub(context);
        let mut end = i;
        loop {
            while end < ops.len() && ops[end] != Op::Equal {
                end += 1;
            }
            let equal = ops[end..].iter().take_while(|&&op| op == Op::Equal).count();
            if end + equal < ops.len() && equal <= 2 * context {
                end += equal;
            } else {
                break;
            }
        }
        let end = (end + context).min(ops.len());
        hunks.push(start..end);
        i = end;
    }
    hunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunks_of(old: &str, new: &str) -> String {
        match unified_diff(old, new) {
            TextDiff::Unified(hunks) => hunks,
            other => panic!("expected hunks, got {other:?}"),
        }
    }

    /// Applies the steps to `a` and checks they give `b`; returns the edits.
    fn check_ops(a: &[u32], b: &[u32]) -> usize {
        let ops = diff(a, b);
        let (mut i, mut j) = (0, 0);
        let mut rebuilt = Vec::new();
        for op in &ops {
            match op {
                Op::Equal => {
                    assert_eq!(a[i], b[j]);
                    rebuilt.push(a[i]);
                    i += 1;
                    j += 1;
                }
                Op::Delete => i += 1,
                Op::Insert => {
                    rebuilt.push(b[j]);
                    j += 1;
                }
            }
        }
        assert_eq!((i, j), (a.len(), b.len()));
        assert_eq!(rebuilt, b);
        ops.iter().filter(|&&op| op != Op::Equal).count()
    }

    /// The fewest edits, by dynamic programming over the longest common
    /// subsequence.
    fn fewest_edits(a: &[u32], b: &[u32]) -> usize {
        let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        a.len() + b.len() - 2 * lcs[0][0]
    }

    #[test]
    fn equal_texts_are_unchanged() {
        assert_eq!(unified_diff("a\nb\n", "a\nb\n"), TextDiff::Unchanged);
        assert_eq!(unified_diff("", ""), TextDiff::Unchanged);
    }

    #[test]
    fn a_changed_line_with_two_lines_of_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n";
        let new = "1\n2\n3\nfour\n5\n6\n7\n";
        assert_eq!(
            hunks_of(old, new),
            "@@ -2,5 +2,5 @@\n 2\n 3\n-4\n+four\n 5\n 6\n"
        );
    }

    #[test]
    fn distant_changes_are_separate_hunks_and_close_ones_merge() {
        let lines = |changes: &[(usize, &str)]| -> String {
            (1..=12)
                .map(|i| match changes.iter().find(|(at, _)| *at == i) {
                    Some((_, line)) => format!("{line}\n"),
                    None => format!("{i}\n"),
                })
                .collect()
        };
        let old = lines(&[]);
        let new = lines(&[(2, "two"), (11, "eleven")]);
        assert_eq!(
            hunks_of(&old, &new),
            "@@ -1,4 +1,4 @@\n 1\n-2\n+two\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n-11\n+eleven\n 12\n"
        );
        let close = lines(&[(2, "two"), (7, "seven")]);
        assert_eq!(
            hunks_of(&old, &close),
            "@@ -1,9 +1,9 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n-7\n+seven\n 8\n 9\n"
        );
    }

    #[test]
    fn insertions_and_deletions_at_the_ends() {
        assert_eq!(hunks_of("", "a\nb\n"), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(hunks_of("a\nb\n", ""), "@@ -1,2 +0,0 @@\n-a\n-b\n");
        assert_eq!(
            hunks_of("a\nb\nc\n", "a\nb\nc\nd\n"),
            "@@ -2,2 +2,3 @@\n b\n c\n+d\n"
        );
        assert_eq!(
            hunks_of("b\nc\nd\n", "a\nb\nc\nd\n"),
            "@@ -1,2 +1,3 @@\n+a\n b\n c\n"
        );
    }

    #[test]
    fn a_missing_final_line_break_is_marked() {
        assert_eq!(
            hunks_of("a\nb", "a\nb\n"),
            "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
        );
    }

    #[test]
    fn crlf_lines_are_shown_without_their_carriage_return() {
        assert_eq!(
            hunks_of("a\r\nb\r\n", "a\r\nc\r\n"),
            "@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }

    #[test]
    fn the_diff_is_minimal_and_rebuilds_the_new_text() {
        // A small deterministic generator: lines drawn from a few values.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |range: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % range
        };
        for _ in 0..300 {
            let a: Vec<u32> = (0..next(14)).map(|_| next(4) as u32).collect();
            let b: Vec<u32> = (0..next(14)).map(|_| next(4) as u32).collect();
            assert_eq!(check_ops(&a, &b), fewest_edits(&a, &b), "{a:?} → {b:?}");
        }
    }

    #[test]
    fn a_region_too_large_is_summarised() {
        let old: String = (0..30).map(|i| format!("{i}\n")).collect();
        let new: String = (0..30).map(|i| format!("new {i}\n")).collect();
        let diff = unified_diff_bounded(&old, &new, 2, 50);
        assert_eq!(
            diff,
            TextDiff::TooLarge {
                old_lines: 30,
                new_lines: 30
            }
        );
        assert_eq!(
            diff.to_string(),
            "too many changes to show (30 lines before, 30 lines after)"
        );
        // A small change in a large text is still diffed.
        let edited = old.replacen("15\n", "fifteen\n", 1);
        assert!(matches!(
            unified_diff_bounded(&old, &edited, 2, 50),
            TextDiff::Unified(_)
        ));
    }

    #[test]
    fn a_long_rewrite_stays_within_the_bound() {
        let old: String = (0..2_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..2_000)
            .map(|i| format!("line {}\n", (i * 7) % 2_003))
            .collect();
        let TextDiff::Unified(hunks) = unified_diff(&old, &new) else {
            panic!("expected hunks");
        };
        assert!(hunks.starts_with("@@ -"));
    }
}
