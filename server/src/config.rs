//! `.smallbatch/config.toml`.
