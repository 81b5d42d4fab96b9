"""The composition root: builds the client, store and services from the settings once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from .chat import library_commands
from .chat.commands import Registry
from .romm.auth import Credentials
from .romm.client import RommClient
from .romm.errors import RommError
from .romm.links import Links
from .services.catalog import Catalog
from .services.container import Services
from .services.stats import StatsService
from .settings import Settings
from .store.db import Store

log = logging.getLogger(__name__)

DB_NAME = "romm-comm.sqlite3"


def build_registry() -> Registry:
    registry = Registry()
    library_commands.register(registry)
    return registry


@dataclass
class App:
    settings: Settings
    services: Services
    registry: Registry
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    async def create(cls, settings: Settings) -> App:
        if settings.romm_url is None:
            raise ValueError("ROMM_URL is not set")
        client = RommClient(
            settings.romm_url,
            Credentials(
                token=settings.romm_api_token,
                username=settings.romm_username,
                password=settings.romm_password,
            ),
            timeout=settings.api_timeout,
            max_concurrency=settings.romm_max_concurrency,
            rate_per_second=settings.romm_rate_limit,
            cache_ttl=settings.cache_ttl,
        )
        store = await Store.open(settings.data_dir / DB_NAME)
        catalog = Catalog(client)
        services = Services(
            client=client,
            store=store,
            catalog=catalog,
            stats=StatsService(catalog, store),
            links=Links(settings.public_url or settings.romm_url),
        )
        return cls(settings, services, build_registry())

    async def start(self) -> None:
        """Load what is remembered, then what RomM says; RomM being down is not fatal."""
        await self.services.stats.load()
        try:
            info = await self.services.client.heartbeat()
            log.info("connected to RomM %s", info.version)
            await self.services.catalog.load_platforms()
        except RommError as exc:
            log.warning("RomM is not usable yet: %s", exc.user_message)

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

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.services.client.close()
        await self.services.store.close()
