#!/usr/bin/env bash
# Builds the extension's packages into OUT_DIR (default: this folder):
#   smallbatch-VERSION.vsix            universal; the server comes from the
#                                      setting smallbatch.server.path or PATH
#   smallbatch-linux-x64-VERSION.vsix  with the release `smallbatch` inside
#                                      (server/smallbatch), built by cargo
#                                      unless SMALLBATCH_SERVER names a binary
# Usage: package.sh [--universal] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)

universal_only=false
if [ "${1:-}" = "--universal" ]; then
  universal_only=true
  shift
fi
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)

# Dependencies from the lockfile, once per lockfile.
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi

npm run --silent check
version=$(node -p 'require("./package.json").version')
rm -rf server

vsce() {
  # vsce runs `vscode:prepublish` (the grammars copied, the esbuild bundle).
  npx --no-install vsce package --allow-missing-repository --no-dependencies "$@"
}

vsce -o "$out/smallbatch-$version.vsix"
if [ "$universal_only" = true ]; then
  exit 0
fi

binary=${SMALLBATCH_SERVER:-}
if [ -z "$binary" ]; then
  (cd ../.. && cargo build --release --locked --bin smallbatch)
  binary="${CARGO_TARGET_DIR:-../../target}/release/smallbatch"
fi
mkdir -p server
cp "$binary" server/smallbatch
chmod 755 server/smallbatch
# The release profile keeps line tables for backtraces; the package need not.
if command -v strip > /dev/null; then
  strip server/smallbatch
fi
trap 'rm -rf "$here/server"' EXIT
vsce --target linux-x64 -o "$out/smallbatch-linux-x64-$version.vsix"
