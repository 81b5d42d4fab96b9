#!/usr/bin/env bash
# Creates ./.venv and installs the project into it (with the given extra, e.g. "dev")
# when pyproject.toml or requirements.lock changed since the last install: the runtime
# dependencies exactly as locked (with hashes), then the project itself and the extra's tools.
# Used by ./romm-comm and ./run-tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extra="${1:-}"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "RomM-ComM needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
  exit 1
fi
venv="$root/.venv"
stamp="$venv/.installed-${extra:-base}"
want="$(cat "$root/pyproject.toml" "$root/requirements.lock" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing RomM-ComM into .venv (first run or dependencies changed)..." >&2
  log="$venv/install.log"
  spec="$root"
  [ -n "$extra" ] && spec="$root[$extra]"
  if ! { "$venv/bin/python" -m pip install --upgrade pip &&
         "$venv/bin/python" -m pip install --require-hashes -r "$root/requirements.lock" &&
         "$venv/bin/python" -m pip install -e "$spec"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Installing dependencies failed; the full log is in .venv/install.log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
