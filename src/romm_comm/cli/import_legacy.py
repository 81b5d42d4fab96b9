"""Import the earlier bot's SQLite data: requests, their subscribers, and user links.

The earlier bot kept one file `data/romm_bot.db` (older versions: `data/requests.db` and
`data/users.db`); PATH may be such a file or the folder holding them. Running the import
again changes nothing: rows already imported are reported as skipped. Each file is imported
in one transaction. Its Discord user ids become `discord:<id>`; its platform display names
are mapped to RomM's platforms when RomM can be asked, else kept as names.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from ..app.romm_client import romm_client
from ..app.settings import Settings
from ..features.accounts.legacy import import_user_links
from ..features.library.catalog import fold
from ..features.requests import store as repo
from ..features.requests.matcher import title_key
from ..features.requests.models import BOT, IgdbPick, Person, Status
from ..romm.errors import RommError
from ..romm.models import Platform
from ..store.db import Store

LEGACY_FILES = ("romm_bot.db", "requests.db", "users.db")
STATUS_MAP: dict[str, Status] = {
    "pending": "pending",
    "fulfilled": "fulfilled",
    "reject": "rejected",
    "rejected": "rejected",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
_META = re.compile(r"IGDB Metadata:\s*\n(?P<body>(?:[ \t]*[A-Za-z ]+:.*(?:\n|$))+)", re.MULTILINE)


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    requests_imported: int = 0
    subscribers_imported: int = 0
    links_imported: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per skipped row, with why

    def lines(self) -> list[str]:
        out = [f"Read: {', '.join(self.files) or 'nothing'}"]
        out.append(
            f"Imported: {self.requests_imported} request(s), {self.subscribers_imported} "
            f"subscriber(s), {self.links_imported} user link(s)"
        )
        out.append(f"Skipped: {len(self.skipped)}")
        out.extend(f"  - {line}" for line in self.skipped)
        return out


def legacy_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found: list[Path] = []
    for folder in (path, path / "data"):
        found.extend(folder / name for name in LEGACY_FILES if (folder / name).is_file())
    return found


def _read(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables we know, as dicts (missing tables and columns are fine)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        out: dict[str, list[dict[str, Any]]] = {}
        for table in ("requests", "request_subscribers", "user_links", "pending_invites"):
            if table in tables:
                rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")  # noqa: S608
                out[table] = [dict(r) for r in rows]
        return out
    finally:
        conn.close()


def _iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # SQLite's CURRENT_TIMESTAMP is UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _person(user_id: Any, name: Any) -> Person | None:
    ident = str(user_id or "").strip()
    if not ident:
        return None
    return Person(f"discord:{ident}", str(name or ident))


def split_details(details: str) -> tuple[str, dict[str, str]]:
    """The person's own words, and the "IGDB Metadata:" lines the earlier bot appended."""
    match = _META.search(details or "")
    if match is None:
        return (details or "").strip(), {}
    meta = {}
    for line in match["body"].splitlines():
        key, _, value = line.partition(":")
        if value.strip():
            meta[key.strip().lower()] = value.strip()
    own = (details[: match.start()] + details[match.end() :]).strip()
    return own, meta


@dataclass(frozen=True)
class PlatformMap:
    """Display names (and RomM ids) → (platform key, display name)."""

    by_name: Mapping[str, tuple[str, str]]
    by_id: Mapping[int, tuple[str, str]]

    @classmethod
    def build(cls, library: Iterable[Platform], supported: Iterable[Platform]) -> PlatformMap:
        by_name: dict[str, tuple[str, str]] = {}
        by_id: dict[int, tuple[str, str]] = {}
        for p in [*library, *supported]:
            entry = (p.slug, p.display_name)
            for name in (p.display_name, p.name, p.slug, p.fs_slug):
                if name:
                    by_name.setdefault(fold(name), entry)
            if p.id > 0:
                by_id.setdefault(p.id, entry)
        return cls(by_name, by_id)

    def resolve(self, name: str, mapping_id: Any) -> tuple[str, str]:
        if isinstance(mapping_id, int) and mapping_id in self.by_id:
            return self.by_id[mapping_id]
        found = self.by_name.get(fold(name))
        return found or (f"name:{fold(name)}", name)


