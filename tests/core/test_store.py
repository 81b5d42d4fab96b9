"""The store: a real SQLite file, migrations at start, WAL, data that survives a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from romm_comm.store.db import Store
from romm_comm.store.migrations import MIGRATIONS


async def test_migrations_run_once_and_data_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"
    store = await Store.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    await store.set_json("stats.last", {"roms": 12})
    await store.close()

    again = await Store.open(path)
    assert await again.get_json("stats.last") == {"roms": 12}
    assert await again.schema_version() == len(MIGRATIONS)
    await again.close()

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.set_json("k", 1)
    with pytest.raises(RuntimeError):
        async with store.transaction() as conn:
            await conn.execute("UPDATE kv SET value = '2' WHERE key = 'k'")
            raise RuntimeError("boom")
    assert await store.get_json("k") == 1
    await store.close()


async def test_a_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    raw.commit()
    raw.close()
    with pytest.raises(RuntimeError, match="newer RomM-ComM"):
        await Store.open(path)
