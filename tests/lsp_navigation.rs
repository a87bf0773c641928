//! Placeholder: filled in with the feature tests.
