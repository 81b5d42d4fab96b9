"""The dashboard's "Search indexers" for admins on a pending request: the same Prowlarr
service, ranking and history as the chat's button. `GET /requests/<id>/indexers` lists the
ranked releases; `POST /requests/<id>/grab` (CSRF-checked) sends one to Prowlarr's download
client. RomM admins only, checked on every request. No Prowlarr download link is shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..features.prowlarr.cards import release_line
from ..features.prowlarr.commands import known_platforms
from ..features.prowlarr.service import ProwlarrService, release_record
from ..features.requests.models import GameRequest, Person
from ..prowlarr.errors import ProwlarrError
from .sessions import Session

if TYPE_CHECKING:
    from .dashboard import Dashboard

log = logging.getLogger(__name__)


class IndexerPages:
    def __init__(
        self,
        dashboard: Dashboard,
        prowlarr: ProwlarrService,
        actor: Callable[[Session], Person],
    ) -> None:
        self.dashboard = dashboard
        self.prowlarr = prowlarr
        self.actor = actor

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/requests/{id:\\d+}/indexers", self.page)
        app.router.add_post("/requests/{id:\\d+}/grab", self.grab)

    async def page(self, request: web.Request) -> web.StreamResponse:
        session = await self.dashboard.session_of(request)
        if session is None or not session.is_admin:
            raise web.HTTPForbidden(text="403: for RomM admins only.")
        found = await self._pending(request)
        context: dict[str, Any] = {"session": session, "req": found, "releases": []}
        try:
            result = await self.prowlarr.search(
                found, await known_platforms(self.dashboard.services)
            )
        except ProwlarrError as exc:
            log.warning("dashboard: indexer search #%d: %s", found.id, exc.detail)
            return self._render(request, {**context, "error": exc.user_message}, 502)
        records = [release_record(r.release) for r in result.ranked]
        context["releases"] = [(n, rec, release_line(rec)) for n, rec in enumerate(records)]
        context["total"] = result.total
        return self._render(request, context)

    async def grab(self, request: web.Request) -> web.StreamResponse:
        session = await self.dashboard.checked(request)
        if not session.is_admin:
            raise web.HTTPForbidden(text="403: for RomM admins only.")
        found = await self._pending(request)
        form = await request.post()
        index = str(form.get("release", ""))
        record = await self.prowlarr.result(found.id, int(index)) if index.isdigit() else None
        context: dict[str, Any] = {"session": session, "req": found, "releases": []}
        if record is None:
            return self._render(
                request, {**context, "error": "That search result is gone; search again."}, 409
            )
        try:
            grabbed = await self.prowlarr.grab(found, record, self.actor(session))
        except ProwlarrError as exc:
            log.warning("dashboard: grab for #%d: %s", found.id, exc.detail)
            return self._render(request, {**context, "error": exc.user_message}, 502)
        people = 1 + len(grabbed.outcome.others)
        message = (
            f"Sent “{record['title']}” to Prowlarr's download client; {people} person(s) told "
            "it is on its way. The request is fulfilled when the game appears in RomM."
        )
        return self._render(request, {**context, "message": message})

    async def _pending(self, request: web.Request) -> GameRequest:
        found = await self.dashboard.requests.get(int(request.match_info["id"]))
        if found is None:
            raise web.HTTPNotFound(text="404: there is no such request.")
        if found.status != "pending":
            raise web.HTTPConflict(text="409: that request is no longer pending.")
        return found

    def _render(
        self, request: web.Request, context: dict[str, Any], status: int = 200
    ) -> web.Response:
        return self.dashboard.page("indexers.html", request, context, status)
