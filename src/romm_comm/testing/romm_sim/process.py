"""The simulator in a process of its own (benchmarks keep it apart from the bot they measure)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import AsyncIterator
from typing import Any


@contextlib.asynccontextmanager
async def simulator_process(
    *flags: str, ready_timeout: float = 300.0
) -> AsyncIterator[dict[str, Any]]:
    """Start `python -m romm_comm.testing.romm_sim --port 0 FLAGS…`, yield its ready line
    (url, admin_username, admin_password, admin_token), and stop it with SIGTERM."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm.testing.romm_sim", "--port", "0", *flags,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), ready_timeout)
        if not line:
            raise RuntimeError("the simulator process exited before it was ready")
        info: dict[str, Any] = json.loads(line)
        yield info
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
