//! `cargo bench --bench sessions`: generates a git repository of 2,000
//! files and 10,000 commits (through `git fast-import`, in one process),
//! a checkout spec of 20 scenarios whose first 19 were done by 19 completed
//! sessions (records written through the library, five kept and fourteen
//! archived as `keep = 5` leaves them; each summary in the spec's log is the
//! one `complete` prefills from that session's commits, its first line
//! written by hand), then prints how long `smallbatch context`, `start` and
//! `resume` take from a cold process, spawn to exit, how fast `smallbatch
//! mcp` answers `initialize` and one `session_status`, and how big the context
//! load is against the whole spec with its summaries: part by part, and for
//! feature descriptions of 6, 12, 24 and 30 bullets.
//!
//! Every run of `start` and `resume` begins from the same state: the
//! spec's session folder and the spec's text are put back after each run.
//! Each figure is the median (and min/max) of several runs. With
//! `SMALLBATCH_BENCH_KEEP=<folder>` the generated repository is copied
//! there at the end (for profiling).

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use smallbatch::session::record::{CommitFact, PhaseRecord};
use smallbatch::session::summary::prefilled_summary;
use smallbatch::session::{
    FileChanges, FixedClock, SessionRecord, SessionStore, Status, Timestamp, UnitKind, UnitOfWork,
    estimate_tokens,
};

mod common;
#[path = "sessions/mcp.rs"]
mod mcp;
use common::{machine, timings};

const FILES: usize = 2_000;
const COMMITS: usize = 10_000;
const SCENARIOS: usize = 20;
const COMPLETED: usize = 19;
const RUNS: usize = 21;
/// Launches of `smallbatch mcp` (each gives both of its figures).
const MCP_RUNS: usize = 51;
const SPEC_ID: &str = "020-checkout";
const SPEC_PATH: &str = "specs/020-checkout/README.md";
/// Commits made during each completed session; the last names its scenario.
const SESSION_COMMITS: usize = 5;
/// Commits made since the paused session started (HEAD included).
const PAUSED_COMMITS: usize = 9;
/// The feature description's bullets in the measured spec.
const FEATURE_BULLETS: usize = 12;
/// The feature description's sizes the ratio is also given for.
const SENSITIVITY: [usize; 4] = [6, 12, 24, 30];

const INTENT: &str = "Shoppers abandon a third of their carts at the payment step because it \
    asks for the same details twice. A single checkout page that remembers cards and applies \
    codes at once should halve that. Support staff also spend hours on receipts that never \
    arrived. This spec covers the page, the payment calls and the receipts.";

/// The feature description's bullets; the spec holds the first
/// `FEATURE_BULLETS`, the variants of the sensitivity table more or fewer.
const BULLETS: [&str; 30] = [
    "The checkout is one page — cart, address, payment, review; no step reloads it, and the \
     back button returns to the cart with its contents intact.",
    "Card numbers never reach our servers: the page uses the provider's hosted fields and we \
     keep only the token, the last four digits and the expiry (PCI DSS SAQ A).",
    "Payments go through the `PaymentGateway` trait in `src/payments/gateway.rs`; the provider \
     adapter is the only module that knows the provider's API.",
    "Totals (lines, discounts, tax, shipping) are computed once, in `src/checkout/totals.rs`, \
     in integer cents; the page shows what the server computed.",
    "Budget: the page renders in under 300 ms at the 95th percentile with a cart of 50 lines; \
     the pay call answers in under 2 s, the provider's time included.",
    "Each payment attempt carries an idempotency key derived from the order id, so a retried \
     request never charges twice.",
    "Discount codes are checked by the promotions service over HTTP with a 500 ms timeout; \
     when it does not answer, checkout goes on without the discount and says so.",
    "Tax comes from the tax tables already in `src/tax/`; no external tax service is called.",
    "Receipts go through the mailer queue, never inline: an order is confirmed when its \
     payment succeeds, whether or not the email has gone.",
    "Every refusal (declined card, expired code, stock gone) is logged with the order id and a \
     reason code, and shown to the shopper in one sentence that says what to do next.",
    "A cart is kept 30 minutes after the last activity, signed in or not; a guest cart merges \
     into the account's cart at sign-in.",
    "No new tables: orders, payments and receipts use the existing schema; the one migration \
     allowed adds `payment_token` to `orders`.",
    "Amounts are shown in the shopper's currency at the rate fixed when the cart was created.",
    "Bank transfers create a pending order with a reference; the bank statement import \
     confirms it, never the shopper.",
    "A split payment uses at most two methods; the second covers exactly the remainder.",
    "A declined card may be retried three times per order within ten minutes; then the \
     shopper is asked for another method.",
    "Review and confirm work without JavaScript; only card entry needs the provider's script.",
    "Every field has a label, errors are announced to screen readers, and the page meets \
     WCAG 2.1 AA.",
    "Stock is reserved when a payment starts and released after 15 minutes unless it \
     succeeded.",
    "Provider webhooks are verified by signature and processed at most once per event id.",
    "Saved cards are listed newest first, at most five, and can be removed from the page.",
    "Addresses are checked against the postal lookup in the shopper's own country only.",
    "Shipping rates come from `src/shipping/rates.rs`; shipping is free above 50 EUR after \
     discounts.",
    "Conversion per step, payment latency and refusals per reason go to the existing \
     Prometheus endpoint.",
    "The `checkout_v2` flag switches between the old and the new checkout per shopper; both \
     write the same orders.",
    "Peak load is 200 payments a minute with no rise in the error rate.",
    "Logs never hold card tokens, emails or addresses; the order id is the only identifier.",
    "The receipt PDF comes from the existing document service; checkout passes it the order \
     id only.",
    "Gift cards are out of scope: they have their own spec (031-gift-cards).",
    "Provider errors map to our five reason codes in one table, tested against the \
     provider's sandbox responses.",
];

