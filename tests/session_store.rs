//! The session store and git facts end to end (DESIGN §6): records in
//! temporary folders, real temporary git repositories built with git2.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::thread;

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
use smallbatch::session::record::CommitFact;
use smallbatch::session::{
    FileChanges, FixedClock, GitRepo, SessionRecord, SessionStore, Status, StoreError, Timestamp,
    UnitKind, UnitOfWork, is_test_path,
};
use tempfile::TempDir;

const SPEC: &str = "014-export";
const START: &str = "2026-11-21T10:00:00Z";

fn at(text: &str) -> Timestamp {
    text.parse().expect("an RFC 3339 time")
}

/// A store in a fresh workspace, on a clock fixed at [`START`].
fn store() -> (TempDir, Arc<FixedClock>, SessionStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(at(START)));
    let store = SessionStore::with_clock(dir.path(), clock.clone());
    (dir, clock, store)
}

fn record(store: &SessionStore, id: String) -> SessionRecord {
    let unit = UnitOfWork {
        kind: UnitKind::Scenario,
        name: "Export a month with invoices".into(),
        index: 1,
        of: 3,
    };
    let now = store.now().to_string();
    SessionRecord::new(id, format!("specs/{SPEC}/README.md"), unit, &now)
}

/// Starts a session of [`SPEC`] and finishes it with `status`.
fn finished_session(store: &SessionStore, status: Status) -> String {
    let started = store
        .start(SPEC, false, |id| record(store, id))
        .expect("start");
    store
        .update(SPEC, &started.id, |r| r.status = status)
        .expect("finish");
    started.id
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("list")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_started_session_is_written_whole_and_reads_back() {
    let (_dir, _clock, store) = store();
    let started = store
        .start(SPEC, false, |id| record(&store, id))
        .expect("start");
    assert_eq!(started.id, "014-export-20261121-001");
    let path = store.record_path(SPEC, &started.id).expect("path");
    let text = fs::read_to_string(&path).expect("the record is on disk");
    assert_eq!(text, started.to_json());
    assert_eq!(store.read(SPEC, &started.id).expect("read back"), started);
    let folder = store.spec_dir(SPEC).expect("folder");
    assert_eq!(names_in(&folder), ["014-export-20261121-001.json"]);
    assert_eq!(store.open_session(SPEC).expect("open"), Some(started));
}

#[test]
fn an_update_rewrites_the_record_with_the_time_of_the_change() {
    let (_dir, clock, store) = store();
    let id = store
        .start(SPEC, false, |id| record(&store, id))
        .expect("start")
        .id;
    clock.advance(90);
    let paused = store
        .update(SPEC, &id, |r| {
            r.status = Status::Paused;
            r.notes = Some("halfway".into());
        })
        .expect("update");
    assert_eq!(paused.updated_at, "2026-11-21T10:01:30Z");
    assert_eq!(paused.created_at, START);
    assert_eq!(store.read(SPEC, &id).expect("read"), paused);
    let renamed = store.update(SPEC, &id, |r| r.id = "other".into());
    assert!(
        matches!(renamed, Err(StoreError::IdChanged { .. })),
        "{renamed:?}"
    );
    let missing = store.update(SPEC, "014-export-20261121-009", |_| {});
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

#[test]
fn the_context_load_is_written_beside_the_record() {
    let (_dir, _clock, store) = store();
    let id = "014-export-20261121-001";
    let path = store
        .write_context(SPEC, id, "# Export invoices as CSV\n")
        .expect("write context");
    assert!(path.ends_with(".smallbatch/sessions/014-export/014-export-20261121-001.context.md"));
    assert_eq!(
        fs::read_to_string(path).expect("read"),
        "# Export invoices as CSV\n"
    );
}

#[test]
fn a_second_start_is_refused_with_the_id_that_holds_the_spec() {
    let (_dir, clock, store) = store();
    let first = finished_session(&store, Status::Paused);
    let refused = store.start(SPEC, false, |id| record(&store, id));
    match refused {
        Err(StoreError::Held { id }) => assert_eq!(id, first),
        other => panic!("expected Held, got {other:?}"),
    }
    let parallel = store
        .start(SPEC, true, |id| record(&store, id))
        .expect("allow_parallel starts another");
    assert_eq!(parallel.id, "014-export-20261121-002");
    store
        .update(SPEC, &first, |r| r.status = Status::Completed)
        .expect("complete");
    store
        .update(SPEC, &parallel.id, |r| r.status = Status::Failed)
        .expect("fail");
    clock.advance(24 * 3600);
    let next_day = store
        .start(SPEC, false, |id| record(&store, id))
        .expect("a finished spec starts again");
    assert_eq!(next_day.id, "014-export-20261122-001");
}

#[test]
fn eight_concurrent_starts_give_one_session_and_seven_refusals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().to_path_buf();
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (root, barrier) = (root.clone(), barrier.clone());
            thread::spawn(move || {
                let clock = Arc::new(FixedClock::new(at(START)));
                let store = SessionStore::with_clock(&root, clock);
                barrier.wait();
                store.start(SPEC, false, |id| record(&store, id))
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    let started: Vec<&SessionRecord> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(started.len(), 1, "{results:?}");
    let held = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Held { id }) if *id == started[0].id))
        .count();
    assert_eq!(held, 7, "{results:?}");
    let folder = root.join(".smallbatch/sessions").join(SPEC);
    assert_eq!(names_in(&folder), ["014-export-20261121-001.json"]);
}

