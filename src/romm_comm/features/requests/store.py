"""SQL for game requests. Every function works on a connection the caller holds, so a state
change and its history entry are written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

import aiosqlite

from ...core.notify import MessageRef
from ...store.rows import fetch_all as _all
from ...store.rows import fetch_one as _one
from .models import (
    Draft,
    GameRequest,
    IgdbPick,
    Person,
    RequestEvent,
    RequestQuery,
    Status,
    now_iso,
)

Conn = aiosqlite.Connection


# --- requests -----------------------------------------------------------------------------
async def insert_request(
    conn: Conn,
    person: Person,
    *,
    platform_key: str,
    platform_name: str,
    title: str,
    title_key: str,
    details: str,
    igdb: IgdbPick | None,
    status: Status = "pending",
    created_at: str | None = None,
    updated_at: str | None = None,
    rom_id: int | None = None,
    reason: str | None = None,
    legacy_id: int | None = None,
) -> int:
    created = created_at or now_iso()
    cur = await conn.execute(
        "INSERT INTO requests (user_key, user_name, platform_key, platform_name, title, "
        "title_key, details, igdb_id, igdb, status, rom_id, reason, created_at, updated_at, "
        "legacy_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person.key,
            person.name,
            platform_key,
            platform_name,
            title,
            title_key,
            details,
            igdb.id if igdb else None,
            igdb.to_json() if igdb else None,
            status,
            rom_id,
            reason,
            created,
            updated_at or created,
            legacy_id,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get_request(conn: Conn, request_id: int) -> GameRequest | None:
    row = await _one(conn, "SELECT * FROM requests WHERE id = ?", (request_id,))
    return GameRequest.from_row(row) if row else None


async def legacy_request(conn: Conn, legacy_id: int) -> GameRequest | None:
    row = await _one(conn, "SELECT * FROM requests WHERE legacy_id = ?", (legacy_id,))
    return GameRequest.from_row(row) if row else None


async def find_pending_duplicate(
    conn: Conn, platform_key: str, title_key: str, igdb_id: int | None
) -> GameRequest | None:
    """A pending request for the same game: same IGDB id and platform; without an IGDB id,
    same normalised title and platform. An IGDB pick also meets a plain request of that
    title (it is the same wish, made before anyone picked the exact game)."""
    if igdb_id is not None:
        row = await _one(
            conn,
            "SELECT * FROM requests WHERE status = 'pending' AND platform_key = ? AND "
            "(igdb_id = ? OR (igdb_id IS NULL AND title_key = ?)) ORDER BY igdb_id IS NULL, id "
            "LIMIT 1",
            (platform_key, igdb_id, title_key),
        )
    else:
        row = await _one(
            conn,
            "SELECT * FROM requests WHERE status = 'pending' AND platform_key = ? AND "
            "title_key = ? ORDER BY id LIMIT 1",
            (platform_key, title_key),
        )
    return GameRequest.from_row(row) if row else None


async def open_count(conn: Conn, user_key: str) -> int:
    row = await _one(
        conn,
        "SELECT COUNT(*) FROM requests WHERE user_key = ? AND status = 'pending'",
        (user_key,),
    )
    return int(row[0]) if row else 0


async def set_status(
    conn: Conn,
    request_id: int,
    status: Status,
    *,
    rom_id: int | None = None,
    reason: str | None = None,
) -> None:
    await conn.execute(
        "UPDATE requests SET status = ?, rom_id = COALESCE(?, rom_id), reason = ?, "
        "updated_at = ? WHERE id = ?",
        (status, rom_id, reason, now_iso(), request_id),
    )


async def set_requester(conn: Conn, request_id: int, person: Person) -> None:
    await conn.execute(
        "UPDATE requests SET user_key = ?, user_name = ?, updated_at = ? WHERE id = ?",
        (person.key, person.name, now_iso(), request_id),
    )


async def touch(conn: Conn, request_id: int) -> None:
    await conn.execute("UPDATE requests SET updated_at = ? WHERE id = ?", (now_iso(), request_id))


async def list_requests(
    conn: Conn,
    *,
    statuses: Sequence[str] = (),
    user_key: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> list[GameRequest]:
    where: list[str] = []
    args: list[object] = []
    if statuses:
        where.append(f"status IN ({','.join('?' * len(statuses))})")
        args.extend(statuses)
    if user_key is not None:
        where.append(
            "(user_key = ? OR id IN (SELECT request_id FROM request_subscribers "
            "WHERE user_key = ?))"
        )
        args.extend([user_key, user_key])
    sql = "SELECT * FROM requests"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY status != 'pending', id DESC LIMIT ? OFFSET ?"
    rows = await _all(conn, sql, [*args, limit, offset])
    return [GameRequest.from_row(r) for r in rows]


SORTS = {
    "newest": "id DESC",
    "oldest": "id ASC",
    "updated": "updated_at DESC, id DESC",
    "title": "title_key ASC, id DESC",
    "platform": "platform_name ASC, title_key ASC, id DESC",
}


async def search_requests(
    conn: Conn, query: RequestQuery, *, limit: int = 50, offset: int = 0
) -> tuple[list[GameRequest], int]:
    """One page of the requests `query` selects, and how many it selects in all."""
    where: list[str] = []
    args: list[object] = []
    statuses, text, user_keys = query.statuses, query.text, query.user_keys
    if statuses:
        where.append("status IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(statuses)))
    if query.platform_key:
        where.append("platform_key = ?")
        args.append(query.platform_key)
    if text.strip():
        where.append("(title LIKE ? ESCAPE '\\' OR user_name LIKE ? ESCAPE '\\')")
        escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        args.extend([pattern, pattern])
    if user_keys is not None:
        where.append(
            "(user_key IN (SELECT value FROM json_each(?)) OR id IN (SELECT request_id"
            " FROM request_subscribers WHERE user_key IN (SELECT value FROM json_each(?))))"
        )
        keys = json.dumps(list(user_keys))
        args.extend([keys, keys])
    # Only placeholders and the fixed clauses above go into the SQL text.
    sql = "SELECT COUNT(*) FROM requests"
    if where:
        sql += " WHERE " + " AND ".join(where)
    total_row = await _one(conn, sql, args)
    sql = sql.replace("COUNT(*)", "*", 1) + " ORDER BY " + SORTS.get(query.sort, SORTS["newest"])
    rows = await _all(conn, sql + " LIMIT ? OFFSET ?", [*args, limit, offset])
    return [GameRequest.from_row(r) for r in rows], int(total_row[0]) if total_row else 0


async def keys_named(conn: Conn, name: str) -> list[str]:
    """The people (user keys) who made requests under this name, any case."""
    rows = await _all(
        conn, "SELECT DISTINCT user_key FROM requests WHERE user_name = ? COLLATE NOCASE", [name]
    )
    return [str(r[0]) for r in rows]


async def platforms_requested(conn: Conn) -> list[tuple[str, str]]:
    rows = await _all(
        conn,
        "SELECT platform_key, MIN(platform_name) FROM requests GROUP BY platform_key"
        " ORDER BY MIN(platform_name)",
    )
    return [(str(r[0]), str(r[1])) for r in rows]


async def count_requests(conn: Conn, *, statuses: Sequence[str] = ()) -> int:
    sql, args = "SELECT COUNT(*) FROM requests", list(statuses)
    if statuses:
        sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
    row = await _one(conn, sql, args)
    return int(row[0]) if row else 0


async def counts_by_status(conn: Conn) -> dict[str, int]:
    rows = await _all(conn, "SELECT status, COUNT(*) FROM requests GROUP BY status")
    return {str(row[0]): int(row[1]) for row in rows}


# --- subscribers --------------------------------------------------------------------------
async def add_subscriber(
    conn: Conn, request_id: int, person: Person, created_at: str | None = None
) -> bool:
    cur = await conn.execute(
        "INSERT OR IGNORE INTO request_subscribers (request_id, user_key, user_name, created_at) "
        "VALUES (?, ?, ?, ?)",
        (request_id, person.key, person.name, created_at or now_iso()),
    )
    return cur.rowcount == 1


async def remove_subscriber(conn: Conn, request_id: int, user_key: str) -> None:
    await conn.execute(
        "DELETE FROM request_subscribers WHERE request_id = ? AND user_key = ?",
        (request_id, user_key),
    )


async def subscribers(conn: Conn, request_id: int) -> list[Person]:
    rows = await _all(
        conn,
        "SELECT user_key, user_name FROM request_subscribers WHERE request_id = ? "
        "ORDER BY created_at, rowid",
        (request_id,),
    )
    return [Person(r["user_key"], r["user_name"]) for r in rows]


# --- history ------------------------------------------------------------------------------
async def add_event(
    conn: Conn,
    request_id: int,
    actor: Person,
    kind: str,
    text: str = "",
    *,
    rom_id: int | None = None,
    at: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO request_events (request_id, at, actor_key, actor_name, kind, text, rom_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (request_id, at or now_iso(), actor.key or None, actor.name, kind, text, rom_id),
    )


async def events(conn: Conn, request_id: int) -> list[RequestEvent]:
    rows = await _all(
        conn, "SELECT * FROM request_events WHERE request_id = ? ORDER BY id", (request_id,)
    )
    return [RequestEvent.from_row(r) for r in rows]


async def has_event(conn: Conn, request_id: int, kind: str, rom_id: int | None = None) -> bool:
    row = await _one(
        conn,
        "SELECT 1 FROM request_events WHERE request_id = ? AND kind = ? AND rom_id IS ?",
        (request_id, kind, rom_id),
    )
    return row is not None


# --- drafts -------------------------------------------------------------------------------
async def insert_draft(
    conn: Conn,
    person: Person,
    *,
    platform_key: str | None,
    platform_name: str,
    in_library: bool,
    igdb_platform_id: int | None,
    title: str,
    details: str,
    igdb: IgdbPick | None = None,
) -> int:
    cur = await conn.execute(
        "INSERT INTO request_drafts (user_key, user_name, platform_key, platform_name, "
        "in_library, igdb_platform_id, title, details, igdb, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person.key,
            person.name,
            platform_key,
            platform_name,
            int(in_library),
            igdb_platform_id,
            title,
            details,
            igdb.to_json() if igdb else None,
            now_iso(),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get_draft(conn: Conn, draft_id: int) -> Draft | None:
    row = await _one(conn, "SELECT * FROM request_drafts WHERE id = ?", (draft_id,))
    return Draft.from_row(row) if row else None


async def update_draft(
    conn: Conn,
    draft_id: int,
    *,
    igdb: IgdbPick | None,
    platform: tuple[str, str, bool, int | None] | None = None,
) -> None:
    await conn.execute(
        "UPDATE request_drafts SET igdb = ? WHERE id = ?",
        (igdb.to_json() if igdb else None, draft_id),
    )
    if platform is not None:
        key, name, in_library, igdb_platform_id = platform
        await conn.execute(
            "UPDATE request_drafts SET platform_key = ?, platform_name = ?, in_library = ?, "
            "igdb_platform_id = ? WHERE id = ?",
            (key, name, int(in_library), igdb_platform_id, draft_id),
        )


async def delete_draft(conn: Conn, draft_id: int) -> None:
    await conn.execute("DELETE FROM request_drafts WHERE id = ?", (draft_id,))


async def prune_drafts(conn: Conn, older_than: str) -> None:
    await conn.execute("DELETE FROM request_drafts WHERE created_at < ?", (older_than,))


# --- the admins' notices of a request (chat messages to edit as it changes) ---------------
async def add_notices(conn: Conn, request_id: int, refs: Sequence[MessageRef]) -> None:
    await conn.executemany(
        "INSERT OR IGNORE INTO request_notices (request_id, front_end, channel_id, message_id) "
        "VALUES (?, ?, ?, ?)",
        [(request_id, r.front_end, r.channel_id, r.message_id) for r in refs],
    )


async def notices(conn: Conn, request_id: int) -> list[MessageRef]:
    rows = await _all(
        conn,
        "SELECT front_end, channel_id, message_id FROM request_notices WHERE request_id = ? "
        "ORDER BY rowid",
        (request_id,),
    )
    return [MessageRef(r["front_end"], r["channel_id"], r["message_id"]) for r in rows]
