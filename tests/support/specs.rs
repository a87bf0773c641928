//! Spec texts the test suites share.

#![allow(dead_code)]

/// A spec with two scenarios and no order; `concat!`-able.
macro_rules! two_scenarios {
    () => {
        "# Export invoices

## Intent
Accountants re-type invoices.

## Feature description
Streams rows.

## Scenarios

```gherkin
Feature: Export
  Scenario: Export a month
    Given a month
    Then a CSV

  Scenario: Export an empty month
    Given an empty month
    Then only the header
```
"
    };
}

/// A spec with two scenarios and no order.
pub const TWO_SCENARIOS: &str = two_scenarios!();

/// The same spec with its two scenarios in order.
pub const TWO_SCENARIOS_ORDERED: &str = concat!(
    two_scenarios!(),
    "\n## Scenario order\n1. Export a month\n2. Export an empty month\n"
);
