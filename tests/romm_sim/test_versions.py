"""Version personalities: field names, envelopes, routes and roles of older RomM releases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

from .conftest import basic, bearer

SPEC = LibrarySpec(roms=40, platforms=12, seed=2)


async def _get(
    http: aiohttp.ClientSession, sim: RommSimulator, path: str, **headers: str
) -> tuple[int, Any]:
    auth = headers or basic(sim.admin_username, sim.admin_password)
    async with http.get(f"{sim.url}{path}", headers=auth) as resp:
        return resp.status, await resp.json()


@pytest.fixture
async def sim_46() -> AsyncIterator[RommSimulator]:
    async with RommSimulator(library=SPEC, version="4.6.0") as sim:
        yield sim


async def test_heartbeat_reports_the_personality_version(http: aiohttp.ClientSession) -> None:
    for version in ("4.3.0", "5.2.0", "development"):
        async with RommSimulator(library=SPEC, version=version) as sim:
            status, body = await _get(http, sim, "/api/heartbeat")
            assert status == 200 and body["SYSTEM"]["VERSION"] == version


async def test_43_has_multi_and_platform_name_and_platform_id(http: aiohttp.ClientSession) -> None:
    async with RommSimulator(library=SPEC, version="4.3.0") as sim:
        assert sim.admin_token is None
        with pytest.raises(RuntimeError):
            sim.make_token(["me.read"])
        status, page = await _get(http, sim, "/api/roms?limit=100&search_term=final fantasy vii")
        assert status == 200 and set(page) == {"items", "total", "limit", "offset", "char_index"}
        ff7 = next(i for i in page["items"] if i["fs_name"] == "Final Fantasy VII (USA)")
        assert ff7["multi"] is True and ff7["platform_name"] == "PlayStation"
        assert "has_multiple_files" not in ff7
        psx = sim.library.platform_by_slug("psx")
        assert psx is not None
        _, by_id = await _get(http, sim, f"/api/roms?platform_id={psx.id}&limit=100")
        assert {i["platform_id"] for i in by_id["items"]} == {psx.id}
        _, ignored = await _get(http, sim, f"/api/roms?platform_ids={psx.id}&limit=100")
        assert len(ignored["items"]) == 40  # unknown parameter: ignored, like FastAPI
        status, _ = await _get(http, sim, "/api/users/me", **bearer("rmm_" + "a" * 64))
        assert status == 401
        _, users = await _get(http, sim, "/api/users")
        assert {u["username"]: u["role"] for u in users} == {
            "admin": "admin",
            "alice": "viewer",
            "bob": "editor",
        }


async def test_46_filter_values_without_total_flag_or_random(
    sim_46: RommSimulator, http: aiohttp.ClientSession
) -> None:
    _, page = await _get(http, sim_46, "/api/roms?limit=1&with_total=false")
    assert page["total"] == 40  # with_total is a 5.2 flag
    assert "filter_values" in page and "rom_id_index" in page
    assert "has_multiple_files" in page["items"][0] and "multi" in page["items"][0]
    status, body = await _get(http, sim_46, "/api/roms/random")
    assert status == 422 and body["detail"][0]["loc"] == ["path", "id"]
    status, _ = await _get(http, sim_46, "/api/roms/1/simple")
    assert status == 404
    status, _ = await _get(http, sim_46, "/api/client-tokens")
    assert status == 404
    _, platforms = await _get(http, sim_46, "/api/platforms")
    assert len(platforms) == 12  # no hidden platforms before 5.0
    assert "firmware_count" not in platforms[0]


async def test_48_has_client_tokens_and_per_file_downloads(http: aiohttp.ClientSession) -> None:
    async with RommSimulator(library=SPEC, version="4.8.0") as sim:
        status, me = await _get(http, sim, "/api/users/me", **bearer(sim.admin_token))
        assert status == 200 and me["role"] == "admin"
        file_id = sim.library.roms[1].files[0].id
        async with http.head(
            f"{sim.url}/api/roms/{file_id}/files/content/x", headers=bearer(sim.admin_token)
        ) as resp:
            assert resp.status == 200
        _, page = await _get(http, sim, "/api/roms?limit=1")
        assert "multi" not in page["items"][0]


async def test_52_roles_are_user_and_admin(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    created = sim.add_user("vic", "vic-pw", role="viewer")
    assert created["role"] == "user"
    status, rnd = await _get(http, sim, "/api/roms/random")
    assert status == 200 and rnd["id"] in sim.library.roms
    status, none = await _get(http, sim, "/api/roms/random?platform_ids=999")
    assert status == 200 and none is None


async def test_bare_list_before_39(http: aiohttp.ClientSession) -> None:
    async with RommSimulator(library=SPEC, version="3.8.0") as sim:
        _, page = await _get(http, sim, "/api/roms?limit=5")
        assert isinstance(page, list) and len(page) == 5
