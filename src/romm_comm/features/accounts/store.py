"""The accounts tables (migration "accounts"): links, invites and the event history.

Every function takes the connection of a transaction the caller holds, so a RomM action's
record (link change + event) commits together or not at all. Times are ISO-8601 UTC strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from .plan import Invite, Link

Conn = aiosqlite.Connection


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StoredInvite:
    invite: Invite
    link: str | None  # the invite URL while pending (so it is never lost), None once closed
    status: str


@dataclass(frozen=True)
class Event:
    at: str
    kind: str
    member_key: str | None
    member_name: str
    romm_username: str
    actor: str
    text: str


def _link(row: Any) -> Link:
    return Link(
        member_key=row["member_key"],
        member_name=row["member_name"],
        romm_id=int(row["romm_id"]),
        romm_username=row["romm_username"],
        state=row["state"],
        origin=row["origin"],
        created_by_bot=bool(row["created_by_bot"]),
        verified=bool(row["verified"]),
        romm_created_at=row["romm_created_at"],
        disabled_at=parse(row["disabled_at"]),
        end_reason=row["end_reason"],
    )


async def links(conn: Conn) -> dict[str, Link]:
    async with conn.execute("SELECT * FROM account_links ORDER BY member_name") as cur:
        return {row["member_key"]: _link(row) for row in await cur.fetchall()}


async def link_of(conn: Conn, member_key: str) -> Link | None:
    async with conn.execute(
        "SELECT * FROM account_links WHERE member_key = ?", (member_key,)
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else _link(row)


async def holder_of(conn: Conn, romm_id: int) -> Link | None:
    """The member an account is linked to (active or disabled link), if any."""
    async with conn.execute(
        "SELECT * FROM account_links WHERE romm_id = ? AND state IN ('active', 'disabled')",
        (romm_id,),
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else _link(row)


async def credentials_pending(conn: Conn, member_key: str) -> bool:
    async with conn.execute(
        "SELECT credentials_pending FROM account_links WHERE member_key = ?", (member_key,)
    ) as cur:
        row = await cur.fetchone()
    return bool(row and row[0])


async def put_link(
    conn: Conn, link: Link, at: datetime, *, credentials_pending: bool = False
) -> None:
    """Insert or replace a member's link (one row per member; the history is in events)."""
    await conn.execute(
        "INSERT INTO account_links (member_key, member_name, romm_id, romm_username, "
        "romm_created_at, state, origin, created_by_bot, verified, credentials_pending, "
        "disabled_at, end_reason, linked_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(member_key) DO UPDATE SET member_name = excluded.member_name, "
        "romm_id = excluded.romm_id, romm_username = excluded.romm_username, "
        "romm_created_at = excluded.romm_created_at, state = excluded.state, "
        "origin = excluded.origin, created_by_bot = excluded.created_by_bot, "
        "verified = excluded.verified, credentials_pending = excluded.credentials_pending, "
        "disabled_at = excluded.disabled_at, end_reason = excluded.end_reason, "
        "linked_at = excluded.linked_at, updated_at = excluded.updated_at",
        (
            link.member_key,
            link.member_name,
            link.romm_id,
            link.romm_username,
            link.romm_created_at,
            link.state,
            link.origin,
            int(link.created_by_bot),
            int(link.verified),
            int(credentials_pending),
            iso(link.disabled_at) if link.disabled_at else None,
            link.end_reason,
            iso(at),
            iso(at),
        ),
    )


async def set_state(
    conn: Conn,
    member_key: str,
    state: str,
    at: datetime,
    *,
    end_reason: str = "",
    disabled_at: datetime | None = None,
) -> None:
    await conn.execute(
        "UPDATE account_links SET state = ?, end_reason = ?, disabled_at = ?, updated_at = ? "
        "WHERE member_key = ?",
        (state, end_reason, iso(disabled_at) if disabled_at else None, iso(at), member_key),
    )


async def adopt(
    conn: Conn, member_key: str, username: str, created_at: str | None, at: datetime
) -> None:
    await conn.execute(
        "UPDATE account_links SET romm_username = ?, "
        "romm_created_at = COALESCE(romm_created_at, ?), updated_at = ? WHERE member_key = ?",
        (username, created_at, iso(at), member_key),
    )


async def set_credentials_pending(conn: Conn, member_key: str, pending: bool) -> None:
    await conn.execute(
        "UPDATE account_links SET credentials_pending = ? WHERE member_key = ?",
        (int(pending), member_key),
    )


def _invite(row: Any) -> StoredInvite:
    sent, expires = parse(row["sent_at"]), parse(row["expires_at"])
    assert sent is not None and expires is not None
    invite = Invite(
        id=int(row["id"]),
        member_key=row["member_key"],
        member_name=row["member_name"],
        sent_at=sent,
        expires_at=expires,
        delivered=bool(row["delivered"]),
    )
    return StoredInvite(invite, row["link"], row["status"])


async def pending_invites(conn: Conn) -> dict[str, StoredInvite]:
    async with conn.execute(
        "SELECT * FROM account_invites WHERE status = 'pending' ORDER BY sent_at"
    ) as cur:
        return {row["member_key"]: _invite(row) for row in await cur.fetchall()}


async def add_invite(
    conn: Conn,
    member_key: str,
    member_name: str,
    *,
    role: str,
    link: str,
    sent_at: datetime,
    expires_at: datetime,
) -> int:
    cur = await conn.execute(
        "INSERT INTO account_invites (member_key, member_name, role, link, status, delivered, "
        "sent_at, expires_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
        (member_key, member_name, role, link, iso(sent_at), iso(expires_at)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def mark_delivered(conn: Conn, invite_id: int) -> None:
    await conn.execute("UPDATE account_invites SET delivered = 1 WHERE id = ?", (invite_id,))


async def close_invite(conn: Conn, invite_id: int, status: str, reason: str, at: datetime) -> None:
    """Closed invites forget their link: only a pending one is ever delivered again."""
    await conn.execute(
        "UPDATE account_invites SET status = ?, close_reason = ?, closed_at = ?, link = NULL "
        "WHERE id = ? AND status = 'pending'",
        (status, reason, iso(at), invite_id),
    )


async def add_event(
    conn: Conn,
    kind: str,
    at: datetime,
    *,
    actor: str,
    member_key: str | None = None,
    member_name: str = "",
    romm_id: int | None = None,
    romm_username: str = "",
    text: str = "",
) -> None:
    await conn.execute(
        "INSERT INTO account_events (at, kind, member_key, member_name, romm_id, "
        "romm_username, actor, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (iso(at), kind, member_key, member_name, romm_id, romm_username, actor, text),
    )


async def events(conn: Conn, member_key: str | None = None, limit: int = 200) -> list[Event]:
    sql = "SELECT * FROM account_events"
    args: tuple[Any, ...] = ()
    if member_key is not None:
        sql += " WHERE member_key = ?"
        args = (member_key,)
    async with conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)) as cur:
        rows = await cur.fetchall()
    return [
        Event(
            r["at"],
            r["kind"],
            r["member_key"],
            r["member_name"],
            r["romm_username"],
            r["actor"],
            r["text"],
        )
        for r in rows
    ]
