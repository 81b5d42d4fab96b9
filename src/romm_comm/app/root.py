"""The composition root: builds the client, store and services from the settings once, on an
AsyncExitStack (every resource registers its teardown when it is made), with one Supervisor
that owns every background task."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from ..core.commands import Registry
from ..core.notify import Notifications
from ..core.supervisor import Supervisor
from ..features.accounts import commands as account_commands
from ..features.collection import commands as collection_commands
from ..features.collection.cache import PlatformLists
from ..features.collection.service import CollectionService
from ..features.downloads import commands as download_commands
from ..features.downloads.covers import CoverSigner
from ..features.downloads.links import LinkSigner, load_secret
from ..features.downloads.log import DownloadLog
from ..features.downloads.service import DownloadService
from ..features.emojis import commands as emoji_commands
from ..features.library import commands as library_commands
from ..features.library import igdb_commands
from ..features.library.catalog import Catalog
from ..features.library.romm_status import RommStatus
from ..features.library.stats import StatsService
from ..features.prowlarr import commands as prowlarr_commands
from ..features.prowlarr.service import ProwlarrService
from ..features.reports import admin_commands as report_admin_commands
from ..features.reports import commands as report_commands
from ..features.reports.notices import ChatReportAnnouncer
from ..features.reports.service import ReportService
from ..features.requests import admin_commands as request_admin_commands
from ..features.requests import commands as request_commands
from ..features.requests.notices import ChatAnnouncer
from ..features.requests.service import RequestService
from ..features.scans import commands as scan_commands
from ..features.services import Services
from ..frontends.apprise.notifier import AppriseNotifier
from ..frontends.discord.config import DiscordConfig
from ..frontends.matrix.config import MatrixConfig
from ..frontends.slack.config import SlackConfig
from ..frontends.telegram.config import TelegramConfig
from ..frontends.webhook.notifier import WebhookNotifier
from ..igdb.client import DEFAULT_API_URL, DEFAULT_TOKEN_URL, IgdbClient
from ..prowlarr.client import ProwlarrClient
from ..romm.auth import ACCOUNT_SCOPES
from ..romm.errors import RommError
from ..romm.links import Links
from ..store.db import Store
from ..store.lock import DataDirLock
from ..web.dashboard import DashboardOptions
from ..web.metrics import Metrics
from ..web.server import WebOptions, WebServer
from .accounts import build_accounts, download_hooks
from .romm_client import romm_client, romm_credentials
from .scans import build_scans
from .settings import Settings

log = logging.getLogger(__name__)

HIDDEN_REFRESH = 3600.0  # seconds between reads of the platforms RomM hides from members

DB_NAME = "romm-comm.sqlite3"


def build_registry(settings: Settings | None = None) -> Registry:
    """Every command; without settings, also those of features that are switched off."""
    registry = Registry()
    registry.include(library_commands.group)
    registry.include(download_commands.group)
    registry.include(emoji_commands.group)
    registry.include(scan_commands.group)
    registry.include(collection_commands.group)
    registry.include(report_commands.group)
    registry.include(report_admin_commands.group)
    if settings is None or settings.requests_enabled:
        registry.include(request_commands.group)
        registry.include(request_admin_commands.group)
        if settings is None or settings.igdb_configured:
            registry.include(igdb_commands.group)
        if settings is None or settings.prowlarr_configured:
            registry.include(prowlarr_commands.group)
    if settings is None or settings.enable_user_manager:
        registry.include(account_commands.group)
    return registry


@dataclass
class App:
    """Everything the bot runs on, built once from the settings; `close()` undoes it all."""

    settings: Settings
    services: Services
    registry: Registry
    web: WebServer | None
    supervisor: Supervisor
    metrics: Metrics
    _stack: contextlib.AsyncExitStack

    @classmethod
    async def create(cls, settings: Settings, *, web: WebOptions | None = None) -> App:
        """Each resource registers its teardown as it is made: if a later step fails, what
        was opened is closed again before the error goes on. `web` replaces the web server's
        options made from the settings (tests pass short timeouts and small caps)."""
        if settings.romm_url is None:
            raise ValueError("ROMM_URL is not set")
        stack = contextlib.AsyncExitStack()
        try:
            return await cls._build(settings, stack, web)
        except BaseException:
            await stack.aclose()
            raise

    @classmethod
    async def _build(
        cls, settings: Settings, stack: contextlib.AsyncExitStack, web_opts: WebOptions | None
    ) -> App:
        assert settings.romm_url is not None
        extra_scopes = ACCOUNT_SCOPES if settings.enable_user_manager else ()
        client = romm_client(
            settings,
            romm_credentials(settings, extra_scopes=extra_scopes),
            max_concurrency=settings.romm_max_concurrency,
            rate_per_second=settings.romm_rate_limit,
            cache_ttl=settings.cache_ttl,
        )
        stack.push_async_callback(_quietly, "the RomM client", client.close)
        lock = await asyncio.to_thread(DataDirLock.take, settings.data_dir)
        stack.callback(lock.release)
        store = await Store.open(settings.data_dir / DB_NAME)
        stack.push_async_callback(_quietly, "the store", store.close)
        secret = settings.link_secret.get_secret_value() if settings.link_secret else None
        secret_bytes = await asyncio.to_thread(load_secret, secret, settings.data_dir)
        covers = None
        if settings.web_enabled and settings.web_public_url:
            covers = CoverSigner(secret_bytes, settings.web_public_url)
        links = Links(
            settings.public_url or settings.romm_url, covers=covers.url if covers else None
        )
        igdb = None
        if settings.igdb_client_id and settings.igdb_client_secret:
            igdb = IgdbClient(
                settings.igdb_client_id,
                settings.igdb_client_secret,
                api_url=settings.igdb_api_url or DEFAULT_API_URL,
                token_url=settings.twitch_token_url or DEFAULT_TOKEN_URL,
                timeout=settings.api_timeout,
            )
            stack.push_async_callback(_quietly, "the IGDB client", igdb.close)
        supervisor = Supervisor()
        notifications = Notifications()
        urls = settings.notification_urls()
        if urls:
            apprise = AppriseNotifier(urls, settings.notify_events.split(","))
            notifications.register(apprise)
            log.info("notifications: %s", apprise.describe())
        if settings.webhook_url is not None and settings.webhook_secret is not None:
            webhook = WebhookNotifier(
                settings.webhook_url.get_secret_value(),
                settings.webhook_secret.get_secret_value(),
                settings.notify_events.split(","),
            )
            notifications.register(webhook)
            stack.push_async_callback(_quietly, "the webhook", webhook.close)
            log.info("notifications: %s", webhook.describe())
        platform_emoji: dict[str, str] = {}

        def emoji(slug: str) -> str:
            return platform_emoji.get(slug, "")

        catalog = Catalog(client)
        stats = StatsService(catalog, store)
        accounts = build_accounts(settings, store=store, client=client, notifications=notifications)
        user_allowed, romm_username = download_hooks(accounts)
        downloads = DownloadService(
            client=client,
            links=links,
            signer=LinkSigner(secret_bytes, settings.link_ttl),
            log=DownloadLog(store),
            preferred=settings.download_links,
            public_url=settings.web_public_url,
            user_allowed=user_allowed,
            romm_username=romm_username,
        )
        requests = None
        if settings.requests_enabled:
            announcer = ChatAnnouncer(
                catalog=catalog,
                notifications=notifications,
                downloads=downloads,
                client=client,
                links=links,
                emoji=emoji,
                indexers=settings.prowlarr_configured,
            )
            requests = RequestService(
                store, client, limit=settings.request_limit, announcer=announcer
            )
        prowlarr = None
        if requests is not None and settings.prowlarr_url and settings.prowlarr_api_key:
            prowlarr_client = ProwlarrClient(
                settings.prowlarr_url,
                settings.prowlarr_api_key,
                timeout=settings.prowlarr_timeout,
            )
            stack.push_async_callback(_quietly, "the Prowlarr client", prowlarr_client.close)
            prowlarr = ProwlarrService(prowlarr_client, store, requests)
        parts = build_scans(
            settings,
            client=client,
            store=store,
            notifications=notifications,
            catalog=catalog,
            stats=stats,
            links=links,
            emoji=emoji,
            requests=requests,
            tasks=supervisor,
        )
        stack.push_async_callback(_quietly, "scans", parts.scans.close)
        services = Services(
            client=client,
            store=store,
            catalog=catalog,
            stats=stats,
            links=links,
            covers=covers,
            downloads=downloads,
            tasks=supervisor,
            notifications=notifications,
            platform_emoji=platform_emoji,
            requests=requests,
            igdb=igdb,
            scans=parts.scans,
            recent=parts.recent,
            accounts=accounts,
            collection=CollectionService(
                client, PlatformLists(igdb, store) if igdb is not None else None
            ),
            prowlarr=prowlarr,
            reports=ReportService(store, ChatReportAnnouncer(notifications)),
            romm_status=RommStatus(client, notifications),
        )
        registry = build_registry(settings)
        metrics = observed(services, registry)
        web = None
        if settings.web_enabled:
            web = WebServer(web_opts or web_options(settings), services, metrics)
            stack.push_async_callback(_quietly, "the web server", web.stop)
        # Last in, first out: background work stops before what it uses is closed.
        stack.push_async_callback(_quietly, "background tasks", supervisor.close)
        return cls(settings, services, registry, web, supervisor, metrics, stack)

    async def start(self) -> None:
        """Load what is remembered, then what RomM says; RomM being down is not fatal."""
        services = self.services
        await services.stats.load()
        if self.web is not None:
            await self.web.start()
        downloads = services.downloads
        if downloads.direct_reason:
            log.warning("download links go straight to RomM: %s", downloads.direct_reason)
        log.info("download links: %s", downloads.describe())
        try:
            info = await services.client.heartbeat()
            log.info("connected to RomM %s", info.version)
            await services.catalog.load_platforms()
            await services.catalog.load_hidden()
        except RommError as exc:
            log.warning("RomM is not usable yet: %s", exc.user_message)
        tasks = self.supervisor
        tasks.every(HIDDEN_REFRESH, services.catalog.load_hidden, "hidden-platforms")
        if services.romm_status is not None and self.settings.romm_watch_interval > 0:
            tasks.every(self.settings.romm_watch_interval, services.romm_status.check, "romm-watch")
        if services.scans is not None:
            await services.scans.start()
            log.info("scans: followed %s", services.scans.describe())
        recent = services.recent
        if recent is not None:
            try:
                await recent.baseline()
            except RommError as exc:
                log.warning("recently added: RomM is not usable yet: %s", exc.user_message)
            if self.settings.recent_roms_interval > 0:
                tasks.every(self.settings.recent_roms_interval, recent.check, "recent-roms")
        if services.requests is not None and self.settings.request_check_interval > 0:
            tasks.every(
                self.settings.request_check_interval,
                services.requests.check_new_games,
                "request-check",
            )

    @property
    def discord(self) -> DiscordConfig:
        """The Discord front end's options (it never reads the settings)."""
        return DiscordConfig.from_values(self.settings)

    @property
    def slack(self) -> SlackConfig:
        """The Slack front end's options (it never reads the settings)."""
        settings = self.settings
        relayed = self.services.covers is not None  # covers go through PUBLIC_URL
        private = None if settings.romm_public_url or relayed else settings.romm_url
        return replace(SlackConfig.from_values(settings), private_image_base=private)

    @property
    def matrix(self) -> MatrixConfig:
        """The Matrix front end's options (it never reads the settings)."""
        return MatrixConfig.from_values(self.settings)

    @property
    def telegram(self) -> TelegramConfig:
        """The Telegram front end's options (it never reads the settings)."""
        return TelegramConfig.from_values(self.settings)

    async def close(self) -> None:
        """Stop background work, then close the web server, scans, IGDB, RomM and the store.
        Every step runs even when one fails (that failure is logged); never raises."""
        await self._stack.aclose()


