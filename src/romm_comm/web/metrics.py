"""Prometheus metrics for one running bot, in a CollectorRegistry of its own (not the
process-wide default), so two Apps in one process, as in the tests, count separately.

The parts that do the work know nothing of Prometheus: the composition root hands them the
observers here (`romm`, `igdb`, `command`, `scan_ended`, `account_action`, `front_end`) and
the gateway reports downloads. Game requests by status are read from the store at scrape
time. `/metrics` answers in the Prometheus text format, behind `METRICS_TOKEN` when set."""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector

from ..features.reports.models import STATUSES as REPORT_STATUSES
from ..features.requests.models import STATUSES

if TYPE_CHECKING:
    from ..features.reports.service import ReportService
    from ..features.requests.service import RequestService
    from ..features.scans.models import ScanRun

log = logging.getLogger(__name__)

NS = "romm_comm"
LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
del GC_COLLECTOR  # the global one; each registry gets its own below


class ClientCalls:
    """A `CallObserver` (common/observe.py) for one upstream service."""

    def __init__(self, metrics: Metrics, service: str) -> None:
        self._calls = metrics.upstream_calls
        self._latency = metrics.upstream_latency
        self._retries = metrics.upstream_retries
        self._cache = metrics.romm_cache
        self.service = service

    def call(self, endpoint: str, status: str, seconds: float) -> None:
        self._calls.labels(self.service, endpoint, status).inc()
        self._latency.labels(self.service, endpoint).observe(seconds)

    def retry(self, endpoint: str) -> None:
        self._retries.labels(self.service, endpoint).inc()

    def cache(self, hit: bool) -> None:
        self._cache.labels("hit" if hit else "miss").inc()


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        self.commands = self._counter(
            "commands",
            "Commands and buttons run, by name, front end and outcome",
            ["command", "front_end", "outcome"],
        )
        self.command_latency = self._histogram(
            "command_duration_seconds",
            "Time to answer a command or button",
            ["command", "front_end"],
        )
        self.upstream_calls = self._counter(
            "upstream_calls",
            "HTTP calls to RomM and IGDB, by endpoint and status (or timeout/unreachable)",
            ["service", "endpoint", "status"],
        )
        self.upstream_latency = self._histogram(
            "upstream_call_duration_seconds",
            "Time of one HTTP call to RomM or IGDB",
            ["service", "endpoint"],
        )
        self.upstream_retries = self._counter(
            "upstream_retries", "Calls sent again after a failure", ["service", "endpoint"]
        )
        self.romm_cache = self._counter(
            "romm_cache_lookups", "Answers looked up in the RomM client's cache", ["result"]
        )
        self.downloads_started = self._counter(
            "downloads_started", "Downloads the gateway began to send", ["kind"]
        )
        self.downloads_completed = self._counter(
            "downloads_completed", "Downloads sent to the end", ["kind"]
        )
        self.download_bytes = self._counter(
            "download_bytes", "Bytes sent by the download gateway", ["kind"]
        )
        self.scans = self._counter(
            "scans", "Scans that ended, by type and outcome", ["type", "outcome"]
        )
        self.game_requests = self._gauge(
            "game_requests", "Game requests in the store, by status", ["status"]
        )
        self.problem_reports = self._gauge(
            "problem_reports", "Problem reports on library games, by status", ["status"]
        )
        self.account_actions = self._counter(
            "account_actions",
            "Account actions carried out, by kind and outcome",
            ["action", "outcome"],
        )
        self.front_ends = self._gauge(
            "front_end_connected",
            "1 while a front end is connected, 0 while it is not",
            ["front_end"],
        )
        self.http_responses = self._counter(
            "http_responses", "Answers of the bot's web server, by status", ["status"]
        )
        self.romm = ClientCalls(self, "romm")
        self.igdb = ClientCalls(self, "igdb")
        self.requests: RequestService | None = None
        self.reports: ReportService | None = None

    def _counter(self, name: str, doc: str, labels: list[str]) -> Counter:
        return Counter(f"{NS}_{name}", doc, labels, registry=self.registry)

    def _gauge(self, name: str, doc: str, labels: list[str]) -> Gauge:
        return Gauge(f"{NS}_{name}", doc, labels, registry=self.registry)

    def _histogram(self, name: str, doc: str, labels: list[str]) -> Histogram:
        return Histogram(f"{NS}_{name}", doc, labels, buckets=LATENCY, registry=self.registry)

    # --- observers handed out by the composition root -------------------------------------
    def command(self, name: str, front_end: str, outcome: str, seconds: float) -> None:
        self.commands.labels(name, front_end, outcome).inc()
        self.command_latency.labels(name, front_end).observe(seconds)

    async def scan_ended(self, run: ScanRun) -> None:
        kind = run.label.split(" of ", 1)[0] if run.started_by else "started in RomM"
        self.scans.labels(kind.lower(), run.outcome).inc()

    def account_action(self, action: str, outcome: str) -> None:
        self.account_actions.labels(action, outcome).inc()

    def front_end(self, name: str, connected: bool) -> None:
        self.front_ends.labels(name).set(1 if connected else 0)

    def download_started(self, kind: str) -> None:
        self.downloads_started.labels(kind).inc()

    def download_finished(self, kind: str, sent: int, completed: bool) -> None:
        self.download_bytes.labels(kind).inc(sent)
        if completed:
            self.downloads_completed.labels(kind).inc()

    # --- serving --------------------------------------------------------------------------
    async def refresh(self) -> None:
        """What is read at scrape time: game requests and problem reports by status."""
        if self.requests is not None:
            counts = await self.requests.counts_by_status()
            for status in STATUSES:
                self.game_requests.labels(status).set(counts.get(status, 0))
        if self.reports is not None:
            counts = await self.reports.counts_by_status()
            for state in REPORT_STATUSES:
                self.problem_reports.labels(state).set(counts.get(state, 0))

    def render(self) -> bytes:
        return generate_latest(self.registry)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class MetricsEndpoint:
    """`GET /metrics`; with a token, only for `Authorization: Bearer <token>`."""

    def __init__(self, metrics: Metrics, token: str | None = None) -> None:
        self.metrics = metrics
        self.token = token

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/metrics", self.handle)
        app.middlewares.append(self.count_responses)

    @web.middleware
    async def count_responses(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            self.metrics.http_responses.labels(str(exc.status)).inc()
            raise
        except Exception:
            self.metrics.http_responses.labels("500").inc()
            raise
        self.metrics.http_responses.labels(str(response.status)).inc()
        return response

    async def handle(self, request: web.Request) -> web.Response:
        if self.token is not None and not self._authorised(request):
            return web.Response(
                status=401,
                text="401: /metrics needs Authorization: Bearer <METRICS_TOKEN>\n",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        started = time.perf_counter()
        await self.metrics.refresh()
        body = self.metrics.render()
        log.debug("metrics: %d bytes in %.1f ms", len(body), (time.perf_counter() - started) * 1e3)
        return web.Response(
            body=body, headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}
        )

    def _authorised(self, request: web.Request) -> bool:
        assert self.token is not None
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        )
