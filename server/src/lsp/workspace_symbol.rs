//! workspace/symbol: every spec and scenario of the workspace, from the
//! index (so specs never opened are found too), matched like rust-analyzer
//! does: the query's characters in order, case ignored.

use tower_lsp_server::ls_types::{Location, OneOf, SymbolKind, WorkspaceSymbol};

use super::index::{IndexedScenario, IndexedSpec};
use super::state::State;

/// At most this many symbols per answer (rust-analyzer's default limit).
const LIMIT: usize = 128;

/// The specs and scenarios of the index that match `query`, best first.
pub fn workspace_symbols(state: &State, query: &str) -> Option<Vec<WorkspaceSymbol>> {
    let query = Query::new(query);
    let index = state.index();
    let mut found: Vec<(Rank, WorkspaceSymbol)> = Vec::new();
    for spec in index.specs() {
        let spec_rank = [query.rank(&spec.title), query.rank(&spec.id)]
            .into_iter()
            .flatten()
            .min();
        if let Some(rank) = spec_rank {
            found.push((rank, spec_symbol(spec)));
        }
        for scenario in &spec.scenarios {
            let symbol = query
                .rank(&scenario.name)
                .and_then(|rank| Some((rank, scenario_symbol(spec, scenario)?)));
            found.extend(symbol);
        }
    }
    // Stable: within a rank, specs in path order, each before its scenarios.
    found.sort_by_key(|(rank, _)| *rank);
    found.truncate(LIMIT);
    Some(found.into_iter().map(|(_, symbol)| symbol).collect())
}

fn spec_symbol(spec: &IndexedSpec) -> WorkspaceSymbol {
    WorkspaceSymbol {
        name: spec.title.clone(),
        kind: SymbolKind::FILE,
        tags: None,
        container_name: (spec.id != spec.title).then(|| spec.id.clone()),
        location: OneOf::Left(Location::new(spec.uri.clone(), spec.title_range)),
        data: None,
    }
}

fn scenario_symbol(spec: &IndexedSpec, scenario: &IndexedScenario) -> Option<WorkspaceSymbol> {
    Some(WorkspaceSymbol {
        name: scenario.name.clone(),
        kind: SymbolKind::EVENT,
        tags: None,
        container_name: Some(spec.title.clone()),
        location: OneOf::Left(Location::new(spec.file_uri(scenario.file)?, scenario.range)),
        data: None,
    })
}

/// How well a name matches: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Prefix,
    Substring,
    Subsequence,
}

/// A query, lowercased.
struct Query {
    text: String,
}

impl Query {
    fn new(query: &str) -> Query {
        Query {
            text: lowercase(query.trim()),
        }
    }

    /// How `name` matches the query, if it does: every character of the
    /// query appears in the name, in order, case ignored.
    fn rank(&self, name: &str) -> Option<Rank> {
        let name = lowercase(name);
        if name.starts_with(&self.text) {
            Some(Rank::Prefix)
        } else if name.contains(&self.text) {
            Some(Rank::Substring)
        } else if is_subsequence(&self.text, &name) {
            Some(Rank::Subsequence)
        } else {
            None
        }
    }
}

fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Whether the characters of `needle` appear in `haystack` in order.
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut wanted = needle.chars().peekable();
    for c in haystack.chars() {
        if wanted.peek() == Some(&c) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

#[cfg(test)]
mod tests {
    use super::{Query, Rank};

    #[test]
    fn queries_match_as_case_insensitive_subsequences() {
        let query = Query::new("EmpMon");
        assert_eq!(query.rank("Export an empty month"), Some(Rank::Subsequence));
        assert_eq!(query.rank("Export a month"), None);
        assert_eq!(
            Query::new("export").rank("Export a month"),
            Some(Rank::Prefix)
        );
        assert_eq!(
            Query::new("MONTH").rank("Export a month"),
            Some(Rank::Substring)
        );
        assert_eq!(Query::new("").rank("anything"), Some(Rank::Prefix));
        assert_eq!(Query::new("ÉTÉ").rank("Un été"), Some(Rank::Substring));
        assert_eq!(Query::new("ab").rank("ba"), None);
    }
}
