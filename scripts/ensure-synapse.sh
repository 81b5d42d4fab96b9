#!/usr/bin/env bash
# The Matrix front end's tests talk to a real Synapse homeserver. Synapse pins many packages,
# so it lives in its own virtual environment, ./.venv-synapse, installed from the package
# registry on first use (and again when the pinned version below changes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="1.163.2"
py="${PYTHON:-python3}"
venv="$root/.venv-synapse"
stamp="$venv/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
  exit 0
fi
echo "Installing Synapse $version into .venv-synapse for the Matrix tests..." >&2
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
log="$venv/install.log"
if ! { "$venv/bin/python" -m pip install --upgrade pip &&
       "$venv/bin/python" -m pip install "matrix-synapse==$version"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "Installing Synapse failed (log: .venv-synapse/install.log): the Matrix tests will be skipped" >&2
  exit 0
fi
echo "$version" > "$stamp"
