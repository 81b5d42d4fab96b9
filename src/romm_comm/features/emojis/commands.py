"""`/emojis` (admin): platform emojis from RomM's icons — sync now, or show the state.

Declared once in the core like every command (so /help, the admin check, the 3-second rule
and the command-sync checks apply); only a front end that can upload emojis (Discord)
registers an `EmojiSyncer`. Elsewhere the command says where it works.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ...core.cards import Card, Field, Reply, Tone
from ...core.commands import CommandGroup, OptionSpec
from ..context import Context
from .syncer import EmojiReport

ACTION = OptionSpec(
    "action", "sync: upload/remove now; status: what is there", choices=("status", "sync")
)
SHOWN = 15  # slugs listed per line before "and N more"
SYNC_WAIT = 20.0  # seconds the command waits for a sync before answering "still running"
STILL_RUNNING = (
    "The sync is still uploading (Discord paces emoji uploads); what it did goes to the "
    "admins' log channel when it is done."
)

log = logging.getLogger(__name__)


group = CommandGroup("emojis")


@group.command(
    "emojis",
    "Platform emojis from RomM's icons: status, or sync now",
    ACTION,
    admin=True,
    private=True,
)
async def emojis(ctx: Context, args: dict[str, Any]) -> Reply:
    syncer = ctx.services.emoji_syncers.get(ctx.caller.front_end)
    if syncer is None:
        return Reply.notice(
            "Platform emojis are uploaded on Discord only; run /emojis there.", private=True
        )
    if args.get("action") == "sync":
        task = asyncio.ensure_future(syncer.sync(reason="/emojis sync", force=True))
        done, _ = await asyncio.wait({task}, timeout=SYNC_WAIT)
        if not done:  # the sync outlives the command; the supervisor owns it from here
            ctx.services.tasks.spawn(_carry_on(task), "emoji-sync")
            return Reply.notice(STILL_RUNNING, private=True)
        return report_reply(task.result(), "Emoji sync done")
    return report_reply(await syncer.status(), "Platform emojis")


async def _carry_on(task: asyncio.Future[EmojiReport]) -> None:
    """Wait for a sync that outlived its command; cancelled with it at shutdown."""
    try:
        await task
    finally:
        task.cancel()


def _slugs(slugs: list[str]) -> str:
    shown = ", ".join(slugs[:SHOWN])
    more = len(slugs) - SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def report_lines(report: EmojiReport) -> list[str]:
    """One line per thing that happened (also what goes to the admins' log channel)."""
    if report.mode == "off":
        return ["Platform emojis are off (EMOJI_MODE=off): only emojis already there are used."]
    where = "application emojis" if report.mode == "application" else "server emoji slots"
    lines = [f"{report.held} of {report.capacity} {where} used for {report.platforms} platforms."]
    if report.uploaded:
        lines.append(f"Uploaded {len(report.uploaded)}: {_slugs(report.uploaded)}.")
    if report.deleted:
        lines.append(f"Removed {len(report.deleted)} of the bot's own: {_slugs(report.deleted)}.")
    if report.forgotten:
        lines.append(
            f"Deleted by someone else (not re-uploaded until a sync finds a free slot): "
            f"{_slugs(report.forgotten)}."
        )
    if report.no_icon:
        items = [f"{slug} ({why})" for slug, why in sorted(report.no_icon.items())]
        lines.append(f"No usable icon on RomM, shown as 🎮: {_slugs(items)}.")
    if report.no_room:
        lines.append(f"{report.no_room} platform(s) have no free slot and show 🎮.")
    if report.note:
        lines.append(report.note)
    return lines


def report_reply(report: EmojiReport, title: str) -> Reply:
    lines = report_lines(report)
    fields = (
        (Field("Uploaded", str(len(report.uploaded))), Field("Removed", str(len(report.deleted))))
        if report.mode != "off"
        else ()
    )
    tone: Tone = "warning" if report.note else "success" if report.changed else "info"
    return Reply(
        cards=(Card(title, text="\n".join(lines), fields=fields),), tone=tone, private=True
    )
