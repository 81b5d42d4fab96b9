"""Start a real Synapse on 127.0.0.1 for the tests, from its own virtual environment
(.venv-synapse, made by scripts/ensure-synapse.sh).

SQLite, only the client (and media) resources, no federation, no TLS, fast bcrypt, and a
signing key written with signedjson instead of `--generate-keys`. One per pytest worker
(each on its own free port, in its own directory), so xdist workers never share one.
Users come from the shared-secret admin registration API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[3]
SYNAPSE_PYTHON = ROOT / ".venv-synapse" / "bin" / "python"
SHARED_SECRET = "tests-only-shared-secret"
SERVER_NAME = "localhost"

_LIMIT = {"per_second": 1000, "burst_count": 1000}
_ACCOUNT_LIMITS = {"address": _LIMIT, "account": _LIMIT, "failed_attempts": _LIMIT}


def _copy_output(
    output: IO[bytes], path: Path, heard: threading.Event, settled: threading.Event
) -> None:
    """Copy Synapse's output to `path` as it comes. `heard`: it said it listens; `settled`:
    that, or its output ended (it exited, and `start` reports why)."""
    with output, path.open("ab") as log:
        for line in output:
            log.write(line)
            log.flush()
            if LISTENING.encode() in line:
                heard.set()
                settled.set()
    settled.set()


def available() -> bool:
    return SYNAPSE_PYTHON.exists() and (ROOT / ".venv-synapse" / ".installed").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(directory: Path, port: int) -> dict[str, Any]:
    return {
        "server_name": SERVER_NAME,
        "pid_file": str(directory / "homeserver.pid"),
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client", "media"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "registration_shared_secret": SHARED_SECRET,
        "macaroon_secret_key": "tests-only-macaroon",
        "form_secret": "tests-only-form",
        "enable_registration": False,
        "report_stats": False,
        "bcrypt_rounds": 4,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "rc_message": _LIMIT,
        "rc_registration": _LIMIT,
        "rc_login": _ACCOUNT_LIMITS,
        "rc_joins": {"local": _LIMIT, "remote": _LIMIT},
        "rc_joins_per_room": _LIMIT,
        "rc_invites": {"per_room": _LIMIT, "per_user": _LIMIT, "per_issuer": _LIMIT},
        "rc_admin_redaction": _LIMIT,
        "rc_media_create": _LIMIT,
        "rc_room_creation": _LIMIT,
        "log_config": str(directory / "log.yaml"),
    }


# Warnings to a file; on stdout only the line saying Synapse listens, which `start` waits for.
LOG_CONFIG = """version: 1
formatters: {plain: {format: '%(asctime)s %(name)s %(levelname)s %(message)s'}}
handlers:
  file: {class: logging.FileHandler, filename: LOGFILE, formatter: plain}
  console: {class: logging.StreamHandler, stream: ext://sys.stdout, formatter: plain}
root: {level: WARNING, handlers: [file]}
loggers: {synapse.app._base: {level: INFO, handlers: [console]}}
disable_existing_loggers: false
"""
LISTENING = "Synapse now listening on TCP port"


class Synapse:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)
        config = directory / "homeserver.yaml"
        config.write_text(json.dumps(_config(directory, self.port)), "utf-8")  # JSON is YAML
        (directory / "log.yaml").write_text(
            LOG_CONFIG.replace("LOGFILE", str(directory / "homeserver.log")), "utf-8"
        )
        key = directory / "signing.key"
        subprocess.run(
            [
                str(SYNAPSE_PYTHON),
                "-c",
                "import sys, signedjson.key as k\n"
                "with open(sys.argv[1], 'w') as f:\n"
                "    k.write_signing_keys(f, [k.generate_signing_key('a')])",
                str(key),
            ],
            check=True,
        )
        self.config = config

    def start(self, within: float = 60.0) -> None:
        """Start Synapse and return once it says it listens (its own log line, read from its
        output as it comes: no polling); `within` only guards against a hang."""
        self.process = subprocess.Popen(
            [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "-c", str(self.config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
            env={**os.environ, "PYTHONPATH": ""},
        )
        heard, settled = threading.Event(), threading.Event()
        output = self.process.stdout
        assert output is not None
        log = self.directory / "stdout.log"
        threading.Thread(
            target=_copy_output, args=(output, log, heard, settled), daemon=True
        ).start()
        if not settled.wait(within):
            raise RuntimeError("Synapse did not say it listens in time")
        if not heard.is_set():
            tail = (self.directory / "stdout.log").read_text("utf-8", "replace")[-3000:]
            raise RuntimeError(f"Synapse exited ({self.process.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # --- admin API ---------------------------------------------------------------------
    def _request(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def register(self, name: str, password: str = "pw", *, admin: bool = False) -> dict[str, str]:
        """A new user: {"user_id", "access_token", "device_id", "password"}."""
        nonce = self._request("GET", "/_synapse/admin/v1/register")["nonce"]
        kind = b"admin" if admin else b"notadmin"
        mac = hmac.new(SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), name.encode(), password.encode(), kind]))
        body = {
            "nonce": nonce,
            "username": name,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        answer = self._request("POST", "/_synapse/admin/v1/register", body)
        return {**answer, "password": password}

    def stored_event(self, room_id: str, event_id: str, token: str) -> Any:
        """An event as the homeserver keeps it (what anyone reading its database sees)."""
        quote = urllib.request.quote
        return self._request(
            "GET", f"/_matrix/client/v3/rooms/{quote(room_id)}/event/{quote(event_id)}", token=token
        )

    def limit_messages(self, admin_token: str, user_id: str, per_second: int, burst: int) -> None:
        """Give one user a strict message rate limit (Synapse then answers 429)."""
        path = f"/_synapse/admin/v1/users/{urllib.request.quote(user_id)}/override_ratelimit"
        body = {"messages_per_second": per_second, "burst_count": burst}
        self._request("POST", path, body, admin_token)
