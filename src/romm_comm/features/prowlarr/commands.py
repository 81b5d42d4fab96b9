"""The admins' Prowlarr actions on a request: `idx:<request id>:search`, `…:pick` (a release
from the list), `…:grab:<n>`. Admins only, checked by the registry and again here."""

from __future__ import annotations

import contextlib

from ...core.cards import Reply
from ...core.commands import CommandGroup, InputError
from ...romm.errors import RommError
from ...romm.models import Platform
from ..context import Context
from ..requests.admin_cards import INDEXERS_ACTION
from ..requests.commands import request_id
from ..requests.flow import person_of, service_of
from ..requests.models import GameRequest
from ..services import Services
from .cards import grabbed_reply, release_reply, results_reply
from .service import ProwlarrService

group = CommandGroup("prowlarr")

NOT_SET_UP = "Prowlarr is not set up on this bot (PROWLARR_URL and PROWLARR_API_KEY)."
GONE = "That search result is gone; search indexers again."


def prowlarr_of(ctx: Context) -> ProwlarrService:
    service = ctx.services.prowlarr
    if service is None:
        raise InputError(NOT_SET_UP)
    return service


async def known_platforms(services: Services) -> list[Platform]:
    """Every platform the bot knows the names of: the library's and those RomM supports."""
    known = list(await services.catalog.ensure_platforms(admin=True))
    with contextlib.suppress(RommError):  # RomM down or older: the library's names, and tags
        known += await services.client.supported_platforms()
    return known


async def pending_request(ctx: Context, target: str) -> GameRequest:
    rid = request_id(target)
    request = await service_of(ctx).get(rid) if rid is not None else None
    if request is None:
        raise InputError("There is no such request.")
    if request.status != "pending":
        raise InputError(f"Request {request.label} is already {request.status}.")
    return request


async def search_reply(ctx: Context, request: GameRequest) -> Reply:
    """The ranked releases for a pending request (the chat card's and the dashboard's)."""
    found = await prowlarr_of(ctx).search(request, await known_platforms(ctx.services))
    return results_reply(found)


@group.action(INDEXERS_ACTION, admin=True)
async def indexers_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    if not ctx.caller.is_admin:
        return Reply.error("That is for admins only.")
    service = prowlarr_of(ctx)
    request = await pending_request(ctx, args[0] if args else "")
    what = args[1] if len(args) > 1 else "search"
    if what == "search":
        return await search_reply(ctx, request)
    raw = args[2] if what == "grab" and len(args) > 2 else (values[0] if values else "")
    if not raw.isdigit():
        return Reply.error("Pick a release.")
    record = await service.result(request.id, int(raw))
    if record is None:
        return Reply.error(GONE)
    if what == "pick":
        return release_reply(request, int(raw), record)
    if what == "grab":
        return grabbed_reply(await service.grab(request, record, person_of(ctx)))
    return Reply.error("That button is no longer available.")
