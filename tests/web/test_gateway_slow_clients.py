"""Slow, idle and stalled connections are let go; downloads at once are capped per person and
in total (503 + Retry-After); RomM's connection is closed as soon as the person is gone."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator
from romm_comm.web.server import WebOptions

from ..conftest import settings_for
from .conftest import rom_link

GUARD = 30.0  # a hang guard only: every wait below ends on an event long before this
SMALL = WebOptions(
    host="127.0.0.1",
    port=0,
    rate_per_minute=6000,
    burst=1000,
    header_timeout=0.2,
    idle_timeout=0.3,
    write_timeout=0.3,
    max_streams=3,
    max_streams_per_person=2,
    busy_retry_after=7,
)
OTHER = ("test", "101", "other")
THIRD = ("test", "102", "third")


@pytest.fixture
async def tight(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[App]:
    application = await App.create(settings_for(sim, tmp_path), web=SMALL)
    await application.start()
    try:
        yield application
    finally:
        await application.close()


def big_rom(sim: RommSimulator, size: int = 64_000_000) -> int:
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    return int(sim.library.add_rom(n64.id, files=[("Big One (USA).z64", size)])["id"])


async def connect(
    app: App, *, rcvbuf: int | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    assert app.web is not None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", app.web.port))
    return await asyncio.open_connection(sock=sock)


async def closed_by_bot(reader: asyncio.StreamReader) -> bool:
    """Read until the bot closes the connection (True) or resets it (also True)."""
    async with asyncio.timeout(GUARD):
        try:
            while await reader.read(1 << 16):
                pass
        except ConnectionResetError:
            pass
    return True


async def test_a_client_sending_its_headers_a_byte_at_a_time_is_let_go(tight: App) -> None:
    reader, writer = await connect(tight)
    writer.write(b"GET /health HTTP/1.1\r\nHo")
    await writer.drain()
    writer.write(b"s")  # slowloris: a byte now and then, never the end of the headers
    await writer.drain()
    assert await closed_by_bot(reader)
    writer.close()


async def test_a_socket_that_never_sends_anything_is_let_go(tight: App) -> None:
    reader, writer = await connect(tight)
    assert await closed_by_bot(reader)
    writer.close()


async def test_a_kept_alive_connection_is_let_go_once_idle(tight: App) -> None:
    reader, writer = await connect(tight)
    writer.write(b"GET /health HTTP/1.1\r\nHost: bot\r\n\r\n")
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"keep-alive" in head.lower() or b"connection: close" not in head.lower()
    assert await closed_by_bot(reader)
    writer.close()


@pytest.mark.parametrize("zero_copy", [True, False], ids=["splice", "copy"])
async def test_a_download_nobody_reads_is_ended_and_romm_let_go(
    tight: App, sim: RommSimulator, zero_copy: bool
) -> None:
    tight.web.gateway.zero_copy = zero_copy  # type: ignore[union-attr]
    url = URL(await rom_link(tight, big_rom(sim)))
    reader, writer = await connect(tight, rcvbuf=4096)
    writer.write(f"GET {url.raw_path} HTTP/1.1\r\nHost: bot\r\n\r\n".encode())
    await writer.drain()
    async with asyncio.timeout(GUARD):
        await sim.wait_downloads_open(1)
        await sim.wait_downloads_open(0)  # the bot closed RomM's connection
    await tight.web.gateway.settle()  # type: ignore[union-attr]
    async with tight.services.store.conn.execute("SELECT completed FROM downloads") as cur:
        rows = [tuple(r) for r in await cur.fetchall()]
    assert rows == [(0,)]
    assert await closed_by_bot(reader)
    writer.close()


async def test_romm_is_let_go_as_soon_as_the_person_is_gone(
    tight: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.download_rate = 1000.0  # RomM is slow: its first bytes are minutes away
    url = await rom_link(tight, big_rom(sim, 4_000_000))
    resp = await http.get(url)
    assert resp.status == 200
    async with asyncio.timeout(GUARD):
        await sim.wait_downloads_open(1)
    resp.close()  # the person goes away before any byte came
    async with asyncio.timeout(GUARD):
        await sim.wait_downloads_open(0)


async def test_downloads_at_once_are_capped_per_person_and_in_total(
    tight: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.download_rate = 1000.0  # every download stays open while the test looks
    rom_id = big_rom(sim, 4_000_000)
    mine = await rom_link(tight, rom_id)
    open_ones = [await http.get(mine), await http.get(mine)]
    assert [r.status for r in open_ones] == [200, 200]

    async with http.get(mine) as third:
        assert third.status == 503
        assert third.headers["Retry-After"] == "7"
        assert "You already have 2 downloads running" in await third.text()

    open_ones.append(await http.get(await rom_link(tight, rom_id, user=OTHER)))
    assert open_ones[-1].status == 200
    async with http.get(await rom_link(tight, rom_id, user=THIRD)) as full:
        assert full.status == 503
        assert full.headers["Retry-After"] == "7"
        assert "as many downloads as it can at once" in await full.text()

    open_ones[0].close()  # one of mine ends: a slot is free again
    async with asyncio.timeout(GUARD):
        await sim.wait_downloads_open(2)  # the bot frees the slot before it lets RomM go
    assert tight.web.gateway.streams.in_use == 2  # type: ignore[union-attr]
    again = await http.get(mine)
    assert again.status == 200
    for r in [*open_ones[1:], again]:
        r.close()
