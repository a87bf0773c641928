//! Placeholder: filled in with the session tests.
