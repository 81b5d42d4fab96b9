"""Download rate limit: each download stream is paced to `download_rate` bytes per second."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from urllib.parse import quote

import aiohttp
import pytest

from romm_comm.testing.romm_sim import RommSimulator
from romm_comm.testing.romm_sim.known_games import BIG_FILE_NAME

from .conftest import bearer

SIZE = 2_000_000
RATE = 4_000_000  # 2 MB at 4 MB/s: 0.5 s when paced


async def _timed_read(resp: aiohttp.ClientResponse, started: float) -> list[tuple[float, int]]:
    """(seconds since `started`, bytes received so far) after each piece of the body."""
    marks: list[tuple[float, int]] = []
    total = 0
    async for piece in resp.content.iter_any():
        total += len(piece)
        marks.append((time.perf_counter() - started, total))
    return marks


async def test_download_rate_paces_each_stream(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    assert sim.download_rate is None  # unlimited by default
    sim.download_rate = RATE
    rom = next(r for r in sim.library.roms.values() if r.fs_name == "Persona 4 Golden (USA).vpk")
    url = f"{sim.url}/api/roms/{rom.id}/content/{quote(rom.fs_name)}"
    headers = {**bearer(sim.admin_token), "Range": f"bytes=0-{SIZE - 1}"}
    started = time.perf_counter()
    async with http.get(url, headers=headers) as resp:
        assert resp.status == 206
        marks = await _timed_read(resp, started)
    assert marks[-1][1] == SIZE
    assert marks[-1][0] >= 0.3  # 0.5 s at the limit; unthrottled this is milliseconds
    # Bytes over a short window: at most rate × window (plus slack for one 256 KiB write).
    in_window = max((n for t, n in marks if t <= 0.2), default=0)
    assert in_window <= RATE * 0.2 + 300_000, marks

    with pytest.raises(ValueError):
        sim.download_rate = 0
    sim.download_rate = None  # back to unlimited
    async with http.get(url, headers=headers) as resp:
        assert len(await resp.read()) == SIZE


async def test_process_flag_limits_downloads() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "romm_comm.testing.romm_sim", "--port", "0", "--roms", "20",
        "--platforms", "4", "--big-file-bytes", str(SIZE), "--download-rate-mbps", "4",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        ready = json.loads(await asyncio.wait_for(proc.stdout.readline(), timeout=20))
        auth = {"Authorization": f"Bearer {ready['admin_token']}"}
        async with aiohttp.ClientSession(headers=auth) as http:
            query = {"search_term": BIG_FILE_NAME.rsplit(".", 1)[0], "limit": "1"}
            async with http.get(f"{ready['url']}/api/roms", params=query) as resp:
                rom = (await resp.json())["items"][0]
            url = f"{ready['url']}/api/roms/{rom['id']}/content/{quote(rom['fs_name'])}"
            started = time.perf_counter()
            async with http.get(url) as resp:
                marks = await _timed_read(resp, started)
        assert marks[-1][1] == SIZE
        assert marks[-1][0] >= 0.3
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
