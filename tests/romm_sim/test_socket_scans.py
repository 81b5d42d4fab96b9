"""The simulator's Socket.IO scan channel, seen by a plain python-socketio client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import socketio  # type: ignore[import-untyped]

from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.waiting import eventually
from tests.romm_sim.conftest import basic, bearer

# Keys of a `scan:scanning_rom` payload captured from RomM 5.2 (SimpleRom without
# created_at, updated_at, rom_user, files, sibling_roms).
ROM_EVENT_KEYS = {
    "id", "igdb_id", "ss_id", "moby_id", "ra_id", "platform_id", "platform_slug",
    "platform_fs_slug", "platform_display_name", "fs_name", "fs_name_no_tags", "fs_extension",
    "fs_size_bytes", "name", "slug", "summary", "metadatum", "path_cover_small", "url_cover",
    "is_identifying", "is_unidentified", "is_identified", "crc_hash", "md5_hash", "sha1_hash",
    "has_multiple_files", "full_path", "missing_from_fs",
}  # fmt: skip
STATS_KEYS = {
    "total_platforms", "total_roms", "scanned_platforms", "new_platforms", "identified_platforms",
    "scanned_roms", "new_roms", "identified_roms", "scanned_firmware", "new_firmware",
}  # fmt: skip


class Listener:
    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.events: list[tuple[str, Any]] = []
        self.ended = asyncio.Event()

        @self.client.on("*")
        async def any_event(event: str, *data: Any) -> None:
            self.events.append((event, data[0] if data else None))
            if event in ("scan:done", "scan:done_ko"):
                self.ended.set()

    def names(self) -> list[str]:
        return [name for name, _ in self.events if name != "logs:entry"]


async def session_cookie(sim: RommSimulator, http: aiohttp.ClientSession, user: str) -> str:
    password = f"{user}-password"
    async with http.post(f"{sim.url}/api/login", headers=basic(user, password)) as resp:
        assert resp.status == 200
        return resp.cookies["romm_session"].value


@pytest.fixture
async def listener(sim: RommSimulator, http: aiohttp.ClientSession) -> AsyncIterator[Listener]:
    cookie = await session_cookie(sim, http, "admin")
    made = Listener()
    await made.client.connect(
        sim.url, headers={"Cookie": f"romm_session={cookie}"}, transports=["websocket"],
        socketio_path="/ws/socket.io",
    )  # fmt: skip
    yield made
    await made.client.disconnect()


async def test_a_scan_streams_romms_event_sequence(sim: RommSimulator, listener: Listener) -> None:
    sim.scans.stage_roms("n64", ["Banjo-Kazooie", "Blast Corps"])
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    await listener.client.emit("scan", {"platforms": [n64.id], "type": "quick", "apis": []})
    await asyncio.wait_for(listener.ended.wait(), 5)

    assert listener.names() == [
        "scan:update_stats",  # totals
        "scan:update_stats", "scan:scanning_platform", "scan:update_stats",  # the platform
        "scan:scanning_rom", "scan:update_stats", "scan:scanning_rom",  # first ROM
        "scan:scanning_rom", "scan:update_stats", "scan:scanning_rom",  # second ROM
        "scan:done",
    ]  # fmt: skip
    name, rom = listener.events[-2]
    assert name == "scan:scanning_rom" and rom["is_identifying"] is False
    assert set(rom) >= ROM_EVENT_KEYS and not {"files", "rom_user", "created_at"} & set(rom)
    done = listener.events[-1][1]
    assert set(done) == STATS_KEYS and done["new_roms"] == 2 and done["scanned_platforms"] == 1
    assert {"Banjo-Kazooie", "Blast Corps"} <= {r.name for r in sim.library.roms_of(n64.id)}


async def test_scans_need_a_session_with_tasks_run(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    for cookie in (None, await session_cookie(sim, http, "alice")):
        plain = Listener()
        headers = {"Cookie": f"romm_session={cookie}"} if cookie else {}
        await plain.client.connect(
            sim.url, headers=headers, transports=["websocket"], socketio_path="/ws/socket.io"
        )
        await plain.client.emit("scan", {"platforms": [], "type": "quick", "apis": []})
        await asyncio.wait_for(plain.ended.wait(), 5)
        await plain.client.disconnect()
        assert plain.events == [("scan:done_ko", "You are not authorized to run scans")]
    assert not sim.scans.jobs, "nothing started"


async def test_stop_a_second_scan_and_the_task_list(
    sim: RommSimulator, listener: Listener, http: aiohttp.ClientSession
) -> None:
    sim.scans.stage_roms("psx", 50)
    gate = sim.scans.hold()  # the scan waits after each ROM: it runs until the stop
    await listener.client.emit("scan", {"platforms": [], "type": "complete", "apis": []})
    await gate.reached(1)
    await listener.client.emit("scan", {"platforms": [], "type": "quick", "apis": []})
    await eventually(
        lambda: ("scan:done_ko", "A scan is already in progress") in listener.events,
        what="the second scan refused",
    )
    async with http.get(f"{sim.url}/api/tasks/status", headers=bearer(sim.admin_token)) as resp:
        [task] = await resp.json()
    assert task["status"] == "started" and task["task_name"] == "Complete Scan"
    assert set(task["meta"]["scan_stats"]) == STATS_KEYS

    listener.ended.clear()
    await listener.client.emit("scan:stop")
    await asyncio.wait_for(listener.ended.wait(), 5)
    async with http.get(f"{sim.url}/api/tasks/status", headers=bearer(sim.admin_token)) as resp:
        [task] = await resp.json()
    assert task["status"] == "canceled" and task["meta"]["scan_stats"]["new_roms"] < 50


async def test_romm_4_3_knows_the_old_names_and_sends_no_stats() -> None:
    async with RommSimulator(version="4.3.0") as old:
        seen = Listener()
        await seen.client.connect(old.url, transports=["websocket"], socketio_path="/ws/socket.io")
        await seen.client.emit("scan", {"platforms": [], "type": "unmatched", "apis": []})
        await asyncio.sleep(0.2)
        assert seen.events == [], "an unknown type starts nothing and gets no answer"
        await seen.client.emit("scan", {"platforms": [], "type": "unidentified", "apis": []})
        await asyncio.wait_for(seen.ended.wait(), 5)
        await seen.client.disconnect()
        assert "scan:update_stats" not in seen.names()
        assert seen.names()[-1] == "scan:done" and seen.events[-1][1] is None
