//! `cargo bench --bench leanspec`: `smallbatch check` on LeanSpec trees,
//! from a cold process, with its peak resident memory.
//!
//! (a) the real LeanSpec subset in `tests/corpora/leanspec/specs` (MIT);
//! (b) generated trees of 400, 1,500 and 3,000 LeanSpec-shaped specs: the
//!     subset's specs copied under new numbers, sub-spec files included,
//!     so that the growth with the tree's size shows.
//!
//! Each figure is the median of 11 runs (after one discarded run); the peak
//! RSS is the child's `ru_maxrss` from `wait4`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{machine, median, ms};

const RUNS: usize = 11;

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpora/leanspec/specs");
    let folders = spec_folders(&corpus);
    println!("machine: {}", machine());
    println!();
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&corpus, &dir.path().join("specs"));
    let files = count_markdown(&dir.path().join("specs"));
    println!(
        "(a) the LeanSpec subset: {} specs, {files} markdown files",
        folders.len()
    );
    measure(dir.path());
    for size in [400, 1_500, 3_000] {
        let dir = tempfile::tempdir().expect("temporary folder");
        for n in 0..size {
            let from = &folders[n % folders.len()];
            let name = from.file_name().unwrap().to_string_lossy();
            let rest = name.split_once('-').map_or(&*name, |(_, rest)| rest);
            copy_tree(from, &dir.path().join(format!("specs/{:04}-{rest}", n + 1)));
        }
        let files = count_markdown(&dir.path().join("specs"));
        println!();
        println!("(b) {size} LeanSpec-shaped specs, {files} markdown files");
        measure(dir.path());
    }
}

/// Runs `check` on `root` RUNS times (after one discarded run) and prints
/// the median time, the time per spec and the median peak RSS.
fn measure(root: &Path) {
    let specs = spec_folders(&root.join("specs")).len();
    run(root);
    let (mut times, mut rss): (Vec<Duration>, Vec<u64>) = (0..RUNS).map(|_| run(root)).unzip();
    rss.sort_unstable();
    let (min, max) = {
        times.sort();
        (times[0], times[times.len() - 1])
    };
    let median = median(&mut times);
    println!(
        "    median {:.2} ms   min {:.2} ms   max {:.2} ms   {:.1} µs/spec   peak RSS median {:.1} MB   ({RUNS} runs)",
        ms(median),
        ms(min),
        ms(max),
        median.as_secs_f64() * 1e6 / specs as f64,
        rss[rss.len() / 2] as f64 / 1024.0,
    );
}

/// One cold `smallbatch check --format json`: its wall time and peak RSS
/// (KiB). The child is reaped by `wait4`, which also gives its rusage.
#[allow(clippy::zombie_processes)]
fn run(root: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(["check", "--format", "json"])
        .current_dir(root)
        .stdout(Stdio::null())
        .spawn()
        .expect("run smallbatch");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4 for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "check ran: {status}"
    );
    (elapsed, usage.ru_maxrss as u64)
}

fn spec_folders(specs: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(specs)
        .expect("specs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("README.md").is_file())
        .collect();
    folders.sort();
    folders
}

fn count_markdown(dir: &Path) -> usize {
    fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            if p.is_dir() {
                count_markdown(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "md"))
            }
        })
        .sum()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}
