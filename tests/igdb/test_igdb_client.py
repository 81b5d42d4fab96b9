"""The IGDB client against the IGDB/Twitch simulator over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from romm_comm.igdb import IgdbAuthError, IgdbClient, IgdbUnavailable
from romm_comm.igdb.throttle import WindowThrottle
from romm_comm.testing.igdb_sim import IgdbSimulator
from tests.helpers.clock import Clock
from tests.helpers.igdb_throttle import SteppedThrottle


@pytest.fixture
async def igdb() -> AsyncIterator[IgdbSimulator]:
    async with IgdbSimulator() as running:
        yield running


def client_for(
    sim: IgdbSimulator,
    secret: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    throttle: WindowThrottle | None = None,
) -> IgdbClient:
    return IgdbClient(
        sim.client_id,
        SecretStr(secret or sim.client_secret),
        api_url=sim.api_url,
        token_url=sim.token_url,
        retry_pause=0.05,
        clock=clock,
        throttle=throttle,
    )


async def test_token_in_the_body_cached_and_never_logged(
    igdb: IgdbSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(igdb)
    try:
        found = await client.search_games("final fantasy", 7)
        await client.search_games("chrono", 7)
        await client.game_list("popular")
    finally:
        await client.close()
    assert [g.name for g in found] == [
        "Final Fantasy VII",
        "Final Fantasy VIII",
        "Final Fantasy IX",
    ]
    assert found[0].cover_url == "https://images.igdb.com/igdb/image/upload/t_cover_big/co1qxr.jpg"
    assert found[0].year == 1997 and found[0].platform_labels() == [
        "PlayStation",
        "PC (Microsoft Windows)",
    ]
    assert len(igdb.token_requests) == 1, "one token for many queries"
    request = igdb.token_requests[0]
    assert not request.secret_in_url
    assert request.form_keys == ("client_id", "client_secret", "grant_type")
    assert igdb.client_secret not in caplog.text
    assert "Bearer" not in caplog.text
    assert all(igdb.client_secret not in c.body for c in igdb.calls)


async def test_an_expired_token_is_renewed_once(igdb: IgdbSimulator) -> None:
    client = client_for(igdb)
    try:
        await client.search_games("tetris")
        igdb.expire_tokens()
        again = await client.search_games("tetris")
    finally:
        await client.close()
    assert again and again[0].name == "Tetris"
    assert len(igdb.token_requests) == 2
    assert [c.status for c in igdb.calls] == [200, 401, 200]


async def test_a_token_is_renewed_shortly_before_it_expires(igdb: IgdbSimulator) -> None:
    igdb.token_ttl = 1  # renewed 0.1 s before the end
    clock = Clock(1000.0)
    igdb.clock = clock
    client = client_for(igdb, clock=clock)
    try:
        await client.search_games("tetris")
        clock.advance(0.95)  # still valid at IGDB, but within the margin
        await client.search_games("tetris")
    finally:
        await client.close()
    assert len(igdb.token_requests) == 2
    assert all(c.status == 200 for c in igdb.calls), "no call was refused for an old token"


async def test_wrong_credentials_are_a_clear_error(igdb: IgdbSimulator) -> None:
    client = client_for(igdb, secret="not-the-secret")
    try:
        with pytest.raises(IgdbAuthError) as caught:
            await client.search_games("tetris")
    finally:
        await client.close()
    assert "IGDB_CLIENT_SECRET" in caught.value.user_message
    assert igdb.calls == [], "no IGDB call without a token"


async def test_no_more_than_four_requests_a_second(igdb: IgdbSimulator) -> None:
    # One clock for the throttle and the simulator's limit, moved only once the requests
    # let through were answered (see SteppedThrottle): the spacing is checked exactly,
    # whatever the machine's load adds.
    stepped = SteppedThrottle()
    igdb.rate_clock = stepped.clock
    client = client_for(igdb, throttle=stepped.throttle)
    try:
        results = await asyncio.gather(*(client.search_games("mario") for _ in range(9)))
    finally:
        await client.close()
    assert all(results)
    assert igdb.max_per_second() <= 4 and igdb.rate_limited == 0
    assert len(igdb.calls) == 9 and stepped.windows == 2, "nine requests take three windows"


async def test_busy_is_retried_and_failures_are_typed(igdb: IgdbSimulator) -> None:
    client = client_for(igdb)
    try:
        igdb.faults.fail_next(429, "games")
        assert await client.search_games("celeste")
        igdb.faults.fail_next(500, "games")
        with pytest.raises(IgdbUnavailable):
            await client.search_games("celeste")
    finally:
        await client.close()


async def test_search_text_is_quoted_not_injected(igdb: IgdbSimulator) -> None:
    client = client_for(igdb)
    try:
        found = await client.search_games('The "Quoted" Game')
        nothing = await client.search_games('x"; where id = 1074; limit 500; search "mario')
    finally:
        await client.close()
    assert [g.name for g in found] == ['The "Quoted" Game']
    assert nothing == []
    assert 'search "The \\"Quoted\\" Game";' in igdb.calls[0].body


async def test_lists(igdb: IgdbSimulator) -> None:
    client = client_for(igdb)
    now = datetime.now(UTC)
    try:
        upcoming = await client.game_list("upcoming")
        recent = await client.game_list("recent")
        popular = await client.game_list("popular", 4)
        exclusives = await client.game_list("exclusives", 167)
    finally:
        await client.close()
    dates = [g.released for g in upcoming]
    assert dates and all(d is not None and d > now for d in dates) and dates == sorted(dates)  # type: ignore[type-var]
    assert all(g.released and now - timedelta(days=90) < g.released <= now for g in recent)
    assert popular[0].name == "The Legend of Zelda: Ocarina of Time"
    assert "Super Mario 64: Shindou Pak Taiou Version" not in [g.name for g in popular]
    assert {g.name for g in exclusives} == {"Demon's Souls", "Lanterns of Aster"}
    assert all([p.id for p in g.platforms] == [167] for g in exclusives)
