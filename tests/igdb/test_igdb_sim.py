"""The IGDB simulator answers like IGDB where the client depends on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from romm_comm.testing.igdb_sim import IgdbSimulator


@pytest.fixture
async def igdb() -> AsyncIterator[IgdbSimulator]:
    async with IgdbSimulator() as running:
        yield running


async def _token(session: aiohttp.ClientSession, sim: IgdbSimulator) -> str:
    form = {
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "grant_type": "client_credentials",
    }
    async with session.post(sim.token_url, data=form) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    return str(body["access_token"])


async def test_platforms_covers_and_query_errors(igdb: IgdbSimulator) -> None:
    async with aiohttp.ClientSession() as session:
        token = await _token(session, igdb)
        headers = {"Client-ID": igdb.client_id, "Authorization": f"Bearer {token}"}

        async def post(endpoint: str, body: str, **extra: str) -> tuple[int, object]:
            async with session.post(
                f"{igdb.api_url}/{endpoint}", data=body, headers={**headers, **extra}
            ) as resp:
                return resp.status, await resp.json()

        status, platforms = await post("platforms", "fields name,abbreviation; where id = (4,7);")
        assert status == 200
        assert platforms == [
            {"id": 4, "name": "Nintendo 64", "abbreviation": "N64"},
            {"id": 7, "name": "PlayStation", "abbreviation": "PS1"},
        ]
        status, covers = await post("covers", "fields image_id,game; where game = 1074;")
        assert covers == [{"id": 501074, "image_id": "co721v", "game": 1074}]
        status, games = await post("games", "fields name,cover.image_id; where id = 427;")
        assert games == [
            {"id": 427, "name": "Final Fantasy VII", "cover": {"id": 500427, "image_id": "co1qxr"}}
        ]
        status, error = await post("games", "fields name; where name = ;")
        assert status == 400 and "Syntax Error" in str(error)
        burst = await asyncio.gather(*(post("games", "fields name;") for _ in range(6)))
        statuses = [code for code, _ in burst]
        assert statuses.count(429) >= 2, "more than 4 calls in a second are refused, as IGDB does"
        igdb.enforce_rate_limit = False
        status, _ = await post("games", "fields name;", Authorization="Bearer nope")
        assert status == 401


async def test_secrets_in_the_url_are_noticed(igdb: IgdbSimulator) -> None:
    async with aiohttp.ClientSession() as session:
        params = {
            "client_id": igdb.client_id,
            "client_secret": igdb.client_secret,
            "grant_type": "client_credentials",
        }
        async with session.post(igdb.token_url, params=params) as resp:
            assert resp.status == 200  # Twitch accepts it; the bot must not do it
    assert igdb.token_requests[-1].secret_in_url
