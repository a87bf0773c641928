//! Finding specs on disk and loading them with their linked files.
