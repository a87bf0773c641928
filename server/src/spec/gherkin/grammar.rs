//! Cucumber's Gherkin grammar (`gherkin.berp`), written down as data, rule
//! for rule. The parser's states are derived from it (`states`).

/// The kinds of line token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Eof,
    Empty,
    Comment,
    TagLine,
    FeatureLine,
    RuleLine,
    BackgroundLine,
    ScenarioLine,
    ExamplesLine,
    StepLine,
    DocStringSeparator,
    TableRow,
    Language,
    Other,
}

impl Tok {
    /// The token's name in Cucumber's error messages.
    pub fn name(self) -> &'static str {
        match self {
            Tok::Eof => "#EOF",
            Tok::Empty => "#Empty",
            Tok::Comment => "#Comment",
            Tok::TagLine => "#TagLine",
            Tok::FeatureLine => "#FeatureLine",
            Tok::RuleLine => "#RuleLine",
            Tok::BackgroundLine => "#BackgroundLine",
            Tok::ScenarioLine => "#ScenarioLine",
            Tok::ExamplesLine => "#ExamplesLine",
            Tok::StepLine => "#StepLine",
            Tok::DocStringSeparator => "#DocStringSeparator",
            Tok::TableRow => "#TableRow",
            Tok::Language => "#Language",
            Tok::Other => "#Other",
        }
    }
}

/// The grammar's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RuleKind {
    GherkinDocument,
    Feature,
    FeatureHeader,
    Rule,
    RuleHeader,
    Background,
    ScenarioDefinition,
    Scenario,
    ExamplesDefinition,
    Examples,
    ExamplesTable,
    Step,
    StepArg,
    DataTableAndMaybeDocString,
    DocStringAndMaybeDataTable,
    DataTable,
    DocString,
    Tags,
    DescriptionHelper,
    Description,
}

#[derive(Clone, Copy)]
pub(super) enum Sym {
    T(Tok),
    R(RuleKind),
    Alt(&'static [Sym]),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mult {
    One,
    Opt,
    Star,
    Plus,
}

#[derive(Clone, Copy)]
pub(super) struct Item(pub Sym, pub Mult);

/// A lookahead hint: the transition is taken only if, skipping `skip`
/// tokens, a `target` token follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lookahead {
    pub skip: &'static [Tok],
    pub target: Tok,
}

pub(super) struct RuleDef {
    /// Rules marked `!` build a node of the tree; the others only group.
    pub ast: bool,
    pub lookahead: Option<Lookahead>,
    pub items: &'static [Item],
}

use Mult::{One, Opt, Plus, Star};
use Sym::{Alt, R, T};

const SKIP: &[Tok] = &[Tok::Empty, Tok::Comment, Tok::TagLine];

