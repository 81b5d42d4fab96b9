"""Credentials inside ROMM_URL (issue 19): refused with one sentence that never shows them;
any URL with a user:password part is masked in the log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from romm_comm.app.logging_setup import RedactSecrets


def test_a_romm_url_with_credentials_is_refused_without_showing_them(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    env.update(ROMM_URL="http://admin:s3cret-pw@127.0.0.1:9", DATA_DIR=str(tmp_path / "d"))
    for command in ("check", "shell"):
        proc = subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, "-m", "romm_comm", command],
            input="",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env=env,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode == 2, out
        assert "ROMM_URL (or API_URL): must not hold a user name or password" in out
        assert "ROMM_USERNAME and ROMM_PASSWORD" in out
        assert "s3cret-pw" not in out and "admin:" not in out
        assert "Traceback" not in out and "AUTHORIZATION" not in out
        assert "http://***@127.0.0.1:9" in out


def test_urls_with_userinfo_are_masked_in_every_log_line() -> None:
    record = logging.LogRecord(
        "romm_comm.x",
        logging.WARNING,
        __file__,
        1,
        "calling %s failed",
        ("https://u:pw1@h/x",),
        None,
    )
    RedactSecrets([]).filter(record)
    assert record.getMessage() == "calling https://***@h/x failed"