def _igdb(row: Mapping[str, Any], meta: Mapping[str, str]) -> IgdbPick | None:
    raw_id = row.get("igdb_id")
    if raw_id in (None, "") or not str(raw_id).isdigit():
        return None
    name = row.get("igdb_game_name") or meta.get("game") or row.get("game_name") or ""
    released = meta.get("release date") or None
    year = int(released[:4]) if released and released[:4].isdigit() else None
    return IgdbPick(
        id=int(raw_id),
        name=str(name),
        year=year,
        cover_url=meta.get("cover url") or None,
        release_date=released,
    )


async def _import_request(
    conn: repo.Conn, row: Mapping[str, Any], platforms: PlatformMap, report: ImportReport
) -> None:
    legacy_id = row.get("id")
    label = f"request {legacy_id} ({row.get('game_name')!r})"
    status = STATUS_MAP.get(str(row.get("status") or "").strip().lower())
    person = _person(row.get("user_id"), row.get("username"))
    title = str(row.get("game_name") or "").strip()
    if not isinstance(legacy_id, int):
        report.skipped.append(f"{label}: no id")
        return
    if await repo.legacy_request(conn, legacy_id) is not None:
        report.skipped.append(f"{label}: already imported")
        return
    if status is None or person is None or not title:
        what = "status" if status is None else "user" if person is None else "game name"
        report.skipped.append(f"{label}: unreadable {what} ({row.get('status')!r})")
        return
    details, meta = split_details(str(row.get("details") or ""))
    igdb = _igdb(row, meta)
    if igdb is None:
        details = str(row.get("details") or "").strip()
    key, platform_name = platforms.resolve(
        str(row.get("platform") or ""), row.get("platform_mapping_id")
    )
    created = _iso(row.get("created_at")) or datetime.now(UTC).isoformat(timespec="seconds")
    updated = _iso(row.get("updated_at")) or created
    normal = title_key(igdb.name if igdb and igdb.name else title)
    if status == "pending":
        dup = await repo.find_pending_duplicate(conn, key, normal, igdb.id if igdb else None)
        if dup is not None:
            added = await repo.add_subscriber(conn, dup.id, person, created)
            if added:
                await repo.add_event(conn, dup.id, person, "subscribed", at=created)
            report.skipped.append(
                f"{label}: same game as pending request #{dup.id}; its requester follows that one"
            )
            return
    notes = str(row.get("notes") or "").strip()
    reason = notes if status == "rejected" and notes else None
    request_id = await repo.insert_request(
        conn,
        person,
        platform_key=key,
        platform_name=platform_name,
        title=title,
        title_key=normal,
        details=details,
        igdb=igdb,
        status=status,
        created_at=created,
        updated_at=updated,
        reason=reason,
        legacy_id=legacy_id,
    )
    await repo.add_event(conn, request_id, person, "created", details, at=created)
    closer = _person(row.get("fulfilled_by"), row.get("fulfiller_name")) or BOT
    if status == "fulfilled":
        kind = "auto_fulfilled" if row.get("auto_fulfilled") else "fulfilled"
        await repo.add_event(conn, request_id, closer, kind, at=updated)
    elif status == "rejected":
        await repo.add_event(conn, request_id, closer, "rejected", notes, at=updated)
    elif status == "cancelled":
        await repo.add_event(conn, request_id, person, "cancelled", at=updated)
    if notes and status != "rejected":
        await repo.add_event(conn, request_id, closer, "note", notes, at=updated)
    await repo.add_event(conn, request_id, BOT, "imported", f"earlier bot's request {legacy_id}")
    report.requests_imported += 1


