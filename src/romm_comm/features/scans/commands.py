"""/scan (admin): start, stop and follow RomM library scans."""

from __future__ import annotations

from typing import Any

from ...core.cards import Reply
from ...core.commands import CommandGroup, OptionSpec
from ..context import Context
from ..library.cards import unknown_platform_reply
from ..library.catalog import UnknownPlatform
from .cards import outcome_reply, status_reply, summaries_reply
from .models import KIND_ALIASES, SCAN_KINDS

ACTIONS = (
    "platform",
    "full",
    "stop",
    "status",
    "unmatched",
    "hashes",
    "new_platforms",
    "update",
    "summary",
)
ACTION = OptionSpec(
    "action",
    "What to do: platform (quick scan of one), full, stop, status, unmatched, hashes, "
    "new_platforms, update, summary (left out with a platform: a quick scan of it)",
    choices=(*ACTIONS, *KIND_ALIASES),
)
PLATFORM = OptionSpec(
    "platform",
    "The platform (needed for 'platform'; limits unmatched, hashes, update and full)",
    autocomplete="platform",
    max_length=100,
)
USAGE = (
    '/scan action:platform platform:"Nintendo 64" · /scan action:full · /scan action:status\n'
    "Progress is edited in place in the scans channel; the summary replaces it at the end."
)


group = CommandGroup("scans")


@group.command(
    "scan", "Scan the RomM library, or see how scans went", ACTION, PLATFORM, admin=True,
    private=True, usage=USAGE,
)  # fmt: skip
async def scan(ctx: Context, args: dict[str, Any]) -> Reply:
    scans = ctx.services.scans
    if scans is None:
        return Reply.error("Scans are not available: the bot is not connected to RomM.")
    given = args.get("action") or ("platform" if args.get("platform") else None)
    if given is None:
        return Reply.error("What should the scan do? " + USAGE.split("\n", 1)[0])
    action = KIND_ALIASES.get(given, given)
    if action == "status":
        await scans.settle()
        return status_reply(scans.current, await scans.summaries(1), scans.describe())
    if action == "summary":
        return summaries_reply(await scans.summaries(5))
    if action == "stop":
        return outcome_reply(await scans.stop(ctx.caller.name))
    platform = None
    if args.get("platform"):
        try:
            platform = await ctx.services.catalog.resolve_platform(
                args["platform"], admin=ctx.caller.is_admin
            )
        except UnknownPlatform as exc:
            return unknown_platform_reply(exc, ctx.services.emoji)
    elif action == "platform":
        return Reply.error(
            'Which platform? Name one: /scan action:platform platform:"Nintendo 64".'
        )
    if action == "new_platforms":
        platform = None  # new platforms are by definition not in the list yet
    assert action in SCAN_KINDS
    return outcome_reply(await scans.request(action, platform, ctx.caller.name))
