"""IGDB's game list of a platform, kept in the store and fetched again at most once a day.

Nothing is held in memory between calls: a list (5,000 games is about 300 kB of JSON) is read
from SQLite when asked for and dropped after; one lock per platform keeps two people asking at
once from fetching it twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

from ...igdb.client import IgdbClient
from ...igdb.platform_list import ListedGame
from ...store.db import Store

log = logging.getLogger(__name__)

MAX_AGE = 24 * 3600.0  # seconds a fetched list is used before IGDB is asked again


class PlatformLists:
    def __init__(
        self,
        igdb: IgdbClient,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        max_age: float = MAX_AGE,
    ) -> None:
        self.igdb = igdb
        self.store = store
        self.clock = clock
        self.max_age = max_age
        self._locks: dict[int, asyncio.Lock] = {}

    async def games(self, igdb_platform_id: int) -> tuple[list[ListedGame], float]:
        """The platform's games and when they were fetched (epoch seconds)."""
        lock = self._locks.setdefault(igdb_platform_id, asyncio.Lock())
        async with lock:
            stored = await self._stored(igdb_platform_id)
            if stored is not None and self.clock() - stored[1] < self.max_age:
                return stored
            games = await self.igdb.platform_games(igdb_platform_id)
            fetched = self.clock()
            await self._save(igdb_platform_id, games, fetched)
            log.info("igdb: fetched the %d games of platform %d", len(games), igdb_platform_id)
            return games, fetched

    async def _stored(self, igdb_platform_id: int) -> tuple[list[ListedGame], float] | None:
        async with self.store.conn.execute(
            "SELECT fetched_at, games FROM igdb_platform_lists WHERE igdb_platform_id = ?",
            (igdb_platform_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        try:
            games = [ListedGame(*item) for item in json.loads(row[1])]
        except (ValueError, TypeError):
            log.warning("igdb: ignoring a stored list of platform %d", igdb_platform_id)
            return None
        return games, float(row[0])

    async def _save(self, igdb_platform_id: int, games: list[ListedGame], at: float) -> None:
        body = json.dumps([list(g) for g in games], separators=(",", ":"))
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO igdb_platform_lists(igdb_platform_id, fetched_at, games) "
                "VALUES (?, ?, ?) ON CONFLICT(igdb_platform_id) DO UPDATE SET "
                "fetched_at = excluded.fetched_at, games = excluded.games",
                (igdb_platform_id, at, body),
            )
