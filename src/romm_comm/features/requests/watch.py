"""New games against pending requests.

New (and newly identified) ROMs are read with one batched RomM query from a remembered
high-water mark (`updated_after`, oldest change first, paged), never one call per ROM. An
IGDB id + platform match fulfils the request; a title that only looks alike goes to the
admins to confirm. Seeing a ROM twice is harmless: only pending requests are fulfilled and
each suggestion is made once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from ...common.timestamps import parse_moment
from ...romm.models import Rom
from ..library.catalog import fold
from .matcher import likeness
from .models import BOT, GameRequest

if TYPE_CHECKING:
    from .service import RequestService

log = logging.getLogger(__name__)

MARK_KEY = "requests.new_games_mark"
PAGE_SIZE = 500
MAX_PAGES = 20
OVERLAP = timedelta(seconds=1)  # RomM's timestamps have whole seconds: re-read the last one
MAX_SUGGESTIONS = 3

Match = Literal["exact", "likely"]


@dataclass
class CheckReport:
    roms_seen: int = 0
    fulfilled: list[tuple[GameRequest, Rom]] = field(default_factory=list)
    suggested: list[tuple[GameRequest, Rom]] = field(default_factory=list)
    baseline: bool = False  # first run: the mark was set, nothing compared


def platform_matches(request: GameRequest, rom: Rom) -> bool:
    keys = {rom.platform_slug, rom.platform_fs_slug, "name:" + fold(rom.platform_display_name)}
    return request.platform_key in keys


def classify(request: GameRequest, rom: Rom) -> Match | None:
    """Exact: same IGDB game on the same platform. Likely: the name looks alike (and IGDB
    does not say they are different games)."""
    if not platform_matches(request, rom):
        return None
    if request.igdb_id is not None and rom.igdb_id is not None:
        return "exact" if request.igdb_id == rom.igdb_id else None
    names = {request.title, *([request.igdb.name] if request.igdb else [])}
    found = [rom.title, rom.fs_name]
    if any(likeness(name, have) != "none" for name in names for have in found):
        return "likely"
    return None


def match_roms(
    pending: Sequence[GameRequest], roms: Sequence[Rom]
) -> tuple[list[tuple[GameRequest, Rom]], list[tuple[GameRequest, Rom]]]:
    exact: list[tuple[GameRequest, Rom]] = []
    likely: list[tuple[GameRequest, Rom]] = []
    by_platform: dict[str, list[Rom]] = {}
    for rom in roms:
        for key in {rom.platform_slug, rom.platform_fs_slug}:
            by_platform.setdefault(key, []).append(rom)
        by_platform.setdefault("name:" + fold(rom.platform_display_name), []).append(rom)
    for request in pending:
        candidates = {r.id: r for r in by_platform.get(request.platform_key, [])}.values()
        kinds = [(classify(request, rom), rom) for rom in candidates]
        hit = next((rom for kind, rom in kinds if kind == "exact"), None)
        if hit is not None:
            exact.append((request, hit))
            continue
        likely.extend((request, rom) for kind, rom in kinds[:50] if kind == "likely")
    return exact, likely


class NewGameWatch:
    def __init__(self, service: RequestService) -> None:
        self.service = service
        self._lock = asyncio.Lock()

    async def _mark(self) -> datetime | None:
        return parse_moment(await self.service.store.get_json(MARK_KEY))

    async def _set_mark(self, moment: datetime) -> None:
        await self.service.store.set_json(MARK_KEY, moment.isoformat())

    async def _newest(self) -> datetime:
        client = self.service.client
        page = await client.list_roms(limit=1, order_by="updated_at", order_dir="desc")
        newest = page.items[0].updated_at if page.items else None
        return newest or datetime.now(UTC)

    async def baseline(self) -> None:
        """Remember where the library stands now, if nothing is remembered yet."""
        async with self._lock:
            if await self._mark() is None:
                await self._set_mark(await self._newest())

    async def check(self) -> CheckReport:
        async with self._lock:
            report = CheckReport()
            mark = await self._mark()
            pending = await self.service.pending()
            if mark is None or not pending:
                report.baseline = mark is None
                await self._set_mark(await self._newest())
                return report
            roms = await self._changed_since(mark - OVERLAP)
            report.roms_seen = len(roms)
            newest = max((r.updated_at for r in roms if r.updated_at), default=mark)
            exact, likely = match_roms(pending, roms)
            for request, rom in exact:
                outcome = await self.service.fulfil(request.id, BOT, rom_id=rom.id, auto=True)
                if outcome.kind == "done":
                    report.fulfilled.append((request, rom))
            done = {request.id for request, _ in report.fulfilled}
            per_request: dict[int, int] = {}
            for request, rom in likely:
                if request.id in done or per_request.get(request.id, 0) >= MAX_SUGGESTIONS:
                    continue
                if await self.service.suggest(request, rom):
                    per_request[request.id] = per_request.get(request.id, 0) + 1
                    report.suggested.append((request, rom))
            await self._set_mark(max(newest, mark))
            if report.fulfilled or report.suggested:
                log.info(
                    "new games: %d seen, %d request(s) fulfilled, %d suggestion(s)",
                    report.roms_seen,
                    len(report.fulfilled),
                    len(report.suggested),
                )
            return report

    async def _changed_since(self, since: datetime) -> list[Rom]:
        roms: list[Rom] = []
        for page_number in range(MAX_PAGES):
            page = await self.service.client.roms_updated_after(
                since, limit=PAGE_SIZE, offset=page_number * PAGE_SIZE
            )
            roms.extend(page.items)
            if len(page.items) < PAGE_SIZE:
                break
        return roms
