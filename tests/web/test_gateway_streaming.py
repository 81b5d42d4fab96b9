"""The gateway streams RomM's files to people: bytes, HEAD, Range, zips, names, the log."""

from __future__ import annotations

import base64
import io
import logging
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

from ..conftest import settings_for
from ..helpers.waiting import eventually
from .conftest import grant_of, only_download_paths, rom_by_fs_name, rom_link, romm_paths

UNICODE_NAME = "ポケモン Ünïcode “Spécial” (Japan).nds"


def smallest_single_file_rom(sim: RommSimulator) -> int:
    singles = [r for r in sim.library.roms.values() if len(r.files) == 1]
    return min(singles, key=lambda r: r.fs_size_bytes).id


def add_multi_disc(sim: RommSimulator) -> int:
    psx = sim.library.platform_by_slug("psx")
    assert psx is not None
    added = sim.library.add_rom(
        psx.id,
        fs_name="Späß Collection (Europe)",
        files=[("Disc 1.bin", 3001), ("Disc 2.bin", 2002), ("Bonus Ü.iso", 1003)],
    )
    return int(added["id"])


async def log_rows(app: App) -> list[dict[str, object]]:
    await app.web.gateway.settle()  # type: ignore[union-attr]
    async with app.services.store.conn.execute("SELECT * FROM downloads ORDER BY id") as cur:
        return [dict(row) for row in await cur.fetchall()]


@pytest.mark.parametrize("zero_copy", [True, False], ids=["splice", "copy"])
async def test_a_link_streams_the_exact_file_with_its_headers(
    app: App,
    sim: RommSimulator,
    http: aiohttp.ClientSession,
    zero_copy: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app.web.gateway.zero_copy = zero_copy  # type: ignore[union-attr]
    caplog.set_level(logging.INFO, "romm_comm.web.gateway")
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    rom_id = int(sim.library.add_rom(n64.id, files=[("Mid Size (USA).z64", 3_000_017)])["id"])
    rom = sim.library.roms[rom_id]
    url = await rom_link(app, rom_id)
    sim.reset_calls()
    async with http.get(url) as resp:
        body = await resp.read()
        headers = resp.headers
    assert resp.status == 200
    assert body == sim.library.file_bytes(rom.files[0].id)
    assert headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Accept-Ranges"] == "bytes"
    assert (
        f"filename*=UTF-8''{quote(rom.files[0].file_name, safe='')}"
        in (headers["Content-Disposition"])
    )
    assert only_download_paths(sim) and len(romm_paths(sim)) == 1

    async with http.head(url) as head:
        assert head.status == 200
        assert head.headers["Content-Length"] == str(len(body))
        assert await head.read() == b""
    rows = await log_rows(app)
    assert len(rows) == 1, "HEAD is not a download"
    row = rows[0]
    assert row["user_key"] == "test:100" and row["rom_id"] == rom_id
    assert row["bytes_sent"] == len(body) and row["completed"] == 1
    assert row["size_bytes"] == len(body) and row["requests"] == 1
    relayed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("download ")]
    assert relayed and relayed[0].endswith("via splice" if zero_copy else "via copy")
    assert "completed" in relayed[0]


@pytest.mark.parametrize("zero_copy", [True, False], ids=["splice", "copy"])
async def test_range_requests_resume_and_416(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession, zero_copy: bool
) -> None:
    app.web.gateway.zero_copy = zero_copy  # type: ignore[union-attr]
    rom_id = smallest_single_file_rom(sim)
    f = sim.library.roms[rom_id].files[0]
    whole = sim.library.file_bytes(f.id)
    url = await rom_link(app, rom_id)
    async with http.get(url, headers={"Range": "bytes=0-999"}) as first:
        part1 = await first.read()
        assert first.status == 206
        assert first.headers["Content-Range"] == f"bytes 0-999/{len(whole)}"
        assert first.headers["Content-Length"] == "1000"
    rows = await log_rows(app)
    assert rows[0]["completed"] == 0, "the first 1000 bytes are not the whole file"
    async with http.get(url, headers={"Range": "bytes=1000-", "If-Range": "x"}) as rest:
        part2 = await rest.read()
        # If-Range went to RomM with the Range; the simulator ignores validators like nginx
        # does for a matching one, so the rest comes back as a 206.
        assert rest.status == 206
    assert part1 + part2 == whole
    async with http.get(url, headers={"Range": f"bytes={len(whole) + 10}-"}) as bad:
        assert bad.status == 416
        assert bad.headers["Content-Range"] == f"bytes */{len(whole)}"
    rows = await log_rows(app)
    assert len(rows) == 1, "a resumed download stays one download"
    assert rows[0]["requests"] == 2 and rows[0]["bytes_sent"] == len(whole)
    assert rows[0]["completed"] == 1


