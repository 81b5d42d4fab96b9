"""Fault knobs and the call log: what a client sees when RomM is slow, broken or gone."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from romm_comm.testing.romm_sim import RommSimulator

from .conftest import bearer


async def test_calls_are_recorded_with_status_and_query(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.reset_calls()
    sim.faults.latency = 0.05
    async with http.get(f"{sim.url}/api/roms?limit=3", headers=bearer(sim.admin_token)):
        pass
    async with http.get(f"{sim.url}/api/platforms"):
        pass
    assert [(c.method, c.path, c.query, c.status) for c in sim.calls] == [
        ("GET", "/api/roms", "limit=3", 200),
        ("GET", "/api/platforms", "", 401),
    ]
    assert all(c.duration_ms >= 50 for c in sim.calls), "the wait a client had, latency included"


async def test_json_answers_carry_server_timing(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/roms?limit=5", headers=bearer(sim.admin_token)) as resp:
        timing = resp.headers["Server-Timing"]
    assert timing.startswith("sim;dur=") and float(timing.split("=")[1]) >= 0


async def test_latency_is_added_to_api_calls_but_not_to_server_timing(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.latency = 0.1
    sim.reset_calls()
    async with http.get(f"{sim.url}/api/heartbeat") as resp:
        timing = float(resp.headers["Server-Timing"].split("=")[1])
    (call,) = sim.calls
    assert call.duration_ms >= 100, "the simulator held the answer for the added latency"
    assert timing <= call.duration_ms - 100, "Server-Timing leaves the added latency out"
    sim.faults.clear()
    assert sim.faults.latency == 0


async def test_fail_a_number_of_times_then_recover(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.fail(path_prefix="/api/roms", status=500, times=2)
    statuses = []
    for _ in range(3):
        async with http.get(f"{sim.url}/api/roms?limit=1", headers=bearer(sim.admin_token)) as resp:
            statuses.append(resp.status)
            if resp.status == 500:
                assert await resp.text() == "Internal Server Error"
    assert statuses == [500, 500, 200]
    async with http.get(f"{sim.url}/api/platforms", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200


async def test_fail_until_cleared_with_json_errors(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.fail(path_prefix="/api/platforms", status=401)
    for _ in range(3):
        async with http.get(f"{sim.url}/api/platforms", headers=bearer(sim.admin_token)) as resp:
            assert resp.status == 401 and (await resp.json())["detail"] == "Not authenticated"
    sim.faults.clear()
    async with http.get(f"{sim.url}/api/platforms", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200


async def test_malformed_json_is_a_200_that_does_not_parse(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.malformed_json = True
    for path in ("/api/heartbeat", "/api/roms?limit=2", "/api/stats"):
        async with http.get(f"{sim.url}{path}", headers=bearer(sim.admin_token)) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("application/json")
            text = await resp.text()
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


async def test_hang_times_out_the_client_until_cleared(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.faults.hang = True
    with pytest.raises(asyncio.TimeoutError):
        async with http.get(f"{sim.url}/api/heartbeat", timeout=aiohttp.ClientTimeout(total=0.3)):
            pass
    sim.faults.clear()
    async with http.get(f"{sim.url}/api/heartbeat") as resp:
        assert resp.status == 200


async def test_stop_releases_hanging_requests_and_closes_the_port(
    http: aiohttp.ClientSession,
) -> None:
    sim = RommSimulator()
    await sim.start()
    url = sim.url
    sim.faults.hang = True
    pending = asyncio.create_task(http.get(f"{url}/api/heartbeat"))
    await asyncio.sleep(0.1)
    # The hang has no end of its own: stop returns only because it lets hanging requests go
    # (else aiohttp's shutdown would wait for them, past the test's time limit).
    await sim.stop()
    with pytest.raises((aiohttp.ClientError, asyncio.TimeoutError)):
        resp = await pending
        resp.raise_for_status()
    with pytest.raises(aiohttp.ClientConnectorError):
        await http.get(f"{url}/api/heartbeat")
