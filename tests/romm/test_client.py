"""The RomM client against the simulator over real HTTP: auth, encoding, versions, faults."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from romm_comm.romm.auth import Credentials
from romm_comm.romm.client import RommClient
from romm_comm.romm.errors import (
    RommAuthError,
    RommBadResponse,
    RommForbidden,
    RommNotFound,
    RommServerError,
    RommTimeout,
    RommUnreachable,
)
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.helpers.clock import Clock

TRICKY = [
    ("Tom & Jerry", "Tom & Jerry"),
    ("C#", "C# Quest"),
    ("Mario + Tetris", "Dr. Mario + Tetris"),
    ("100%", "100% Orange Juice"),
    ("Link's", "Link's Awakening"),
    ('"Quoted"', 'The "Quoted" Game'),
    ("Pokémon Ranger", "Pokémon Ranger"),
    ("ドラゴンクエスト", "ドラゴンクエスト"),
]


def token_client(sim: RommSimulator, **kwargs: object) -> RommClient:
    assert sim.admin_token is not None
    return RommClient(sim.url, Credentials(token=SecretStr(sim.admin_token)), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
async def client(sim: RommSimulator) -> AsyncIterator[RommClient]:
    async with token_client(sim, timeout=2.0) as c:
        yield c


def roms_queries(sim: RommSimulator) -> list[dict[str, list[str]]]:
    return [parse_qs(c.query) for c in sim.calls if c.path == "/api/roms"]


@pytest.mark.parametrize(("term", "expected"), TRICKY)
async def test_special_characters_reach_romm_intact(
    sim: RommSimulator, client: RommClient, term: str, expected: str
) -> None:
    sim.reset_calls()
    page = await client.search_roms(term)
    assert any(expected in (rom.name or "") for rom in page.items), [r.name for r in page.items]
    queries = roms_queries(sim)
    assert len(queries) == 1
    assert queries[0]["search_term"] == [term]
    assert queries[0]["with_rom_id_index"] == ["false"]


async def test_search_filters_by_platform_with_the_name_the_version_expects(
    sim: RommSimulator, client: RommClient
) -> None:
    platforms = await client.platforms()
    n64 = next(p for p in platforms if p.slug == "n64")
    sim.reset_calls()
    page = await client.search_roms("mario", n64.id)
    assert page.items and all(r.platform_id == n64.id for r in page.items)
    assert roms_queries(sim)[0]["platform_ids"] == [str(n64.id)]


async def test_old_romm_gets_platform_id_and_tolerated_fields() -> None:
    async with (
        RommSimulator(library=LibrarySpec(roms=60, platforms=8, seed=2), version="4.3.0") as old,
        RommClient(
            old.url,
            Credentials(username=old.admin_username, password=SecretStr(old.admin_password)),
        ) as c,
    ):
        platforms = await c.platforms()
        psx = next(p for p in platforms if p.slug == "psx")
        page = await c.search_roms("final fantasy", psx.id)
        assert page.items and all(r.platform_id == psx.id for r in page.items)
        assert roms_queries(old)[-1]["platform_id"] == [str(psx.id)]
        ff7 = next(
            r for r in page.items if "VII" in (r.name or "") and "VIII" not in (r.name or "")
        )
        detail = await c.rom(ff7.id)
        assert detail.has_multiple_files and len(detail.files) == 6
        rom = await c.random_rom(psx.id)
        assert rom is not None and rom.platform_id == psx.id
        assert not any(call.path == "/api/roms/random" for call in old.calls)


async def test_random_uses_the_random_endpoint_on_new_romm(
    sim: RommSimulator, client: RommClient
) -> None:
    sim.reset_calls()
    rom = await client.random_rom()
    assert rom is not None
    assert [c.path for c in sim.calls if c.path.startswith("/api/roms")] == ["/api/roms/random"]


async def test_password_grant_and_wrong_password(sim: RommSimulator) -> None:
    good = Credentials(username=sim.admin_username, password=SecretStr(sim.admin_password))
    async with RommClient(sim.url, good) as c:
        me = await c.me()
        assert me.username == sim.admin_username
        assert c.auth.mode == "oauth"
    assert any(call.path == "/api/token" and call.status == 200 for call in sim.calls)
    bad = Credentials(username=sim.admin_username, password=SecretStr("wrong"))
    async with RommClient(sim.url, bad) as c:
        with pytest.raises(RommAuthError) as caught:
            await c.me()
    assert "ROMM_PASSWORD is wrong for user admin: RomM answered 401" in caught.value.detail


async def test_basic_auth_when_the_token_endpoint_is_unusable(sim: RommSimulator) -> None:
    sim.faults.fail(path_prefix="/api/token", status=404)
    creds = Credentials(username=sim.admin_username, password=SecretStr(sim.admin_password))
    async with RommClient(sim.url, creds) as c:
        assert len(await c.platforms()) > 0
        assert c.auth.mode == "basic"


async def test_a_revoked_token_is_an_auth_error(sim: RommSimulator) -> None:
    async with RommClient(sim.url, Credentials(token=SecretStr("rmm_" + "0" * 64))) as c:
        with pytest.raises(RommAuthError):
            await c.platforms()


async def test_missing_scope_is_forbidden_not_auth(sim: RommSimulator) -> None:
    token = sim.make_token(["platforms.read", "roms.read"])
    async with RommClient(sim.url, Credentials(token=SecretStr(token))) as c:
        assert await c.platforms()
        with pytest.raises(RommForbidden):
            await c.users()


async def test_cache_and_single_flight(sim: RommSimulator, client: RommClient) -> None:
    import asyncio

    sim.reset_calls()
    results = await asyncio.gather(*(client.platforms() for _ in range(10)))
    assert all(r == results[0] for r in results)
    await client.platforms()
    assert sum(1 for c in sim.calls if c.path == "/api/platforms") == 1
    client.invalidate()
    await client.platforms()
    assert sum(1 for c in sim.calls if c.path == "/api/platforms") == 2


async def test_server_errors_timeouts_and_garbage(sim: RommSimulator) -> None:
    async with token_client(sim, timeout=0.5) as c:
        sim.faults.fail(path_prefix="/api/roms", status=500)
        with pytest.raises(RommServerError):
            await c.search_roms("mario")
        sim.faults.clear()
        sim.faults.malformed_json = True
        with pytest.raises(RommBadResponse):
            await c.search_roms("mario")
        sim.faults.clear()
        sim.faults.hang = True
        with pytest.raises(RommTimeout):
            await c.search_roms("mario")
        sim.faults.clear()
        with pytest.raises(RommNotFound):
            await c.rom(999_999)


async def test_transient_503_is_retried(sim: RommSimulator, client: RommClient) -> None:
    sim.reset_calls()
    sim.faults.fail(path_prefix="/api/stats", status=503, times=1)
    stats = await client.stats()
    assert stats.roms > 0
    assert [c.status for c in sim.calls if c.path == "/api/stats"] == [503, 200]


async def test_unreachable_romm(sim: RommSimulator) -> None:
    url = sim.url
    await sim.stop()
    async with RommClient(url, Credentials(token=SecretStr("rmm_" + "1" * 64)), retries=1) as c:
        with pytest.raises(RommUnreachable):
            await c.heartbeat()


async def test_heartbeat_sets_capabilities(sim: RommSimulator, client: RommClient) -> None:
    info = await client.heartbeat()
    caps = await client.capabilities()
    assert info.version == "5.2.0"
    assert caps.random_endpoint and caps.multi_platform_filter and caps.client_tokens
    assert info.metadata_sources.get("IGDB_API_ENABLED") is True


async def test_an_expiring_oauth_token_is_renewed_without_failing_a_call(
    sim: RommSimulator,
) -> None:
    sim.access_token_expiry = 2
    clock = Clock(time.time())
    sim.auth.clock = clock
    creds = Credentials(username=sim.admin_username, password=SecretStr(sim.admin_password))
    async with RommClient(sim.url, creds, clock=clock) as c:
        assert (await c.me()).username == "admin"
        clock.advance(2.2)  # past the server-side expiry: the old token would get 401
        assert (await c.me()).username == "admin"
    token_calls = [call.status for call in sim.calls if call.path == "/api/token"]
    api_statuses = [call.status for call in sim.calls if call.path == "/api/users/me"]
    assert token_calls == [200, 200], "one login, one refresh"
    assert api_statuses == [200, 200], "no call failed on the way"
