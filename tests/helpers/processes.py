"""Running `romm-comm` as its own process, the way a user or a container does."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

HANG_GUARD = 120  # seconds: only there so a regression fails instead of hanging the suite


def child_env(**extra: str) -> dict[str, str]:
    """Only what a process needs from this one's environment (so no RomM-ComM setting leaks
    in from the machine running the tests), plus `extra`."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    keep.update(extra)
    return keep


async def run_romm_comm(
    *args: str, env: dict[str, str], cwd: Path, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """`python -m romm_comm *args` fed `stdin` (then closed): its exit code, stdout, stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm", *args,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=cwd, env=env,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(proc.communicate(stdin), HANG_GUARD)
    assert proc.returncode is not None
    return proc.returncode, stdout.decode(), stderr.decode()
