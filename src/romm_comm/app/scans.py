"""Wiring of scans and "recently added" for the composition root (app.py)."""

from __future__ import annotations

import asyncio
import logging

from ..features.recent.cards import RecentCards
from ..features.recent.service import RecentService
from ..features.scans.cards import ScanCards
from ..features.scans.models import ScanRun
from ..features.scans.service import ScanService
from ..features.services import Services
from ..romm.errors import RommError
from .settings import Settings

log = logging.getLogger(__name__)


def build_scan_services(settings: Settings, services: Services) -> None:
    scans = ScanService(
        services.client,
        services.store,
        services.notifications,
        ScanCards(),
        username=settings.romm_username,
        password=settings.romm_password,
        progress_interval=settings.scan_progress_interval,
        poll_interval=settings.scan_poll_interval,
    )
    services.scans = scans
    if settings.recent_roms_enabled:
        services.recent = RecentService(
            services.client,
            services.store,
            services.notifications,
            RecentCards(services.links, services.emoji),
            bulk_threshold=settings.recent_roms_bulk_threshold,
            catalog=services.catalog,
        )

    async def refresh_numbers(_run: ScanRun) -> None:
        await services.stats.refresh()  # fresh numbers and platform list (new platforms)

    scans.after_scan.append(refresh_numbers)
    if services.recent is not None:
        scans.after_scan.append(services.recent.after_scan)
    requests = services.requests
    if requests is not None:

        async def check_requests(_run: ScanRun) -> None:
            await requests.check_new_games()

        scans.after_scan.append(check_requests)


async def start_scan_services(settings: Settings, services: Services) -> list[asyncio.Task[None]]:
    """Start following scans; returns the background tasks the app must cancel on close."""
    tasks: list[asyncio.Task[None]] = []
    if services.scans is not None:
        await services.scans.start()
        log.info("scans: followed %s", services.scans.describe())
    recent = services.recent
    if recent is not None:
        try:
            await recent.baseline()
        except RommError as exc:
            log.warning("recently added: RomM is not usable yet: %s", exc.user_message)
        if settings.recent_roms_interval > 0:
            tasks.append(
                asyncio.create_task(
                    recent.run_timer(settings.recent_roms_interval), name="recent-roms"
                )
            )
    return tasks
