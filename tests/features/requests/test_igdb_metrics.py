"""IGDB calls show in /metrics (parsed with prometheus-client's parser): by endpoint and
status, with their latency, beside the /igdb command that made them."""

from __future__ import annotations

import aiohttp

from romm_comm.app.root import App
from tests.web.test_metrics import scrape, value

from .conftest import ALICE, ctx


async def test_igdb_calls_are_counted_by_endpoint_and_status(rapp: App) -> None:
    reply = await rapp.registry.run(ctx(rapp, ALICE), "igdb", {})
    assert reply.tone != "error"
    async with aiohttp.ClientSession() as http:
        samples = await scrape(http, rapp)
    calls = {
        dict(labels)["endpoint"]: count
        for (name, labels), count in samples.items()
        if name == "romm_comm_upstream_calls_total" and dict(labels)["service"] == "igdb"
    }
    assert calls, "no IGDB call counted"
    assert set(calls) == {"games"}  # IGDB's endpoint names, never a game or a query
    games = {"service": "igdb", "endpoint": "games", "status": "200"}
    assert value(samples, "romm_comm_upstream_calls_total", **games) >= 1
    timed = {"service": "igdb", "endpoint": "games"}
    assert value(samples, "romm_comm_upstream_call_duration_seconds_count", **timed) >= 1
    command = {"command": "igdb", "front_end": "test", "outcome": "ok"}
    assert value(samples, "romm_comm_commands_total", **command) == 1
