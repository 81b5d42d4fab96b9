"""The store: one SQLite file in the data directory, one connection, WAL, migrations at start."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from .migrations import MIGRATIONS
from .privacy import make_private
from .problems import StoreProblem, check_file, describe

log = logging.getLogger(__name__)


class Store:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        # One connection serves every coroutine: transactions on it must take turns.
        self._writing = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Store:
        """The store at `path`; a file that cannot be used raises StoreProblem (one sentence)."""
        try:
            return await cls._open(path)
        except StoreProblem:
            raise
        except (OSError, sqlite3.Error) as exc:
            raise describe(path, exc) from exc

    @classmethod
    async def _open(cls, path: Path) -> Store:
        check_file(path)
        make_private(path.parent, path)
        pending = aiosqlite.connect(path, isolation_level=None)
        # Should a close ever be missed, the worker thread must not keep the process alive.
        pending._thread.daemon = True
        conn = await pending
        store = cls(conn, path)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await store._check_pages()
            await store._migrate()
        except BaseException:
            await conn.close()  # a refused file must not leave the connection's thread behind
            raise
        return store

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _check_pages(self) -> None:
        """Overwritten pages are found now, not halfway through someone's request."""
        async with self.conn.execute("PRAGMA quick_check(1)") as cur:
            row = await cur.fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(str(row[0]) if row else "no answer to quick_check")

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreProblem(
                f"the data file {self.path} was written by a newer RomM-ComM "
                f"(schema {current}, this version knows {len(MIGRATIONS)}): upgrade RomM-ComM "
                "or restore a backup made by this version"
            )
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            # executescript commits first; wrap the step in one explicit transaction.
            await self.conn.executescript(
                f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
            log.info("store: applied migration %d", number)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: everything inside commits together or not at all."""
        async with self._writing:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            else:
                await self.conn.commit()

    async def get_json(self, key: str) -> Any:
        async with self.conn.execute("SELECT value FROM kv WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return None if row is None else json.loads(row[0])

    async def set_json(self, key: str, value: Any) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (key, json.dumps(value, sort_keys=True)),
            )