#[test]
fn a_held_lock_makes_try_lock_busy_until_it_is_dropped() {
    let (dir, _clock, store) = store();
    let lock = store.lock(SPEC).expect("lock");
    let other = SessionStore::new(dir.path());
    let busy = other.try_lock(SPEC);
    assert!(matches!(busy, Err(StoreError::Busy { .. })), "{busy:?}");
    drop(lock);
    assert_eq!(other.try_lock(SPEC).expect("free again").spec_id(), SPEC);
    assert!(store.dir().join("014-export.lock").is_file());
}

#[test]
fn an_unreadable_record_is_reported_and_never_overwritten() {
    let (dir, _clock, store) = store();
    let kept = finished_session(&store, Status::Completed);
    let broken_id = "014-export-20261121-002";
    let broken = store.record_path(SPEC, broken_id).expect("path");
    let json = record(&store, broken_id.into()).to_json();
    let truncated = &json.as_bytes()[..json.len() / 2];
    fs::write(&broken, truncated).expect("write a truncated record");

    let listing = store.list(SPEC).expect("list");
    assert_eq!(listing.records.len(), 1);
    assert_eq!(listing.records[0].id, kept);
    assert_eq!(listing.unreadable.len(), 1);
    assert_eq!(listing.unreadable[0].path, broken);
    let message = &listing.unreadable[0].message;
    assert!(
        message.contains("line") && message.contains("column"),
        "{message}"
    );

    let update = store.update(SPEC, broken_id, |r| r.notes = Some("x".into()));
    match update {
        Err(error @ StoreError::Unreadable { .. }) => {
            assert!(
                error.to_string().contains(&broken.display().to_string()),
                "{error}"
            );
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    let lock = store.lock(SPEC).expect("lock");
    let write = lock.write(&record(&store, broken_id.into()));
    assert!(
        matches!(write, Err(StoreError::Unreadable { .. })),
        "{write:?}"
    );
    assert_eq!(lock.retain(0).expect("retain"), [kept.as_str()]);
    drop(lock);
    assert_eq!(fs::read(&broken).expect("still there"), truncated);

    let next = store
        .start(SPEC, false, |id| record(&store, id))
        .expect("the other records still work");
    assert_eq!(next.id, "014-export-20261121-003");
    let all = SessionStore::new(dir.path()).all(false).expect("all");
    assert_eq!(all.records.len(), 1);
    assert_eq!(all.unreadable.len(), 1);
}

#[test]
fn retention_archives_the_oldest_finished_sessions_with_their_files() {
    let (_dir, clock, store) = store();
    let mut ids = Vec::new();
    for n in 0..6 {
        let status = if n % 2 == 0 {
            Status::Completed
        } else {
            Status::Failed
        };
        let id = finished_session(&store, status);
        store
            .write_context(SPEC, &id, "context\n")
            .expect("context");
        ids.push(id);
        clock.advance(60);
    }
    let open = store
        .start(SPEC, false, |id| record(&store, id))
        .expect("an open session");
    let log = store.log_path(SPEC, &ids[0]).expect("log path");
    fs::write(&log, "agent output\n").expect("log");

    let archived = store.retain(SPEC, 2).expect("retain");
    let oldest_first: Vec<String> = ids[..4].iter().rev().cloned().collect();
    assert_eq!(archived, oldest_first);

    let listing = store.list(SPEC).expect("list");
    let kept: Vec<&str> = listing.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(kept, [open.id.as_str(), ids[5].as_str(), ids[4].as_str()]);
    let archive = store.spec_dir(SPEC).expect("folder").join("archive");
    let files = names_in(&archive);
    assert_eq!(files.len(), 9, "{files:?}");
    assert!(files.contains(&"014-export-20261121-001.log".to_string()));
    assert!(files.contains(&"014-export-20261121-004.context.md".to_string()));
    let in_archive = store.archived(SPEC).expect("archived");
    assert_eq!(in_archive.records.len(), 4);
    assert_eq!(in_archive.records[0].id, ids[3]);

    assert!(store.retain(SPEC, 2).expect("again").is_empty());
    assert_eq!(
        store.next_id(SPEC, &store.now()).expect("next id"),
        "014-export-20261121-008"
    );
}

#[test]
fn archived_sessions_keep_their_numbers_taken() {
    let (_dir, _clock, store) = store();
    let first = finished_session(&store, Status::Completed);
    store.retain(SPEC, 0).expect("archive it");
    assert!(store.list(SPEC).expect("list").records.is_empty());
    assert_eq!(first, "014-export-20261121-001");
    let second = finished_session(&store, Status::Completed);
    assert_eq!(second, "014-export-20261121-002");
}

#[test]
fn names_that_could_leave_the_sessions_folder_are_refused() {
    let (dir, _clock, store) = store();
    // Spec ids are encoded into one folder name each.
    let sessions = dir.path().join(".smallbatch/sessions");
    for spec in ["a/b", "..", "../etc", ".hidden", "a\\b"] {
        let started = store
            .start(spec, false, |id| record(&store, id))
            .expect("an encoded folder");
        let folder = store.spec_dir(spec).expect("a folder");
        assert_eq!(folder.parent(), Some(sessions.as_path()), "{spec}");
        assert!(
            folder.join(format!("{}.json", started.id)).is_file(),
            "{spec}"
        );
    }
    let started = store.start("", false, |id| record(&store, id));
    assert!(
        matches!(started, Err(StoreError::BadName { .. })),
        "{started:?}"
    );
    for id in ["../x", "a/b", ".x", "a..b"] {
        let update = store.update(SPEC, id, |_| {});
        assert!(
            matches!(update, Err(StoreError::BadName { .. })),
            "{id}: {update:?}"
        );
        let context = store.write_context(SPEC, id, "x");
        assert!(
            matches!(context, Err(StoreError::BadName { .. })),
            "{id}: {context:?}"
        );
    }
    let lock = store.lock(SPEC).expect("lock");
    let outside = lock.write(&record(&store, "../../escaped".into()));
    assert!(
        matches!(outside, Err(StoreError::BadName { .. })),
        "{outside:?}"
    );
    drop(lock);
    assert_eq!(names_in(dir.path()), [".smallbatch"]);
    assert_eq!(names_in(&dir.path().join(".smallbatch")), ["sessions"]);
    for name in names_in(store.dir()) {
        assert!(
            name == ".gitignore" || !name.starts_with('.'),
            "{name} in the sessions folder"
        );
    }
}

// --- git facts --------------------------------------------------------------

/// A real repository in a temporary folder, on branch `main`.
struct TestRepo {
    dir: TempDir,
    repo: Repository,
    commits: i64,
}

impl TestRepo {
    fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Repository::init_opts(
            dir.path(),
            RepositoryInitOptions::new().initial_head("main"),
        )
        .expect("git init");
        TestRepo {
            dir,
            repo,
            commits: 0,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn facts(&self) -> GitRepo {
        GitRepo::discover(self.root()).expect("a repository")
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("folder");
        }
        fs::write(&path, text).expect("write");
        path
    }

    fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).expect("remove");
    }

    /// Stages every change (deletions too) and commits it; returns the id.
    fn commit(&mut self, message: &str) -> String {
        let mut index = self.repo.index().expect("index");
        index.update_all(["*"], None).expect("stage deletions");
        index
            .add_all(["*"], IndexAddOption::DEFAULT, None)
            .expect("stage");
        index.write().expect("write index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        self.commits += 1;
        let signature = Signature::new(
            "Test",
            "test@example.com",
            &Time::new(1_795_255_200 + self.commits, 0),
        )
        .expect("signature");
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .expect("commit")
            .to_string()
    }
}

#[test]
fn outside_a_repository_there_are_no_git_facts() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(GitRepo::discover(dir.path()).is_none());
}