/// Bullet 8 as it read when the paused session started (the spec's edit
/// since then).
const BULLET_8_AT_START: &str = "Tax comes from the tax tables in `src/tax/`, or from the \
    tax service when a rate is missing.";

/// A scenario of the spec: an optional tag, its name and its steps (a line
/// starting with `|` is a data table row).
struct ScenarioText {
    tag: Option<&'static str>,
    name: &'static str,
    steps: &'static [&'static str],
}

const SCENARIO_TEXTS: [ScenarioText; SCENARIOS] = [
    ScenarioText {
        tag: Some("@payments"),
        name: "Pay with a saved card",
        steps: &[
            "Given Ana is signed in with a saved Visa card ending in 4242",
            "And her cart holds 2 items worth 48.00 EUR",
            "When she opens the checkout",
            "Then the saved card is selected",
            "And no card number field is shown",
            "When she confirms the order",
            "Then the card's token is charged 48.00 EUR",
            "And the order is confirmed",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Pay with a new card",
        steps: &[
            "Given Ben is signed in with no saved card",
            "And his cart holds 1 item worth 19.90 EUR",
            "When he enters a new card in the provider's fields",
            "And he ticks \"Save this card\"",
            "And he confirms the order",
            "Then the order is confirmed",
            "And only the token, the last four digits and the expiry are stored",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Apply a discount code",
        steps: &[
            "Given a cart worth 80.00 EUR",
            "And the promotions service knows these codes:",
            "| code     | discount | valid until |",
            "| SPRING10 | 10 %     | 2026-12-31  |",
            "| WELCOME5 | 5.00 EUR | 2026-12-31  |",
            "When the shopper applies \"SPRING10\"",
            "Then a discount line shows -8.00 EUR",
            "And the total is 72.00 EUR before shipping",
            "But the code can still be changed",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Refuse an expired discount code",
        steps: &[
            "Given a cart worth 80.00 EUR",
            "And the code \"SUMMER20\" expired on 2026-09-30",
            "When the shopper applies \"SUMMER20\"",
            "Then the code is refused with \"This code expired on 30 September 2026.\"",
            "And the total is still 80.00 EUR",
            "And the refusal is logged with the reason code \"code_expired\"",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Go on without the discount when promotions is down",
        steps: &[
            "Given a cart worth 80.00 EUR",
            "And the promotions service does not answer within 500 ms",
            "When the shopper applies \"SPRING10\"",
            "Then the page says the code cannot be checked right now",
            "And the total is 80.00 EUR",
            "But the shopper can still pay",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Show the tax breakdown",
        steps: &[
            "Given a shopper shipping to Germany",
            "And a cart with these lines:",
            "| item         | price     | tax rate |",
            "| Coffee beans | 12.00 EUR | 7 %      |",
            "| Grinder      | 89.00 EUR | 19 %     |",
            "When the shopper reaches the review step",
            "Then the tax lines read:",
            "| rate | amount    |",
            "| 7 %  | 0.79 EUR  |",
            "| 19 % | 14.21 EUR |",
            "And the total includes 15.00 EUR of tax",
            "And the figures are the server's, not recomputed on the page",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Pay in another currency",
        steps: &[
            "Given a shopper in Switzerland",
            "And a cart created when 1 EUR was 0.94 CHF",
            "And the cart holds items worth 100.00 EUR",
            "When the rate changes to 0.96 CHF",
            "And the shopper reaches the review step",
            "Then the total is 94.00 CHF",
            "And the card is charged 94.00 CHF",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Choose a shipping option",
        steps: &[
            "Given a cart worth 42.00 EUR after discounts",
            "When the shopper reaches the shipping step",
            "Then these options are offered:",
            "| option   | price    | arrives in |",
            "| Standard | 4.90 EUR | 3–5 days   |",
            "| Express  | 9.90 EUR | 1 day      |",
            "When the shopper chooses \"Express\"",
            "Then the total is 51.90 EUR",
            "And the order records the option \"Express\"",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Retry a declined card",
        steps: &[
            "Given a cart worth 30.00 EUR",
            "And the provider declines the card for \"insufficient funds\"",
            "When the shopper confirms the order",
            "Then the page says the card was declined and suggests another card",
            "And the cart is unchanged",
            "When the shopper confirms again with another card",
            "Then the order is confirmed",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Stop retrying after three declines",
        steps: &[
            "Given a cart worth 30.00 EUR",
            "And the provider has declined these attempts:",
            "| attempt | at    | reason             |",
            "| 1       | 10:00 | insufficient funds |",
            "| 2       | 10:02 | insufficient funds |",
            "| 3       | 10:04 | do not honour      |",
            "When the shopper confirms a fourth time at 10:05",
            "Then no payment is attempted",
            "And the page asks for another payment method",
            "But bank transfer is still offered",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Split a payment between two cards",
        steps: &[
            "Given a cart worth 250.00 EUR",
            "When the shopper pays 100.00 EUR with the card ending in 4242",
            "And the rest with the card ending in 1881",
            "Then the cards are charged:",
            "| card | amount     |",
            "| 4242 | 100.00 EUR |",
            "| 1881 | 150.00 EUR |",
            "And the order is confirmed once both charges succeed",
            "But a third card cannot be added",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Pay by bank transfer",
        steps: &[
            "Given a cart worth 640.00 EUR",
            "When the shopper chooses bank transfer",
            "And confirms the order",
            "Then the order is pending with a reference like \"SB-2026-000123\"",
            "And the page shows our IBAN, the amount and the reference",
            "And the items stay reserved for 7 days",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Confirm a bank transfer from the statement",
        steps: &[
            "Given a pending order of 640.00 EUR with the reference \"SB-2026-000123\"",
            "And the statement import runs every hour",
            "When the import reads:",
            "| reference      | amount     | date       |",
            "| SB-2026-000123 | 640.00 EUR | 2026-10-14 |",
            "Then the order is confirmed",
            "And its receipt is queued",
            "But a transfer of the wrong amount leaves the order pending",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Never charge twice on a retried request",
        steps: &[
            "Given a cart worth 55.00 EUR",
            "And the network drops the answer to the first pay request",
            "When the browser sends the pay request again",
            "Then the provider receives the same idempotency key twice",
            "And the card is charged 55.00 EUR once",
            "And the shopper sees one confirmed order",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Keep the cart after a timeout",
        steps: &[
            "Given a guest with 3 items in the cart",
            "And 29 minutes have passed since the last activity",
            "When the guest comes back to the checkout",
            "Then the 3 items are still in the cart",
            "But after 31 minutes without activity the cart is empty",
            "And the page offers to start again",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Merge a guest cart on sign-in",
        steps: &[
            "Given Ana's account cart holds 1 \"Coffee beans\"",
            "And her guest cart holds:",
            "| item         | quantity |",
            "| Coffee beans | 2        |",
            "| Filter paper | 1        |",
            "When she signs in at the checkout",
            "Then her cart holds 3 \"Coffee beans\" and 1 \"Filter paper\"",
            "And the totals are computed again",
            "And the guest cart is gone",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Release the stock of an abandoned payment",
        steps: &[
            "Given the last grinder in stock",
            "And a shopper who started paying for it at 10:00",
            "When the payment has not succeeded by 10:15",
            "Then the grinder is back in stock",
            "And another shopper can buy it",
            "But the first shopper's cart lists it as unavailable",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Remove a saved card",
        steps: &[
            "Given Ana has saved cards ending in 4242 and 1881",
            "When she removes the card ending in 1881 at the checkout",
            "Then only the card ending in 4242 is listed",
            "And the provider is asked to delete its token",
            "And the token is deleted from our database",
            "But her past orders still show \"card ending in 1881\"",
        ],
    },
    ScenarioText {
        tag: Some("@payments"),
        name: "Process a provider webhook once",
        steps: &[
            "Given a pending payment for order 1042",
            "When the provider sends \"payment.succeeded\" for order 1042 with event id \"evt_81\"",
            "And sends the same event again a minute later",
            "Then order 1042 is confirmed once",
            "And one receipt is queued",
            "But an event with a bad signature is refused with status 400",
        ],
    },
    ScenarioText {
        tag: None,
        name: "Email the receipt",
        steps: &[
            "Given Ana's order 1042 of 48.00 EUR is confirmed",
            "When the mailer queue takes its receipt",
            "Then Ana receives an email within 5 minutes",
            "And it lists the items, the tax lines and the total",
            "And it links to the receipt PDF",
            "But it shows no more of the card than its last four digits",
            "And a failed send is retried three times",
        ],
    },
];

/// What each completed session's author wrote over the template's TODO
/// line: what was built, and a decision with its reason.
const AUTHORED: [&str; COMPLETED] = [
    "The checkout lists the shopper's saved cards from the vault and charges the selected token \
     through `PaymentGateway::charge`. The token lookup stays in the checkout service, not in \
     the provider adapter, so the adapter knows nothing of accounts.",
    "New cards are entered in the provider's hosted fields; we store the returned token, the \
     last four digits and the expiry. Saving the card is a call of its own after the payment \
     succeeds, so a failed save never fails the order.",
    "Codes are checked by the promotions client and applied as a negative line in `Totals`. \
     A percentage is rounded once per order, not per line, to match what the promotions \
     service computes.",
    "An expired or unknown code is refused with one sentence and logged with its reason code. \
     The reason codes are one enum shared by the page and the refusal log, so the two cannot \
     disagree.",
    "The promotions client gives up after 500 ms and the checkout goes on without the \
     discount. There is no retry inside the request: a second wait would break the page's \
     300 ms budget.",
    "The review step shows one tax line per rate, from the existing tax tables, on gross \
     prices. Rounding is per rate and any cent left over goes to the largest line, so the \
     lines always add up to the total.",
    "The conversion rate is fixed on the cart when it is created and used for both the display \
     and the charge. Rates are stored as integer parts per million, like the cents, to keep \
     totals exact.",
    "Shipping options come from the rates module, free above 50 EUR after discounts. The \
     chosen option and its price are stored on the order rather than looked up again at \
     confirmation.",
    "A declined card keeps the cart and shows the provider's reason mapped to our five reason \
     codes. The mapping is one table in the adapter, tested against the sandbox's decline \
     responses.",
    "Attempts are counted per order over ten minutes and a fourth is refused without calling \
     the provider. The count is read from the payment attempts already stored, so it survives \
     a restart and needs no cache.",
    "An order can be paid with two cards, the second covering exactly the remainder. When the \
     second charge fails the first is refunded at once instead of leaving a part-paid order.",
    "Bank transfer makes a pending order with a reference and shows our account details. Its \
     items stay reserved for seven days, an exception to the 15-minute rule that the stock \
     module now names.",
    "The statement import confirms a pending order when both the reference and the amount \
     match. A wrong amount leaves the order pending and opens a task for support rather than \
     guessing.",
    "Each pay request carries an idempotency key made of the order id and the attempt number. \
     The key is built where `PaymentGateway` is called, so every adapter gets it for free.",
    "A cart expires 30 minutes after its last activity, checked when it is read rather than by \
     a sweeper. An expired cart shows a page that offers to start again with the same items.",
    "Signing in merges the guest cart into the account's cart, adding the quantities of the \
     same item. The merge runs in the sign-in's transaction, so a failed sign-in leaves both \
     carts as they were.",
    "Stock reserved for a payment is released 15 minutes after the attempt unless it \
     succeeded. The release is a job of the existing scheduler, run every minute; no new \
     worker was added.",
    "A saved card can be removed at the checkout: the provider deletes the token and we delete \
     our copy. Past orders keep the last four digits, which our PCI scope allows.",
    "Provider webhooks are checked by signature and handled once per event id. Seen event ids \
     are kept in the existing idempotency store for seven days, so no new table was needed.",
];

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical folder");
    let generated = Instant::now();
    let mut commits = write_repository(&root);
    let summaries: Vec<String> = (0..COMPLETED)
        .map(|k| completed_session(k, &commits, "summary".into()).1)
        .collect();
    let spec_text = spec(FEATURE_BULLETS, false, &summaries);
    commits.push(commit_spec(&root, &spec_text));
    write_completed_sessions(&root, &commits, &spec_text);
    println!("machine: {}", machine());
    println!();
    let steps: Vec<usize> = SCENARIO_TEXTS.iter().map(|s| step_count(s.steps)).collect();
    let tables = SCENARIO_TEXTS
        .iter()
        .filter(|s| s.steps.iter().any(|l| l.starts_with('|')))
        .count();
    let tests = (0..COMPLETED).filter(|&k| adds_test(k)).count();
    let summary_tokens: Vec<usize> = summaries.iter().map(|s| estimate_tokens(s)).collect();
    println!(
        "repository: {FILES} files, {} commits ({tests} of them also add a test file); \
         generated in {:.1} s",
        commits.len(),
        generated.elapsed().as_secs_f64()
    );
    println!(
        "spec {SPEC_PATH}: {} lines; {FEATURE_BULLETS} feature bullets; {SCENARIOS} scenarios of \
         {}–{} steps ({tables} with a data table); {COMPLETED} summaries of {}–{} tokens \
         ({tests} with tests added)",
        spec_text.lines().count(),
        steps.iter().min().unwrap_or(&0),
        steps.iter().max().unwrap_or(&0),
        summary_tokens.iter().min().unwrap_or(&0),
        summary_tokens.iter().max().unwrap_or(&0),
    );
    let sessions = root.join(".smallbatch/sessions");
    let completed_state = Snapshot::take(&root, &sessions);

    println!();
    println!("(1) `smallbatch context {SPEC_PATH} --format json`, cold process");
    let mut runs = Vec::new();
    let mut preview = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["context", SPEC_PATH, "--format", "json"]);
        preview = json_of(&output);
        if run > 0 {
            runs.push(elapsed);
        }
    }
    assert_eq!(preview["unit"]["index"], SCENARIOS, "{preview}");
    report(&mut runs);

    println!();
    println!(
        "(2) `smallbatch start {SPEC_PATH} --format json`, cold process, scenario 20 each run"
    );
    let mut runs = Vec::new();
    let mut started = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["start", SPEC_PATH, "--format", "json"]);
        started = json_of(&output);
        assert_eq!(started["unit"]["index"], SCENARIOS, "{started}");
        completed_state.restore();
        if run > 0 {
            runs.push(elapsed);
        }
    }
    report(&mut runs);

    write_paused_session(&root, &commits, &summaries);
    let paused_state = Snapshot::take(&root, &sessions);
    println!();
    println!(
        "(3) `smallbatch resume {SPEC_PATH} --format json`, cold process, a session paused \
         {PAUSED_COMMITS} commits ago (notes, next steps, a spec edit)"
    );
    let mut runs = Vec::new();
    let mut resumed = Value::Null;
    for run in 0..=RUNS {
        let (elapsed, output) = time(&root, &["resume", SPEC_PATH, "--format", "json"]);
        resumed = json_of(&output);
        assert_eq!(resumed["unit"]["index"], SCENARIOS, "{resumed}");
        paused_state.restore();
        if run > 0 {
            runs.push(elapsed);
        }
    }
    report(&mut runs);
    completed_state.restore();

    println!();
    println!(
        "(6) `smallbatch mcp` with SMALLBATCH_SESSION naming the session `start` opened \
         (scenario 20), a fresh process each run"
    );
    let (_, output) = time(&root, &["start", SPEC_PATH, "--format", "json"]);
    let session = json_of(&output)["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string();
    let (mut initialized, mut round_trips) = mcp::measure(&root, &session, MCP_RUNS);
    println!("    launch → `initialize` answered");
    report(&mut initialized);
    println!("    one `session_status` round trip (tools/call written → answer read)");
    report(&mut round_trips);
    completed_state.restore();

    println!();
    let load = preview["tokens"].as_u64().expect("tokens") as usize;
    let text = preview["text"].as_str().unwrap_or_default();
    let full = estimate_tokens(&spec_text);
    println!(
        "(4) context load of scenario 20: {load} tokens (estimated, chars / 4); over budget: {}",
        preview["overBudget"]
    );
    println!("    the full spec with all {COMPLETED} summaries (its session log): {full} tokens");
    println!(
        "    load / full: {:.1} %   (budget 3,000 tokens; target under 3,000 and under 20 %)",
        percent(load, full)
    );
    println!(
        "    the loads the commands wrote: start {} tokens, resume {} tokens",
        started["contextTokens"], resumed["contextTokens"]
    );
    println!("    the load's parts (tokens, share of the load):");
    for (heading, tokens) in parts(text, "(title and unit)") {
        println!(
            "      {tokens:>5}  {:>5.1} %  {heading}",
            percent(tokens, load)
        );
    }
    println!("    the full spec's parts (tokens, share of the spec):");
    for (heading, tokens) in parts(&spec_text, "(front matter and title)") {
        println!(
            "      {tokens:>5}  {:>5.1} %  {heading}",
            percent(tokens, full)
        );
    }

    println!();
    println!("(5) the same spec with other feature descriptions (`context --format json` on each)");
    println!("    bullets  feature  load  full  load / full");
    for bullets in SENSITIVITY {
        let variant = spec(bullets, false, &summaries);
        fs::write(root.join(SPEC_PATH), &variant).expect("a variant of the spec");
        let (_, output) = time(&root, &["context", SPEC_PATH, "--format", "json"]);
        let json = json_of(&output);
        let load = json["tokens"].as_u64().expect("tokens") as usize;
        let text = json["text"].as_str().unwrap_or_default();
        let feature = parts(text, "")
            .into_iter()
            .find(|(heading, _)| heading == "Feature description")
            .map_or(0, |(_, tokens)| tokens);
        let full = estimate_tokens(&variant);
        println!(
            "    {bullets:>7}  {feature:>7}  {load:>4}  {full:>4}  {:>9.1} %",
            percent(load, full)
        );
    }
    completed_state.restore();

    if let Ok(keep) = std::env::var("SMALLBATCH_BENCH_KEEP") {
        let _ = std::process::Command::new("cp")
            .args(["-a", &format!("{}/.", root.display()), &keep])
            .status();
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    part as f64 * 100.0 / whole.max(1) as f64
}

/// The `## ` parts of a markdown text (what comes before the first one
/// first) with their estimated tokens.
fn parts(text: &str, first: &str) -> Vec<(String, usize)> {
    let mut parts: Vec<(String, String)> = vec![(first.into(), String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("## ") {
            parts.push((heading.trim().to_string(), String::new()));
        }
        if let Some(last) = parts.last_mut() {
            last.1.push_str(line);
        }
    }
    parts
        .into_iter()
        .map(|(heading, text)| (heading, estimate_tokens(&text)))
        .collect()
}

/// Runs the binary in `root`; the time from spawn to exit.
fn time(root: &Path, args: &[&str]) -> (Duration, Output) {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_smallbatch"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("run smallbatch");
    let elapsed = start.elapsed();
    assert!(output.status.success(), "{args:?}: {output:?}");
    (elapsed, output)
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

/// The files of a spec's session folder (and the spec's text), to put back.
struct Snapshot {
    folder: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
    spec: PathBuf,
    spec_text: Vec<u8>,
}

impl Snapshot {
    fn take(root: &Path, sessions: &Path) -> Snapshot {
        let mut files = Vec::new();
        collect(sessions, &mut files);
        let spec = root.join(SPEC_PATH);
        Snapshot {
            folder: sessions.to_path_buf(),
            spec_text: fs::read(&spec).expect("the spec"),
            spec,
            files,
        }
    }

    fn restore(&self) {
        fs::remove_dir_all(&self.folder).expect("remove the sessions");
        for (path, bytes) in &self.files {
            fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            fs::write(path, bytes).expect("write back");
        }
        fs::write(&self.spec, &self.spec_text).expect("write the spec back");
    }
}

fn collect(folder: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(folder).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            let bytes = fs::read(&path).expect("a file");
            files.push((path, bytes));
        }
    }
}

/// The path of generated file `n`: 40 folders of 50 files, one in ten of
/// them tests.
fn file_path(n: usize) -> String {
    let area = n / 50;
    if n % 10 == 9 {
        format!("tests/area_{area:02}/case_{n:04}_test.rs")
    } else {
        format!("src/area_{area:02}/module_{n:04}.rs")
    }
}

fn file_text(n: usize, version: usize) -> String {
    format!(
        "//! Module {n}, version {version}.\n\npub fn value_{n}() -> u64 {{\n    {version}\n}}\n\n\
         pub fn name_{n}() -> &'static str {{\n    \"module {n}\"\n}}\n"
    )
}

/// The file commit `c` (1-based, after the first) changes: 500 commits
/// touch 500 different files, and each block of 500 other ones.
fn changed_by(c: usize) -> usize {
    (c * 7 + c / 500 * 131) % FILES
}

/// The time of commit `c` (1-based), in seconds since 1970.
fn commit_time(c: usize) -> usize {
    1_780_000_000 + c * 600
}

/// The 1-based number of completed session `k`'s first commit; its
/// `SESSION_COMMITS` commits end at commit `k * 500 + 500`.
fn first_commit_of(k: usize) -> usize {
    k * 500 + 501 - SESSION_COMMITS
}

/// The completed session whose last commit is commit `c`, if any.
fn session_ending_at(c: usize) -> Option<usize> {
    (c.is_multiple_of(500) && c >= 500)
        .then(|| c / 500 - 1)
        .filter(|&k| k < COMPLETED)
}

/// The message of commit `c`: a session's last commit names its scenario.
fn commit_message(c: usize) -> String {
    match session_ending_at(c) {
        Some(k) => SCENARIO_TEXTS[k].name.to_string(),
        None => format!("Change module {} (step {c})", changed_by(c)),
    }
}

/// Whether completed session `k` added a test file: every third one.
fn adds_test(k: usize) -> bool {
    k.is_multiple_of(3)
}

/// The test file session `k` added, named after its scenario.
fn test_path(k: usize) -> String {
    let slug: String = SCENARIO_TEXTS[k]
        .name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("tests/checkout/{slug}_test.rs")
}

fn test_text(k: usize) -> String {
    format!(
        "//! Scenario {}: {}.\n\n#[test]\nfn scenario_{}() {{\n    checkout_tests::run({});\n}}\n",
        k + 1,
        SCENARIO_TEXTS[k].name,
        k + 1,
        k + 1
    )
}

/// Writes the repository with `git fast-import` and checks out `main`;
/// returns the commit ids, oldest first. The first commit adds the 2,000
/// files, each later one changes one file (a session's last commit may
/// also add a test); the spec's commit comes later ([`commit_spec`]), when
/// the summaries, which name these commits, are known.
fn write_repository(root: &Path) -> Vec<String> {
    git(root, &["init", "-q", "-b", "main"]);
    let mut stream = String::with_capacity(8 << 20);
    let data = |stream: &mut String, text: &str| {
        let _ = write!(stream, "data {}\n{text}\n", text.len());
    };
    let header = |stream: &mut String, c: usize, message: &str| {
        let at = commit_time(c);
        let _ = writeln!(
            stream,
            "commit refs/heads/main\nmark :{c}\nauthor Ana <ana@example.com> {at} +0000\n\
             committer Ana <ana@example.com> {at} +0000"
        );
        data(stream, message);
    };
    header(&mut stream, 1, "Initial import");
    for n in 0..FILES {
        let _ = writeln!(stream, "M 100644 inline {}", file_path(n));
        data(&mut stream, &file_text(n, 0));
    }
    for c in 2..COMMITS {
        let n = changed_by(c);
        header(&mut stream, c, &commit_message(c));
        let _ = writeln!(stream, "from :{}", c - 1);
        let _ = writeln!(stream, "M 100644 inline {}", file_path(n));
        data(&mut stream, &file_text(n, c));
        if let Some(k) = session_ending_at(c).filter(|&k| adds_test(k)) {
            let _ = writeln!(stream, "M 100644 inline {}", test_path(k));
            data(&mut stream, &test_text(k));
        }
    }

    let mut import = git_command(root, &["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    import
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("feed fast-import");
    assert!(import.wait().expect("fast-import").success());
    git(root, &["reset", "-q", "--hard", "main"]);
    fs::create_dir_all(root.join(".smallbatch")).expect(".smallbatch");
    fs::write(
        root.join(".smallbatch/config.toml"),
        "[session]\nrequire_green_to_start = false\n",
    )
    .expect("configuration");
    let ids = git(root, &["rev-list", "--reverse", "main"]);
    let ids: Vec<String> = ids.lines().map(str::to_string).collect();
    assert_eq!(ids.len(), COMMITS - 1);
    ids
}

/// Commits the spec (the repository's last commit); returns its id.
fn commit_spec(root: &Path, text: &str) -> String {
    let path = root.join(SPEC_PATH);
    fs::create_dir_all(path.parent().expect("a folder")).expect("the spec's folder");
    fs::write(&path, text).expect("the spec");
    git(root, &["add", SPEC_PATH]);
    let at = format!("{} +0000", commit_time(COMMITS));
    let output = git_command(root, &["commit", "-q", "-m", "Write the checkout spec"])
        .env("GIT_AUTHOR_DATE", &at)
        .env("GIT_COMMITTER_DATE", &at)
        .output()
        .expect("git commit");
    assert!(output.status.success(), "git commit: {output:?}");
    git(root, &["rev-parse", "HEAD"]).trim().to_string()
}

fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "ana@example.com")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "ana@example.com");
    command
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir, args).output().expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn step_count(steps: &[&str]) -> usize {
    steps.iter().filter(|l| !l.starts_with('|')).count()
}

/// The spec with the first `bullets` bullets of the feature description and
/// a log of the summaries; `at_start`: bullet 8 as it read when the paused
/// session started.
fn spec(bullets: usize, at_start: bool, summaries: &[String]) -> String {
    let mut s = format!(
        "---\nstatus: in-progress\npriority: high\ntags: [payments, checkout]\ncreated: \
         2026-09-01\n---\n\n# Checkout\n\n## Intent\n{INTENT}\n\n## Feature description\n"
    );
    for (i, bullet) in BULLETS.iter().take(bullets).enumerate() {
        let bullet = if at_start && i == 7 {
            BULLET_8_AT_START
        } else {
            bullet
        };
        let _ = writeln!(s, "- {bullet}");
    }
    s.push_str(
        "\n## Scenarios\n\n```gherkin\nFeature: Checkout\n  One page from the cart to the \
         receipt, for shoppers signed in or not.\n",
    );
    for scenario in &SCENARIO_TEXTS {
        s.push('\n');
        if let Some(tag) = scenario.tag {
            let _ = writeln!(s, "  {tag}");
        }
        let _ = writeln!(s, "  Scenario: {}", scenario.name);
        for step in scenario.steps {
            let indent = if step.starts_with('|') { 6 } else { 4 };
            let _ = writeln!(s, "{:indent$}{step}", "");
        }
    }
    s.push_str("```\n\n## Scenario order\n");
    for (k, scenario) in SCENARIO_TEXTS.iter().enumerate() {
        let _ = writeln!(s, "{}. {}", k + 1, scenario.name);
    }
    // Each entry as `complete` writes it: the summary trimmed, under the
    // scenario's name, a blank line between entries.
    s.push_str("\n## Session log\n");
    for (k, summary) in summaries.iter().enumerate() {
        let body: Vec<&str> = summary.trim().lines().map(str::trim_end).collect();
        let _ = write!(s, "\n### {}\n{}\n", SCENARIO_TEXTS[k].name, body.join("\n"));
    }
    s
}

fn unit(k: usize) -> UnitOfWork {
    UnitOfWork {
        kind: UnitKind::Scenario,
        name: SCENARIO_TEXTS[k].name.into(),
        index: k + 1,
        of: SCENARIOS,
    }
}

/// Day `k` after 2026-10-01, 9:00.
fn day(k: usize) -> Timestamp {
    let first = Timestamp::from_utc(2026, 10, 1, 9, 0, 0).expect("a date");
    Timestamp::from_unix_seconds(first.unix_seconds() + k as i64 * 86_400)
}

/// A store whose clock says day `k`.
fn store_on(root: &Path, k: usize) -> (SessionStore, String) {
    let at = day(k);
    let store = SessionStore::with_clock(root, Arc::new(FixedClock::new(at)));
    (store, at.to_string())
}

/// Completed session `k` as `complete` leaves it — its commits, the files
/// they changed, one phase with the summary — and that summary: the
/// template `complete` prefills from git, its TODO line replaced by what
/// the author wrote.
fn completed_session(k: usize, commits: &[String], id: String) -> (SessionRecord, String) {
    let now = day(k).to_string();
    let id_of = |c: usize| commits[c - 1].clone();
    let numbers = first_commit_of(k)..first_commit_of(k) + SESSION_COMMITS;
    let mut modified: Vec<String> = numbers.clone().map(|c| file_path(changed_by(c))).collect();
    modified.sort();
    let changes = FileChanges {
        added: if adds_test(k) {
            vec![test_path(k)]
        } else {
            Vec::new()
        },
        modified,
        deleted: Vec::new(),
    };
    let mut record = SessionRecord::new(id, SPEC_PATH.into(), unit(k), &now);
    record.status = Status::Completed;
    record.agent = Some("claude".into());
    record.branch = Some("main".into());
    record.git.start_commit = Some(id_of(numbers.start - 1));
    record.git.end_commit = Some(id_of(numbers.end - 1));
    record.git.commits = numbers
        .map(|c| CommitFact {
            id: id_of(c),
            summary: commit_message(c),
        })
        .collect();
    let template = prefilled_summary(&record, &changes);
    let (todo, facts) = template.split_once('\n').expect("a first line");
    assert!(todo.starts_with("TODO:"), "{template}");
    let summary = format!("{}\n{facts}", AUTHORED[k]);
    let mut files: Vec<String> = changes
        .added
        .iter()
        .chain(&changes.modified)
        .cloned()
        .collect();
    files.sort();
    record.phases = vec![PhaseRecord {
        phase: "implementation".into(),
        started_at: record.created_at.clone(),
        completed_at: Some(now),
        summary: Some(summary.trim().to_string()),
        files_changed: files,
    }];
    record.context_tokens = Some(1_500);
    (record, summary)
}

/// The 19 completed sessions, one a day, each over five commits, written
/// as `complete` leaves them; then `keep = 5` archives the oldest 14.
fn write_completed_sessions(root: &Path, commits: &[String], spec_text: &str) {
    for k in 0..COMPLETED {
        let (store, _) = store_on(root, k);
        let lock = store.lock(SPEC_ID).expect("the spec's lock");
        let record = lock
            .start(false, |id| completed_session(k, commits, id).0)
            .expect("a completed record");
        lock.write_spec_copy(&record.id, spec_text)
            .expect("the spec at its start");
    }
    let (store, _) = store_on(root, COMPLETED);
    let archived = store.retain(SPEC_ID, 5).expect("retention");
    assert_eq!(archived.len(), COMPLETED - 5);
}

/// Scenario 20's session, started `PAUSED_COMMITS` commits ago (when the
/// spec read slightly differently), then paused with notes.
fn write_paused_session(root: &Path, commits: &[String], summaries: &[String]) {
    let (store, now) = store_on(root, COMPLETED + 1);
    let start = commits.len() - PAUSED_COMMITS - 1;
    let lock = store.lock(SPEC_ID).expect("the spec's lock");
    let record = lock
        .start(false, |id| {
            let mut record = SessionRecord::new(id, SPEC_PATH.into(), unit(SCENARIOS - 1), &now);
            record.status = Status::Paused;
            record.agent = Some("claude".into());
            record.branch = Some("main".into());
            record.git.start_commit = Some(commits[start].clone());
            record.notes = Some(
                "The receipt template renders; the mailer is stubbed and the retry is not written."
                    .into(),
            );
            record.next_steps = vec![
                "wire the mailer to the queue".into(),
                "test the 5-minute deadline".into(),
            ];
            record.context_tokens = Some(1_500);
            record
        })
        .expect("the paused record");
    lock.write_spec_copy(&record.id, &spec(FEATURE_BULLETS, true, summaries))
        .expect("the spec at its start");
}

fn report(runs: &mut [Duration]) {
    println!("{}", timings(runs));
}
