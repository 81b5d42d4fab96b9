"""A platform's whole IGDB list: the simulator behaves like IGDB (limit/offset/where/sort,
/count, 429 past 4 a second), the throttle spaces calls (checked on a hand-moved clock), and
the client fetches 5,000 games without one 429."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr

from romm_comm.igdb import IgdbClient, IgdbError
from romm_comm.igdb.throttle import WindowThrottle
from romm_comm.testing.igdb_sim import IgdbSimulator
from tests.helpers.clock import Clock
from tests.helpers.igdb_throttle import SteppedThrottle

BIG = 29  # Sega Mega Drive: no hand-made games, so exactly the generated ones


@pytest.fixture
async def igdb() -> AsyncIterator[IgdbSimulator]:
    async with IgdbSimulator(platform_lists={BIG: 5_000}, seed=1) as running:
        yield running


def client_for(sim: IgdbSimulator) -> IgdbClient:
    return IgdbClient(
        sim.client_id, SecretStr(sim.client_secret), api_url=sim.api_url, token_url=sim.token_url
    )


def test_the_generated_list_is_seeded_and_realistic() -> None:
    one = IgdbSimulator(platform_lists={BIG: 2_000}, seed=5).platform_games(BIG)
    two = IgdbSimulator(platform_lists={BIG: 2_000}, seed=5).platform_games(BIG)
    other = IgdbSimulator(platform_lists={BIG: 2_000}, seed=6).platform_games(BIG)
    assert one == two and one != other
    generated = [g for g in one if g["id"] >= 10_000_000]
    assert len(generated) == len(one) == 2_000
    types = {g["game_type"] for g in generated}
    assert {0, 1, 8, 11} <= types
    main = [g for g in generated if g["game_type"] == 0 and "version_parent" not in g]
    assert 0.6 < len(main) / len(generated) < 0.8
    assert any("version_parent" in g for g in generated)
    remakes = [g for g in generated if g["game_type"] == 8]
    names = {g["name"] for g in main}
    assert all(r["name"] in names for r in remakes), "a remake bears its original's name"
    assert all(g["category"] == g["game_type"] for g in generated)


async def test_the_simulator_pages_counts_and_limits_like_igdb(igdb: IgdbSimulator) -> None:
    client = client_for(igdb)
    try:
        (count,) = await client.query("games/count", f"where platforms = ({BIG});")
        assert count == {"count": len(igdb.platform_games(BIG))}
        body = f"fields name,game_type; where platforms = ({BIG}) & game_type = 0; sort id asc;"
        first = await client.query("games", body + " limit 500;")
        second = await client.query("games", body + " limit 500; offset 500;")
        assert len(first) == 500 and first[-1]["id"] < second[0]["id"]
        assert all(set(g) == {"id", "name", "game_type"} and g["game_type"] == 0 for g in first)
        rated = await client.query(
            "games", f"fields total_rating; where platforms = ({BIG}); sort total_rating desc;"
        )
        values = [g["total_rating"] for g in rated]
        assert len(values) == 10 and values == sorted(values, reverse=True)  # default limit
        with pytest.raises(IgdbError) as refused:
            await client.query("games", "fields name; limit 501;")
        assert refused.value.status == 400
    finally:
        await client.close()


async def test_the_simulator_answers_429_past_four_a_second(igdb: IgdbSimulator) -> None:
    held = Clock(50.0)
    igdb.rate_clock = held  # every call lands in the same instant
    token = igdb.issue_token()
    headers = {"Client-ID": igdb.client_id, "Authorization": f"Bearer {token}"}
    statuses = []
    async with aiohttp.ClientSession() as http:
        for _ in range(6):
            async with http.post(
                f"{igdb.api_url}/games", data="fields name;", headers=headers
            ) as r:
                statuses.append(r.status)
        held.advance(1.0)
        async with http.post(f"{igdb.api_url}/games", data="fields name;", headers=headers) as r:
            statuses.append(r.status)
    assert statuses == [200, 200, 200, 200, 429, 429, 200]


async def test_the_throttle_spaces_starts_on_a_moved_clock() -> None:
    clock = Clock(0.0)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    throttle = WindowThrottle(4, clock=clock, sleep=sleep)
    starts: list[float] = []

    async def one() -> None:
        async with throttle.slot() as at:
            starts.append(at)

    await asyncio.gather(*(one() for _ in range(10)))
    assert len(starts) == 10
    assert starts[:4] == [0.0] * 4 and starts[4:8] == [1.1] * 4 and starts[8:] == [2.2] * 2
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s - start < 1.0) <= 4


async def test_an_open_request_holds_its_place_until_it_is_answered() -> None:
    # IGDB counts a request when it arrives, which may be long after the throttle let it go:
    # the window is counted from the answer, so a 5th never lands in the same IGDB second.
    clock = Clock(0.0)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    throttle = WindowThrottle(4, clock=clock, sleep=sleep)
    inside = [asyncio.Event() for _ in range(4)]
    answer = asyncio.Event()
    starts: list[float] = []

    async def slow(entered: asyncio.Event) -> None:
        async with throttle.slot() as at:
            starts.append(at)
            entered.set()
            await answer.wait()  # still on its way to IGDB, or IGDB still answering

    async def fifth() -> None:
        async with throttle.slot() as at:
            starts.append(at)

    held = [asyncio.create_task(slow(e)) for e in inside]
    for entered in inside:
        await entered.wait()
    clock.advance(5.0)  # long past the window in which the four were let go
    waiting = asyncio.create_task(fifth())
    answer.set()
    await asyncio.gather(*held, waiting)
    assert starts == [0.0] * 4 + [6.1], "one window and the margin after the answers"


async def test_five_thousand_games_in_eleven_calls_without_a_429(igdb: IgdbSimulator) -> None:
    # One clock for the throttle and the simulator's limit (see SteppedThrottle): the
    # spacing IGDB sees is checked exactly, whatever the machine's load adds.
    stepped = SteppedThrottle()
    igdb.rate_clock = stepped.clock
    client = IgdbClient(
        igdb.client_id,
        SecretStr(igdb.client_secret),
        api_url=igdb.api_url,
        token_url=igdb.token_url,
        throttle=stepped.throttle,
    )
    try:
        games = await client.platform_games(BIG)
    finally:
        await client.close()
    truth = igdb.platform_games(BIG)
    assert [g.id for g in games] == [g["id"] for g in truth]
    assert len(igdb.calls_to("games")) == 10 and len(igdb.calls_to("games/count")) == 1
    assert igdb.rate_limited == 0 and igdb.max_per_second() <= 4
    assert stepped.windows == 2, "eleven calls take three windows"
    by_id = {g["id"]: g for g in truth}
    sample = games[1234]
    assert sample.name == by_id[sample.id]["name"]
    assert sample.rating_count == by_id[sample.id]["total_rating_count"]