#[test]
fn head_and_branch_follow_the_repository() {
    let mut repo = TestRepo::new();
    let unborn = repo.facts();
    assert_eq!(unborn.head(), None);
    assert_eq!(unborn.branch().as_deref(), Some("main"));
    assert!(unborn.commits_since("HEAD").is_empty());

    repo.write("src/lib.rs", "fn a() {}\n");
    let first = repo.commit("Start");
    let facts = repo.facts();
    assert_eq!(facts.head().as_deref(), Some(first.as_str()));
    assert_eq!(first.len(), 40);
    assert_eq!(facts.branch().as_deref(), Some("main"));

    let nested = GitRepo::discover(&repo.root().join("src")).expect("found from a subfolder");
    assert_eq!(nested.head(), facts.head());

    repo.repo
        .set_head_detached(git2::Oid::from_str(&first).expect("oid"))
        .expect("detach");
    assert_eq!(facts.branch(), None);
    assert_eq!(facts.head().as_deref(), Some(first.as_str()));
}

#[test]
fn the_tree_is_dirty_with_changes_but_not_with_smallbatch_files_alone() {
    let mut repo = TestRepo::new();
    repo.write("src/lib.rs", "fn a() {}\n");
    repo.write(".smallbatch/config.toml", "[session]\nkeep = 5\n");
    repo.commit("Start");
    let facts = repo.facts();
    assert!(!facts.is_dirty());

    repo.write(".smallbatch/config.toml", "[session]\nkeep = 3\n");
    repo.write(".smallbatch/sessions/a/a-20261121-001.json", "{}\n");
    assert!(!facts.is_dirty(), "only .smallbatch/ changed");

    repo.write("src/lib.rs", "fn b() {}\n");
    assert!(facts.is_dirty(), "a tracked change");
    repo.write("src/lib.rs", "fn a() {}\n");
    assert!(!facts.is_dirty());

    repo.write("notes/todo.md", "- x\n");
    assert!(facts.is_dirty(), "an untracked file");
    repo.remove("notes/todo.md");
    repo.write(".gitignore", "notes/\n");
    repo.commit("Ignore notes");
    repo.write("notes/todo.md", "- x\n");
    assert!(!facts.is_dirty(), "an ignored file");
}

