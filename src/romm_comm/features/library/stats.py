"""Library numbers with change detection that survives restarts.

A refresh costs at most three RomM calls whatever the library size: `/api/stats`,
`/api/platforms` (also refreshes the in-memory platform list used by autocomplete) and
`/api/users` (only when the bot may read users).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

from ...romm.errors import RommForbidden
from ...store.db import Store
from .catalog import Catalog

log = logging.getLogger(__name__)

SNAPSHOT_KEY = "stats.last"


@dataclass(frozen=True)
class LibraryStats:
    platforms: int
    roms: int
    saves: int
    states: int
    screenshots: int
    storage_bytes: int
    users: int | None
    taken_at: str

    def numbers(self) -> dict[str, int | None]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "taken_at"}


@dataclass(frozen=True)
class Refresh:
    stats: LibraryStats
    changed: frozenset[str]  # names of numbers that differ from the previous snapshot
    first: bool  # no earlier snapshot existed
    # The numbers as of the last refresh a person asked for (/refresh), when refreshes made
    # since on their own (after a scan, on the timer) changed something: what /refresh reports.
    unreported: dict[str, int | None] | None = None


class StatsService:
    def __init__(self, catalog: Catalog, store: Store) -> None:
        self.catalog = catalog
        self.store = store
        self.current: LibraryStats | None = None
        self._users_readable = True
        self._unreported: dict[str, int | None] | None = None

    async def load(self) -> LibraryStats | None:
        """The last snapshot from the store (before any RomM call)."""
        data = await self.store.get_json(SNAPSHOT_KEY)
        if data:
            try:
                self.current = LibraryStats(**data)
            except TypeError:
                log.warning("stats: ignoring a stored snapshot of an older shape")
        return self.current

    async def refresh(self, *, asked: bool = False) -> Refresh:
        """Fresh numbers from RomM. `asked`: a person's /refresh, which is told the changes
        since the last one, including those an after-scan or timed refresh already fetched
        (else a /refresh right after a scan would say "nothing changed")."""
        client = self.catalog.client
        client.invalidate()
        stats = await client.stats()
        await self.catalog.load_platforms()
        users: int | None = None
        if self._users_readable:
            try:
                users = len(await client.users())
            except RommForbidden:
                log.info("stats: the bot may not read users; the user count is left out")
                self._users_readable = False
        previous = self.current if self.current is not None else await self.load()
        snapshot = LibraryStats(
            platforms=stats.platforms,
            roms=stats.roms,
            saves=stats.saves,
            states=stats.states,
            screenshots=stats.screenshots,
            storage_bytes=stats.storage_bytes,
            users=users,
            taken_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        if previous is None:
            changed = frozenset(snapshot.numbers())
        else:
            old = previous.numbers()
            changed = frozenset(k for k, v in snapshot.numbers().items() if old.get(k) != v)
        # The in-memory state changes in one step, before the save's await: whoever sees the
        # new `current` also sees what is unreported (a /refresh asked while an after-scan
        # refresh was saving used to find the new numbers but not the change, "nothing changed").
        self.current = snapshot
        unreported = None
        if asked:
            unreported, self._unreported = self._unreported, None
        elif changed and previous is not None and self._unreported is None:
            self._unreported = previous.numbers()
        if changed or previous is None:
            await self._save(snapshot)
        return Refresh(snapshot, changed, previous is None, unreported)

    async def growth(self, days: int = 366) -> list[tuple[str, int]]:
        """(day, games) from the stored history: the last count of each day, oldest first."""
        async with self.store.conn.execute(
            "SELECT substr(taken_at, 1, 10), roms FROM stats_history WHERE id IN "
            "(SELECT MAX(id) FROM stats_history GROUP BY substr(taken_at, 1, 10)) "
            "ORDER BY taken_at DESC LIMIT ?",
            (days,),
        ) as cur:
            rows = await cur.fetchall()
        return [(str(day), int(roms)) for day, roms in reversed(list(rows))]

    async def _save(self, snapshot: LibraryStats) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO kv(key, value) VALUES (?, json(?)) ON CONFLICT(key) DO UPDATE "
                "SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
                (SNAPSHOT_KEY, _json(asdict(snapshot))),
            )
            await conn.execute(
                "INSERT INTO stats_history(taken_at, platforms, roms, saves, states, "
                "screenshots, storage_bytes, users) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    snapshot.taken_at,
                    snapshot.platforms,
                    snapshot.roms,
                    snapshot.saves,
                    snapshot.states,
                    snapshot.screenshots,
                    snapshot.storage_bytes,
                    snapshot.users,
                ),
            )


def _json(value: object) -> str:
    import json

    return json.dumps(value, sort_keys=True)
