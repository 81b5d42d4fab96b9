"""The generated library: deterministic, realistic, and it scales to 100k ROMs."""

from __future__ import annotations

import aiohttp
import pytest

from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from romm_comm.testing.romm_sim.generator import build_library
from romm_comm.testing.romm_sim.search import search
from romm_comm.testing.romm_sim.versions import Personality

from .conftest import basic, bearer

V52 = Personality("5.2.0")
CORE = {
    "Super Mario 64 (USA).z64",
    "Final Fantasy VII (USA)",
    "Final Fantasy VIII (USA)",
    "The Legend of Zelda - A Link to the Past (USA).sfc",
    "Tom & Jerry (USA).gb",
    "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes",
    "Dr. Mario + Tetris (USA).nes",
    "100% Orange Juice.nds",
    "Pipe | Dream.gbc",
    "Link's Awakening DX (USA).gbc",
    'The "Quoted" Game.gba',
    "Pokémon Ranger (Europe).nds",
    "ドラゴンクエスト (Japan).nes",
    "Animal Crossing - New Leaf (USA).cia",
    "Persona 4 Golden (USA).vpk",
    "Celeste [01002B30028F6000][v0].nsp",
}


def _fingerprint(spec: LibrarySpec) -> list[tuple[int, int, str, int]]:
    lib = build_library(spec, V52, now=1_700_000_000)
    return [(r.id, r.platform_id, r.fs_name, r.fs_size_bytes) for r in lib.roms.values()]


def test_same_seed_same_library_other_seed_other_library() -> None:
    spec = LibrarySpec(roms=300, platforms=30, seed=7)
    assert _fingerprint(spec) == _fingerprint(spec)
    assert _fingerprint(spec) != _fingerprint(LibrarySpec(roms=300, platforms=30, seed=8))


@pytest.mark.parametrize("seed", [1, 2, 99])
def test_core_games_are_there_whatever_the_seed(seed: int) -> None:
    lib = build_library(LibrarySpec(roms=20, platforms=12, seed=seed), V52)
    assert len(lib.roms) == 20
    names = {r.fs_name for r in lib.roms.values()}
    assert names >= CORE
    sm64 = next(r for r in lib.roms.values() if r.fs_name == "Super Mario 64 (USA).z64")
    assert sm64.igdb_id == 1074 and sm64.has_cover and sm64.meta and sm64.meta.release_ms
    ff7 = next(r for r in lib.roms.values() if r.fs_name == "Final Fantasy VII (USA)")
    assert sorted(f.file_name[-3:] for f in ff7.files) == ["bin"] * 3 + ["cue"] * 3


def test_counts_platforms_and_hidden() -> None:
    lib = build_library(LibrarySpec(roms=1000, platforms=120, seed=3, hidden_platforms=2), V52)
    assert len(lib.roms) == 1000 and len(lib.platforms) == 120
    assert len({p.slug for p in lib.platforms.values()}) == 120
    assert sum(p.hidden for p in lib.platforms.values()) == 2
    assert all(lib.roms_of(p.id) for p in lib.platforms.values())
    snes = lib.platform_by_slug("snes")
    ngc = lib.platform_by_slug("ngc")
    assert snes and snes.display_name == "Super Famicom" and snes.name.startswith("Super Nintendo")
    assert ngc and ngc.fs_slug == "gc"
    identified = sum(r.is_identified for r in lib.roms.values()) / len(lib.roms)
    assert 0.6 < identified < 0.9
    assert any(len(r.files) > 1 for r in lib.roms.values() if r.id > 20)


def test_a_100k_rom_library_builds_and_searches() -> None:
    """Its speed is measured in bench/bench_search.py and bench/bench_core.py, not here."""
    lib = build_library(LibrarySpec(roms=100_000, platforms=500, seed=1), V52)
    assert len(lib.roms) == 100_000 and len(lib.platforms) == 500
    ordered = lib.ordered("name")
    hits = search(lib, ordered, "super dragon", order_by="name")
    assert hits and all("super" in r.hay and "dragon" in r.hay for r in hits)


