#!/usr/bin/env bash
# Builds the container image with buildah and uses it the way a self-hoster would:
#   - the base named in the Dockerfile's FROM is made locally with mmdebstrap when it is not
#     in local storage, and the wheels are made on this machine with pip (a build here has
#     no way to the package registry); the Dockerfile itself is used unchanged;
#   - the image must run as non-root and declare its data volume, port and health check;
#   - inside it: `romm-comm check` and the demo against the bundled RomM simulator, the bot
#     (`serve`, behind tini as in the image's entry point) answering /health/ready on the host,
#     the HEALTHCHECK command, and a clean stop on SIGTERM.
# Needs root (buildah's chroot isolation, mmdebstrap); installs buildah and mmdebstrap with
# apt-get when missing. Prints the image size and the timings at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

if [ "$(id -u)" != 0 ]; then
  echo "test-image: SKIPPED: buildah --isolation chroot and mmdebstrap need root here" >&2
  exit 0
fi
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" uidmap >/dev/null
fi
bash scripts/ensure-venv.sh dev
py="$root/.venv/bin/python"
work="$root/build/image-test"
mkdir -p "$work"
image=localhost/romm-comm:test
base="$(sed -n 's/^ARG PYTHON_IMAGE=//p' Dockerfile)"
[[ "$base" == */* ]] || base="docker.io/library/$base"
version="$("$py" -c 'import romm_comm; print(romm_comm.__version__)')"
iso=(--isolation chroot)
pids=()
containers=()
below() {  # every process below pid, deepest last
  local c
  for c in $(ps -o pid= --ppid "$1"); do echo "$c"; below "$c"; done
}
cleanup() {
  # `buildah run` does not pass SIGTERM on: end the program inside (the last process of the
  # chain), and buildah, then the job, ends by itself.
  local pid
  for pid in "${pids[@]}"; do kill "$(below "$pid" | tail -n 1)" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ctr in "${containers[@]}"; do buildah rm "$ctr" >/dev/null 2>&1 || true; done
  find "$root/wheelhouse" \( -name '*.whl' -o -name '*.tar.gz' \) -delete 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "test-image: FAILED: $*" >&2; exit 1; }
seconds_since() { "$py" -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

echo "== base image $base"
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  # Debian bookworm's own Python 3.11, like the official slim image; docs and locales left out.
  mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --include=python3,python3-venv,ca-certificates \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$work/base.tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$work/base.tar" / >/dev/null
  buildah config --env LANG=C.UTF-8 \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd python3 "$ctr"
  buildah commit --quiet --rm "$ctr" "$base" >/dev/null
  rm -f "$work/base.tar"
fi

echo "== wheelhouse (on this machine, from requirements.lock)"
# The files exactly as locked (a wheel built here would not match the lock's hashes): wheels,
# and the sdists of packages that publish no wheel (atomicwrites), which the image's pip
# builds with the setuptools wheel put beside them.
rm -rf "$work/wheels"
"$py" -m pip download --quiet --require-hashes -r requirements.lock -d "$work/wheels"
"$py" -m pip download --quiet --only-binary :all: -d "$work/wheels" "setuptools>=77"
cp "$work"/wheels/*.whl wheelhouse/
cp "$work"/wheels/*.tar.gz wheelhouse/ 2>/dev/null || true

echo "== buildah bud"
buildah rmi "$image" >/dev/null 2>&1 || true  # the previous run's, so images do not pile up
build_start=$(date +%s.%N)
buildah bud "${iso[@]}" --format docker --pull-never --build-arg "VERSION=$version" \
  -t "$image" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "build"; }
build_time=$(seconds_since "$build_start")
size=$(buildah images --format '{{.Size}}' "$image")

echo "== what the image declares"
config() { buildah inspect --type image --format "$1" "$image"; }
user=$(config '{{.Docker.Config.User}}')
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "runs as '$user', not a non-root user"
config '{{.Docker.Config.Volumes}}' | grep -q '/app/data' || fail "no VOLUME /app/data"
config '{{.Docker.Config.ExposedPorts}}' | grep -q '8088/tcp' || fail "no EXPOSE 8088"
health=$(config '{{range .Docker.Config.Healthcheck.Test}}{{.}} {{end}}')
[[ "$health" == CMD\ * ]] || fail "no HEALTHCHECK (got '$health')"
health_cmd=${health#CMD }
label=$(config '{{index .Docker.Config.Labels "org.opencontainers.image.version"}}')
[ "$label" = "$version" ] || fail "version label '$label', package $version"
echo "user $user, volume /app/data, port 8088, health check: $health_cmd"

run() { buildah run "${iso[@]}" --network host "$@"; }
new_container() {  # sets $new (not in a $(…): the list must grow in this shell)
  new=$(buildah from --pull-never "$image")
  containers+=("$new")
}
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
descendant() {  # pid, command name: the first process of that name below pid
  local queue=("$1") p c
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for c in $(ps -o pid= --ppid "$p"); do
      [ "$(ps -o comm= -p "$c")" = "$2" ] && { echo "$c"; return 0; }
      queue+=("$c")
    done
  done
}
wait_for_line() {  # file, pattern, what: until the pattern is in the file (at most 60 s)
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  cat "$1" >&2; fail "$3"
}

echo "== inside: who runs, which version"
new_container
app=$new
[ "$(run "$app" -- id -u)" != 0 ] || fail "the command ran as root"
[ "$(run "$app" -- romm-comm --version)" = "romm-comm $version" ] || fail "--version"
run "$app" -- python -c 'import cairocffi' || fail "cairo is not usable"

echo "== inside: the RomM simulator, romm-comm check"
new_container
sim=$new
sim_port=$(free_port)
run "$sim" -- python -m romm_comm.testing.romm_sim --port "$sim_port" >"$work/sim.out" 2>&1 &
pids+=($!)
wait_for_line "$work/sim.out" admin_token "the simulator did not start"
token=$("$py" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["admin_token"])' "$work/sim.out")
romm="http://127.0.0.1:$sim_port"
run -e ROMM_URL="$romm" -e ROMM_API_TOKEN="$token" "$app" -- romm-comm check >"$work/check.out" 2>&1 ||
  { cat "$work/check.out"; fail "romm-comm check"; }
grep -q "✓ reachable at $romm" "$work/check.out" || fail "check did not reach RomM"
! grep -q "$token" "$work/check.out" || fail "check printed the token"

echo "== inside: the demo"
printf '/stats\n/search platform:"Nintendo 64" game:mario\n' |
  run "$app" -- romm-comm >"$work/demo.out" 2>&1 || { cat "$work/demo.out"; fail "the demo"; }
grep -q "RomM-ComM DEMO" "$work/demo.out" && grep -q "Super Mario 64" "$work/demo.out" ||
  { cat "$work/demo.out"; fail "the demo's answers"; }

echo "== inside: the bot, /health/ready from outside, the HEALTHCHECK command (/health/live), SIGTERM"
new_container
bot=$new
web_port=$(free_port)
bot_start=$(date +%s.%N)
run -e ROMM_URL="$romm" -e ROMM_API_TOKEN="$token" -e WEB_PORT="$web_port" "$bot" -- \
  /usr/bin/tini -- romm-comm serve >"$work/bot.out" 2>&1 &
bot_pid=$!
pids+=("$bot_pid")
"$py" - "$web_port" <<'PY' || fail "no 200 from /health/ready"
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/health/ready"
for _ in range(600):  # at most about a minute
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
healthy_time=$(seconds_since "$bot_start")
# shellcheck disable=SC2086 # the health check's words, as the image declares them
run -e WEB_PORT="$web_port" "$bot" -- $health_cmd || fail "the HEALTHCHECK command"
tini_pid=$(descendant "$bot_pid" tini)
[ -n "$tini_pid" ] || fail "tini is not running the bot"
kill -TERM "$tini_pid"
wait "$bot_pid" || { cat "$work/bot.out"; fail "the bot did not exit cleanly on SIGTERM"; }
grep -q "stopped: web server, RomM session and store closed" "$work/bot.out" ||
  { cat "$work/bot.out"; fail "no clean stop"; }
! grep -q Traceback "$work/bot.out" || { cat "$work/bot.out"; fail "a traceback"; }

echo "image $image: $size; build from a warm wheelhouse ${build_time}s;" \
  "start to healthy ${healthy_time}s; test-image.sh $(( $(date +%s) - started ))s"
echo "test-image: 1 passed, 0 failed"
