//! The Gherkin parser against Cucumber's own test data: every good document
//! must give Cucumber's syntax tree and every bad one Cucumber's errors.
//!
//! The corpus is the copy in `tests/corpora/gherkin`, or wherever
//! `SMALLBATCH_GHERKIN_CORPUS` points; without it the corpus test fails, it
//! is never skipped. Run with `--nocapture` to see the tally.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use smallbatch::spec::gherkin::{
    Background, DataTable, Examples, Feature, FeatureChild, Flavor, GherkinDocument, KeywordType,
    Location, Origin, ParseError, Rule, RuleChild, Scenario, Step, TableRow, Tag, parse, parse_at,
};

/// The corpus folder: `SMALLBATCH_GHERKIN_CORPUS`, else the copy in the
/// repository. A folder that is not there fails the test, naming it.
fn corpus() -> PathBuf {
    let (dir, from) = match std::env::var_os("SMALLBATCH_GHERKIN_CORPUS") {
        Some(dir) => (PathBuf::from(dir), "SMALLBATCH_GHERKIN_CORPUS"),
        None => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpora/gherkin"),
            "the repository",
        ),
    };
    assert!(
        dir.join("good").is_dir() && dir.join("bad").is_dir(),
        "no Gherkin corpus at {} (from {from}): it needs good/ and bad/; \
         restore tests/corpora/gherkin or point SMALLBATCH_GHERKIN_CORPUS at a copy",
        dir.display()
    );
    dir
}

/// Files in `dir` whose names end with `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .expect("corpus folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `path` without its folder and without `suffix`.
fn short_name(path: &Path, suffix: &str) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    name.unwrap_or_default().replace(suffix, "")
}

#[test]
fn cucumber_corpus() {
    let dir = corpus();
    let mut failures: Vec<String> = Vec::new();
    let good = files(&dir.join("good"), ".ast.ndjson");
    // Cucumber's corpus holds one expected tree (tags.md) whose document is
    // only in its `.source.ndjson`: it is checked and counted apart.
    let has_file = |p: &PathBuf| p.with_file_name(short_name(p, ".ast.ndjson")).exists();
    let (good, extra): (Vec<PathBuf>, Vec<PathBuf>) = good.into_iter().partition(has_file);
    let good_ok = good.iter().filter(|p| check_good(p, &mut failures)).count();
    let extra_ok = extra
        .iter()
        .filter(|p| check_good(p, &mut failures))
        .count();
    let bad = files(&dir.join("bad"), ".errors.ndjson");
    let (mut bad_ok, mut errors_ok, mut errors_total) = (0, 0, 0);
    for path in &bad {
        let (same, matched, expected) = check_bad(path, &mut failures);
        bad_ok += usize::from(same);
        (errors_ok, errors_total) = (errors_ok + matched, errors_total + expected);
    }
    println!(
        "gherkin conformance: good {good_ok}/{}, bad {bad_ok}/{} ({errors_ok}/{errors_total} errors); \
         {extra_ok}/{} more read from .source.ndjson",
        good.len(),
        bad.len(),
        extra.len()
    );
    assert!(!good.is_empty() && !bad.is_empty(), "the corpus is empty");
    if !failures.is_empty() {
        let mut report = format!(
            "{} corpus documents differ from Cucumber:\n",
            failures.len()
        );
        for failure in failures.iter().take(5) {
            let _ = writeln!(report, "- {failure}");
        }
        panic!("{report}");
    }
}

