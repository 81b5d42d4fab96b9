#!/usr/bin/env bash
# The dashboard's browser tests drive a real headless Chromium. Installs Debian's chromium
# when it is missing and this is a root shell with apt-get (as on CI); elsewhere those tests
# are skipped with the reason (in CI, CI=true, a missing browser fails instead).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the dashboard's browser tests (apt-get)..." >&2
  log="$(mktemp)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1; then
    rm -f "$log"
    exit 0
  fi
  tail -n 20 "$log" >&2
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium could not be installed: in CI the dashboard's browser tests must run" >&2
  exit 1
fi
echo "chromium not found: the dashboard's browser tests will be skipped" >&2
