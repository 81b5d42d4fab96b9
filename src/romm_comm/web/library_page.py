"""`GET /library`: the library in pictures for signed-in members and admins — its growth over
time (the stored stats history), downloads per week, and the most downloaded games with their
covers, served through the bot's own /cover relay (never linked from RomM or IGDB)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from ..features.downloads.log import PopularGame
from ..features.services import Services
from ..romm.errors import RommError
from ..romm.models import Rom
from .charts import bar_chart, line_chart
from .dashboard import Dashboard

log = logging.getLogger(__name__)

WEEKS = 12
TOP_GAMES = 12
POPULAR_DAYS = 365
ROM_CACHE_SECONDS = 600.0
ROM_CACHE_SIZE = 256


@dataclass(frozen=True)
class TopGame:
    title: str
    platform: str
    downloads: int
    people: int
    cover: str | None  # a path on this server (/cover/…), or None


class LibraryPage:
    def __init__(
        self,
        services: Services,
        dashboard: Dashboard,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.dashboard = dashboard
        self.clock = clock
        self._roms: dict[int, tuple[float, Rom | None]] = {}  # rom id → (until, game)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/library", self.show)

    async def show(self, request: web.Request) -> web.StreamResponse:
        session = await self.dashboard.session_of(request)
        if session is None:
            return self.dashboard.signin(request)
        growth = await self.services.stats.growth()
        weekly = await self.services.downloads.log.per_week(WEEKS)
        popular = await self.services.downloads.log.popular(POPULAR_DAYS, TOP_GAMES * 2)
        context = {
            "session": session,
            "nav": "library",
            "growth": line_chart("Games in the library", [(d[5:], n) for d, n in growth]),
            "weekly": bar_chart("Downloads per week", [(d[5:], n) for d, n in weekly], "downloads"),
            "top": await self._top(popular, admin=session.is_admin),
        }
        return self.dashboard.page("library.html", request, context)

    async def _top(self, popular: list[PopularGame], *, admin: bool) -> list[TopGame]:
        roms = await asyncio.gather(*(self._rom(game.rom_id) for game in popular))
        hidden = self.services.catalog.hidden
        top = []
        for game, rom in zip(popular, roms, strict=True):
            if not admin and (rom is None or rom.platform_id in hidden):
                continue  # a member never learns of a game they cannot see
            top.append(
                TopGame(
                    title=rom.title if rom else (game.title or game.file_name),
                    platform=rom.platform_display_name if rom else game.platform,
                    downloads=game.downloads,
                    people=game.people,
                    cover=self._cover(rom.path_cover_small if rom else None),
                )
            )
        return top[:TOP_GAMES]

    async def _rom(self, rom_id: int) -> Rom | None:
        """The game from RomM (None: gone, or RomM away), remembered for a while: the page
        is opened far more often than the top games change."""
        now = self.clock()
        kept = self._roms.get(rom_id)
        if kept is not None and kept[0] > now:
            return kept[1]
        try:
            rom: Rom | None = await self.services.catalog.rom(rom_id, admin=True)
        except RommError:
            rom = None
        if len(self._roms) >= ROM_CACHE_SIZE:
            self._roms.pop(next(iter(self._roms)))
        self._roms[rom_id] = (now + ROM_CACHE_SECONDS, rom)
        return rom

    def _cover(self, romm_path: str | None) -> str | None:
        signer = self.services.covers
        if signer is None or not romm_path:
            return None
        url = signer.url(romm_path)
        if url is None or not url.startswith(signer.base):
            return None
        return url[len(signer.base) :]  # same origin as the page, whatever host it was opened on
