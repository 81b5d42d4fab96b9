"""/request_admin and the admins' request buttons (`req:<id>:<what>[:<rom id>]`)."""

from __future__ import annotations

from typing import Any

from ...core.cards import Reply
from ...core.commands import CommandGroup, InputError, OptionSpec
from ...romm.models import Rom
from ..context import Context
from ..library.catalog import UnknownPlatform
from .admin_cards import (
    REJECT_REASONS,
    admin_request_reply,
    fulfil_choices_reply,
    reject_choices_reply,
)
from .cards import request_list_reply
from .commands import outcome_problem, request_id
from .flow import person_of, service_of
from .matcher import REASON_MAX, clean_text
from .models import GameRequest, Outcome
from .service import RequestService

ACTIONS = ("pending", "all", "view", "fulfil", "reject", "note")
LIST_LIMIT = 25
CANDIDATES = 10


group = CommandGroup("request_admin")


@group.command(
    "request_admin",
    "Game requests: list, fulfil, reject with a reason, add a note",
    OptionSpec("action", "What to do (default: pending)", choices=ACTIONS),
    OptionSpec("request", "Request number", max_length=20),
    OptionSpec("text", "Reason (reject) or note", max_length=REASON_MAX),
    OptionSpec("rom", "RomM id of the game that fulfils it", type="integer", min_value=1),
    admin=True,
    private=True,
    usage='/request_admin action:reject request:12 text:"No PAL version exists"',
)
async def request_admin(ctx: Context, args: dict[str, Any]) -> Reply:
    service = service_of(ctx)
    action = args.get("action", "pending")
    if action in ("pending", "all"):
        statuses = ["pending"] if action == "pending" else []
        found = await service.listing(statuses=statuses, limit=LIST_LIMIT)
        total = await service.count(statuses)
        title = "Pending requests" if action == "pending" else "All requests"
        return request_list_reply(
            found,
            title,
            action="req:pick:view",
            empty="No pending requests." if action == "pending" else "No requests yet.",
            footer=f"{total} in all" + (f", newest {LIST_LIMIT} shown" if total > 25 else ""),
        )
    rid = request_id(args.get("request"))
    if rid is None:
        raise InputError(f"action:{action} needs request: the request's number.")
    request = await _request(service, rid)
    text = clean_text(args.get("text", ""), REASON_MAX, "text", trim=True).text
    if action == "view":
        return await _view(ctx, request)
    if action == "fulfil":
        if "rom" in args:
            return await _fulfil(ctx, request.id, int(args["rom"]), text)
        return await _fulfil_choices(ctx, request)
    if not text:
        raise InputError(f"action:{action} needs text: the {_what(action)}.")
    if action == "reject":
        return await _done(ctx, await service.reject(request.id, person_of(ctx), text))
    outcome = await service.note(request.id, person_of(ctx), text)
    return await _done(ctx, outcome, "Note added.")


@group.action("req", admin=True)
async def admin_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    service = service_of(ctx)
    target = values[0] if args[:1] == ["pick"] and values else (args[0] if args else "")
    rid = request_id(target)
    if rid is None:
        return Reply.error("Pick a request.")
    request = await _request(service, rid)
    what = args[1] if len(args) > 1 else "view"
    extra = args[2] if len(args) > 2 else (values[0] if values else "")
    if what == "view":
        return await _view(ctx, request)
    if what == "fulfil":
        return await _fulfil_choices(ctx, request)
    if what in ("fulfilwith", "confirm"):
        rom_id = int(extra) if extra.isdigit() else 0
        return await _fulfil(ctx, request.id, rom_id or None, "")
    if what == "reject":
        if request.status != "pending":
            return _already(request)
        return reject_choices_reply(request)
    if what == "rejectwhy":
        reason = REJECT_REASONS.get(extra)
        if reason is None:
            return Reply.error("Pick a reason.")
        return await _done(ctx, await service.reject(request.id, person_of(ctx), reason))
    if what == "dismiss" and extra.isdigit():
        await service.dismiss(request.id, person_of(ctx), int(extra))
        return Reply.notice(f"Noted: RomM id {extra} is not request #{request.id}.")
    return Reply.error("That button is no longer available.")


def _already(request: GameRequest) -> Reply:
    return Reply.error(f"Request {request.label} is already {request.status}.")


def _what(action: str) -> str:
    return "reason the requester will see" if action == "reject" else "note"


async def _request(service: RequestService, rid: int) -> GameRequest:
    request = await service.get(rid)
    if request is None:
        raise InputError("There is no such request.")
    return request


async def _view(ctx: Context, request: GameRequest, text: str = "") -> Reply:
    service = service_of(ctx)
    events = await service.history(request.id)
    others = await service.subscribers(request.id)
    indexers = ctx.services.prowlarr is not None
    return admin_request_reply(request, events, others, text, indexers=indexers)


async def _done(ctx: Context, outcome: Outcome, text: str = "") -> Reply:
    problem = outcome_problem(outcome)
    if problem is not None:
        return problem
    assert outcome.request is not None
    if not text:
        text = f"Request {outcome.request.label} is {outcome.request.status}."
        people = 1 + len(outcome.others)
        if outcome.request.status in ("fulfilled", "rejected"):
            text += f" {people} person(s) were told (failures show in the admin log)."
    request = await service_of(ctx).get(outcome.request.id) or outcome.request
    return await _view(ctx, request, text)


async def _fulfil(ctx: Context, rid: int, rom_id: int | None, note: str) -> Reply:
    outcome = await service_of(ctx).fulfil(rid, person_of(ctx), rom_id=rom_id, note=note)
    return await _done(ctx, outcome)


async def _fulfil_choices(ctx: Context, request: GameRequest) -> Reply:
    """The library's games that may fulfil it: RomM's IGDB match first, then by name."""
    if request.status != "pending":
        return _already(request)
    service = service_of(ctx)
    found: dict[int, Rom] = {}
    exact = await service.rom_for(request)
    if exact is not None:
        found[exact.id] = exact
    try:
        platform = await ctx.services.catalog.resolve_platform(
            request.platform_key, admin=ctx.caller.is_admin
        )
    except UnknownPlatform:
        platform = None
    if platform is not None and platform.slug == request.platform_key:
        result = await ctx.services.catalog.search(
            request.title, platform, admin=ctx.caller.is_admin
        )
        for rom in result.page.items[:CANDIDATES]:
            found.setdefault(rom.id, rom)
    return fulfil_choices_reply(request, list(found.values()))
