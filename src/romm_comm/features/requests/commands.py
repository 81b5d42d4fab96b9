"""Members' request commands: /request, /my_requests, /cancel_request, and their buttons."""

from __future__ import annotations

from typing import Any

from ...core.cards import Choice, Reply
from ...core.commands import CommandGroup, InputError, OptionSpec
from ...core.format import shorten
from ..context import Context
from ..library.cards import REQUEST_ACTION, unknown_platform_reply
from ..library.catalog import UnknownPlatform
from . import platforms as request_platforms
from .cards import member_request_reply, request_list_reply
from .flow import (
    choose_platform_key,
    igdb_step,
    own_draft,
    person_of,
    pick_step,
    quota_problem,
    send,
    service_of,
    start,
)
from .matcher import DETAILS_MAX, REASON_MAX, TITLE_MAX, clean_text, clean_title
from .models import Outcome

MY_LIMIT = 25


MAX_ID = 2**63 - 1  # SQLite's largest integer: no request has a larger number
NO_SUCH_ID = 0  # no request has this number (they start at 1)


def request_id(text: str | None) -> int | None:
    """The number in "12" or "#12"; None when there is none; a number no request can have
    (too large for the store) is NO_SUCH_ID, so it is answered "There is no such request"."""
    if text is None:
        return None
    cleaned = text.strip().lstrip("#").split(" ", 1)[0]
    if not (cleaned.isascii() and cleaned.isdigit()):
        return None
    number = int(cleaned)
    return number if number <= MAX_ID else NO_SUCH_ID


def outcome_problem(outcome: Outcome) -> Reply | None:
    if outcome.kind == "not_found":
        return Reply.error("There is no such request.")
    if outcome.kind == "not_pending" and outcome.request is not None:
        return Reply.error(f"Request {outcome.request.label} is already {outcome.request.status}.")
    if outcome.kind == "not_yours":
        return Reply.error("That is not your request (nor one you follow).")
    return None


group = CommandGroup("requests")


@group.completer("my_requests")
async def complete_mine(ctx: Context, partial: str) -> list[Choice]:
    service = ctx.services.requests
    if service is None:
        return []
    mine = await service.listing(statuses=["pending"], user_key=person_of(ctx).key, limit=MY_LIMIT)
    text = partial.lower().lstrip("#")
    return [
        Choice(shorten(f"#{r.id} {r.title} ({r.platform_name})", 100), str(r.id))
        for r in mine
        if not text or text in str(r.id) or text in r.title.lower()
    ]


@group.command(
    "request",
    "Ask for a game the library does not have",
    OptionSpec(
        "platform", "Platform (any RomM knows)", required=True, autocomplete="platform",
        max_length=100,
    ),
    OptionSpec("game", "The game's name", required=True, max_length=TITLE_MAX),
    OptionSpec("details", "Anything admins should know (region, version…)", max_length=1000),
    private=True,
    usage='/request platform:PlayStation game:"Final Fantasy IX" details:"PAL please"',
)  # fmt: skip
async def request(ctx: Context, args: dict[str, Any]) -> Reply:
    service_of(ctx)
    title = clean_title(args["game"])
    if title.problem:
        return Reply.error(title.problem)
    details = clean_text(args.get("details", ""), DETAILS_MAX, "details", trim=True)
    refused = await quota_problem(ctx)
    if refused is not None:
        return refused
    try:
        platform = await request_platforms.resolve(
            ctx.services.catalog,
            ctx.services.client,
            args["platform"],
            admin=ctx.caller.is_admin,
        )
    except UnknownPlatform as exc:
        return unknown_platform_reply(exc, ctx.services.emoji)
    reply = await start(ctx, platform, title.text, details.text)
    notes = [n for n in (title.note, details.note) if n]
    if notes:
        reply = Reply(
            text=f"Note: {'; '.join(notes)}.\n{reply.text}".strip(),
            cards=reply.cards,
            picker=reply.picker,
            buttons=reply.buttons,
            links=reply.links,
            private=True,
            tone=reply.tone,
        )
    return reply


@group.action(REQUEST_ACTION)
async def request_from_search(ctx: Context, args: list[str], values: list[str]) -> Reply:
    """ "Request it" under a search that found nothing: the request form for those words."""
    service_of(ctx)
    title = clean_title(args[1] if len(args) > 1 else "")
    if title.problem:
        return Reply.error(title.problem)
    refused = await quota_problem(ctx)
    if refused is not None:
        return refused
    try:
        platform = await request_platforms.resolve(
            ctx.services.catalog, ctx.services.client, args[0], admin=ctx.caller.is_admin
        )
    except UnknownPlatform as exc:
        return unknown_platform_reply(exc, ctx.services.emoji)
    return await start(ctx, platform, title.text, "")


