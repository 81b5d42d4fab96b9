"""SQL for problem reports. Every function works on a connection the caller holds, so a
state change and its history entry are written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

import aiosqlite

from ...store.rows import fetch_all, fetch_one
from ..requests.models import Person, now_iso
from .models import OPEN_STATUSES, Report, ReportDraft, ReportEvent, Status

Conn = aiosqlite.Connection


async def insert_report(
    conn: Conn,
    person: Person,
    *,
    rom_id: int,
    game: str,
    platform_name: str,
    problem: str,
    details: str,
) -> Report:
    """The new report, with its first history entry."""
    now = now_iso()
    cur = await conn.execute(
        "INSERT INTO problem_reports (user_key, user_name, rom_id, game, platform_name, "
        "problem, details, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
        (person.key, person.name, rom_id, game, platform_name, problem, details, now, now),
    )
    assert cur.lastrowid is not None
    await add_event(conn, cur.lastrowid, person, "created", details)
    report = await get_report(conn, cur.lastrowid)
    assert report is not None
    return report


async def get_report(conn: Conn, report_id: int) -> Report | None:
    row = await fetch_one(conn, "SELECT * FROM problem_reports WHERE id = ?", (report_id,))
    return Report.from_row(row) if row else None


async def open_report_on(conn: Conn, rom_id: int) -> Report | None:
    """The oldest report on this game that is still open (or acknowledged)."""
    row = await fetch_one(
        conn,
        "SELECT * FROM problem_reports WHERE rom_id = ? AND status IN "
        "(SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
        (rom_id, json.dumps(list(OPEN_STATUSES))),
    )
    return Report.from_row(row) if row else None


async def set_status(conn: Conn, report_id: int, status: Status, outcome: str | None) -> None:
    await conn.execute(
        "UPDATE problem_reports SET status = ?, outcome = COALESCE(?, outcome), updated_at = ? "
        "WHERE id = ?",
        (status, outcome, now_iso(), report_id),
    )


async def list_reports(
    conn: Conn,
    *,
    statuses: Sequence[str] = (),
    user_keys: Sequence[str] | None = None,
    limit: int = 25,
    offset: int = 0,
) -> tuple[list[Report], int]:
    """One page of the reports with these statuses (all: none given) that these people made
    or have too (everyone's: None), open ones first, and how many there are in all. (A
    library's reports are few: they are read whole and the page cut here.)"""
    wanted = json.dumps(list(statuses)) if statuses else None
    keys = json.dumps(list(user_keys)) if user_keys is not None else None
    rows = await fetch_all(
        conn,
        "SELECT * FROM problem_reports WHERE (? IS NULL OR status IN (SELECT value FROM "
        "json_each(?))) AND (? IS NULL OR user_key IN (SELECT value FROM json_each(?)) OR id "
        "IN (SELECT report_id FROM problem_report_events WHERE kind = 'me_too' AND actor_key "
        "IN (SELECT value FROM json_each(?)))) "
        "ORDER BY status NOT IN ('open', 'acknowledged'), id DESC",
        (wanted, wanted, keys, keys, keys),
    )
    return [Report.from_row(r) for r in rows[offset : offset + limit]], len(rows)


async def keys_named(conn: Conn, name: str) -> list[str]:
    """The people (user keys) who reported, or had a report too, under this name, any case."""
    rows = await fetch_all(
        conn,
        "SELECT user_key FROM problem_reports WHERE user_name = ? COLLATE NOCASE UNION "
        "SELECT actor_key FROM problem_report_events WHERE kind = 'me_too' AND "
        "actor_name = ? COLLATE NOCASE",
        (name, name),
    )
    return [str(r[0]) for r in rows]


async def counts_by_status(conn: Conn) -> dict[str, int]:
    rows = await fetch_all(conn, "SELECT status, COUNT(*) FROM problem_reports GROUP BY status")
    return {str(row[0]): int(row[1]) for row in rows}


# --- history (and who has it too: their "me_too" entries) -------------------------------
async def subscribers(conn: Conn, report_id: int) -> list[Person]:
    return me_too(await events(conn, report_id))


def me_too(history: list[ReportEvent]) -> list[Person]:
    """Who has the problem too, in the order they said so."""
    return [e.actor for e in history if e.kind == "me_too"]


async def add_event(conn: Conn, report_id: int, actor: Person, kind: str, text: str = "") -> None:
    await conn.execute(
        "INSERT INTO problem_report_events (report_id, at, actor_key, actor_name, kind, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (report_id, now_iso(), actor.key or None, actor.name, kind, text),
    )


async def events(conn: Conn, report_id: int) -> list[ReportEvent]:
    rows = await fetch_all(
        conn,
        "SELECT id, report_id AS request_id, at, actor_key, actor_name, kind, text, "
        "NULL AS rom_id FROM problem_report_events WHERE report_id = ? ORDER BY id",
        (report_id,),
    )
    return [ReportEvent.from_row(r) for r in rows]


# --- drafts (a game still to pick) --------------------------------------------------------
async def insert_draft(conn: Conn, person: Person, problem: str, details: str) -> int:
    cur = await conn.execute(
        "INSERT INTO problem_report_drafts (user_key, user_name, problem, details, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (person.key, person.name, problem, details, now_iso()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def take_draft(conn: Conn, draft_id: int, user_key: str) -> ReportDraft | None:
    """The draft; it is used up when it is this person's (someone else's stays)."""
    row = await fetch_one(conn, "SELECT * FROM problem_report_drafts WHERE id = ?", (draft_id,))
    if row is not None and row["user_key"] == user_key:
        await conn.execute("DELETE FROM problem_report_drafts WHERE id = ?", (draft_id,))
    return ReportDraft.from_row(row) if row else None


async def prune_drafts(conn: Conn, older_than: str) -> None:
    await conn.execute("DELETE FROM problem_report_drafts WHERE created_at < ?", (older_than,))