/// `gherkin.berp`, with `#EOF` made the explicit end of `GherkinDocument`.
pub(super) fn def(rule: RuleKind) -> RuleDef {
    use RuleKind as K;
    let (ast, lookahead, items): (bool, Option<Lookahead>, &'static [Item]) = match rule {
        // GherkinDocument! := Feature?
        K::GherkinDocument => (
            true,
            None,
            &[Item(R(K::Feature), Opt), Item(T(Tok::Eof), One)],
        ),
        // Feature! := FeatureHeader Background? ScenarioDefinition* Rule*
        K::Feature => (
            true,
            None,
            &[
                Item(R(K::FeatureHeader), One),
                Item(R(K::Background), Opt),
                Item(R(K::ScenarioDefinition), Star),
                Item(R(K::Rule), Star),
            ],
        ),
        // FeatureHeader! := #Language? Tags? #FeatureLine DescriptionHelper
        K::FeatureHeader => (
            true,
            None,
            &[
                Item(T(Tok::Language), Opt),
                Item(R(K::Tags), Opt),
                Item(T(Tok::FeatureLine), One),
                Item(R(K::DescriptionHelper), One),
            ],
        ),
        // Rule! := RuleHeader Background? ScenarioDefinition*
        K::Rule => (
            true,
            None,
            &[
                Item(R(K::RuleHeader), One),
                Item(R(K::Background), Opt),
                Item(R(K::ScenarioDefinition), Star),
            ],
        ),
        // RuleHeader! := Tags? #RuleLine DescriptionHelper
        K::RuleHeader => (
            true,
            None,
            &[
                Item(R(K::Tags), Opt),
                Item(T(Tok::RuleLine), One),
                Item(R(K::DescriptionHelper), One),
            ],
        ),
        // Background! := #BackgroundLine DescriptionHelper Step*
        K::Background => (
            true,
            None,
            &[
                Item(T(Tok::BackgroundLine), One),
                Item(R(K::DescriptionHelper), One),
                Item(R(K::Step), Star),
            ],
        ),
        // ScenarioDefinition! [#Empty|#Comment|#TagLine->#ScenarioLine]:= Tags? Scenario
        K::ScenarioDefinition => (
            true,
            Some(Lookahead {
                skip: SKIP,
                target: Tok::ScenarioLine,
            }),
            &[Item(R(K::Tags), Opt), Item(R(K::Scenario), One)],
        ),
        // Scenario! := #ScenarioLine DescriptionHelper Step* ExamplesDefinition*
        K::Scenario => (
            true,
            None,
            &[
                Item(T(Tok::ScenarioLine), One),
                Item(R(K::DescriptionHelper), One),
                Item(R(K::Step), Star),
                Item(R(K::ExamplesDefinition), Star),
            ],
        ),
        // ExamplesDefinition! [#Empty|#Comment|#TagLine->#ExamplesLine]:= Tags? Examples
        K::ExamplesDefinition => (
            true,
            Some(Lookahead {
                skip: SKIP,
                target: Tok::ExamplesLine,
            }),
            &[Item(R(K::Tags), Opt), Item(R(K::Examples), One)],
        ),
        // Examples! := #ExamplesLine DescriptionHelper ExamplesTable?
        K::Examples => (
            true,
            None,
            &[
                Item(T(Tok::ExamplesLine), One),
                Item(R(K::DescriptionHelper), One),
                Item(R(K::ExamplesTable), Opt),
            ],
        ),
        // ExamplesTable! := #TableRow #TableRow*
        K::ExamplesTable => (
            true,
            None,
            &[Item(T(Tok::TableRow), One), Item(T(Tok::TableRow), Star)],
        ),
        // Step! := #StepLine StepArg?
        K::Step => (
            true,
            None,
            &[Item(T(Tok::StepLine), One), Item(R(K::StepArg), Opt)],
        ),
        // StepArg := (DataTableAndMaybeDocString | DocStringAndMaybeDataTable)
        K::StepArg => (
            false,
            None,
            &[Item(
                Alt(&[
                    R(K::DataTableAndMaybeDocString),
                    R(K::DocStringAndMaybeDataTable),
                ]),
                One,
            )],
        ),
        // DataTableAndMaybeDocString := DataTable DocString?
        K::DataTableAndMaybeDocString => (
            false,
            None,
            &[Item(R(K::DataTable), One), Item(R(K::DocString), Opt)],
        ),
        // DocStringAndMaybeDataTable := DocString DataTable?
        K::DocStringAndMaybeDataTable => (
            false,
            None,
            &[Item(R(K::DocString), One), Item(R(K::DataTable), Opt)],
        ),
        // DataTable! := #TableRow+
        K::DataTable => (true, None, &[Item(T(Tok::TableRow), Plus)]),
        // DocString! := #DocStringSeparator #Other* #DocStringSeparator
        K::DocString => (
            true,
            None,
            &[
                Item(T(Tok::DocStringSeparator), One),
                Item(T(Tok::Other), Star),
                Item(T(Tok::DocStringSeparator), One),
            ],
        ),
        // Tags! := #TagLine+
        K::Tags => (true, None, &[Item(T(Tok::TagLine), Plus)]),
        // DescriptionHelper := #Empty* Description?
        K::DescriptionHelper => (
            false,
            None,
            &[Item(T(Tok::Empty), Star), Item(R(K::Description), Opt)],
        ),
        // Description! := (#Other | #Comment)+
        K::Description => (
            true,
            None,
            &[Item(Alt(&[T(Tok::Other), T(Tok::Comment)]), Plus)],
        ),
    };
    RuleDef {
        ast,
        lookahead,
        items,
    }
}
