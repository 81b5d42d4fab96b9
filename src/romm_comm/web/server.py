"""The bot's web server: the download gateway, covers, the health checks and `/metrics`.

No access log: gateway URLs carry tokens, and the gateway logs each download itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiohttp import web

from ..features.services import Services
from .covers import CoverRelay
from .dashboard import Dashboard, DashboardOptions
from .deadlines import HeaderDeadline
from .gateway import Gateway
from .health import Health
from .http_log import HTTP_LOG, UnreadableRequests
from .library_page import LibraryPage
from .metrics import Metrics, MetricsEndpoint
from .reports_page import ReportsPage

log = logging.getLogger(__name__)

SERVICES_KEY = web.AppKey("services", Services)


def build_web_app(
    services: Services,
    gateway: Gateway,
    deadline: HeaderDeadline,
    metrics: MetricsEndpoint,
    *,
    health_timeout: float = 5.0,
) -> web.Application:
    app = web.Application(middlewares=[deadline.middleware])
    app[SERVICES_KEY] = services
    metrics.add_routes(app)
    Health(services, timeout=health_timeout).add_routes(app)
    gateway.add_routes(app)
    if services.covers is not None:
        CoverRelay(services.client, services.covers).add_routes(app)
    return app


@dataclass(frozen=True)
class WebOptions:
    """WEB_HOST, WEB_PORT, DOWNLOAD_RATE_LIMIT, DOWNLOAD_BURST, WEB_TRUST_FORWARDED,
    WEB_MAX_DOWNLOADS, WEB_MAX_DOWNLOADS_PER_PERSON; how long a connection may take;
    health_timeout: how long /health/ready waits for RomM (API_TIMEOUT); METRICS_TOKEN."""

    host: str = "127.0.0.1"
    port: int = 0
    rate_per_minute: float = 30.0
    burst: int = 10
    trust_forwarded: bool = False
    # Seconds a new connection has to send its first request's headers.
    header_timeout: float = 20.0
    # Seconds a connection may stay idle (before a request, between requests).
    idle_timeout: float = 75.0
    # Seconds a download may go without the person taking a single byte.
    write_timeout: float = 30.0
    max_streams: int = 64
    max_streams_per_person: int = 3
    busy_retry_after: int = 30
    health_timeout: float = 5.0
    metrics_token: str | None = field(default=None, repr=False)  # METRICS_TOKEN
    dashboard: DashboardOptions | None = None  # None: DASHBOARD_ENABLED=false


class WebServer:
    def __init__(
        self, options: WebOptions, services: Services, metrics: Metrics | None = None
    ) -> None:
        self.host = options.host
        self.port = options.port
        self.services = services
        self.metrics = metrics or Metrics()
        self.gateway = Gateway(
            services.downloads,
            rate_per_minute=options.rate_per_minute,
            burst=options.burst,
            trust_forwarded=options.trust_forwarded,
            write_timeout=options.write_timeout,
            max_streams=options.max_streams,
            max_streams_per_person=options.max_streams_per_person,
            busy_retry_after=options.busy_retry_after,
            metrics=self.metrics,
        )
        self.idle_timeout = options.idle_timeout
        self.deadline = HeaderDeadline(options.header_timeout)
        self.unreadable = UnreadableRequests()
        self.app = build_web_app(
            services,
            self.gateway,
            self.deadline,
            MetricsEndpoint(self.metrics, options.metrics_token),
            health_timeout=options.health_timeout,
        )
        self.dashboard: Dashboard | None = None
        if options.dashboard is not None and services.requests is not None:
            self.dashboard = Dashboard(
                services, services.requests, options.dashboard, self.gateway.client_address
            )
            self.dashboard.add_routes(self.app)
            if services.reports is not None:
                ReportsPage(self.dashboard, services.reports).add_routes(self.app)
            LibraryPage(services, self.dashboard).add_routes(self.app)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where this server listens (for people: see DownloadService.gateway_base)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> bool:
        """Listen on WEB_HOST:WEB_PORT; a port in use is reported, not fatal."""
        # handler_cancellation: a person who goes away ends the download's handler at once,
        # which closes its RomM connection (instead of at the next byte that cannot be sent).
        runner = web.AppRunner(
            self.app,
            access_log=None,
            handle_signals=False,
            shutdown_timeout=2.0,
            keepalive_timeout=self.idle_timeout,
            handler_cancellation=True,
            logger=HTTP_LOG,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            reason = f"WEB_HOST={self.host} WEB_PORT={self.port}: {exc.strerror or exc}"
            log.error("web server could not start: %s", reason)
            self.services.downloads.gateway_failed(reason)
            return False
        self._runner = runner
        HTTP_LOG.addFilter(self.unreadable)
        if runner.addresses:  # the real port when WEB_PORT=0
            self.port = int(runner.addresses[0][1])
        self.services.downloads.gateway_started(self.host, self.port)
        self.services.tasks.every(self.deadline.interval, self._sweep, "web-header-deadline")
        log.info("web server listening on %s", self.url)
        return True

    async def _sweep(self) -> None:
        if self._runner is not None and self._runner.server is not None:
            self.deadline.sweep(self._runner.server.connections)

    async def stop(self) -> None:
        HTTP_LOG.removeFilter(self.unreadable)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.gateway.settle()
