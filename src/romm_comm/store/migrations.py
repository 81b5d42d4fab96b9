"""Versioned schema changes, applied in order at start (PRAGMA user_version = applied count).

Append new steps; never edit a step that has shipped.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: settings-like state (last stats snapshot, channel ids, ...) and stats history.
    """
    CREATE TABLE kv (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE stats_history (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        taken_at   TEXT NOT NULL,
        platforms  INTEGER NOT NULL,
        roms       INTEGER NOT NULL,
        saves      INTEGER NOT NULL,
        states     INTEGER NOT NULL,
        screenshots INTEGER NOT NULL,
        storage_bytes INTEGER NOT NULL,
        users      INTEGER
    );
    """,
)
