"""The steps of the request form: library check → IGDB pick → duplicate check → confirm →
send. Each step is a reply whose buttons name the stored draft, so any step can be answered
after a restart, and only by the person whose draft it is."""

from __future__ import annotations

import logging

from ...core.cards import Reply
from ...core.commands import InputError
from ...core.notify import UserRef
from ...igdb.errors import IgdbError
from ..context import Context
from ..library.catalog import UnknownPlatform
from .cards import (
    confirm_reply,
    duplicate_reply,
    igdb_choices_reply,
    library_matches_reply,
    pick_of,
    platform_choice_reply,
)
from .models import Draft, Outcome, Person
from .platforms import RequestPlatform, by_key
from .service import RequestService

log = logging.getLogger(__name__)

LIBRARY_MATCHES = 10
IGDB_RESULTS = 10
EXPIRED = "This request form has expired or was already sent; run /request again."


def person_of(ctx: Context) -> Person:
    return Person(str(UserRef(ctx.caller.front_end, ctx.caller.id)), ctx.caller.name)


def service_of(ctx: Context) -> RequestService:
    service = ctx.services.requests
    if service is None:
        raise InputError("Requests are turned off on this bot.")
    return service


def limit_reply(ctx: Context, count: int) -> Reply:
    limit = service_of(ctx).limit
    return Reply.error(
        f"You already have {count} open request(s); the most anyone can have is {limit}. "
        "Cancel one with /cancel_request, or wait until one is fulfilled."
    )


async def quota_problem(ctx: Context) -> Reply | None:
    if ctx.caller.is_admin:
        return None
    service = service_of(ctx)
    count = await service.open_count(person_of(ctx).key)
    return limit_reply(ctx, count) if count >= service.limit else None


async def own_draft(ctx: Context, draft_id: int | None) -> Draft:
    draft = await service_of(ctx).draft(draft_id) if draft_id is not None else None
    if draft is None:
        raise InputError(EXPIRED)
    if draft.person.key != person_of(ctx).key:
        raise InputError("That request form belongs to someone else; run /request yourself.")
    return draft


async def start(ctx: Context, platform: RequestPlatform, title: str, details: str) -> Reply:
    """The first step: what the library already has on that platform."""
    draft = await service_of(ctx).new_draft(
        person_of(ctx),
        platform_key=platform.key,
        platform_name=platform.name,
        in_library=platform.in_library,
        igdb_platform_id=platform.igdb_id,
        title=title,
        details=details,
    )
    if platform.in_library:
        try:
            library_platform = await ctx.services.catalog.resolve_platform(
                platform.key, admin=ctx.caller.is_admin
            )
        except UnknownPlatform:
            library_platform = None
        if library_platform is not None:
            found = await ctx.services.catalog.search(
                title, library_platform, admin=ctx.caller.is_admin
            )
            if found.page.items:
                return library_matches_reply(draft, found.page.items[:LIBRARY_MATCHES])
    return await igdb_step(ctx, draft)


async def igdb_step(ctx: Context, draft: Draft) -> Reply:
    """Offer IGDB's games for the words given (when IGDB is set up), else go on plainly."""
    igdb = ctx.services.igdb
    if igdb is None:
        return await confirm_step(ctx, draft)
    note = ""
    try:
        games = await igdb.search_games(draft.title, draft.igdb_platform_id, limit=IGDB_RESULTS)
        if not games and draft.igdb_platform_id is not None:
            games = await igdb.search_games(draft.title, None, limit=IGDB_RESULTS)
            if games:
                note = f"IGDB lists none of these for {draft.platform_name}; the closest games:"
    except IgdbError as exc:
        log.warning("igdb search failed: %s", type(exc).__name__)
        return await confirm_step(ctx, draft, f"{exc.user_message} You can send it as typed.")
    if not games:
        return await confirm_step(ctx, draft, "IGDB does not know that name; it can still be sent.")
    return igdb_choices_reply(draft, games, note)