async def test_a_multi_file_game_is_a_real_zip_and_so_is_a_subset(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom_id = add_multi_disc(sim)
    files = sim.library.roms[rom_id].files
    url = await rom_link(app, rom_id)
    assert url.endswith("/Sp%C3%A4%C3%9F%20Collection%20%28Europe%29.zip")
    async with http.get(url) as resp:
        data = await resp.read()
        assert resp.status == 200
        assert (
            "filename*=UTF-8''Sp%C3%A4%C3%9F%20Collection%20%28Europe%29.zip"
            in (resp.headers["Content-Disposition"])
        )
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert {f.file_name for f in files} <= set(archive.namelist())
    for f in files:
        assert archive.read(f.file_name) == sim.library.file_bytes(f.id)

    by_name = {f.file_name: f for f in files}
    two = sorted([by_name["Disc 1.bin"].id, by_name["Bonus Ü.iso"].id])
    subset_url = await rom_link(app, rom_id, two)
    sim.reset_calls()
    async with http.get(subset_url) as resp:
        subset = zipfile.ZipFile(io.BytesIO(await resp.read()))
    assert sorted(subset.namelist()) == ["Bonus Ü.iso", "Disc 1.bin"]
    assert romm_paths(sim) == [f"/api/roms/{rom_id}/content/Späß Collection (Europe)"]
    assert unquote(sim.calls[-1].query) == f"file_ids={two[0]},{two[1]}"

    one = by_name["Bonus Ü.iso"]
    single = await rom_link(app, rom_id, [one.id])
    sim.reset_calls()
    assert single.endswith("/Bonus%20%C3%9C.iso")
    async with http.get(single) as resp:
        assert await resp.read() == sim.library.file_bytes(one.id)
    assert romm_paths(sim) == [f"/api/roms/{one.id}/files/content/{one.file_name}"]


async def test_utf8_file_names_survive(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    nds = sim.library.platform_by_slug("nds")
    assert nds is not None
    rom_id = int(sim.library.add_rom(nds.id, files=[(UNICODE_NAME, 4321)])["id"])
    url = await rom_link(app, rom_id)
    assert url.endswith("/" + quote(UNICODE_NAME, safe=""))
    async with http.get(url) as resp:
        body = await resp.read()
        disposition = resp.headers["Content-Disposition"]
    assert len(body) == 4321
    assert disposition.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote(UNICODE_NAME, safe='')}" in disposition
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(" (Japan).nds")


async def test_firmware_links_and_old_romm_without_per_file_downloads(
    sim: RommSimulator, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    async with RommSimulator(
        library=LibrarySpec(roms=40, platforms=6, seed=3), version="4.7.0"
    ) as old:
        app = await App.create(settings_for(old, tmp_path, romm_username="admin",
                                            romm_password=old.admin_password))  # fmt: skip
        await app.start()
        try:
            psx = old.library.platform_by_slug("psx")
            assert psx is not None
            rom_id = int(old.library.add_rom(
                psx.id, fs_name="Two Discs", files=[("A.bin", 100), ("B.bin", 200)]
            )["id"])  # fmt: skip
            one = old.library.roms[rom_id].files[1]
            old.reset_calls()
            async with http.get(await rom_link(app, rom_id, [one.id])) as resp:
                assert await resp.read() == old.library.file_bytes(one.id)
            call = next(c for c in old.calls if "/content/" in c.path)
            assert call.path == f"/api/roms/{rom_id}/content/B.bin"
            assert call.query == f"file_ids={one.id}"

            fw = next(iter(old.library.firmware.values()))
            links = await app.services.downloads.links_for("test:100", "member")
            firmware = next(
                f for f in await app.services.client.firmware(fw.platform_id) if f.id == fw.id
            )
            url = links.firmware(firmware)
            assert url is not None and url.endswith("/" + quote(fw.file_name, safe=""))
            async with http.get(url) as resp:
                got = await resp.read()
            direct = f"{old.url}/api/firmware/{fw.id}/content/{quote(fw.file_name, safe='')}"
            basic = base64.b64encode(f"admin:{old.admin_password}".encode()).decode()
            async with http.get(direct, headers={"Authorization": f"Basic {basic}"}) as d:
                assert got == await d.read() and len(got) == fw.size
        finally:
            await app.close()


@pytest.mark.parametrize("zero_copy", [True, False], ids=["splice", "copy"])
async def test_a_person_who_stops_early_is_logged_as_not_completed(
    app: App, sim: RommSimulator, zero_copy: bool
) -> None:
    app.web.gateway.zero_copy = zero_copy  # type: ignore[union-attr]
    nds = sim.library.platform_by_slug("nds")
    assert nds is not None
    size = 24 * 1024 * 1024
    rom_id = int(sim.library.add_rom(nds.id, files=[("Big Game (USA).nds", size)])["id"])
    url = await rom_link(app, rom_id)
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200
        await resp.content.readexactly(64 * 1024)
        resp.close()  # the person gives up

    async def ended() -> list[dict[str, object]] | None:
        rows = await log_rows(app)
        return rows if rows and rows[0]["updated_at"] != rows[0]["started_at"] else None

    row = (await eventually(ended, what="the download's end logged"))[0]
    assert row["completed"] == 0
    assert 0 < int(row["bytes_sent"]) < size  # type: ignore[call-overload]
    assert grant_of(app, url).file_ids == ()


async def test_cards_carry_gateway_links_bound_to_the_person(app: App, sim: RommSimulator) -> None:
    from romm_comm.core.commands import Caller
    from romm_comm.features.context import Context

    rom_id = rom_by_fs_name(sim, "Super Mario 64 (USA).z64")
    alice = Context(Caller("1", "alice", "discord"), app.services)
    bob = Context(Caller("2", "bob", "matrix"), app.services)
    urls = []
    for ctx in (alice, bob):
        reply = await app.registry.act(ctx, "rom", [str(rom_id)])
        urls.append(next(link.url for link in reply.links if link.label.startswith("Download")))
        assert "expire after 24 h" in reply.cards[0].footer
    assert [grant_of(app, u).user for u in urls] == ["discord:1", "matrix:2"]


@pytest.mark.parametrize("zero_copy", [True, False], ids=["splice", "copy"])
async def test_romm_stopping_mid_file_breaks_the_download_visibly(
    app: App, sim: RommSimulator, zero_copy: bool
) -> None:
    app.web.gateway.zero_copy = zero_copy  # type: ignore[union-attr]
    nds = sim.library.platform_by_slug("nds")
    assert nds is not None
    size = 48 * 1024 * 1024
    rom_id = int(sim.library.add_rom(nds.id, files=[("Cut Short (USA).nds", size)])["id"])
    url = await rom_link(app, rom_id)
    received = 0
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.headers["Content-Length"] == str(size)
        received += len(await resp.content.readexactly(64 * 1024))
        await sim.stop()  # RomM goes away while the person is downloading
        with pytest.raises(aiohttp.ClientPayloadError):
            while chunk := await resp.content.read(1 << 20):
                received += len(chunk)
    assert received < size, "a cut download is never passed off as the whole file"
    rows = await log_rows(app)
    assert rows[0]["completed"] == 0 and int(rows[0]["bytes_sent"]) < size  # type: ignore[call-overload]