#[test]
fn commits_since_start_come_oldest_first_with_their_summaries() {
    let mut repo = TestRepo::new();
    repo.write("a.txt", "0\n");
    let start = repo.commit("Start");
    let mut made = Vec::new();
    for n in 1..=3 {
        repo.write("a.txt", &format!("{n}\n"));
        let id = repo.commit(&format!("Step {n}\n\nThe body of step {n}.\n"));
        made.push(CommitFact {
            id,
            summary: format!("Step {n}"),
        });
    }
    let facts = repo.facts();
    assert_eq!(facts.commits_since(&start), made);
    assert_eq!(facts.commits_since(&made[1].id), made[2..]);
    assert!(facts.commits_since(&made[2].id).is_empty());
    assert!(facts.commits_since("not-a-commit").is_empty());
    assert!(facts.commits_since(&"0".repeat(40)).is_empty());
}

/// Builds a linear history of `count` commits, a second apart, in one pack
/// file (loose objects would make the test slow); returns their ids.
fn linear_history(repo: &Repository, count: i64) -> Vec<git2::Oid> {
    let odb = repo.odb().expect("object database");
    let mempack = odb
        .add_new_mempack_backend(1000)
        .expect("in-memory objects");
    let tree_id = repo.index().expect("index").write_tree().expect("tree");
    let tree = repo.find_tree(tree_id).expect("tree");
    let mut ids: Vec<git2::Oid> = Vec::new();
    for n in 0..count {
        let time = Time::new(1_795_255_200 + n, 0);
        let signature = Signature::new("Test", "test@example.com", &time).expect("signature");
        let parent = ids.last().map(|id| repo.find_commit(*id).expect("parent"));
        let parents: Vec<_> = parent.iter().collect();
        let message = format!("Commit {n}");
        let id = repo
            .commit(None, &signature, &signature, &message, &tree, &parents)
            .expect("commit");
        ids.push(id);
    }
    let mut pack = git2::Buf::new();
    mempack.dump(repo, &mut pack).expect("pack");
    let mut writer = odb.packwriter().expect("pack writer");
    std::io::Write::write_all(&mut writer, &pack).expect("write pack");
    writer.commit().expect("index pack");
    let last = ids.last().copied().expect("a commit");
    repo.reference("refs/heads/main", last, true, "history")
        .expect("branch");
    ids
}

