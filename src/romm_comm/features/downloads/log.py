"""The download log: every download the gateway brokers (who, what, bytes, when, completed).

One row per link. A resumed download (a Range request on the same link, a console fetching in
chunks) adds to its row, so "most popular" counts games people fetched, not HTTP requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ...store.db import Store
from .links import Grant


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class PopularGame:
    rom_id: int
    title: str | None  # None until the game's name was looked up (see DownloadService)
    file_name: str
    platform: str
    downloads: int
    people: int
    completed: int


@dataclass(frozen=True)
class LoggedDownload:
    kind: str
    rom_id: int | None
    firmware_id: int | None
    title: str | None
    platform: str
    file_name: str
    user_key: str
    user_name: str
    size_bytes: int | None
    bytes_sent: int
    requests: int
    completed: bool
    started_at: datetime
    updated_at: datetime


class DownloadLog:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, str] = {}

    async def remember_user(self, user_key: str, name: str) -> None:
        """Keep the chat user's display name for the log (one write per change)."""
        if self._names.get(user_key) == name:
            return
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO chat_users(user_key, name, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_key) DO UPDATE SET name = excluded.name, "
                "updated_at = excluded.updated_at",
                (user_key, name, now_iso()),
            )
        self._names[user_key] = name

    async def started(self, grant: Grant, *, size_bytes: int | None, status: int) -> None:
        stamp = now_iso()
        is_rom = grant.kind == "rom"
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO downloads(link_id, user_key, kind, rom_id, firmware_id, file_ids, "
                "file_name, title, size_bytes, requests, last_status, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) "
                "ON CONFLICT(link_id) DO UPDATE SET requests = requests + 1, "
                "last_status = excluded.last_status, updated_at = excluded.updated_at, "
                "size_bytes = COALESCE(size_bytes, excluded.size_bytes)",
                (
                    grant.link_id,
                    grant.user,
                    grant.kind,
                    grant.target_id if is_rom else None,
                    None if is_rom else grant.target_id,
                    ",".join(str(i) for i in grant.file_ids),
                    grant.name,
                    None if is_rom else grant.name,  # a game's title is looked up when shown
                    size_bytes,
                    status,
                    stamp,
                    stamp,
                ),
            )

    async def finished(self, link_id: str, *, sent: int, completed: bool) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE downloads SET bytes_sent = bytes_sent + ?, "
                "completed = MAX(completed, ?), updated_at = ? WHERE link_id = ?",
                (sent, int(completed), now_iso(), link_id),
            )

    async def set_label(self, rom_id: int, title: str, platform: str) -> None:
        """Remember a game's name for rows logged without it."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE downloads SET title = ?, platform = ? WHERE rom_id = ? AND title IS NULL",
                (title, platform, rom_id),
            )

    async def popular(self, days: int, limit: int = 10) -> list[PopularGame]:
        since = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        async with self.store.conn.execute(
            "SELECT rom_id, MAX(title), MAX(platform), MAX(file_name), COUNT(*), "
            "COUNT(DISTINCT user_key), SUM(completed) FROM downloads "
            "WHERE kind = 'rom' AND started_at >= ? AND bytes_sent > 0 GROUP BY rom_id "
            "ORDER BY COUNT(DISTINCT user_key) DESC, COUNT(*) DESC, MAX(updated_at) DESC "
            "LIMIT ?",
            (since, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            PopularGame(
                rom_id=int(r[0]),
                title=r[1],
                file_name=str(r[3]),
                platform=str(r[2] or ""),
                downloads=int(r[4]),
                people=int(r[5]),
                completed=int(r[6] or 0),
            )
            for r in rows
        ]

    async def per_week(self, weeks: int, now: datetime | None = None) -> list[tuple[str, int]]:
        """(Monday of the week, downloads started that week) for the last `weeks` weeks,
        oldest first, weeks without downloads included as 0."""
        today = (now or datetime.now(UTC)).date()
        this_monday = today - timedelta(days=today.weekday())
        mondays = [this_monday - timedelta(weeks=w) for w in reversed(range(weeks))]
        since = mondays[0].strftime("%Y-%m-%dT00:00:00.000Z")
        async with self.store.conn.execute(
            "SELECT date(started_at, 'weekday 0', '-6 days'), COUNT(*) FROM downloads "
            "WHERE started_at >= ? AND bytes_sent > 0 GROUP BY 1",
            (since,),
        ) as cur:
            counts = {str(r[0]): int(r[1]) for r in await cur.fetchall()}
        return [(m.isoformat(), counts.get(m.isoformat(), 0)) for m in mondays]

    async def recent(self, limit: int = 10) -> list[LoggedDownload]:
        async with self.store.conn.execute(
            "SELECT d.kind, d.rom_id, d.firmware_id, d.title, d.platform, d.file_name, "
            "d.user_key, u.name, d.size_bytes, d.bytes_sent, d.requests, d.completed, "
            "d.started_at, d.updated_at FROM downloads d "
            "LEFT JOIN chat_users u ON u.user_key = d.user_key "
            "ORDER BY d.updated_at DESC, d.id DESC LIMIT ?",
            (limit,),
        ) as cur:
            rows = await cur.fetchall()
        return [
            LoggedDownload(
                kind=str(r[0]),
                rom_id=r[1],
                firmware_id=r[2],
                title=r[3],
                platform=str(r[4] or ""),
                file_name=str(r[5]),
                user_key=str(r[6]),
                user_name=str(r[7] or r[6]),
                size_bytes=r[8],
                bytes_sent=int(r[9]),
                requests=int(r[10]),
                completed=bool(r[11]),
                started_at=parse_iso(str(r[12])),
                updated_at=parse_iso(str(r[13])),
            )
            for r in rows
        ]
