#!/bin/sh
# Installs Cucumber's language server (npm package @cucumber/language-server)
# into target/cucumber-ls/ at the repository root, for `cargo bench --bench lsp`.
# Idempotent: does nothing when it is already there. Needs Node.js 16 or later.
#
# The install is nested: the server's bin script looks for the parsers of
# step-definition languages (.wasm) in its own node_modules/, where npm's
# default hoisted layout does not put them.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$root/target/cucumber-ls"
package="$prefix/node_modules/@cucumber/language-server"
bin="$package/bin/cucumber-language-server.cjs"
wasm="$package/node_modules/@cucumber/language-service/dist/tree-sitter.wasm"

if [ -f "$bin" ] && [ -f "$wasm" ]; then
    echo "already installed: $bin"
    exit 0
fi
command -v npm >/dev/null || { echo "npm is needed (Node.js 16 or later)" >&2; exit 1; }
mkdir -p "$prefix"
npm install --prefix "$prefix" --install-strategy=nested --no-audit --no-fund \
    @cucumber/language-server
echo "installed: $bin"
