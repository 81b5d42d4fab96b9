"""The composition root: builds the client, store and services from the settings once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from .account_wiring import build_account_service
from .chat import (
    account_commands,
    download_commands,
    emoji_commands,
    igdb_commands,
    library_commands,
    request_admin_commands,
    request_commands,
    scan_commands,
)
from .chat.commands import Registry
from .chat.request_notices import ChatAnnouncer
from .igdb.client import DEFAULT_API_URL, DEFAULT_TOKEN_URL, IgdbClient
from .romm.auth import ACCOUNT_SCOPES
from .romm.client import RommClient
from .romm.errors import RommError
from .romm.links import Links
from .romm_wiring import romm_client, romm_credentials
from .scan_wiring import build_scan_services, start_scan_services
from .services.catalog import Catalog
from .services.container import Services
from .services.download_links import LinkSigner, load_secret
from .services.download_log import DownloadLog
from .services.downloads import DownloadService
from .services.requests import RequestService
from .services.stats import StatsService
from .settings import Settings
from .store.db import Store
from .web.server import WebServer

log = logging.getLogger(__name__)

HIDDEN_REFRESH = 3600.0  # seconds between reads of the platforms RomM hides from members

DB_NAME = "romm-comm.sqlite3"


def build_registry(settings: Settings | None = None) -> Registry:
    """Every command; without settings, also those of features that are switched off."""
    registry = Registry()
    library_commands.register(registry)
    download_commands.register(registry)
    emoji_commands.register(registry)
    scan_commands.register(registry)
    if settings is None or settings.requests_enabled:
        request_commands.register(registry)
        request_admin_commands.register(registry)
        if settings is None or settings.igdb_configured:
            igdb_commands.register(registry)
    if settings is None or settings.enable_user_manager:
        account_commands.register(registry)
    return registry


@dataclass
class App:
    settings: Settings
    services: Services
    registry: Registry
    web: WebServer | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    async def create(cls, settings: Settings) -> App:
        if settings.romm_url is None:
            raise ValueError("ROMM_URL is not set")
        extra_scopes = ACCOUNT_SCOPES if settings.enable_user_manager else ()
        client = romm_client(
            settings,
            romm_credentials(settings, extra_scopes=extra_scopes),
            max_concurrency=settings.romm_max_concurrency,
            rate_per_second=settings.romm_rate_limit,
            cache_ttl=settings.cache_ttl,
        )
        try:
            store = await Store.open(settings.data_dir / DB_NAME)
        except BaseException:
            await client.close()
            raise
        try:
            return await cls._assemble(settings, client, store)
        except BaseException:
            # A later step failing (a damaged link-secret, ...) must not leave the store open.
            await store.close()
            await client.close()
            raise

    @classmethod
    async def _assemble(cls, settings: Settings, client: RommClient, store: Store) -> App:
        assert settings.romm_url is not None
        catalog = Catalog(client)
        links = Links(settings.public_url or settings.romm_url)
        secret = settings.link_secret.get_secret_value() if settings.link_secret else None
        signer = LinkSigner(
            await asyncio.to_thread(load_secret, secret, settings.data_dir), settings.link_ttl
        )
        services = Services(
            client=client,
            store=store,
            catalog=catalog,
            stats=StatsService(catalog, store),
            links=links,
            downloads=DownloadService(
                client=client,
                links=links,
                signer=signer,
                log=DownloadLog(store),
                preferred=settings.download_links,
                public_url=settings.web_public_url,
            ),
        )
        if settings.requests_enabled:
            services.requests = RequestService(store, client, limit=settings.request_limit)
            services.requests.announcer = ChatAnnouncer(services)
        if settings.igdb_client_id and settings.igdb_client_secret:
            services.igdb = IgdbClient(
                settings.igdb_client_id,
                settings.igdb_client_secret,
                api_url=settings.igdb_api_url or DEFAULT_API_URL,
                token_url=settings.twitch_token_url or DEFAULT_TOKEN_URL,
                timeout=settings.api_timeout,
            )
        build_scan_services(settings, services)
        services.accounts = build_account_service(settings, services)
        web = WebServer(settings, services) if settings.web_enabled else None
        return cls(settings, services, build_registry(settings), web)

    async def start(self) -> None:
        """Load what is remembered, then what RomM says; RomM being down is not fatal."""
        await self.services.stats.load()
        if self.web is not None:
            await self.web.start()
        downloads = self.services.downloads
        if downloads.direct_reason:
            log.warning("download links go straight to RomM: %s", downloads.direct_reason)
        log.info("download links: %s", downloads.describe())
        try:
            info = await self.services.client.heartbeat()
            log.info("connected to RomM %s", info.version)
            await self.services.catalog.load_platforms()
            await self.services.catalog.load_hidden()
        except RommError as exc:
            log.warning("RomM is not usable yet: %s", exc.user_message)
        self._tasks.append(asyncio.create_task(self._hidden_loop(), name="hidden-platforms"))
        self._tasks.extend(await start_scan_services(self.settings, self.services))
        if self.services.requests is not None and self.settings.request_check_interval > 0:
            self._tasks.append(asyncio.create_task(self._request_loop(), name="request-check"))

    def start_refresh_loop(self) -> None:
        self._tasks.append(asyncio.create_task(self._refresh_loop(), name="stats-refresh"))

    async def _refresh_loop(self) -> None:
        while True:
            try:
                result = await self.services.stats.refresh()
                if result.changed:
                    log.info("stats changed: %s", ", ".join(sorted(result.changed)))
            except RommError as exc:
                log.warning("stats refresh failed: %s", exc.user_message)
            await asyncio.sleep(self.settings.sync_rate)

    async def _hidden_loop(self) -> None:
        """Which platforms RomM hides from members: at start, then hourly (and on /refresh)."""
        while True:
            await asyncio.sleep(HIDDEN_REFRESH)
            try:
                await self.services.catalog.load_hidden()
            except RommError as exc:
                log.warning("reading hidden platforms failed: %s", exc.user_message)

    async def _request_loop(self) -> None:
        """Pending requests against new games, between scans (scans call it themselves)."""
        assert self.services.requests is not None
        while True:
            await asyncio.sleep(self.settings.request_check_interval)
            try:
                await self.services.requests.check_new_games()
            except RommError as exc:
                log.warning("checking new games for requests failed: %s", exc.user_message)
            except Exception:
                log.exception("checking new games for requests crashed")

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.web is not None:
            await self.web.stop()
        if self.services.igdb is not None:
            await self.services.igdb.close()
        if self.services.scans is not None:
            await self.services.scans.close()
        await self.services.client.close()
        await self.services.store.close()