#[test]
fn commits_since_on_a_long_history_returns_just_the_new_commits() {
    let repo = TestRepo::new();
    let ids = linear_history(&repo.repo, 10_000);
    let facts = repo.facts();
    let since = facts.commits_since(&ids[9_996].to_string());
    let summaries: Vec<&str> = since.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries, ["Commit 9997", "Commit 9998", "Commit 9999"]);
    assert_eq!(facts.commits_since(&ids[0].to_string()).len(), 9_999);
}

#[test]
fn changes_between_commits_are_added_modified_and_deleted() {
    let mut repo = TestRepo::new();
    repo.write("src/export.rs", "fn export() {}\n");
    repo.write("src/old.rs", "fn old() {}\n");
    repo.write("README.md", "# Export\n");
    let start = repo.commit("Start");
    repo.write("src/export.rs", "fn export() { csv() }\n");
    repo.remove("src/old.rs");
    repo.write("src/csv/write.rs", "fn csv() {}\n");
    repo.write("tests/export.rs", "#[test]\nfn t() {}\n");
    let end = repo.commit("Export a month with invoices");

    let changes = repo.facts().changes(&start, &end);
    assert_eq!(
        changes,
        FileChanges {
            added: vec!["src/csv/write.rs".into(), "tests/export.rs".into()],
            modified: vec!["src/export.rs".into()],
            deleted: vec!["src/old.rs".into()],
        }
    );
    assert_eq!(changes.tests().collect::<Vec<_>>(), ["tests/export.rs"]);
    assert!(repo.facts().changes(&end, &end).is_empty());
    assert!(repo.facts().changes("nope", &end).is_empty());
}

#[test]
fn test_paths_are_told_by_folder_and_name() {
    for path in [
        "tests/export.rs",
        "server/test/helper.rb",
        "pkg/export_test.go",
        "web/export.test.ts",
        "spec/export_spec.rb",
        "app/test_export.py",
    ] {
        assert!(is_test_path(path), "{path}");
    }
    for path in [
        "src/export.rs",
        "src/latest.rs",
        "contest/x.go",
        "test_export.rs",
    ] {
        assert!(!is_test_path(path), "{path}");
    }
}

#[test]
fn smallbatch_files_are_not_the_sessions_work() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let repo = git2::Repository::init(root).expect("a repository");
    let sign = git2::Signature::now("Ana", "ana@example.com").expect("a signature");
    let commit = |message: &str| {
        let mut index = repo.index().expect("the index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write the index");
        let tree = repo
            .find_tree(index.write_tree().expect("a tree"))
            .expect("the tree");
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sign, &sign, message, &tree, &parents)
            .expect("a commit")
            .to_string()
    };
    std::fs::write(root.join("README.md"), "x\n").expect("write");
    let start = commit("start");
    std::fs::create_dir_all(root.join(".smallbatch/sessions/a")).expect("folders");
    std::fs::write(
        root.join(".smallbatch/sessions/a/a-20261121-001.json"),
        "{}\n",
    )
    .expect("write");
    std::fs::write(root.join("export.rs"), "fn main() {}\n").expect("write");
    let end = commit("work");
    let git = smallbatch::session::GitRepo::discover(root).expect("a repository");
    let changes = git.changes(&start, &end);
    assert_eq!(changes.added, ["export.rs"]);
    assert!(changes.modified.is_empty() && changes.deleted.is_empty());
}
