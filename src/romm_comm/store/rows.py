"""Reading rows on a connection the caller holds (so reads can share a transaction)."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, args: Sequence[object] = ()
) -> aiosqlite.Row | None:
    async with conn.execute(sql, tuple(args)) as cur:
        row: aiosqlite.Row | None = await cur.fetchone()
    return row


async def fetch_all(
    conn: aiosqlite.Connection, sql: str, args: Sequence[object] = ()
) -> list[aiosqlite.Row]:
    async with conn.execute(sql, tuple(args)) as cur:
        return list(await cur.fetchall())
