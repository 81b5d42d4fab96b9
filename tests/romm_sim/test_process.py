"""The simulator as its own process: ready line, serving, clean exit on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import aiohttp


async def test_process_mode_prints_ready_line_and_exits_cleanly_on_sigterm() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm.testing.romm_sim",
        "--port", "0", "--roms", "300", "--platforms", "20", "--seed", "4", "--version", "5.2.0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=20)
        ready = json.loads(line)
        assert set(ready) == {"url", "admin_username", "admin_password", "admin_token"}
        assert ready["url"].startswith("http://127.0.0.1:")
        assert ready["admin_token"].startswith("rmm_")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{ready['url']}/api/heartbeat") as resp:
                assert (await resp.json())["SYSTEM"]["VERSION"] == "5.2.0"
            headers = {"Authorization": f"Bearer {ready['admin_token']}"}
            async with http.get(f"{ready['url']}/api/stats", headers=headers) as resp:
                stats = await resp.json()
            assert stats["ROMS"] == 300 and stats["PLATFORMS"] == 20
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
