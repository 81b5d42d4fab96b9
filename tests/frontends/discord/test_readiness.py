"""The Discord front end reports its connection to `/health/ready`: expected from the start,
connected once ready, not connected once it stops."""

from __future__ import annotations

import aiohttp

from tests.frontends.discord.conftest import Harness


async def ready_status(base: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/health/ready") as resp:
        return resp.status, await resp.json()


async def test_ready_names_discord_until_it_is_connected(harness: Harness) -> None:
    run = await harness.start()
    app = run.app
    assert app.services.front_ends.state() == {"discord": True}
    base = app.services.downloads.gateway_base
    assert (await ready_status(base))[0] == 200
    run.stop.set()
    await run.task  # the front end has stopped; the web server still runs
    status, body = await ready_status(base)
    assert status == 503
    assert body["checks"] == {"romm": "ok", "store": "ok", "front_ends": "not connected: discord"}
    await harness.stop(run)
