#!/usr/bin/env bash
# The Matrix front end's tests talk to a real Synapse homeserver. Synapse pins many packages,
# so it lives in its own virtual environment, ./.venv-synapse, installed from the package
# registry exactly as scripts/synapse-requirements.lock says (hashes checked), on first use
# and again when the lock changes (scripts/lock-synapse.sh rewrites it).
# When it cannot be installed the Matrix tests are skipped, except in CI (CI=true): there
# this fails, because a skipped suite is a test that cannot fail.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$root/scripts/synapse-requirements.lock"
py="${PYTHON:-python3}"
venv="$root/.venv-synapse"
stamp="$venv/.installed"
want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "Installing Synapse into .venv-synapse for the Matrix tests (from synapse-requirements.lock)..." >&2
rm -rf "$venv"
"$py" -m venv "$venv"
log="$venv/install.log"
if ! { "$venv/bin/python" -m pip install --upgrade pip &&
       "$venv/bin/python" -m pip install --require-hashes --no-deps -r "$lock"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  if [ "${CI:-}" = true ]; then
    echo "Installing Synapse failed (log: .venv-synapse/install.log); in CI the Matrix tests must run, so this fails" >&2
    exit 1
  fi
  echo "Installing Synapse failed (log: .venv-synapse/install.log): the Matrix tests will be skipped" >&2
  exit 0
fi
echo "$want" > "$stamp"
