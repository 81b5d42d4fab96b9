"""Download commands: /popular /recent_downloads /feeds, and QR codes of download links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ...core.cards import Attachment, Card, Choice, Picker, Reply
from ...core.commands import CommandGroup, OptionSpec
from ...core.format import human_size, shorten
from ..context import Context
from . import feeds as shop_feeds
from . import qr_policy
from .log import LoggedDownload
from .qr_image import qr_png
from .service import user_key

QR_ACTION = "qr"
POPULAR_DAYS = 30
RECENT_LIMIT = 10


group = CommandGroup("downloads")


@group.command(
    "popular",
    "The most downloaded games",
    OptionSpec(
        "days", "How many days back (default 30)", type="integer", min_value=1, max_value=3650
    ),
)
async def popular(ctx: Context, args: dict[str, Any]) -> Reply:
    days = int(args.get("days", POPULAR_DAYS))
    games = await ctx.services.downloads.popular(days)
    span = "day" if days == 1 else f"{days} days"
    if not games:
        return Reply.notice(f"No downloads through the bot in the last {span}." + _scope(ctx))
    lines = []
    for rank, game in enumerate(games, start=1):
        where = f" ({game.platform})" if game.platform else ""
        people = "1 person" if game.people == 1 else f"{game.people} people"
        times = "once" if game.downloads == 1 else f"{game.downloads} times"
        lines.append(f"{rank}. {game.title}{where} — {times}, by {people}")
    picker = Picker(
        action="rom",
        placeholder="Open a game",
        choices=tuple(Choice(shorten(g.title or g.file_name, 100), str(g.rom_id)) for g in games),
    )
    card = Card(
        f"Most downloaded games, last {span}",
        text="\n".join(lines),
        footer="Counts downloads through the bot's links.",
    )
    return Reply(cards=(card,), picker=picker)


@group.command("recent_downloads", "Games downloaded lately", private=True)
async def recent_downloads(ctx: Context, args: dict[str, Any]) -> Reply:
    rows = await ctx.services.downloads.recent(RECENT_LIMIT)
    if not rows:
        return Reply.notice(
            "Nobody has downloaded through the bot yet." + _scope(ctx), private=True
        )
    now = datetime.now(UTC)
    lines = [_recent_line(row, now, show_people=ctx.caller.is_admin) for row in rows]
    return Reply(cards=(Card("Recent downloads", text="\n".join(lines)),), private=True)


@group.command(
    "feeds",
    "Connect a console's homebrew shop (Tinfoil, pkgj, pkgi, fpkgi, Kekatsu) to RomM",
    OptionSpec("device", "Your device", choices=shop_feeds.DEVICES),
    private=True,
)
async def feeds(ctx: Context, args: dict[str, Any]) -> Reply:
    platforms = await ctx.services.catalog.ensure_platforms(admin=ctx.caller.is_admin)
    present = {p.slug for p in platforms if p.rom_count > 0}
    offered = shop_feeds.available(present)
    if "device" not in args:
        return _feed_list(offered)
    feed = shop_feeds.feed_for(args["device"])
    assert feed is not None  # the option only accepts known devices
    if feed not in offered:
        return Reply.notice(
            f"This library has no {feed.label} games, so there is no {feed.app} feed to "
            "connect to.",
            private=True,
        )
    downloads = ctx.services.downloads
    username = await downloads.romm_username_of(user_key(ctx.caller.front_end, ctx.caller.id))
    probe = await downloads.probe()
    anonymous = probe.anonymous_allowed if probe.checked else None
    guide = shop_feeds.guide(feed, ctx.services.links.base, present, username, anonymous)
    text = "\n".join(f"{n}. {step}" for n, step in enumerate(guide.steps, start=1))
    warnings = "\n".join(f"⚠ {w}" for w in guide.warnings)
    card = Card(
        f"{feed.app} on your {feed.label}",
        text=text + (f"\n\n{warnings}" if warnings else ""),
        footer="The bot never asks for your password.",
    )
    return Reply(cards=(card,), private=True, tone="warning" if warnings else "info")


def _feed_list(offered: list[shop_feeds.Feed]) -> Reply:
    """Every device `device:` accepts, one a line, saying which have games here."""
    lines = []
    for feed in shop_feeds.FEEDS:
        here = "" if feed in offered else f" — no {feed.label} games in this library"
        lines.append(f"• `{feed.device}`: {feed.app} on {feed.label}{here}")
    card = Card("Feeds for homebrew shops", text="\n".join(lines), footer="/feeds device:…")
    if not offered:
        text = "None of these devices has games in this library yet."
    else:
        text = "Feeds for this library: " + ", ".join(f.device for f in offered) + "."
    return Reply(text=text, cards=(card,), private=True)


@group.action(QR_ACTION)
async def qr_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    try:
        rom_id = int(args[0])
    except (IndexError, ValueError):
        return Reply.error("That QR button is broken; open the game again.")
    return await qr_reply(ctx, rom_id)


async def qr_reply(ctx: Context, rom_id: int) -> Reply:
    """A QR code of the person's own download link, for FBI (3DS) or VitaShell (Vita)."""
    rom = await ctx.services.catalog.rom(rom_id, admin=ctx.caller.is_admin)
    decision = qr_policy.decide(rom)
    if not decision.ok or decision.installer is None:
        return Reply.error(decision.reason)
    downloads = await ctx.services.downloads.for_caller(ctx.caller)
    url = downloads.rom(rom)
    if url is None:
        return Reply.error(downloads.refused or "Downloads are not available.")
    png = await qr_png(url)
    filename = f"qr-{rom.id}.png"
    installer = decision.installer
    note = downloads.expiry_note or (
        "The device must be allowed to download from RomM without signing in."
    )
    card = Card(
        title=f"QR code: {rom.title}",
        text=f"Scan it with {installer.app} on your {installer.device} to install "
        f"`{decision.file_name}`. {note}",
        image_url=f"attachment://{filename}",
        footer=f"RomM id {rom.id}",
    )
    return Reply(
        cards=(card,),
        attachments=(Attachment(filename, png, f"QR code for {rom.title}", qr_of=url),),
        private=True,
    )


def _scope(ctx: Context) -> str:
    if ctx.services.downloads.mode == "gateway":
        return ""
    return " (Cards link to RomM directly, so downloads are not counted.)"


def _recent_line(row: LoggedDownload, now: datetime, *, show_people: bool) -> str:
    where = f" ({row.platform})" if row.platform else ""
    line = f"{row.title or row.file_name}{where} · {_ago(now, row.updated_at)}"
    if show_people:
        state = "✓" if row.completed else "✗ not finished"
        line += f" · {row.user_name} · {human_size(row.bytes_sent)} {state}"
    return line


def _ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86_400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86_400} d ago"
