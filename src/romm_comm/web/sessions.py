"""Dashboard sign-in sessions, kept in the store: the cookie carries a random token, the
store only its SHA-256 hash, with who it is (RomM id, username, admin or not), the CSRF token
of that session and when it expires. Signing out deletes the row."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..store.db import Store


@dataclass(frozen=True)
class Session:
    romm_id: int
    username: str
    is_admin: bool
    csrf: str
    expires_at: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, store: Store, *, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.ttl = ttl
        self.clock = clock

    async def open(self, romm_id: int, username: str, is_admin: bool) -> tuple[str, Session]:
        """A new session; the token goes into the cookie and nowhere else."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        session = Session(romm_id, username, is_admin, secrets.token_urlsafe(32), now + self.ttl)
        async with self.store.transaction() as conn:
            await conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (now,))
            await conn.execute(
                "INSERT INTO web_sessions (token_hash, romm_id, username, is_admin, csrf,"
                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_hash(token), romm_id, username, int(is_admin), session.csrf, now, now + self.ttl),
            )
        return token, session

    async def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        async with self.store.conn.execute(
            "SELECT romm_id, username, is_admin, csrf, expires_at FROM web_sessions"
            " WHERE token_hash = ?",
            (_hash(token),),
        ) as cur:
            row = await cur.fetchone()
        if row is None or float(row[4]) < self.clock():
            return None
        return Session(int(row[0]), str(row[1]), bool(row[2]), str(row[3]), float(row[4]))

    async def close(self, token: str | None) -> None:
        if token:
            async with self.store.transaction() as conn:
                await conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_hash(token),))
