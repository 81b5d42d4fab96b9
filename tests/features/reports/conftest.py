"""Problem reports on the same footing as requests: the RomM simulator over real HTTP, a real
SQLite file, and a recording notifier standing in for a chat front end."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.features.reports.service import ReportService
from tests.features.requests.conftest import ctx, igdb, make_app, rapp

__all__ = ["igdb", "make_app", "rapp"]  # the fixtures, shared with the requests tests


def reports(app: App) -> ReportService:
    assert app.services.reports is not None
    return app.services.reports


async def report(app: App, caller: Caller, game: str, problem: str, details: str = "") -> Reply:
    args = {"game": game, "problem": problem}
    if details:
        args["details"] = details
    return await app.registry.run(ctx(app, caller), "report", args)
