"""The earlier bot's `user_links` and `pending_invites`, into the accounts tables.

Its links were made "on the member's word" unless it created the account itself, so:
- `created_by_bot=1` → a link the bot may manage (disable on role loss, delete after the
  grace period), once RomM confirms at the first sync that the id still has that username;
- otherwise → an imported claim, never proven: shown as such, never the basis for disabling
  or deleting anything (losing the role only unlinks it; /link proves it).
Its pending invites are kept as history only: it did not keep the invite links, so they cannot
be delivered again; role holders without an account get a fresh invite at the next sync.
Running the import again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import store as repo
from .plan import Link

ACTOR = "import"


@dataclass
class AccountsImportReport:
    links_imported: int = 0
    invites_recorded: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Accounts: {self.links_imported} link(s) imported, {self.invites_recorded} earlier "
            "invite(s) kept as history",
            *(f"  - {line}" for line in self.skipped),
        ]


def _when(value: Any, default: datetime) -> datetime:
    if value in (None, ""):
        return default
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return default
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def import_user_links(
    conn: repo.Conn,
    user_links: Iterable[Mapping[str, Any]],
    pending_invites: Iterable[Mapping[str, Any]] = (),
    *,
    now: datetime | None = None,
) -> AccountsImportReport:
    """Import inside the caller's transaction; returns what was imported and skipped."""
    now = now or datetime.now(UTC)
    report = AccountsImportReport()
    for row in user_links:
        await _link(conn, row, now, report)
    for row in pending_invites:
        await _invite(conn, row, now, report)
    return report


async def _link(
    conn: repo.Conn, row: Mapping[str, Any], now: datetime, report: AccountsImportReport
) -> None:
    discord_id = str(row.get("discord_id") or "").strip()
    username = str(row.get("romm_username") or "").strip()
    romm_id = row.get("romm_id")
    name = str(row.get("discord_username") or discord_id)
    label = f"user link of {name} (discord:{discord_id}) to {username or '?'}"
    if not discord_id.isdigit() or not username or not isinstance(romm_id, int):
        report.skipped.append(f"{label}: no Discord id, RomM id or RomM username")
        return
    key = f"discord:{discord_id}"
    mine = await repo.link_of(conn, key)
    if mine is not None and mine.state in ("active", "disabled"):
        report.skipped.append(f"{label}: already linked (to {mine.romm_username})")
        return
    holder = await repo.holder_of(conn, romm_id)
    if holder is not None:
        report.skipped.append(f"{label}: that account is already linked to {holder.member_name}")
        return
    created = bool(row.get("created_by_bot"))
    link = Link(
        member_key=key,
        member_name=name,
        romm_id=romm_id,
        romm_username=username,
        state="active",
        origin="legacy_created" if created else "legacy_claimed",
        created_by_bot=created,
        verified=created,
    )
    await repo.put_link(conn, link, _when(row.get("created_at"), now))
    how = "created by the earlier bot" if created else "claimed without proof in the earlier bot"
    await repo.add_event(
        conn,
        "import",
        now,
        actor=ACTOR,
        member_key=key,
        member_name=name,
        romm_id=romm_id,
        romm_username=username,
        text=how,
    )
    report.links_imported += 1


async def _invite(
    conn: repo.Conn, row: Mapping[str, Any], now: datetime, report: AccountsImportReport
) -> None:
    discord_id = str(row.get("discord_id") or "").strip()
    jti = str(row.get("jti") or "").strip() or None
    if not discord_id.isdigit():
        report.skipped.append("earlier invite without a Discord id")
        return
    async with conn.execute("SELECT 1 FROM account_invites WHERE jti = ?", (jti,)) as cur:
        if jti is not None and await cur.fetchone() is not None:
            report.skipped.append(f"earlier invite of discord:{discord_id}: already imported")
            return
    sent = _when(row.get("sent_at"), now)
    await conn.execute(
        "INSERT INTO account_invites (member_key, member_name, role, link, jti, status, "
        "delivered, sent_at, expires_at, closed_at, close_reason) "
        "VALUES (?, ?, ?, NULL, ?, 'legacy', 1, ?, ?, ?, ?)",
        (
            f"discord:{discord_id}",
            discord_id,
            str(row.get("role") or ""),
            jti,
            repo.iso(sent),
            repo.iso(_when(row.get("expires_at"), sent)),
            repo.iso(now),
            "sent by the earlier bot; its link was not kept",
        ),
    )
    report.invites_recorded += 1
