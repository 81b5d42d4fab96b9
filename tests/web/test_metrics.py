"""`/metrics`: Prometheus text parsed with prometheus-client's own parser, checked after a
download through the gateway and a command; the optional bearer token."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from romm_comm.app.root import App, web_options
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator

from ..conftest import create_app, settings_for
from .conftest import rom_by_fs_name, rom_link

MARIO = "Super Mario 64 (USA).z64"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(http: aiohttp.ClientSession, app: App, token: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    base = app.services.downloads.gateway_base
    async with http.get(f"{base}/metrics", headers=headers) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain; version=")
        text = await resp.text()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_a_command_and_a_download_are_counted(
    app: App, sim: RommSimulator, member_ctx: Context, http: aiohttp.ClientSession
) -> None:
    before = await scrape(http, app)
    assert value(before, "process_resident_memory_bytes") > 0  # process metrics are there
    reply = await app.registry.run(member_ctx, "stats", {})
    assert reply.tone != "error"
    await app.registry.run(member_ctx, "no-such-command", {})
    url = await rom_link(app, rom_by_fs_name(sim, MARIO))
    async with http.get(url) as resp:
        assert resp.status == 200
        size = len(await resp.read())
    assert app.web is not None
    await app.web.gateway.settle()
    after = await scrape(http, app)
    ok = {"command": "stats", "front_end": "test", "outcome": "ok"}
    assert value(after, "romm_comm_commands_total", **ok) == 1
    unknown = {"command": "unknown", "front_end": "test", "outcome": "unknown"}
    assert value(after, "romm_comm_commands_total", **unknown) == 1
    latency = {"command": "stats", "front_end": "test"}
    assert value(after, "romm_comm_command_duration_seconds_count", **latency) == 1
    assert value(after, "romm_comm_downloads_started_total", kind="rom") == 1
    assert value(after, "romm_comm_downloads_completed_total", kind="rom") == 1
    assert value(after, "romm_comm_download_bytes_total", kind="rom") == size
    stats_call = {"service": "romm", "endpoint": "/api/stats", "status": "200"}
    assert value(after, "romm_comm_upstream_calls_total", **stats_call) >= 1
    rom_call = {"service": "romm", "endpoint": "/api/roms/{id}", "status": "200"}
    assert value(after, "romm_comm_upstream_calls_total", **rom_call) >= 1
    assert value(after, "romm_comm_romm_cache_lookups_total", result="miss") >= 1
    assert value(after, "romm_comm_http_responses_total", status="200") >= 2
    assert value(after, "romm_comm_game_requests", status="pending") == 0


async def test_problem_reports_are_counted_by_status(
    app: App, member_ctx: Context, admin_ctx: Context, http: aiohttp.ClientSession
) -> None:
    for game in ("chrono trigger", "celeste"):
        sent = await app.registry.run(
            member_ctx, "report", {"game": game, "problem": "broken file"}
        )
        assert sent.tone == "success", sent.text
    await app.registry.act(admin_ctx, "rep:2:ack")
    samples = await scrape(http, app)
    assert value(samples, "romm_comm_problem_reports", status="open") == 1
    assert value(samples, "romm_comm_problem_reports", status="acknowledged") == 1
    assert value(samples, "romm_comm_problem_reports", status="resolved") == 0


async def test_romm_down_is_counted_with_its_retries(
    sim: RommSimulator, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    # A readiness deadline far beyond the three quick refusals, so a slow machine does not
    # cut the retries short and change the counts.
    app = await create_app(settings_for(sim, tmp_path, api_timeout=30.0))
    await app.start()
    try:
        await sim.stop()
        async with http.get(f"{app.services.downloads.gateway_base}/health/ready") as resp:
            assert resp.status == 503
        samples = await scrape(http, app)
    finally:
        await app.close()
    down = {"service": "romm", "endpoint": "/api/heartbeat", "status": "unreachable"}
    assert value(samples, "romm_comm_upstream_calls_total", **down) == 3  # 1 + 2 retries
    retried = {"service": "romm", "endpoint": "/api/heartbeat"}
    assert value(samples, "romm_comm_upstream_retries_total", **retried) == 2
    assert value(samples, "romm_comm_http_responses_total", status="503") == 1


async def test_a_front_end_connection_is_a_gauge(app: App, http: aiohttp.ClientSession) -> None:
    app.services.front_ends.expect("discord")
    assert value(await scrape(http, app), "romm_comm_front_end_connected", front_end="discord") == 0
    app.services.front_ends.connected("discord")
    assert value(await scrape(http, app), "romm_comm_front_end_connected", front_end="discord") == 1


async def test_metrics_token_is_required_when_set(
    sim: RommSimulator, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    token = "metrics-secret-0123456789"
    app = await App.create(settings_for(sim, tmp_path, metrics_token=SecretStr(token)))
    await app.start()
    try:
        url = f"{app.services.downloads.gateway_base}/metrics"
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
            async with http.get(url, headers=headers) as resp:
                assert resp.status == 401
                assert resp.headers["WWW-Authenticate"].startswith("Bearer")
                assert token not in await resp.text()
        samples = await scrape(http, app, token)
        assert value(samples, "romm_comm_http_responses_total", status="401") == 3
        assert token not in repr(web_options(app.settings))
    finally:
        await app.close()


def test_the_sample_grafana_dashboard_only_uses_metrics_that_exist() -> None:
    import json
    import re

    from romm_comm.web.metrics import Metrics

    root = Path(__file__).resolve().parents[2]
    dashboard = json.loads((root / "contrib" / "grafana" / "romm-comm.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {name for e in exprs for name in re.findall(r"\b(?:romm_comm|process)_\w+", e)}
    metrics = Metrics()
    metrics.game_requests.labels("pending").set(0)  # labelled families show once used
    exposed = set()
    for family in metrics.registry.collect():
        exposed |= {family.name, f"{family.name}_total", f"{family.name}_bucket"}
    assert used - exposed == set()