/// Parses a good document (one per `.ast.ndjson`; one whose file is not in
/// the corpus, `tags.md`, is read from its `.source.ndjson`) and compares its
/// tree with Cucumber's.
fn check_good(expected_path: &Path, failures: &mut Vec<String>) -> bool {
    let path = expected_path.with_file_name(short_name(expected_path, ".ast.ndjson"));
    let source = if path.exists() {
        read(&path)
    } else {
        let envelope =
            read(&path.with_file_name(format!("{}.source.ndjson", short_name(&path, ""))));
        let envelope: Value = serde_json::from_str(&envelope).expect("source envelope is JSON");
        envelope["source"]["data"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let name = short_name(&path, "");
    let flavor = if name.ends_with(".md") {
        Flavor::Markdown
    } else {
        Flavor::Classic
    };
    let doc = parse(&source, flavor);
    let mut expected: Value = serde_json::from_str(&read(expected_path)).expect("AST is JSON");
    strip(&mut expected, &["id", "uri"]);
    let actual = json!({ "gherkinDocument": document(&doc) });
    let failure = if !doc.errors.is_empty() {
        let errors: Vec<String> = doc.errors.iter().map(cucumber_message).collect();
        Some(format!("good/{name}: unexpected errors {errors:#?}"))
    } else {
        first_difference("", &expected, &actual).map(|diff| format!("good/{name}: {diff}"))
    };
    failures.extend(failure.clone());
    failure.is_none()
}

/// Parses a bad document and compares its errors with Cucumber's; returns
/// whether they are the same, how many expected errors were found, and how
/// many there are.
fn check_bad(expected_path: &Path, failures: &mut Vec<String>) -> (bool, usize, usize) {
    let name = short_name(expected_path, ".errors.ndjson");
    let doc = parse(&read(&expected_path.with_file_name(&name)), Flavor::Classic);
    let expected: Vec<String> = read(expected_path)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("expected error is JSON");
            let (e, at) = (&v["parseError"], &v["parseError"]["source"]["location"]);
            let message = e["message"].as_str().unwrap_or_default();
            format!("{message} [line {}, column {}]", at["line"], at["column"])
        })
        .collect();
    let actual: Vec<String> = doc
        .errors
        .iter()
        .map(|e| {
            let column = if e.has_column {
                e.location.column.to_string()
            } else {
                "null".into()
            };
            let line = e.location.line;
            format!("{} [line {line}, column {column}]", cucumber_message(e))
        })
        .collect();
    let same = expected == actual;
    if !same {
        failures.push(format!(
            "bad/{name}:\n  expected {expected:#?}\n  actual {actual:#?}"
        ));
    }
    let matched = expected.iter().filter(|e| actual.contains(e)).count();
    (same, matched, expected.len())
}

/// The error as Cucumber prints it: `(line:column): message`.
fn cucumber_message(e: &ParseError) -> String {
    format!("({}:{}): {}", e.location.line, e.location.column, e.message)
}

/// Removes `keys` from every object in `value`.
fn strip(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Object(map) => {
            for key in keys {
                map.remove(*key);
            }
            map.values_mut().for_each(|v| strip(v, keys));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, keys)),
        _ => {}
    }
}

/// The path and both sides of the first place where the trees differ.
fn first_difference(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys = e.keys().chain(a.keys().filter(|k| !e.contains_key(*k)));
            for key in keys {
                let (ev, av) = (e.get(key), a.get(key));
                let sub = format!("{path}.{key}");
                match (ev, av) {
                    (Some(ev), Some(av)) => {
                        if let Some(diff) = first_difference(&sub, ev, av) {
                            return Some(diff);
                        }
                    }
                    _ => return Some(format!("at {sub}: expected {ev:?}, got {av:?}")),
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (ev, av))| first_difference(&format!("{path}[{i}]"), ev, av)),
        _ if expected == actual => None,
        _ => Some(format!("at {path}: expected {expected}, got {actual}")),
    }
}

// The tree in the shape of Cucumber's `gherkinDocument` message, without ids.

fn document(doc: &GherkinDocument) -> Value {
    let mut out = Map::new();
    let comments: Vec<Value> = doc
        .comments
        .iter()
        .map(|c| json!({ "location": location(c.location), "text": c.text }))
        .collect();
    out.insert("comments".into(), comments.into());
    if let Some(feature) = &doc.feature {
        out.insert("feature".into(), feature_json(feature));
    }
    Value::Object(out)
}

fn location(l: Location) -> Value {
    json!({ "line": l.line, "column": l.column })
}

fn tags(tags: &[Tag]) -> Value {
    tags.iter()
        .map(|t| json!({ "location": location(t.location), "name": t.name }))
        .collect()
}

