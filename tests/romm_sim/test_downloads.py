"""Downloads: bytes, HEAD, ranges, zips of multi-file games, accel mode, download auth."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from urllib.parse import quote

import aiohttp
import pytest

from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from romm_comm.testing.romm_sim.models import Rom

from .conftest import bearer


def _rom(sim: RommSimulator, fs_name: str) -> Rom:
    return next(r for r in sim.library.roms.values() if r.fs_name == fs_name)


def _url(sim: RommSimulator, rom: Rom, name: str | None = None) -> str:
    return f"{sim.url}/api/roms/{rom.id}/content/{quote(name or rom.fs_name)}"


async def test_single_file_download_is_the_files_bytes(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Tom & Jerry (USA).gb")
    f = rom.files[0]
    async with http.get(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
        body = await resp.read()
        assert resp.headers["Content-Length"] == str(f.size) == str(len(body))
        assert resp.headers["Content-Type"] == "application/octet-stream"
        disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''Tom%20%26%20Jerry%20%28USA%29.gb")
    assert body == sim.library.file_bytes(f.id)
    other = sim.library.file_bytes(
        _rom(sim, "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes").files[0].id, 0, 4096
    )
    assert body[:4096] != other


async def test_head_gives_length_without_body(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Persona 4 Golden (USA).vpk")
    async with http.head(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
        assert int(resp.headers["Content-Length"]) == rom.files[0].size == 3_019_898_880
        assert resp.headers["Accept-Ranges"] == "bytes" and "ETag" in resp.headers
        assert await resp.read() == b""


async def test_range_requests(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    rom = _rom(sim, "Persona 4 Golden (USA).vpk")  # ~3 GB: only the asked bytes are made
    f = rom.files[0]
    start = 2_000_000_123
    headers = {**bearer(sim.admin_token), "Range": f"bytes={start}-{start + 99_999}"}
    async with http.get(_url(sim, rom), headers=headers) as resp:
        assert resp.status == 206
        assert resp.headers["Content-Range"] == f"bytes {start}-{start + 99_999}/{f.size}"
        body = await resp.read()
    assert body == sim.library.file_bytes(f.id, start, start + 100_000)
    headers["Range"] = "bytes=-10"
    async with http.get(_url(sim, rom), headers=headers) as resp:
        assert resp.status == 206 and len(await resp.read()) == 10
    headers["Range"] = f"bytes={f.size}-"
    async with http.get(_url(sim, rom), headers=headers) as resp:
        assert resp.status == 416
        assert resp.headers["Content-Range"] == f"bytes */{f.size}"


async def test_multi_file_rom_downloads_as_a_real_zip(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Chrono Trigger (USA)")
    async with http.get(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/zip"
        assert "Chrono%20Trigger%20%28USA%29.zip" in resp.headers["Content-Disposition"]
        data = await resp.read()
        assert int(resp.headers["Content-Length"]) == len(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(f.rel_path for f in rom.files)
    patch = next(f for f in rom.files if f.file_name.endswith(".ips"))
    assert archive.read(patch.rel_path) == sim.library.file_bytes(patch.id)


async def test_file_ids_subset_and_generated_m3u(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Final Fantasy VII (USA)")
    cues = [f for f in rom.files if f.file_name.endswith(".cue")]
    ids = ",".join(str(f.id) for f in cues)
    async with http.get(
        _url(sim, rom) + f"?file_ids={ids}", headers=bearer(sim.admin_token)
    ) as resp:
        archive = zipfile.ZipFile(io.BytesIO(await resp.read()))
    names = archive.namelist()
    assert sorted(names[:3]) == sorted(f.file_name for f in cues)
    assert names[3] == "Final Fantasy VII (USA).m3u"
    assert archive.read(names[3]).decode().splitlines() == sorted(f.file_name for f in cues)
    assert b'FILE "Final Fantasy VII (USA) (Disc 1).bin" BINARY' in archive.read(cues[0].file_name)
    one = cues[0]
    async with http.get(
        _url(sim, rom) + f"?file_ids={one.id}", headers=bearer(sim.admin_token)
    ) as resp:
        assert await resp.read() == sim.library.file_bytes(one.id)


async def test_head_of_a_zip_matches_its_get(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Chrono Trigger (USA)")
    async with http.head(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        head_length = int(resp.headers["Content-Length"])
    async with http.get(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        assert len(await resp.read()) == head_length


async def test_accel_mode_answers_like_the_backend_alone(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.download_mode = "accel"
    rom = _rom(sim, "Tom & Jerry (USA).gb")
    async with http.get(_url(sim, rom), headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200 and await resp.read() == b""
        assert (
            resp.headers["X-Accel-Redirect"] == "/library/roms/gb/Tom%20%26%20Jerry%20%28USA%29.gb"
        )
    multi = _rom(sim, "Chrono Trigger (USA)")
    async with http.get(_url(sim, multi), headers=bearer(sim.admin_token)) as resp:
        assert resp.headers["X-Archive-Files"] == "zip"
        lines = (await resp.text()).splitlines()
    assert len(lines) == 3 and lines[0].startswith("- ")
    assert "/library/roms/snes/Chrono%20Trigger%20%28USA%29/" in lines[0]


async def test_download_auth_and_the_disable_flag(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Tetris (World) (Rev 1).gb")
    async with http.get(_url(sim, rom)) as resp:
        assert resp.status == 401
    sim.disable_download_auth = True
    async with http.get(_url(sim, rom)) as resp:
        assert resp.status == 200 and len(await resp.read()) == rom.files[0].size
    file_url = f"{sim.url}/api/roms/{rom.files[0].id}/files/content/x.gb"
    async with http.get(file_url) as resp:
        assert resp.status == 200
    async with http.get(f"{sim.url}/api/roms/{rom.id}") as resp:
        assert resp.status == 500  # RomM 5.2's own bug for anonymous detail requests
    async with http.get(f"{sim.url}/api/roms?limit=1") as resp:
        assert resp.status == 401


async def test_per_file_and_firmware_downloads(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    rom = _rom(sim, "Chrono Trigger (USA)")
    manual = next(f for f in rom.files if f.category == "manual")
    url = f"{sim.url}/api/roms/{manual.id}/files/content/{quote(manual.file_name)}"
    async with http.get(url, headers=bearer(sim.admin_token)) as resp:
        assert resp.headers["Content-Type"] == "application/pdf"
        assert resp.headers["Content-Disposition"].startswith("inline;")
        assert await resp.read() == sim.library.file_bytes(manual.id)
    fw = next(f for f in sim.library.firmware.values() if f.file_name == "scph1001.bin")
    url = f"{sim.url}/api/firmware/{fw.id}/content/scph1001.bin"
    async with http.get(url, headers=bearer(sim.admin_token)) as resp:
        assert resp.headers["Content-Disposition"] == 'attachment; filename="scph1001.bin"'
        assert len(await resp.read()) == fw.size == 512 * 1024
    async with http.get(url, headers=bearer(sim.make_token(["roms.read"]))) as resp:
        assert resp.status == 403


@pytest.fixture
async def big_sim() -> AsyncIterator[RommSimulator]:
    async with RommSimulator(
        library=LibrarySpec(roms=30, platforms=12, big_file_bytes=1 << 30)
    ) as sim:
        yield sim


async def test_big_file_is_streamed_not_held(
    big_sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    fid = big_sim.library.big_file_id
    assert fid is not None
    f = big_sim.library.files[fid]
    url = f"{big_sim.url}/api/roms/{fid}/files/content/{quote(f.file_name)}"
    async with http.get(url, headers=bearer(big_sim.admin_token)) as resp:
        assert int(resp.headers["Content-Length"]) == 1 << 30
        first = await resp.content.read(1 << 20)  # read 1 MiB and hang up
    assert first[:65536] == big_sim.library.file_bytes(fid, 0, 65536)
