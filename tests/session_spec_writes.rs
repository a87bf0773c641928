//! How the session commands write a spec: atomically, through a symbolic
//! link to its target, and without leaving a copy of it where `git add -A`
//! would pick it up, however the process ends.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::repo;

use repo::*;

/// Item 10: a spec that is a link stays a link; its target is written.
#[test]
fn a_spec_that_is_a_symbolic_link_is_written_through_to_its_target() {
    let dir = repo(None);
    write(
        dir.path(),
        "shared/export.md",
        &SPEC.replace("status: planned", "status: planned\nkind: spec"),
    );
    let link = dir.path().join("specs/002-linked.md");
    std::os::unix::fs::symlink("../shared/export.md", &link).expect("a link");
    commit(dir.path(), &["shared", "specs"], "A linked spec");
    json(dir.path(), &["start", "specs/002-linked.md"], 0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    let target = fs::read_to_string(dir.path().join("shared/export.md")).unwrap();
    assert!(target.contains("status: in-progress"), "{target}");
    commit_export(dir.path(), "Export a month with invoices");
    json(
        dir.path(),
        &[
            "complete",
            "specs/002-linked.md",
            "--summary",
            "Through the link.",
        ],
        0,
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    let target = fs::read_to_string(dir.path().join("shared/export.md")).unwrap();
    assert!(target.contains("Through the link."), "{target}");
}

/// Paths that `git status` shows as untracked or changed, outside
/// `.smallbatch/` and the spec.
fn strays(dir: &Path) -> Vec<String> {
    git(dir, &["status", "--porcelain", "--untracked-files=all"])
        .lines()
        .filter_map(|l| l.trim_start().split_once(' '))
        .map(|(_, path)| path.trim_start().to_string())
        .filter(|p| !p.starts_with(".smallbatch/") && p != SPEC_PATH)
        .collect()
}

/// Temporary files of atomic writes in `folder`.
fn temps_in(folder: &Path) -> Vec<String> {
    fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".smallbatch-") && n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs smallbatch with `args` and kills it (SIGKILL) the moment a
/// temporary file of a spec write appears: beside the spec or in the
/// sessions folder (record writes happen in the spec's own session folder
/// and do not count). Whether it was caught mid-write.
fn kill_mid_spec_write(dir: &Path, args: &[&str]) -> bool {
    let spec_folder = dir.join("specs/001-export");
    let sessions = dir.join(".smallbatch/sessions");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run smallbatch");
    loop {
        if !temps_in(&spec_folder).is_empty() || !temps_in(&sessions).is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
    }
}

/// Item 9: kill -9 in the middle of the spec write of start and complete
/// leaves no copy of the spec outside `.smallbatch/`, none that git would
/// commit, and records that still read.
#[test]
fn kill_9_during_a_spec_write_leaves_no_copy_of_the_spec_to_commit() {
    let dir = repo(Some("[session]\nallow_parallel = true\n"));
    // A large spec, so that its write takes long enough to be caught.
    let filler = "- The export streams rows; memory stays flat for any month.\n".repeat(20_000);
    let big = SPEC.replace("## Scenarios", &format!("{filler}\n## Scenarios"));
    let mut caught = 0;
    for round in 0..12 {
        let args: &[&str] = if round % 2 == 0 {
            write(dir.path(), SPEC_PATH, &big);
            &["start", SPEC_PATH, "--force", "--scenario", "1"]
        } else {
            json(
                dir.path(),
                &["start", SPEC_PATH, "--force", "--scenario", "1"],
                0,
            );
            write(
                dir.path(),
                "src/export.rs",
                &format!("pub fn export() {{ /* {round} */ }}\n"),
            );
            commit(dir.path(), &["src"], "Export a month with invoices");
            &["complete", SPEC_PATH, "--summary", "s", "--replace-summary"]
        };
        if kill_mid_spec_write(dir.path(), args) {
            caught += 1;
        }
        let left = strays(dir.path());
        assert!(left.is_empty(), "round {round}: {left:?}");
        let beside = temps_in(&dir.path().join("specs/001-export"));
        assert!(beside.is_empty(), "round {round}: {beside:?}");
        let status = smallbatch(dir.path(), &["status", SPEC_PATH]);
        assert!(
            !stderr(&status).contains("cannot be read"),
            "round {round}: {status:?}"
        );
        assert_eq!(code(&status), 0, "round {round}: {status:?}");
    }
    assert!(caught > 0, "no spec write was interrupted");
    let ignored = git(
        dir.path(),
        &["status", "--porcelain", "--untracked-files=all"],
    );
    assert!(!ignored.contains(".tmp"), "{ignored}");
}