fn feature_json(f: &Feature) -> Value {
    let children: Vec<Value> = f
        .children
        .iter()
        .map(|c| match c {
            FeatureChild::Background(b) => json!({ "background": background(b) }),
            FeatureChild::Scenario(s) => json!({ "scenario": scenario(s) }),
            FeatureChild::Rule(r) => json!({ "rule": rule(r) }),
        })
        .collect();
    let mut out = json!({
        "children": children,
        "description": f.description,
        "language": f.language,
        "location": location(f.location),
        "name": f.name,
        "tags": tags(&f.tags),
    });
    // A Markdown feature named by its first line has no keyword.
    if !f.keyword.is_empty() {
        out["keyword"] = f.keyword.clone().into();
    }
    out
}

fn rule(r: &Rule) -> Value {
    let children: Vec<Value> = r
        .children
        .iter()
        .map(|c| match c {
            RuleChild::Background(b) => json!({ "background": background(b) }),
            RuleChild::Scenario(s) => json!({ "scenario": scenario(s) }),
        })
        .collect();
    json!({
        "children": children,
        "description": r.description,
        "keyword": r.keyword,
        "location": location(r.location),
        "name": r.name,
        "tags": tags(&r.tags),
    })
}

fn background(b: &Background) -> Value {
    json!({
        "description": b.description,
        "keyword": b.keyword,
        "location": location(b.location),
        "name": b.name,
        "steps": b.steps.iter().map(step).collect::<Vec<_>>(),
    })
}

fn scenario(s: &Scenario) -> Value {
    json!({
        "description": s.description,
        "examples": s.examples.iter().map(examples).collect::<Vec<_>>(),
        "keyword": s.keyword,
        "location": location(s.location),
        "name": s.name,
        "steps": s.steps.iter().map(step).collect::<Vec<_>>(),
        "tags": tags(&s.tags),
    })
}

fn examples(e: &Examples) -> Value {
    let mut out = json!({
        "description": e.description,
        "keyword": e.keyword,
        "location": location(e.location),
        "name": e.name,
        "tableBody": e.table_body.iter().map(row).collect::<Vec<_>>(),
        "tags": tags(&e.tags),
    });
    if let Some(header) = &e.table_header {
        out["tableHeader"] = row(header);
    }
    out
}

fn step(s: &Step) -> Value {
    let keyword_type = match s.keyword_type {
        KeywordType::Context => "Context",
        KeywordType::Action => "Action",
        KeywordType::Outcome => "Outcome",
        KeywordType::Conjunction => "Conjunction",
        KeywordType::Unknown => "Unknown",
    };
    let mut out = json!({
        "keyword": s.keyword,
        "keywordType": keyword_type,
        "location": location(s.location),
        "text": s.text,
    });
    if let Some(d) = &s.doc_string {
        let mut doc = json!({
            "content": d.content,
            "delimiter": d.delimiter,
            "location": location(d.location),
        });
        if let Some(media_type) = &d.media_type {
            doc["mediaType"] = media_type.clone().into();
        }
        out["docString"] = doc;
    }
    if let Some(table) = &s.data_table {
        out["dataTable"] = data_table(table);
    }
    out
}

fn data_table(t: &DataTable) -> Value {
    json!({
        "location": location(t.location),
        "rows": t.rows.iter().map(row).collect::<Vec<_>>(),
    })
}

fn row(r: &TableRow) -> Value {
    let cells: Vec<Value> = r
        .cells
        .iter()
        .map(|c| json!({ "location": location(c.location), "value": c.value }))
        .collect();
    json!({ "cells": cells, "location": location(r.location) })
}

/// Byte range of the first occurrence of `needle` in `haystack`.
fn find(haystack: &str, needle: &str) -> std::ops::Range<usize> {
    let at = haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    at..at + needle.len()
}