def observed(services: Services, registry: Registry) -> Metrics:
    """This App's metrics, with every part that reports to them wired in."""
    metrics = Metrics()
    services.client.observer = metrics.romm
    if services.igdb is not None:
        services.igdb.observer = metrics.igdb
    registry.observers.append(metrics.command)
    if services.scans is not None:
        services.scans.after_scan.append(metrics.scan_ended)
    if services.accounts is not None:
        services.accounts.action_observers.append(metrics.account_action)
    services.front_ends.observe(metrics.front_end)
    metrics.requests = services.requests
    metrics.reports = services.reports
    return metrics


def web_options(settings: Settings) -> WebOptions:
    return WebOptions(
        host=settings.web_host,
        port=settings.web_port,
        rate_per_minute=settings.download_rate_limit,
        burst=settings.download_burst,
        trust_forwarded=settings.web_trust_forwarded,
        max_streams=settings.web_max_downloads,
        max_streams_per_person=settings.web_max_downloads_per_person,
        health_timeout=settings.api_timeout,
        metrics_token=settings.metrics_token.get_secret_value() if settings.metrics_token else None,
        dashboard=dashboard_options(settings),
    )


def dashboard_options(settings: Settings) -> DashboardOptions | None:
    if not settings.dashboard_enabled:
        return None
    return DashboardOptions(
        session_ttl=settings.dashboard_session_hours * 3600,
        secure_cookies=(settings.web_public_url or "").lower().startswith("https://"),
        signin_per_minute=settings.dashboard_signin_rate,
        signin_burst=max(1, int(settings.dashboard_signin_rate)),
    )


async def _quietly(what: str, close: Callable[[], Awaitable[object]]) -> None:
    try:
        await close()
    except Exception:
        log.exception("closing %s failed", what)
