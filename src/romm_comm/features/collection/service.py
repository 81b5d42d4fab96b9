"""Completeness of a platform against IGDB: what IGDB lists, what the library has, the rest."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ...igdb.errors import IgdbNotConfigured
from ...igdb.platform_list import GAME_TYPES, ListedGame
from ...romm.client import RommClient
from ...romm.models import Platform
from .cache import PlatformLists
from .matching import Owned, RomIdentity

ROM_PAGE = 500
RECENT = 2  # results kept for the ◀ ▶ pages
RECENT_FOR = 300.0  # seconds a kept result serves the pages
Sort = Literal["rating", "popularity"]
SORTS: tuple[Sort, ...] = ("rating", "popularity")
# Which IGDB game types count (editions never do); "all" is every type.
INCLUDE: dict[str, frozenset[int] | None] = {
    "main": frozenset({0}),
    "remakes": frozenset({0, 8, 9, 10}),
    "ports": frozenset({0, 11}),
    "dlc": frozenset({0, 1, 2, 4, 13}),
    "all": None,
}
INCLUDE_NAMES = tuple(INCLUDE)


def percent(have: int, total: int) -> int:
    """Rounded, but never 100 before the last game (nor 0 once there is one)."""
    if not total:
        return 0
    value = round(100 * have / total)
    if value == 100 and have < total:
        return 99
    return 1 if value == 0 and have else value


@dataclass(frozen=True)
class Completeness:
    platform: Platform
    total: int  # games IGDB lists (of the types asked for)
    have: int
    missing: tuple[ListedGame, ...]  # sorted as asked
    fetched_at: float  # when IGDB's list was fetched (epoch seconds)

    @property
    def percent(self) -> int:
        return percent(self.have, self.total)

    @property
    def figure(self) -> str:
        return f"{self.have:,} of {self.total:,} — {self.percent}%"


def counted(game: ListedGame, include: str) -> bool:
    kinds = INCLUDE.get(include, INCLUDE["main"])
    if game.game_type not in GAME_TYPES or game.game_type < 0:
        return False
    return kinds is None or game.game_type in kinds


def sort_key(sort: Sort) -> Callable[[ListedGame], tuple[Any, ...]]:
    if sort == "popularity":
        return lambda g: (-g.rating_count, -(g.rating or 0.0), g.name)
    return lambda g: (g.rating is None, -(g.rating or 0.0), -g.rating_count, g.name)


class CollectionService:
    """`completeness` compares afresh (IGDB's list from the store, the library from RomM);
    the ◀ ▶ pages reuse a result for a few minutes (at most RECENT of them are kept, so what
    is held stays bounded whatever the number of platforms)."""

    def __init__(
        self,
        client: RommClient,
        lists: PlatformLists | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.lists = lists
        self.clock = clock
        self._recent: OrderedDict[tuple[int, str, str], tuple[float, Completeness]] = OrderedDict()

    async def page_of(
        self, platform: Platform, *, include: str = "main", sort: Sort = "rating"
    ) -> Completeness:
        """For a ◀ ▶ button: the result shown a moment ago, else a fresh one."""
        key = (platform.id, include, sort)
        kept = self._recent.get(key)
        if kept is not None and self.clock() - kept[0] < RECENT_FOR:
            self._recent.move_to_end(key)
            return kept[1]
        return await self.completeness(platform, include=include, sort=sort)

    async def library(self, platform: Platform) -> list[RomIdentity]:
        """Every ROM of the platform as (id, name, igdb_id, release): pages of 500."""
        roms: list[RomIdentity] = []
        offset = 0
        while True:
            page = await self.client.rom_identities(platform.id, limit=ROM_PAGE, offset=offset)
            roms.extend(page)
            if len(page) < ROM_PAGE:
                return roms
            offset += ROM_PAGE

    async def completeness(
        self, platform: Platform, *, include: str = "main", sort: Sort = "rating"
    ) -> Completeness:
        if self.lists is None:
            raise IgdbNotConfigured("no IGDB client")
        if platform.igdb_id is None:
            raise UnknownToIgdb(platform)
        games, fetched = await self.lists.games(platform.igdb_id)
        owned = Owned.of(await self.library(platform))
        wanted = [g for g in games if counted(g, include)]
        missing = [g for g in wanted if not owned.has(g)]
        missing.sort(key=sort_key(sort))
        result = Completeness(
            platform,
            total=len(wanted),
            have=len(wanted) - len(missing),
            missing=tuple(missing),
            fetched_at=fetched,
        )
        self._recent[(platform.id, include, sort)] = (self.clock(), result)
        self._recent.move_to_end((platform.id, include, sort))
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return result


class UnknownToIgdb(Exception):
    """The platform has no IGDB id in RomM."""

    def __init__(self, platform: Platform) -> None:
        super().__init__(platform.slug)
        self.platform = platform