async def pick_step(ctx: Context, draft: Draft, value: str) -> Reply:
    """Someone picked an IGDB game (or "none of these")."""
    if value in ("", "0"):
        draft = await service_of(ctx).update_draft(draft.id, None) or draft
        return await confirm_step(ctx, draft)
    igdb = ctx.services.igdb
    if igdb is None or not value.isdigit():
        return await confirm_step(ctx, draft)
    game = await igdb.game(int(value))
    if game is None:
        return Reply.error("IGDB no longer has that game; pick another one.")
    updated = await service_of(ctx).update_draft(draft.id, pick_of(game))
    if updated is None:
        raise InputError(EXPIRED)
    if updated.platform_key is None:
        return await platform_step(ctx, updated, [p.id for p in game.platforms])
    return await confirm_step(ctx, updated)


async def platform_step(ctx: Context, draft: Draft, igdb_platforms: list[int]) -> Reply:
    """A game picked from an IGDB list: which of its platforms RomM knows."""
    from .platforms import for_igdb_platforms

    options = await for_igdb_platforms(
        ctx.services.catalog, ctx.services.client, igdb_platforms, admin=ctx.caller.is_admin
    )
    if not options:
        return Reply.error(
            "None of this game's platforms is one RomM knows, so it cannot be requested."
        )
    if len(options) == 1:
        return await choose_platform(ctx, draft, options[0])
    return platform_choice_reply(draft, [(p.key, p.name, p.in_library) for p in options])


async def choose_platform(ctx: Context, draft: Draft, platform: RequestPlatform) -> Reply:
    updated = await service_of(ctx).update_draft(
        draft.id,
        draft.igdb,
        (platform.key, platform.name, platform.in_library, platform.igdb_id),
    )
    if updated is None:
        raise InputError(EXPIRED)
    return await confirm_step(ctx, updated)


async def choose_platform_key(ctx: Context, draft: Draft, key: str) -> Reply:
    platform = await by_key(
        ctx.services.catalog, ctx.services.client, key, admin=ctx.caller.is_admin
    )
    if platform is None:
        return Reply.error("RomM no longer knows that platform; pick another one.")
    return await choose_platform(ctx, draft, platform)


async def confirm_step(ctx: Context, draft: Draft, note: str = "") -> Reply:
    """Offer "notify me too" for a pending duplicate, else the confirmation card."""
    assert draft.platform_key is not None
    service = service_of(ctx)
    dup = await service.duplicate_of(
        draft.platform_key, draft.igdb.name if draft.igdb else draft.title, draft.igdb_id
    )
    if dup is None and draft.igdb is not None:
        dup = await service.duplicate_of(draft.platform_key, draft.title, None)
    if dup is not None:
        me = person_of(ctx).key
        subscribed = any(p.key == me for p in await service.subscribers(dup.id))
        return duplicate_reply(dup, me, subscribed)
    return confirm_reply(draft, note)


async def send(ctx: Context, draft: Draft) -> Reply:
    assert draft.platform_key is not None
    service = service_of(ctx)
    outcome = await service.create(
        person_of(ctx),
        platform_key=draft.platform_key,
        platform_name=draft.platform_name,
        title=draft.title,
        details=draft.details,
        igdb=draft.igdb,
        exempt=ctx.caller.is_admin,
    )
    if outcome.kind != "over_limit":
        await service.drop_draft(draft.id)
    return created_reply(ctx, outcome)


def created_reply(ctx: Context, outcome: Outcome) -> Reply:
    request = outcome.request
    if outcome.kind == "over_limit":
        return limit_reply(ctx, outcome.open_count)
    assert request is not None
    if outcome.kind == "created":
        return Reply(
            text=f"Request {request.label} sent. You will get a message when it is in the "
            "library; /my_requests shows its status.",
            tone="success",
            private=True,
        )
    if outcome.kind == "subscribed":
        return Reply(
            text=f"{request.requester.name} asked for this game too (request {request.label}); "
            "you are on the list and will get a message when it arrives.",
            tone="success",
            private=True,
        )
    if outcome.kind == "already_yours":
        return Reply.notice(f"You already asked for this: request {request.label}.", private=True)
    return Reply.notice(f"You are already on the list for request {request.label}.", private=True)
