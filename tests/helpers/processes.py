"""Running `romm-comm` as its own process, the way a user or a container does."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from romm_comm.testing.romm_sim import RommSimulator

HANG_GUARD = 120  # seconds: only there so a regression fails instead of hanging the suite


def child_env(**extra: str) -> dict[str, str]:
    """Only what a process needs from this one's environment (so no RomM-ComM setting leaks
    in from the machine running the tests), plus `extra`."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    keep.update(extra)
    return keep


def sim_env(sim: RommSimulator, data_dir: Path, **extra: str) -> dict[str, str]:
    """`child_env` for a bot that talks to `sim` (as admin) and keeps its data in `data_dir`."""
    assert sim.admin_token is not None
    return child_env(
        ROMM_URL=sim.url, ROMM_API_TOKEN=sim.admin_token, DATA_DIR=str(data_dir), **extra
    )


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
