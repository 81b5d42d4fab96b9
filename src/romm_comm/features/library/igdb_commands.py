"""/igdb: browse IGDB's lists (upcoming, popular, recent, a platform's exclusives) and
request a game from them."""

from __future__ import annotations

from typing import Any

from ...core.cards import Button, Card, Choice, Picker, Reply, action_id
from ...core.commands import CommandGroup, InputError, OptionSpec
from ...core.format import shorten
from ...igdb.client import LIST_KINDS, IgdbClient, ListKind
from ...igdb.models import IgdbGame
from ..context import Context
from ..requests import platforms as request_platforms
from ..requests.cards import library_matches_reply, pick_of
from ..requests.flow import (
    confirm_step,
    person_of,
    platform_step,
    quota_problem,
    service_of,
)
from ..requests.platforms import RequestPlatform
from .cards import unknown_platform_reply
from .catalog import UnknownPlatform

PAGE = 10
MAX_PAGE = 10
TITLES: dict[str, str] = {
    "upcoming": "Upcoming games",
    "popular": "Popular games",
    "recent": "Recently released",
    "exclusives": "Exclusives",
}
ANY = "-"
REQUEST_GAME_ACTION = "igdbreq"  # `igdbreq:<platform slug or ->` with an IGDB game id picked


def _igdb(ctx: Context) -> IgdbClient:
    if ctx.services.igdb is None:
        raise InputError(
            "IGDB is not set up on this bot (an admin sets IGDB_CLIENT_ID and IGDB_CLIENT_SECRET)."
        )
    return ctx.services.igdb


def _kind(text: str) -> ListKind:
    for kind in LIST_KINDS:
        if kind == text:
            return kind
    raise InputError(f"view must be one of: {', '.join(LIST_KINDS)}.")


def list_reply(
    kind: ListKind, platform: RequestPlatform | None, games: list[IgdbGame], page: int
) -> Reply:
    where = f" on {platform.name}" if platform else ""
    title = f"{TITLES[kind]}{where}" + (f" (page {page})" if page > 1 else "")
    if not games:
        return Reply.notice(f"IGDB lists nothing here: {title.lower()}.", private=True)
    start = (page - 1) * PAGE
    lines = []
    for number, game in enumerate(games, start=start + 1):
        when = game.released.strftime("%Y-%m-%d") if game.released else "date unknown"
        platforms = shorten(", ".join(p.label for p in game.platforms), 60)
        lines.append(f"{number}. {game.name} — {when}" + (f" — {platforms}" if platforms else ""))
    key = platform.key if platform else ANY
    choices = tuple(Choice(shorten(g.name, 100), str(g.id), str(g.year or "")) for g in games[:25])
    buttons = []
    if page > 1:
        buttons.append(Button("◀ Previous", action_id("igdb", kind, key, page - 1)))
    if len(games) == PAGE and page < MAX_PAGE:
        buttons.append(Button("Next ▶", action_id("igdb", kind, key, page + 1)))
    card = Card(
        title,
        text="\n".join(lines),
        thumbnail_url=games[0].cover_url,
        footer="From IGDB · pick a game to request it",
    )
    return Reply(
        cards=(card,),
        picker=Picker(action_id(REQUEST_GAME_ACTION, key), "Request one of these", choices),
        buttons=tuple(buttons),
        private=True,
    )


async def _show(ctx: Context, kind: ListKind, platform: RequestPlatform | None, page: int) -> Reply:
    igdb = _igdb(ctx)
    if kind == "exclusives" and platform is None:
        raise InputError("Exclusives need a platform: /igdb view:exclusives platform:…")
    if platform is not None and platform.igdb_id is None:
        raise InputError(f"IGDB does not know {platform.name}, so it has no lists for it.")
    games = await igdb.game_list(
        kind, platform.igdb_id if platform else None, limit=PAGE, offset=(page - 1) * PAGE
    )
    return list_reply(kind, platform, games, page)


group = CommandGroup("igdb")


@group.command(
    "igdb",
    "Browse IGDB: upcoming, popular, recent games or a platform's exclusives",
    OptionSpec("view", "Which list (default: popular)", choices=LIST_KINDS),
    OptionSpec("platform", "Only this platform", autocomplete="platform", max_length=100),
    private=True,
)
async def igdb(ctx: Context, args: dict[str, Any]) -> Reply:
    _igdb(ctx)
    view, platform_name = args.get("view", "popular"), args.get("platform", "")
    platform = None
    if platform_name:
        try:
            platform = await request_platforms.resolve(
                ctx.services.catalog,
                ctx.services.client,
                platform_name,
                admin=ctx.caller.is_admin,
            )
        except UnknownPlatform as exc:
            return unknown_platform_reply(exc, ctx.services.emoji)
    return await _show(ctx, _kind(view), platform, 1)


@group.action("igdb")
async def page_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    if len(args) < 3 or not args[2].isdigit():
        return Reply.error("That button is no longer available.")
    platform = await _platform(ctx, args[1])
    return await _show(ctx, _kind(args[0]), platform, max(1, min(int(args[2]), MAX_PAGE)))


@group.action(REQUEST_GAME_ACTION)
async def request_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    igdb = _igdb(ctx)
    service_of(ctx)
    if not values or not values[0].isdigit():
        return Reply.error("Pick a game.")
    refused = await quota_problem(ctx)
    if refused is not None:
        return refused
    game = await igdb.game(int(values[0]))
    if game is None:
        return Reply.error("IGDB no longer has that game.")
    platform = await _platform(ctx, args[0] if args else ANY)
    draft = await service_of(ctx).new_draft(
        person_of(ctx),
        platform_key=platform.key if platform else None,
        platform_name=platform.name if platform else "",
        in_library=platform.in_library if platform else False,
        igdb_platform_id=platform.igdb_id if platform else None,
        title=game.name,
        igdb=pick_of(game),
    )
    if platform is None:
        return await platform_step(ctx, draft, [p.id for p in game.platforms])
    owned = await ctx.services.client.rom_by_igdb_id(game.id)
    if owned is not None and owned.platform_slug == platform.key:
        return library_matches_reply(draft, [owned])
    return await confirm_step(ctx, draft)


async def _platform(ctx: Context, key: str) -> RequestPlatform | None:
    if key == ANY:
        return None
    platform = await request_platforms.by_key(
        ctx.services.catalog, ctx.services.client, key, admin=ctx.caller.is_admin
    )
    if platform is None:
        raise InputError("RomM no longer knows that platform.")
    return platform