async def test_rename_and_add_rom_show_through_the_api(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    gba = sim.library.platform_by_slug("gba")
    assert gba is not None
    before = gba.updated_at
    renamed = sim.library.rename_platform(gba.id, "GBA Classics")
    assert renamed["display_name"] == "GBA Classics" and gba.updated_at >= before
    async with http.get(
        f"{sim.url}/api/platforms/{gba.id}", headers=bearer(sim.admin_token)
    ) as resp:
        body = await resp.json()
    assert body["custom_name"] == "GBA Classics" and body["display_name"] == "GBA Classics"
    assert body["name"] == "Game Boy Advance"
    added = sim.library.add_rom(
        gba.id,
        name="Mother 3",
        fs_name="Mother 3 (Japan).gba",
        igdb_id=2425,
        files=[("Mother 3 (Japan).gba", 32 << 20)],
    )
    assert added["platform_display_name"] == "GBA Classics" and added["igdb_id"] == 2425
    async with http.get(
        f"{sim.url}/api/roms/{added['id']}", headers=bearer(sim.admin_token)
    ) as resp:
        detail = await resp.json()
    assert (
        detail["fs_name"] == "Mother 3 (Japan).gba"
        and detail["files"][0]["file_size_bytes"] == 32 << 20
    )
    async with http.get(f"{sim.url}/api/stats") as resp:
        assert (await resp.json())["ROMS"] == 201


async def test_platform_list_and_config_binding(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/platforms", headers=bearer(sim.admin_token)) as resp:
        platforms = await resp.json()
    names = [p["name"].lower() for p in platforms]
    assert names == sorted(names)
    snes = next(p for p in platforms if p["slug"] == "snes")
    assert snes["display_name"] == "Super Famicom" and snes["custom_name"] == "Super Famicom"
    n64 = next(p for p in platforms if p["slug"] == "n64")
    assert n64["custom_name"] == "" and n64["display_name"] == "Nintendo 64"
    assert n64["rom_count"] == len(sim.library.roms_of(n64["id"]))
    psx = next(p for p in platforms if p["slug"] == "psx")
    assert psx["firmware_count"] == 3 and psx["firmware"][0]["file_name"] == "scph1001.bin"
    async with http.get(f"{sim.url}/api/config") as resp:
        assert (await resp.json())["PLATFORMS_BINDING"] == {"gc": "ngc"}
    async with http.get(f"{sim.url}/api/heartbeat") as resp:
        assert "gc" in (await resp.json())["FILESYSTEM"]["FS_PLATFORMS"]


async def test_detail_of_identified_and_unidentified_games(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/roms/1", headers=bearer(sim.admin_token)) as resp:
        sm64 = await resp.json()
    assert sm64["name"] == "Super Mario 64" and sm64["igdb_id"] == 1074
    assert sm64["metadatum"]["first_release_date"] == 835_488_000_000
    assert (
        "Platform" in sm64["metadatum"]["genres"] and "Nintendo" in sm64["metadatum"]["companies"]
    )
    assert sm64["summary"] and sm64["url_cover"].startswith("https://images.igdb.com/")
    assert sm64["path_cover_small"].startswith(
        "/assets/romm/resources/roms/1/1/cover/small.png?ts="
    )
    quest = next(
        r
        for r in sim.library.roms.values()
        if r.fs_name == "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes"
    )
    async with http.get(f"{sim.url}/api/roms/{quest.id}", headers=bearer(sim.admin_token)) as resp:
        body = await resp.json()
    # RomM strips (…) and […] tags from a file name, not {…}
    assert body["name"] == "C# Quest {Europe}" and body["is_unidentified"]
    assert body["igdb_id"] is None
    assert body["path_cover_small"] == "" and body["summary"] is None


async def test_icons_and_covers_are_real_images(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/assets/platforms/snes.svg") as resp:
        assert resp.headers["Content-Type"] == "image/svg+xml"
        assert (await resp.text()).startswith("<svg")
    async with http.get(f"{sim.url}/assets/platforms/n64.ico") as resp:
        assert resp.headers["Content-Type"] == "image/x-icon"
        assert (await resp.read())[:4] == b"\x00\x00\x01\x00"
    async with http.get(f"{sim.url}/assets/platforms/not-a-platform.ico") as resp:
        assert resp.status == 404
    async with http.get(f"{sim.url}/api/roms/1", headers=bearer(sim.admin_token)) as resp:
        cover = (await resp.json())["path_cover_large"]
    async with http.get(f"{sim.url}{cover}") as resp:
        assert resp.headers["Content-Type"] == "image/png"
        assert (await resp.read())[:8] == b"\x89PNG\r\n\x1a\n"
    quest = next(
        r
        for r in sim.library.roms.values()
        if r.fs_name == "C# Quest {Europe} [!] (%s, {0}; Rev 1).nes"
    )
    path = f"/assets/romm/resources/roms/{quest.platform_id}/{quest.id}/cover/small.png"
    async with http.get(f"{sim.url}{path}") as resp:
        assert resp.status == 404  # unidentified: no cover


async def test_users_crud_like_romm(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    admin = bearer(sim.admin_token)
    body = {
        "username": "NewUser",
        "email": "new@example.com",
        "password": "pw-123",
        "role": "viewer",
    }
    async with http.post(f"{sim.url}/api/users", json=body, headers=admin) as resp:
        assert resp.status == 201
        created = await resp.json()
    assert created["username"] == "newuser" and created["role"] == "user"
    async with http.post(f"{sim.url}/api/users", json=body, headers=admin) as resp:
        assert resp.status == 400
    url = f"{sim.url}/api/users/{created['id']}"
    async with http.put(url, data={"enabled": "false"}, headers=admin) as resp:
        assert (await resp.json())["enabled"] is False
    async with http.get(f"{sim.url}/api/users/me", headers=basic("newuser", "pw-123")) as resp:
        assert resp.status == 401
    async with http.delete(f"{sim.url}/api/users/1", headers=admin) as resp:
        assert resp.status == 400 and (await resp.json())["detail"] == "You cannot delete yourself"
    async with http.delete(url, headers=admin) as resp:
        assert resp.status == 200 and await resp.json() is None
    async with http.post(f"{sim.url}/api/users/invite-link?role=user", headers=admin) as resp:
        invite = await resp.json()
    reg = {
        "username": "invited",
        "email": "i@example.com",
        "password": "pw",
        "token": invite["token"],
    }
    register = f"{sim.url}/api/users/register"
    async with http.post(register, json=reg) as resp:
        assert resp.status == 403  # anonymous write: CSRF applies, as in the browser
    csrf = next(c.value for c in http.cookie_jar if c.key == "romm_csrftoken")
    async with http.post(register, json=reg, headers={"x-csrftoken": csrf}) as resp:
        assert resp.status == 201
        assert (await resp.json())["role"] == "user"
    again = {**reg, "username": "again", "email": "a@example.com"}
    async with http.post(register, json=again, headers={"x-csrftoken": csrf}) as resp:
        assert resp.status == 400  # an invite works once
