"""System endpoints, error shapes and change signals."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import aiohttp

from romm_comm.testing.romm_sim import RommSimulator

from .conftest import basic, bearer


async def test_unknown_paths_and_methods_answer_like_fastapi(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/does-not-exist", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 404 and await resp.json() == {"detail": "Not Found"}
    async with http.delete(f"{sim.url}/api/heartbeat") as resp:
        assert resp.status == 403  # CSRF runs before routing, as in Starlette
    async with http.delete(f"{sim.url}/api/heartbeat", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 405 and await resp.json() == {"detail": "Method Not Allowed"}
    async with http.head(f"{sim.url}/api/heartbeat") as resp:
        assert resp.status == 405
    async with http.get(f"{sim.url}/api/roms/999999", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 404 and "detail" in await resp.json()
    async with http.get(f"{sim.url}/api/roms/abc", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 422
        assert (await resp.json())["detail"][0]["type"] == "int_parsing"


async def test_heartbeat_shape(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{sim.url}/api/heartbeat") as resp:
        assert resp.headers["Content-Type"] == "application/json"
        body = await resp.json()
    assert (
        body["METADATA_SOURCES"]["IGDB_API_ENABLED"] and body["METADATA_SOURCES"]["SS_API_ENABLED"]
    )
    assert body["EMULATION"]["DISABLE_EMULATOR_JS"] is False
    assert sorted(body["FILESYSTEM"]["FS_PLATFORMS"]) == sorted(
        p.fs_slug for p in sim.library.platforms.values()
    )


async def test_stats_hide_hidden_platforms_from_signed_in_users(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    hidden = next(p for p in sim.library.platforms.values() if p.hidden)
    async with http.get(f"{sim.url}/api/stats", headers=bearer(sim.admin_token)) as resp:
        admin = await resp.json()
    async with http.get(f"{sim.url}/api/stats", headers=basic("alice", "alice-password")) as resp:
        user = await resp.json()
    assert admin["PLATFORMS"] == 12 and user["PLATFORMS"] == 11
    assert user["ROMS"] == admin["ROMS"] - len(sim.library.roms_of(hidden.id))
    assert admin["TOTAL_FILESIZE_BYTES"] == sum(r.fs_size_bytes for r in sim.library.roms.values())
    assert admin["SAVES"] == sim.library.saves > 0


async def test_platforms_updated_after_is_a_change_signal(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    cutoff = datetime.fromtimestamp(time.time() - 1, UTC).isoformat()
    url = f"{sim.url}/api/platforms"
    async with http.get(
        url, params={"updated_after": cutoff}, headers=bearer(sim.admin_token)
    ) as resp:
        assert await resp.json() == []
    sim.library.rename_platform(1, "N64")
    async with http.get(
        url, params={"updated_after": cutoff}, headers=bearer(sim.admin_token)
    ) as resp:
        assert [p["display_name"] for p in await resp.json()] == ["N64"]
    # An unencoded "+" in the offset turns into a space: FastAPI rejects that datetime.
    raw = f"{url}?updated_after={cutoff}"
    async with http.get(raw, headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 422


async def test_plain_user_cannot_list_users_but_reads_the_library(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    alice = basic("alice", "alice-password")
    async with http.get(f"{sim.url}/api/users", headers=alice) as resp:
        assert resp.status == 403
    async with http.get(f"{sim.url}/api/firmware?platform_id=2", headers=alice) as resp:
        names = [f["file_name"] for f in await resp.json()]
    assert names == ["scph1001.bin", "scph5501.bin", "scph7001.bin"]
