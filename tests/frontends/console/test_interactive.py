"""The shell on a real terminal (a pseudo-terminal): prompt, line editing and history."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import sys
import time
from pathlib import Path

from romm_comm.testing.romm_sim import RommSimulator


def _read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            seen.extend(chunk)
    return True


async def test_prompt_history_and_editing_on_a_terminal(sim: RommSimulator, tmp_path: Path) -> None:
    assert sim.admin_token
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG"}}
    env.update(
        ROMM_URL=sim.url,
        ROMM_API_TOKEN=sim.admin_token,
        HOME=str(tmp_path),
        DATA_DIR=str(tmp_path / "data"),
        TERM="xterm",
    )
    master, slave = pty.openpty()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "romm_comm",
        "shell",
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        env=env,
    )
    os.close(slave)
    seen = bytearray()
    try:

        def talk() -> None:
            assert _read_until(master, b"romm> ", seen), seen.decode(errors="replace")
            os.write(master, b"/platfroms\n")
            assert _read_until(master, b"Unknown command /platfroms", seen)
            # Fix the typo with line editing: recall the line (Ctrl-P), two characters back
            # (Ctrl-B), delete two, retype.
            start = len(seen)
            for keys in (b"\x10", b"\x02", b"\x02", b"\x7f", b"\x7f", b"or\n"):
                os.write(master, keys)
                time.sleep(0.05)
            assert _read_until(master, b"== Platforms ==", seen), seen[start:].decode(
                errors="replace"
            )
            os.write(master, b"exit\n")

        await asyncio.to_thread(talk)
        assert await asyncio.wait_for(proc.wait(), 20) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        os.close(master)
    assert (tmp_path / ".romm_comm_history").read_text().count("/platfroms") == 1
