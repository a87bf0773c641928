//! `complete`: the session ends at a commit, its summary goes into the
//! spec's Session log, and the spec's status moves when every unit is done.

use super::{ActionError, CompleteOptions, Completed, Refusal, Sessions, close_phase, units};
use crate::session::git::GitRepo;
use crate::session::record::{PipelineRun, Status};
use crate::session::summary::{prefilled_summary, summary_facts};
use crate::spec::{
    BlockCache, Checkbox, FileId, front_matter_status_edit, log_entry, log_summary_edit,
};
use crate::units::short_commit;
use crate::workspace::LoadedSpec;

impl Sessions {
    /// Ends the open session at a commit: the pipeline must be green, the
    /// summary goes into the spec's session log.
    pub fn complete(
        &self,
        spec: &str,
        options: &CompleteOptions,
    ) -> Result<Completed, ActionError> {
        let (summary, allow_no_commit) = (options.summary.as_deref(), options.allow_no_commit);
        let target = self.target(spec)?;
        let first = self.open_session(&target)?;
        written_entry(&target.loaded, &target.rel, &first.unit.name, options)?;
        let mut warnings = Vec::new();
        let head = self.git.as_ref().and_then(GitRepo::head);
        match &self.git {
            None => {
                warnings.push("no git repository: the session's commit was not checked".to_string())
            }
            Some(_) if head.is_none() || head == first.git.start_commit => {
                let start = first.git.start_commit.as_deref().unwrap_or("(none)");
                let short = short_commit(start).to_string();
                if !allow_no_commit {
                    return Err(Refusal::NoCommit { short }.into());
                }
                warnings.push(format!("no commit since the session started at {short}"));
            }
            Some(_) => {}
        }
        // The pipeline runs without the lock, so that it cannot hold up the
        // spec's other commands; the state is read again under the lock.
        let passed = match &self.config().session.pipeline {
            Some(command) => Some(self.pipeline(command)?),
            None => None,
        };
        let lock = self.store.lock(target.id())?;
        let mut record = self.open_session(&target)?;
        if record.id != first.id || self.git.as_ref().and_then(GitRepo::head) != head {
            return Err(Refusal::ChangedMeanwhile {
                spec: target.rel.clone(),
            }
            .into());
        }
        let now = self.store.now().to_string();
        if let Some(outcome) = passed {
            record.pipeline = Some(PipelineRun {
                command: outcome.command,
                status: "passed".to_string(),
                at: now.clone(),
            });
        }
        record.git.end_commit = head;
        record.git.commits = self.commits_since(&record);
        let changes = self.changes_since(&record);

        // The spec as it is now (it may have been edited during the session).
        let current = self.load_spec(&target.loaded.path)?;
        let written = written_entry(&current, &target.rel, &record.unit.name, options)?;
        let text = match (summary, &written) {
            (Some(summary), _) => summary.to_string(),
            (None, Some(entry)) => with_facts(entry, &summary_facts(&record, &changes)),
            (None, None) => prefilled_summary(&record, &changes),
        };
        close_phase(&mut record, &now, Some(&changes));
        if let Some(phase) = record.phases.last_mut() {
            phase.summary = Some(text.trim().to_string());
        }
        record.status = Status::Completed;
        record.updated_at = now;

        // The unit's boxes are ticked in the same write as its summary;
        // `[ ]` → `[x]` keeps every offset of the model valid for the log edit.
        let units = units::of(&current.spec, &self.config().phases);
        let key = record.unit.key();
        let unit = units.iter().find(|u| u.work.key() == key).map(|u| &u.unit);
        let boxes = unit.map(|u| current.spec.unit_boxes(u)).unwrap_or_default();
        let file = unit.map_or(FileId::Spec, |u| current.spec.unit_file(u));
        // A plan written in a sub-spec file is ticked there, before the
        // spec's own write.
        let in_part = match file {
            FileId::Part(_) => current
                .source(file)
                .map(|(path, text)| (path.to_path_buf(), tick(text, &boxes))),
            _ => None,
        };
        let ticked = match in_part {
            Some(_) => current.text.clone(),
            None => tick(&current.text, &boxes),
        };
        let logged =
            log_summary_edit(&current.spec, &ticked, &record.unit.name, &text).apply(&ticked);
        let mut history = self.writable_history(&target)?.records;
        history.retain(|r| r.id != record.id);
        history.push(record.clone());
        let all_done = units::all_complete(&units, &history);
        let relogged = self.ws.read_spec_text(
            &target.loaded.path,
            logged.clone(),
            &mut BlockCache::default(),
        );
        let status_edit = all_done
            .then(|| {
                front_matter_status_edit(&relogged.spec, &logged, "complete", &record.updated_at)
            })
            .flatten();
        let spec_status = status_edit.as_ref().map(|_| "complete".to_string());
        let new_text = status_edit.map_or(logged.clone(), |edit| edit.apply(&logged));
        if let Some((path, text)) = &in_part {
            self.write_spec(path, text)?;
        }
        self.write_spec(&target.loaded.path, &new_text)?;
        lock.write(&record)?;
        lock.retain(self.config().session.keep)?;
        Ok(Completed {
            record,
            changes,
            summary: text,
            kept_entry: summary.is_none() && written.is_some(),
            spec_status,
            warnings,
        })
    }
}

/// The unit's entry already written in the spec's Session log (its body),
/// or a refusal when `options` would replace it without
/// `replace_summary`.
fn written_entry(
    spec: &LoadedSpec,
    rel: &str,
    unit: &str,
    options: &CompleteOptions,
) -> Result<Option<String>, Refusal> {
    let Some(entry) = log_entry(&spec.spec, unit).filter(|e| !e.body.trim().is_empty()) else {
        return Ok(None);
    };
    if options.summary.is_some() && !options.replace_summary {
        let line = spec.text[..entry.heading.span.start].matches('\n').count() + 1;
        return Err(Refusal::SummaryWritten {
            spec: rel.to_string(),
            line,
            unit: unit.to_string(),
        });
    }
    Ok(Some(entry.body.clone()))
}

/// The text with the given checkboxes ticked (`[ ]` → `[x]`, same length).
fn tick(text: &str, boxes: &[&Checkbox]) -> String {
    let mut out = text.to_string();
    for checkbox in boxes.iter().filter(|b| !b.checked) {
        if out.get(checkbox.span.clone()) == Some("[ ]") {
            out.replace_range(checkbox.span.clone(), "[x]");
        }
    }
    out
}

/// A written entry with the session's facts under it, unless it has them.
fn with_facts(entry: &str, facts: &str) -> String {
    let missing: Vec<&str> = facts
        .lines()
        .filter(|line| !entry.contains(line.trim()))
        .collect();
    if missing.is_empty() {
        return entry.to_string();
    }
    format!("{}\n\n{}\n", entry.trim_end(), missing.join("\n"))
}
