#!/usr/bin/env bash
# Runs uv from the project's .venv (installed there on first use), in the repository root;
# the lock scripts (lock-deps.sh, lock-synapse.sh) go through it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/ensure-venv.sh" dev
py="$root/.venv/bin/python"
"$py" -m uv --version >/dev/null 2>&1 || "$py" -m pip install --quiet "uv>=0.5"
cd "$root"
exec "$py" -m uv "$@"
