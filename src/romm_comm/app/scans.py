"""Scans and "recently added", built from the settings for the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.notify import Notifications
from ..core.tasks import Tasks
from ..features.library.catalog import Catalog
from ..features.library.stats import StatsService
from ..features.recent.cards import RecentCards
from ..features.recent.service import RecentService
from ..features.requests.service import RequestService
from ..features.scans.cards import ScanCards
from ..features.scans.models import ScanRun
from ..features.scans.service import ScanService
from ..romm.client import RommClient
from ..romm.links import Links
from ..store.db import Store
from .settings import Settings


@dataclass(frozen=True)
class ScanParts:
    scans: ScanService
    recent: RecentService | None


def build_scans(
    settings: Settings,
    *,
    client: RommClient,
    store: Store,
    notifications: Notifications,
    catalog: Catalog,
    stats: StatsService,
    links: Links,
    emoji: Callable[[str], str],
    requests: RequestService | None,
    tasks: Tasks,
) -> ScanParts:
    scans = ScanService(
        client,
        store,
        notifications,
        ScanCards(),
        tasks=tasks,
        username=settings.romm_username,
        password=settings.romm_password,
        progress_interval=settings.scan_progress_interval,
        poll_interval=settings.scan_poll_interval,
    )
    recent = None
    if settings.recent_roms_enabled:
        recent = RecentService(
            client,
            store,
            notifications,
            RecentCards(links, emoji),
            bulk_threshold=settings.recent_roms_bulk_threshold,
            catalog=catalog,
        )

    async def refresh_numbers(_run: ScanRun) -> None:
        catalog.names.invalidate()  # names may have changed (matched, renamed) at equal counts
        await stats.refresh()  # fresh numbers and platform list (new platforms)

    scans.after_scan.append(refresh_numbers)
    if recent is not None:
        scans.after_scan.append(recent.after_scan)
    if requests is not None:

        async def check_requests(_run: ScanRun) -> None:
            await requests.check_new_games()

        scans.after_scan.append(check_requests)
    return ScanParts(scans, recent)
