"""Recently added games: after a scan, and on a timer for changes made by others.

One RomM query per look: the newest ROMs by id (`order_by=id desc`, a few more than the bulk
threshold). What is newer than the remembered high-water mark and not posted before is new.
One game → a card; a few → one grouped card with a cover grid (drawn in a thread); more than
RECENT_ROMS_BULK_THRESHOLD → a summary by platform (exact from the scan's own counts when a
scan triggered the look). Posted ids and the mark are stored in one transaction, so nothing is
posted twice, even across restarts. The first look only sets the mark: an existing library is
never announced as new.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ...core.cards import Reply
from ...core.notify import Notifications
from ...romm.client import RommClient
from ...romm.errors import RommError
from ...romm.models import Rom
from ...store.db import Store
from ..library.catalog import Catalog
from ..scans.models import ScanRun, now_utc
from .cover_grid import render_grid

log = logging.getLogger(__name__)

TOPIC = "recent_roms"
MARK_KEY = "recent.mark"
GRID_MAX = 9
COVER_MAX_BYTES = 2 * 1024 * 1024
KEEP_POSTED = 5000


class RecentPresenter(Protocol):
    def single(self, rom: Rom) -> Reply: ...

    def grouped(self, roms: Sequence[Rom], grid_png: bytes | None) -> Reply: ...

    def bulk(self, total: int | None, by_platform: dict[str, int], newest: Sequence[Rom]) -> Reply:
        """`total` None: more than the sample; `by_platform` then counts the sample only."""
        ...


@dataclass
class RecentReport:
    kind: str = "none"  # none | baseline | single | grouped | bulk
    rom_ids: list[int] = field(default_factory=list)
    total: int = 0


class RecentService:
    def __init__(
        self,
        client: RommClient,
        store: Store,
        notifications: Notifications,
        presenter: RecentPresenter,
        *,
        bulk_threshold: int = 10,
        catalog: Catalog | None = None,
    ) -> None:
        self.catalog = catalog  # posts are public: platforms hidden from members stay out
        self.client = client
        self.store = store
        self.notifications = notifications
        self.presenter = presenter
        self.bulk_threshold = bulk_threshold
        self._lock = asyncio.Lock()

    async def baseline(self) -> None:
        """Remember where the library stands, the first time only."""
        async with self._lock:
            if await self.store.get_json(MARK_KEY) is None:
                page = await self.client.newest_roms(1)
                await self._save_mark(page.items[0].id if page.items else 0, [])

    async def after_scan(self, run: ScanRun) -> None:
        if run.live_stats and run.stats.new_roms == 0:
            return  # RomM said nothing was added: no need to ask
        total = run.stats.new_roms if run.live_stats else None
        await self.check(run.new_by_platform or None, total)

    async def check(
        self, by_platform: dict[str, int] | None = None, total: int | None = None
    ) -> RecentReport:
        async with self._lock:
            mark = await self.store.get_json(MARK_KEY)
            page = await self.client.newest_roms(self.bulk_threshold + 1)
            if mark is None:
                await self._save_mark(page.items[0].id if page.items else 0, [])
                return RecentReport("baseline")
            fresh = [r for r in page.items if r.id > int(mark)]
            posted = await self._posted([r.id for r in fresh])
            unposted = [r for r in fresh if r.id not in posted]
            if not unposted:
                return RecentReport()
            newest_id = max(r.id for r in page.items)
            # Posts are public: games on platforms hidden from members stay out. Whether this
            # is a bulk post still depends on everything that arrived.
            hidden = self.catalog.hidden if self.catalog is not None else frozenset()
            new = [r for r in unposted if r.platform_id not in hidden]
            if hidden and by_platform and self.catalog is not None:
                names = {p.display_name for p in self.catalog.platforms if p.id in hidden}
                by_platform = {k: v for k, v in by_platform.items() if k not in names}
                total = None  # RomM's total counted the hidden games too
            if len(unposted) > self.bulk_threshold:
                if not new and not by_platform:
                    await self._save_mark(max(newest_id, int(mark)), [])
                    return RecentReport()
                report = RecentReport("bulk", [], total or 0)
                reply = self._bulk(new, by_platform, total)
            elif not new:
                await self._save_mark(max(newest_id, int(mark)), [])
                return RecentReport()
            elif len(new) == 1:
                report = RecentReport("single", [new[0].id], 1)
                reply = self.presenter.single(new[0])
            else:
                report = RecentReport("grouped", [r.id for r in new], len(new))
                reply = self.presenter.grouped(new, await self._grid(new[:GRID_MAX]))
            refs = await self.notifications.post(TOPIC, reply)
            if not refs:
                log.info("recently added: no front end has a place for it (%s)", report.kind)
            await self._save_mark(max(newest_id, int(mark)), report.rom_ids)
            return report

    def _bulk(
        self, new: Sequence[Rom], by_platform: dict[str, int] | None, total: int | None
    ) -> Reply:
        if by_platform and sum(by_platform.values()) > 0:
            return self.presenter.bulk(total or sum(by_platform.values()), by_platform, new)
        sample = Counter(r.platform_display_name or r.platform_slug for r in new)
        return self.presenter.bulk(total, dict(sample), new)

    async def _grid(self, roms: Sequence[Rom]) -> bytes | None:
        """Covers of a few games as one PNG; None when none of them has a cover."""
        paths = [(r.path_cover_small or r.path_cover_large or "").split("?", 1)[0] for r in roms]
        if not any(paths):
            return None

        async def fetch(path: str) -> bytes | None:
            if not path.startswith("/assets/"):
                return None
            try:
                return await self.client.web_asset(path, max_bytes=COVER_MAX_BYTES)
            except RommError:
                return None

        images = await asyncio.gather(*(fetch(p) for p in paths))
        if not any(images):
            return None
        covers = [(r.title, data) for r, data in zip(roms, images, strict=True)]
        return await asyncio.to_thread(render_grid, covers)

    async def _posted(self, rom_ids: list[int]) -> set[int]:
        if not rom_ids:
            return set()
        marks = ",".join("?" * len(rom_ids))
        sql = f"SELECT rom_id FROM recent_posted WHERE rom_id IN ({marks})"  # noqa: S608
        async with self.store.conn.execute(sql, rom_ids) as cursor:
            return {int(row[0]) for row in await cursor.fetchall()}

    async def _save_mark(self, mark: int, rom_ids: list[int]) -> None:
        moment = now_utc().isoformat()
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (MARK_KEY, str(int(mark))),
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO recent_posted(rom_id, posted_at) VALUES (?, ?)",
                [(rom_id, moment) for rom_id in rom_ids],
            )
            if rom_ids:
                await conn.execute(
                    "DELETE FROM recent_posted WHERE rom_id NOT IN "
                    "(SELECT rom_id FROM recent_posted ORDER BY rom_id DESC LIMIT ?)",
                    (KEEP_POSTED,),
                )