@group.action("reqd")
async def draft_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    draft = await own_draft(ctx, request_id(args[0]) if args else None)
    step = args[1] if len(args) > 1 else ""
    if step == "igdb":
        return await igdb_step(ctx, draft)
    if step == "pick":
        return await pick_step(ctx, draft, values[0] if values else "0")
    if step == "plat" and values:
        return await choose_platform_key(ctx, draft, values[0])
    if step == "send":
        return await send(ctx, draft)
    if step == "drop":
        await service_of(ctx).drop_draft(draft.id)
        return Reply.notice("Request not sent.", private=True)
    return Reply.error("That button is no longer available.")


@group.action("reqsub")
async def subscribe_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rid = request_id(args[0] if args else None)
    if rid is None:
        return Reply.error("There is no such request.")
    outcome = await service_of(ctx).subscribe(rid, person_of(ctx))
    problem = outcome_problem(outcome)
    if problem is not None:
        return problem
    assert outcome.request is not None
    if outcome.kind == "already_yours":
        return Reply.notice(f"Request {outcome.request.label} is yours.", private=True)
    if outcome.kind == "already_subscribed":
        return Reply.notice(
            f"You are already on the list for request {outcome.request.label}.",
            private=True,
        )
    return Reply(
        text=f"You will get a message when {outcome.request.title} arrives "
        f"(request #{outcome.request.id}).",
        tone="success",
        private=True,
    )


@group.command(
    "my_requests",
    "Your game requests, with their status and history",
    OptionSpec("show", "Which ones (default: all)", choices=("open", "all")),
    private=True,
    personal=True,
)
async def my_requests(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    me = person_of(ctx).key
    statuses = ["pending"] if args.get("show") == "open" else []
    mine = await service.listing(statuses=statuses, user_key=me, limit=MY_LIMIT)
    open_count = await service.open_count(me)
    limit = "no limit (admin)" if ctx.caller.is_admin else f"at most {service.limit}"
    return request_list_reply(
        mine,
        "Your requests",
        user_key=me,
        empty="You have no requests. Ask for a game with /request.",
        footer=f"{open_count} open · {limit} · pick one to see its history",
    )


@group.action("reqv")
async def view_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rid = request_id(_first(values, args))
    service = service_of(ctx)
    request = await service.get(rid) if rid is not None else None
    me = person_of(ctx).key
    if request is None or not (ctx.caller.is_admin or await service.involved(request, me)):
        return Reply.error("There is no such request among yours.")
    events = await service.history(request.id)
    others = await service.subscribers(request.id)
    return member_request_reply(request, events, others, me)


@group.command(
    "cancel_request",
    "Withdraw one of your pending requests (or stop following one)",
    OptionSpec("request", "Request number", autocomplete="my_requests", max_length=20),
    OptionSpec("reason", "Why (optional)", max_length=REASON_MAX),
    private=True,
)
async def cancel(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    if "request" not in args:
        mine = await service.listing(
            statuses=["pending"], user_key=person_of(ctx).key, limit=MY_LIMIT
        )
        return request_list_reply(
            mine,
            "Which request do you withdraw?",
            user_key=person_of(ctx).key,
            action="reqx",
            empty="You have no pending requests.",
        )
    rid = request_id(args["request"])
    if rid is None:
        raise InputError("request must be a request number, like 12.")
    reason = clean_text(args.get("reason", ""), REASON_MAX, "reason", trim=True).text
    return await _cancel(ctx, rid, reason)


@group.action("reqx")
async def cancel_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rid = request_id(_first(values, args))
    if rid is None:
        return Reply.error("Pick a request.")
    return await _cancel(ctx, rid, "")


def _first(values: list[str], args: list[str]) -> str | None:
    items = values or args
    return items[0] if items else None


async def _cancel(ctx: Context, rid: int, reason: str) -> Reply:
    outcome = await service_of(ctx).cancel(rid, person_of(ctx), reason)
    problem = outcome_problem(outcome)
    if problem is not None:
        return problem
    request = outcome.request
    assert request is not None
    if outcome.kind == "handed_over":
        heir = outcome.others[0].name
        return Reply(
            text=f"You withdrew request {request.label}. Others want it too, so it stays open "
            f"for them ({heir} takes it over).",
            tone="success",
            private=True,
        )
    if request.requester.key != person_of(ctx).key:
        return Reply.notice(f"You no longer follow request {request.label}.", private=True)
    return Reply(text=f"Request {request.label} is cancelled.", tone="success", private=True)
