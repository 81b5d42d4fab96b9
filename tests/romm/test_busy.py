"""A 429 from RomM (or the proxy in front of it) is "RomM is busy, try again in N s", with N
from its Retry-After; a download link answers 503 with that Retry-After."""

from __future__ import annotations

import time
from email.utils import formatdate

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator

from ..web.conftest import rom_by_fs_name, rom_link


@pytest.mark.parametrize(
    ("retry_after", "said"),
    [("17", "17 s"), (None, "30 s"), ("in a while", "30 s")],
    ids=["seconds", "none", "garbage"],
)
async def test_a_busy_romm_says_when_to_try_again(
    app: App, sim: RommSimulator, member_ctx: Context, retry_after: str | None, said: str
) -> None:
    sim.faults.fail("/api/roms", 429, retry_after=retry_after)
    reply = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "zelda"})
    assert reply.tone == "error"
    assert reply.text == f"RomM is busy, try again in {said}."


async def test_a_retry_after_date_is_counted_from_now(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    sim.faults.fail("/api/roms", 429, retry_after=formatdate(time.time() + 120, usegmt=True))
    reply = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "zelda"})
    seconds = int(reply.text.removeprefix("RomM is busy, try again in ").split(" ")[0])
    assert 100 <= seconds <= 121


async def test_a_busy_romm_makes_a_download_link_answer_503_with_retry_after(
    app: App, sim: RommSimulator
) -> None:
    url = await rom_link(app, rom_by_fs_name(sim, "Super Mario 64 (USA).z64"))
    sim.faults.fail("/api/roms", 429, retry_after="42")
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 503
        assert resp.headers["Retry-After"] == "42"
        assert "RomM is busy, try again in 42 s." in await resp.text()