#[test]
fn fenced_block_positions_are_in_the_file() {
    let file = "# Notes 📚\n\
                \n\
                Some 漢字 and 😀 prose before the block.\n\
                \n\
                ```gherkin\n\
                Feature: Café 😀\n\
                \x20 Scenario: 漢字 🎸\n\
                \x20   Given 漢字 😀 step\n\
                \x20     | 名前 | 😀 |\n\
                \x20     | a    | b  |\n\
                \x20 @漢字😀 @needs fix\n\
                \x20 Scenario: two\n\
                ```\n";
    let fence = find(file, "```gherkin\n");
    let start = fence.end;
    let end = start + file[start..].find("```").expect("closing fence");
    let origin = Origin {
        line_offset: 5,
        byte_offset: start,
    };
    let doc = parse_at(&file[start..end], Flavor::Classic, origin);

    let feature = doc.feature.as_ref().expect("a feature");
    assert_eq!(feature.location, Location { line: 6, column: 1 });
    assert_eq!(feature.span, find(file, "Feature: Café 😀"));
    assert_eq!(feature.name_span, find(file, "Café 😀"));
    let FeatureChild::Scenario(first) = &feature.children[0] else {
        panic!("a scenario first")
    };
    assert_eq!(first.location, Location { line: 7, column: 3 });
    assert_eq!(first.name_span, find(file, "漢字 🎸"));
    let step = &first.steps[0];
    assert_eq!(step.location, Location { line: 8, column: 5 });
    assert_eq!(step.span, find(file, "Given 漢字 😀 step"));
    let table = step.data_table.as_ref().expect("a table");
    let columns: Vec<u32> = table.rows[0]
        .cells
        .iter()
        .map(|c| c.location.column)
        .collect();
    assert_eq!(columns, [9, 14]);
    assert_eq!(table.span.end, find(file, "| a    | b  |").end);
    assert_eq!(step.full_span.start, step.span.start);
    assert_eq!(step.full_span.end, table.span.end);
    assert_eq!(
        feature.full_span,
        find(file, "Feature").start..find(file, "Scenario: two").end
    );

    // The bad tag line: the line is unexpected here, and its second tag
    // holds a blank; that tag's column counts characters, not bytes.
    let bad_line = find(file, "@漢字😀 @needs fix");
    let errors: Vec<(Location, &str, std::ops::Range<usize>)> = doc
        .errors
        .iter()
        .map(|e| (e.location, e.message.as_str(), e.span.clone()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        errors[0].0,
        Location {
            line: 11,
            column: 3
        }
    );
    assert!(errors[0].1.starts_with("expected: #EOF, #TableRow"));
    assert!(errors[0].1.ends_with(", got '@漢字😀 @needs fix'"));
    assert_eq!(
        errors[1].0,
        Location {
            line: 11,
            column: 8
        }
    );
    assert_eq!(errors[1].1, "A tag may not contain whitespace");
    assert_eq!(errors[1].2, bad_line);
    assert!(doc.errors.iter().all(|e| e.has_column));
}

#[test]
fn end_of_file_error_points_past_the_block() {
    let text = "Feature: x\n  Scenario: y\n    Given z\n      \"\"\"\n      open\n";
    let origin = Origin {
        line_offset: 10,
        byte_offset: 100,
    };
    let doc = parse_at(text, Flavor::Classic, origin);
    assert_eq!(doc.errors.len(), 1);
    let error = &doc.errors[0];
    assert!(!error.has_column);
    assert_eq!(
        error.location,
        Location {
            line: 16,
            column: 0
        }
    );
    assert_eq!(error.span, 100 + text.len()..100 + text.len());
    assert_eq!(
        error.message,
        "unexpected end of file, expected: #DocStringSeparator, #Other"
    );
}

#[test]
fn crlf_bom_and_odd_input_parse() {
    let doc = parse(
        "\u{feff}Feature: A\r\n  Scenario: B\r\n    Given c\r\n",
        Flavor::Classic,
    );
    assert!(doc.errors.is_empty());
    let feature = doc.feature.expect("a feature");
    assert_eq!(feature.location, Location { line: 1, column: 1 });
    assert_eq!(feature.span, 3..13);
    for text in [
        "",
        " ",
        "\n\n",
        "\r",
        "@",
        "|",
        "\"\"\"",
        "#language:xx",
        "```\n```",
    ] {
        for flavor in [Flavor::Classic, Flavor::Markdown] {
            check_spans(text, &parse(text, flavor));
        }
    }
}

/// Every span of `doc` is a range of whole characters of `text`.
fn check_spans(text: &str, doc: &GherkinDocument) {
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    spans.extend(doc.errors.iter().map(|e| e.span.clone()));
    spans.extend(doc.comments.iter().map(|c| c.span.clone()));
    if let Some(f) = &doc.feature {
        spans.extend([f.span.clone(), f.full_span.clone(), f.name_span.clone()]);
        spans.extend(f.tags.iter().map(|t| t.span.clone()));
        let mut scenarios: Vec<&Scenario> = Vec::new();
        let mut steps: Vec<&Step> = Vec::new();
        for child in &f.children {
            match child {
                FeatureChild::Background(b) => steps.extend(&b.steps),
                FeatureChild::Scenario(s) => scenarios.push(s),
                FeatureChild::Rule(r) => {
                    spans.extend([r.span.clone(), r.full_span.clone(), r.name_span.clone()]);
                    for child in &r.children {
                        match child {
                            RuleChild::Background(b) => steps.extend(&b.steps),
                            RuleChild::Scenario(s) => scenarios.push(s),
                        }
                    }
                }
            }
        }
        for s in scenarios {
            spans.extend([s.span.clone(), s.full_span.clone(), s.name_span.clone()]);
            spans.extend(s.tags.iter().map(|t| t.span.clone()));
            steps.extend(&s.steps);
            for e in &s.examples {
                spans.extend([e.span.clone(), e.full_span.clone(), e.name_span.clone()]);
                spans.extend(
                    e.table_header
                        .iter()
                        .chain(&e.table_body)
                        .map(|r| r.span.clone()),
                );
            }
        }
        for s in steps {
            spans.extend([s.span.clone(), s.full_span.clone()]);
            spans.extend(s.doc_string.iter().map(|d| d.span.clone()));
            if let Some(t) = &s.data_table {
                spans.push(t.span.clone());
                spans.extend(t.rows.iter().map(|r| r.span.clone()));
            }
        }
    }
    for span in spans {
        assert!(
            span.start <= span.end && text.get(span.clone()).is_some(),
            "span {span:?} is not within {text:?}"
        );
    }
}

#[test]
fn mutated_corpus_never_panics() {
    let dir = corpus();
    for path in files(&dir.join("good"), "")
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "feature" || e == "md"))
    {
        let text = read(&path);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // Drop a line, and cut the text at that line (about 40 places a file).
        for skip in (0..lines.len()).step_by(lines.len() / 40 + 1) {
            let mutated: String = lines
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, l)| *l)
                .collect();
            for flavor in [Flavor::Classic, Flavor::Markdown] {
                check_spans(&mutated, &parse(&mutated, flavor));
                let cut = &text[..text.len() - lines[skip..].concat().len()];
                check_spans(cut, &parse(cut, flavor));
            }
        }
    }
}

mod properties {
    use super::{Flavor, check_spans, parse};
    use proptest::prelude::*;

    fn gherkinish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Feature: f",
            "Rule: r",
            "Background:",
            "Scenario: s",
            "Scenario Outline: o",
            "Examples:",
            "Given ",
            "* ",
            "| a | b |",
            "|",
            "\\|",
            "\"\"\"",
            "```",
            "@t",
            "@a b",
            "# c",
            "#language:fr",
            "# language: xx",
            "## Scenario: m",
            "- Given m",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "😀",
            "漢字",
            "\u{feff}",
            "\u{a0}",
            "x",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        // Failures print their minimal input; nothing is written beside the sources.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_and_spans_stay_in_the_text(text in gherkinish()) {
            for flavor in [Flavor::Classic, Flavor::Markdown] {
                check_spans(&text, &parse(&text, flavor));
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            check_spans(&text, &parse(&text, Flavor::Classic));
            check_spans(&text, &parse(&text, Flavor::Markdown));
        }
    }
}
