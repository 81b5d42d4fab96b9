"""What the front end keeps for a while: stored button data, multi-select ticks, deep-link
tokens, and the pick list a private chat can answer by typing a number.

Each record remembers when it was last written (by the front end's clock); `prune` removes
the ones older than `max_age`, and runs on a schedule. A press on a button whose record is
gone gets "That list has expired: ask again." rather than a traceback.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from ...store.db import Store

MAX_AGE = 7 * 24 * 3600.0  # a week: lists older than that are asked again
PRUNE_EVERY = 3600.0


class Records:
    def __init__(
        self, store: Store, clock: Callable[[], float] = time.time, max_age: float = MAX_AGE
    ) -> None:
        self.store = store
        self.clock = clock
        self.max_age = max_age

    async def get(self, key: str) -> Any:
        async with self.store.conn.execute(
            "SELECT value, written_at FROM telegram_records WHERE key = ?", (key,)
        ) as cur:
            row = await cur.fetchone()
        if row is None or self.clock() - float(row[1]) > self.max_age:
            return None  # expired but not yet pruned counts as gone
        return json.loads(row[0])

    async def put(self, key: str, value: Any) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO telegram_records(key, value, written_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "written_at = excluded.written_at",
                (key, json.dumps(value, sort_keys=True), self.clock()),
            )

    async def prune(self) -> int:
        """Remove the records older than `max_age`; returns how many."""
        async with self.store.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM telegram_records WHERE written_at < ?", (self.clock() - self.max_age,)
            )
            return cur.rowcount