async def _import_subscriber(conn: repo.Conn, row: Mapping[str, Any], report: ImportReport) -> None:
    label = (
        f"subscriber {row.get('username') or row.get('user_id')} of request {row.get('request_id')}"
    )
    person = _person(row.get("user_id"), row.get("username"))
    legacy_id = row.get("request_id")
    request = await repo.legacy_request(conn, legacy_id) if isinstance(legacy_id, int) else None
    if person is None or request is None:
        report.skipped.append(f"{label}: its request was not imported")
        return
    if request.requester.key == person.key:
        report.skipped.append(f"{label}: is the requester")
        return
    created = _iso(row.get("created_at"))
    if await repo.add_subscriber(conn, request.id, person, created):
        await repo.add_event(conn, request.id, person, "subscribed", at=created)
        report.subscribers_imported += 1
    else:
        report.skipped.append(f"{label}: already imported")


async def _import_link(conn: repo.Conn, row: Mapping[str, Any], report: ImportReport) -> None:
    person = _person(row.get("discord_id"), row.get("discord_username"))
    if person is None:
        report.skipped.append("user link without a Discord id")
        return
    cur = await conn.execute(
        "INSERT OR IGNORE INTO legacy_user_links (user_key, romm_username, romm_id, "
        "display_name, created_by_bot, linked_at, updated_at, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person.key,
            row.get("romm_username"),
            row.get("romm_id"),
            person.name,
            int(bool(row.get("created_by_bot"))),
            _iso(row.get("created_at")),
            _iso(row.get("updated_at")),
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )
    if cur.rowcount == 1:
        report.links_imported += 1
    else:
        report.skipped.append(f"user link of {person.name} ({person.key}): already imported")


async def import_legacy(
    store: Store, path: Path, platforms: PlatformMap | None = None
) -> ImportReport:
    files = legacy_files(path)
    if not files:
        raise FileNotFoundError(f"no earlier-bot database at {path} (looked for {LEGACY_FILES})")
    platforms = platforms or PlatformMap({}, {})
    report = ImportReport()
    for file in files:
        tables = await asyncio.to_thread(_read, file)
        report.files.append(file.name)
        async with store.transaction() as conn:
            for row in tables.get("requests", []):
                await _import_request(conn, row, platforms, report)
            for row in tables.get("request_subscribers", []):
                await _import_subscriber(conn, row, report)
            for row in tables.get("user_links", []):
                await _import_link(conn, row, report)
            accounts = await import_user_links(
                conn, tables.get("user_links", []), tables.get("pending_invites", [])
            )
            report.skipped.extend(f"accounts: {line}" for line in accounts.skipped)
        invites = tables.get("pending_invites", [])
        if invites:
            report.skipped.append(
                f"{len(invites)} pending invite(s): not imported (they expire; the accounts "
                "feature sends new ones)"
            )
    return report


async def _platform_map(settings: Settings, out: TextIO) -> PlatformMap:
    """RomM's platforms for mapping display names; names are kept when RomM can't be asked."""
    if settings.romm_url is None:
        return PlatformMap({}, {})
    client = romm_client(settings)
    try:
        library = await client.platforms()
        try:
            supported = await client.supported_platforms()
        except RommError:
            supported = []
        return PlatformMap.build(library, supported)
    except RommError as exc:
        print(
            f"RomM could not be asked for its platforms ({exc.user_message}); platform "
            "names are kept as they are and matched by name.",
            file=out,
        )
        return PlatformMap({}, {})
    finally:
        await client.close()


async def run_import_legacy(settings: Settings, path: Path, out: TextIO) -> int:
    """`romm-comm import-legacy PATH`: import, then print what was imported and skipped."""
    from ..app.root import DB_NAME

    if not legacy_files(path):
        print(
            f"No earlier-bot database at {path} (looked for {', '.join(LEGACY_FILES)}).", file=out
        )
        return 2
    platforms = await _platform_map(settings, out)
    store = await Store.open(settings.data_dir / DB_NAME)
    try:
        report = await import_legacy(store, path, platforms)
    except sqlite3.DatabaseError as exc:
        print(f"Cannot read {path}: {exc}", file=out)
        return 2
    finally:
        await store.close()
    for line in report.lines():
        print(line, file=out)
    return 0
