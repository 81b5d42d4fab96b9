"""The dashboard's problem-reports page at `/reports`: members see the reports they made or
have too, RomM admins see everyone's and acknowledge, resolve (with a note) or reject (with a
reason) through the same ReportService as the chat, so the reporter and everyone who has it
too are told in chat exactly as when an admin acts there.

It rides on the dashboard's sign-in, sessions, CSRF check and page headers (`Dashboard`);
the template (autoescaped) shows what people typed as text."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from ..features.reports.models import (
    FILTERS,
    NOTE_MAX,
    Report,
    ReportEvent,
    ReportOutcome,
    statuses_of,
)
from ..features.reports.service import ReportService
from ..features.requests.models import Person
from .dashboard import Dashboard, _int, actor
from .sessions import Session

PAGE_SIZE = 50
MESSAGES = {
    "acknowledged": "Report acknowledged; the reporter is told in chat.",
    "resolved": "Report resolved; the reporter is told in chat.",
    "rejected": "Report rejected; the reporter is told in chat.",
    "closed": "That report is already acknowledged or closed.",
    "not_found": "There is no such report.",
    "needs_text": "Write the note (resolve) or the reason (reject) the reporter will see.",
}


@dataclass(frozen=True)
class Shown:
    """One page of reports, each with its history and who has it too."""

    rows: list[Report]
    total: int
    page: int
    pages: int
    threads: dict[int, tuple[list[ReportEvent], list[Person]]]  # history, who has it too


class ReportsPage:
    def __init__(self, dashboard: Dashboard, reports: ReportService) -> None:
        self.dashboard = dashboard
        self.reports = reports

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/reports", self.page)
        app.router.add_post("/reports/{id:\\d+}/{action:acknowledge|resolve|reject}", self.act)

    async def page(self, request: web.Request) -> web.StreamResponse:
        session = await self.dashboard.session_of(request)
        if session is None:
            raise web.HTTPSeeOther("/")
        status = request.query.get("status", "open" if session.is_admin else "all")
        status = status if status in FILTERS else "all"
        page = max(1, _int(request.query.get("page")) or 1)
        keys = None if session.is_admin else await self._keys(session)
        rows, total = await self.reports.listing(
            statuses=statuses_of(status),
            user_keys=keys,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        threads = {r.id: await self.reports.thread(r.id) for r in rows}
        shown = Shown(rows, total, page, max(1, -(-total // PAGE_SIZE)), threads)
        context = {
            "nav": "reports",
            "session": session,
            "shown": shown,
            "status": status,
            "filters": FILTERS,
            "message": MESSAGES.get(request.query.get("m", "")),
            "note_max": NOTE_MAX,
        }
        return self.dashboard.page("reports.html", request, context)

    async def _keys(self, session: Session) -> list[str]:
        """The chat people this RomM account is (as for requests), and, without the accounts
        feature, those who reported under its username."""
        keys = await self.dashboard.people_of(session)
        if self.dashboard.services.accounts is None:
            keys += await self.reports.keys_named(session.username)
        return keys

    async def act(self, request: web.Request) -> web.StreamResponse:
        session = await self.dashboard.checked(request)
        if not session.is_admin:  # the page shows members no buttons; a crafted POST ends here
            raise web.HTTPForbidden(text="403: for RomM admins only.")
        form = await request.post()
        rid = int(request.match_info["id"])
        action = request.match_info["action"]
        who = actor(session)
        if action == "acknowledge":
            return _back(_code(await self.reports.acknowledge(rid, who)))
        text = " ".join(str(form.get("text", "")).split())[:NOTE_MAX]
        if not text:
            return _back("needs_text")
        if action == "resolve":
            return _back(_code(await self.reports.resolve(rid, who, text)))
        return _back(_code(await self.reports.reject(rid, who, text)))


def _code(outcome: ReportOutcome) -> str:
    if outcome.kind == "done" and outcome.report is not None:
        return outcome.report.status
    return outcome.kind if outcome.kind in MESSAGES else "closed"


def _back(code: str) -> web.StreamResponse:
    raise web.HTTPSeeOther(f"/reports?m={code}")
