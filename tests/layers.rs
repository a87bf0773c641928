//! The layers point down only (DESIGN §1): `cli`, `lsp` → `analysis` →
//! `session` → `workspace` → `config`; `lint`, `ide` → `units` → `spec`;
//! `spec` calls nothing of ours. Every `crate::` path in `server/src` is
//! checked against what its layer may use.

use std::fs;
use std::path::Path;

/// The layer of a source file: its first component below `src/`.
fn layer(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The layers each layer may name (itself always).
fn allowed(layer: &str) -> Option<&'static [&'static str]> {
    Some(match layer {
        "spec" => &[],
        "units" => &["spec"],
        "lint" | "ide" => &["units", "spec"],
        "config" => &["spec"],
        "workspace" => &["config", "spec"],
        "session" => &["workspace", "config", "lint", "units", "spec"],
        "analysis" => &["session", "workspace", "config", "lint", "units", "spec"],
        "lsp" | "mcp" => &[
            "analysis",
            "session",
            "workspace",
            "config",
            "lint",
            "ide",
            "units",
            "spec",
        ],
        // The command line starts the servers too.
        "cli" | "main" | "lib" => return None,
        _ => &[],
    })
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("list").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Scenario 4 of the renovation.
#[test]
fn no_layer_names_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "{} source files", files.len());
    let mut upward = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("below src");
        let layer = layer(relative);
        let Some(allowed) = allowed(&layer) else {
            continue;
        };
        let text = fs::read_to_string(path).expect("read");
        for (n, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                let named: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if named != layer && !allowed.contains(&named.as_str()) {
                    upward.push(format!(
                        "{}:{}: `{layer}` names `{named}`",
                        relative.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "paths up the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_layer_rule_sees_an_upward_path() {
    // What the test above would report for a spec module naming the store.
    let spec = allowed("spec").expect("spec has a rule");
    assert!(!spec.contains(&"session"));
    let workspace = allowed("workspace").expect("workspace has a rule");
    assert!(!workspace.contains(&"session") && !workspace.contains(&"lint"));
}
