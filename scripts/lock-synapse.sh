#!/usr/bin/env bash
# Writes scripts/synapse-requirements.lock from scripts/synapse-requirements.in: Synapse and
# every package it pulls in, pinned with hashes, so a new release of one of them cannot change
# what the Matrix tests run against. Same tooling as scripts/lock-deps.sh.
#   scripts/lock-synapse.sh                  # after changing synapse-requirements.in
#   scripts/lock-synapse.sh --upgrade        # newest versions the .in allows
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/uv.sh" pip compile scripts/synapse-requirements.in --universal \
  --python-version 3.11 --generate-hashes --custom-compile-command "scripts/lock-synapse.sh" \
  --quiet "$@" -o scripts/synapse-requirements.lock
echo "scripts/synapse-requirements.lock written; commit it with the .in file." >&2
