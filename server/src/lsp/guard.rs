//! A panic in a request handler becomes an error response; the server lives on.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::jsonrpc::{Error, Result};

/// Runs a request's work, turning a panic into an internal error.
pub fn guard<T>(method: &str, work: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        tracing::error!(method, message, "request handler panicked");
        Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
            message: format!("{method} failed: {message}").into(),
            data: None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_the_method() {
        let error = guard("textDocument/hover", || -> u8 {
            panic!("index out of range")
        })
        .expect_err("the panic is caught");
        assert_eq!(
            error.code,
            tower_lsp_server::jsonrpc::ErrorCode::InternalError
        );
        assert_eq!(
            error.message,
            "textDocument/hover failed: index out of range"
        );
        assert_eq!(guard("textDocument/hover", || 7).ok(), Some(7));
    }
}
