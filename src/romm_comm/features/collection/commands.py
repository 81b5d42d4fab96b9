"""/missing (what IGDB lists for a platform that the library lacks) and /collection
(completeness of every platform, with a bar chart)."""

from __future__ import annotations

import logging
from typing import Any

from ...core.cards import Reply
from ...core.commands import CommandGroup, InputError, OptionSpec
from ...romm.models import Platform
from ..context import Context
from ..library.cards import unknown_platform_reply
from ..library.catalog import UnknownPlatform
from ..library.igdb_commands import REQUEST_GAME_ACTION
from .cards import MISSING_ACTION, collection_reply, missing_reply
from .chart import chart_png
from .service import (
    INCLUDE,
    INCLUDE_NAMES,
    SORTS,
    CollectionService,
    Completeness,
    Sort,
    UnknownToIgdb,
)

log = logging.getLogger(__name__)

NOT_SET_UP = (
    "IGDB is not set up on this bot, so the library cannot be compared with it (an admin sets "
    "IGDB_CLIENT_ID and IGDB_CLIENT_SECRET)."
)

group = CommandGroup("collection")


def _service(ctx: Context) -> CollectionService:
    service = ctx.services.collection
    if service is None or service.lists is None:
        raise InputError(NOT_SET_UP)
    return service


def _sort(text: str) -> Sort:
    for sort in SORTS:
        if sort == text:
            return sort
    raise InputError(f"sort must be one of: {', '.join(SORTS)}.")


def _include(text: str) -> str:
    if text not in INCLUDE:
        raise InputError(f"include must be one of: {', '.join(INCLUDE_NAMES)}.")
    return text


def _unknown_to_igdb(platform: Platform) -> Reply:
    name = platform.display_name or platform.name
    return Reply.error(f"RomM has no IGDB id for {name}, so it cannot be compared with IGDB.")


async def _missing(ctx: Context, platform: Platform, sort: Sort, include: str, page: int) -> Reply:
    service = _service(ctx)
    try:
        if page == 1:  # the command (or back to page 1): compared afresh
            result = await service.completeness(platform, include=include, sort=sort)
        else:  # ◀ ▶: the result shown a moment ago
            result = await service.page_of(platform, include=include, sort=sort)
    except UnknownToIgdb:
        return _unknown_to_igdb(platform)
    requests_on = ctx.services.requests is not None
    return missing_reply(
        result,
        page=page,
        sort=sort,
        include=include,
        request_action=REQUEST_GAME_ACTION if requests_on else None,
    )


@group.command(
    "missing",
    "Games IGDB lists for a platform that the library lacks, and how complete it is",
    OptionSpec(
        "platform", "A platform of the library", required=True, autocomplete="platform",
        max_length=100,
    ),
    OptionSpec("sort", "Order (default: rating)", choices=SORTS),
    OptionSpec("include", "Besides main games (default: main games only)", choices=INCLUDE_NAMES),
    private=True,
    usage="/missing platform:SNES sort:popularity",
)  # fmt: skip
async def missing(ctx: Context, args: dict[str, Any]) -> Reply:
    _service(ctx)
    sort, include = _sort(args.get("sort", "rating")), _include(args.get("include", "main"))
    try:
        platform = await ctx.services.catalog.resolve_platform(
            args["platform"], admin=ctx.caller.is_admin
        )
    except UnknownPlatform as exc:
        return unknown_platform_reply(exc, ctx.services.emoji)
    return await _missing(ctx, platform, sort, include, 1)


@group.action(MISSING_ACTION)
async def missing_page(ctx: Context, args: list[str], values: list[str]) -> Reply:
    """◀ ▶ under /missing: `miss:<platform id>:<sort>:<include>:<page>`."""
    if len(args) != 4 or not args[0].isdigit() or not args[3].isdigit():
        return Reply.error("That button is no longer available.")
    platforms = await ctx.services.catalog.ensure_platforms(admin=ctx.caller.is_admin)
    platform = next((p for p in platforms if p.id == int(args[0])), None)
    if platform is None:
        return Reply.error("The library no longer has that platform.")
    return await _missing(ctx, platform, _sort(args[1]), _include(args[2]), int(args[3]))


@group.command(
    "collection",
    "How complete the library is on each platform, against IGDB (a table and a chart)",
)
async def collection(ctx: Context, args: dict[str, Any]) -> Reply:
    service = _service(ctx)
    results: list[Completeness] = []
    skipped: list[str] = []
    for platform in await ctx.services.catalog.ensure_platforms(admin=ctx.caller.is_admin):
        try:
            results.append(await service.completeness(platform))
        except UnknownToIgdb:
            skipped.append(platform.display_name or platform.name)
    chart = None
    if results:
        rows = [(r.platform.display_name or r.platform.name, r.have, r.total) for r in results]
        try:
            chart = await chart_png(rows, "Library completeness against IGDB (main games)")
        except (OSError, ValueError) as exc:  # the table still answers
            log.warning("collection chart failed: %s", type(exc).__name__)
    return collection_reply(results, skipped, chart)
