#!/usr/bin/env bash
# Writes requirements.lock: every runtime dependency pinned with its hashes, for every Python
# from 3.11 on and every platform (the image and ./romm-comm install from it).
#   scripts/lock-deps.sh                             # after changing dependencies in pyproject.toml
#   scripts/lock-deps.sh --upgrade                   # newest versions pyproject.toml allows
#   scripts/lock-deps.sh --upgrade-package aiohttp   # bump one
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/uv.sh" pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "scripts/lock-deps.sh" --quiet "$@" -o requirements.lock
echo "requirements.lock written; commit it with pyproject.toml." >&2
