"""`/health/live`, `/health/ready` and `/health`: real HTTP to the bot's web server, RomM
simulated over real HTTP and stopped (its port refusing connections) and started again."""

from __future__ import annotations

from typing import Any

import aiohttp

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any], str]:
    async with http.get(url) as resp:
        text = await resp.text()
        assert resp.headers["Cache-Control"] == "no-store"
        return resp.status, await resp.json(), text


async def test_ready_when_romm_store_and_front_ends_are(
    app: App, http: aiohttp.ClientSession
) -> None:
    base = app.services.downloads.gateway_base
    for path in ("/health/ready", "/health"):
        status, body, _ = await get(http, base + path)
        assert status == 200, body
        assert body["status"] == "ok" and body["romm_version"] == "5.2.0"
        assert body["checks"] == {"romm": "ok", "store": "ok", "front_ends": "ok"}
        assert body["download_links"] == "gateway"
    status, body, _ = await get(http, base + "/health/live")
    assert status == 200 and body["status"] == "alive"


async def test_romm_on_a_closed_port_is_503_then_200_when_it_returns(
    app: App, sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    base = app.services.downloads.gateway_base
    await sim.stop()  # the port now refuses connections
    status, body, text = await get(http, base + "/health/ready")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["romm"] == "RomM is not usable (RommUnreachable)"
    assert body["checks"]["store"] == "ok" and body["romm_version"] is None
    assert sim.url not in text and "127.0.0.1" not in text
    assert sim.admin_token and sim.admin_token not in text
    status, _, _ = await get(http, base + "/health")
    assert status == 503
    status, _, _ = await get(http, base + "/health/live")
    assert status == 200  # the process itself is fine
    await sim.start()
    status, body, _ = await get(http, base + "/health/ready")
    assert status == 200, body


async def test_a_front_end_that_is_not_connected_is_named(
    app: App, http: aiohttp.ClientSession
) -> None:
    base = app.services.downloads.gateway_base
    front_ends = app.services.front_ends
    front_ends.expect("discord")
    status, body, _ = await get(http, base + "/health/ready")
    assert status == 503
    assert body["checks"]["front_ends"] == "not connected: discord"
    assert body["front_ends"] == {"discord": False}
    front_ends.connected("discord")
    status, body, _ = await get(http, base + "/health/ready")
    assert status == 200 and body["front_ends"] == {"discord": True}
    front_ends.connected("discord", False)  # a dropped gateway connection
    status, _, _ = await get(http, base + "/health/ready")
    assert status == 503
