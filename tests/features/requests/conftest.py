"""Requests against the RomM and IGDB simulators over real HTTP, a real SQLite file, and a
recording notifier standing in for a chat front end (with a switch for closed DMs)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.features.requests.service import RequestService
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for
from tests.helpers.notifiers import RecordingNotifier

ALICE = Caller(id="201", name="alice", front_end="test")
BOB = Caller(id="202", name="bob", front_end="test")
CAROL = Caller(id="203", name="carol", front_end="test")
ADMIN = Caller(id="1", name="boss", front_end="test", is_admin=True)


@pytest.fixture
async def igdb() -> AsyncIterator[IgdbSimulator]:
    async with IgdbSimulator() as running:
        yield running


def igdb_settings(igdb: IgdbSimulator | None) -> dict[str, Any]:
    if igdb is None:
        return {}
    return {
        "igdb_client_id": igdb.client_id,
        "igdb_client_secret": igdb.client_secret,
        "igdb_api_url": igdb.api_url,
        "twitch_token_url": igdb.token_url,
    }


AppMaker = Callable[..., Awaitable[App]]


@pytest.fixture
async def make_app(
    sim: RommSimulator, igdb: IgdbSimulator, tmp_path: Path
) -> AsyncIterator[AppMaker]:
    """Apps on the same data folder (a second one is the bot after a restart)."""
    made: list[App] = []

    async def make(*, with_igdb: bool = True, **extra: Any) -> App:
        values: dict[str, Any] = {"request_check_interval": 0, **extra}
        if with_igdb:
            values = {**igdb_settings(igdb), **values}
        app = await App.create(settings_for(sim, tmp_path, **values))
        await app.start()
        app.services.notifications.register(RecordingNotifier())
        made.append(app)
        return app

    yield make
    for app in made:
        await app.close()


@pytest.fixture
async def rapp(make_app: AppMaker) -> App:
    return await make_app()


def notifier(app: App) -> RecordingNotifier:
    found = app.services.notifications.notifiers["test"]
    assert isinstance(found, RecordingNotifier)
    return found


def ctx(app: App, caller: Caller) -> Context:
    return Context(caller, app.services)


def service(app: App) -> RequestService:
    assert app.services.requests is not None
    return app.services.requests


def platform_id(sim: RommSimulator, slug: str) -> int:
    found = sim.library.platform_by_slug(slug)
    assert found is not None
    return found.id


async def request_game(
    app: App,
    caller: Caller,
    platform: str,
    game: str,
    *,
    igdb_id: int | None = None,
    details: str = "",
) -> Reply:
    """Go through the form like a person: past the library, pick on IGDB (or none), send."""
    c = ctx(app, caller)
    args = {"platform": platform, "game": game}
    if details:
        args["details"] = details
    reply = await app.registry.run(c, "request", args)
    assert reply.tone != "error", reply.text
    if reply.picker is not None and reply.picker.action == "rom":
        onward = next(b for b in reply.buttons if b.label.startswith("Not there"))
        reply = await app.registry.act(c, onward.action)
    if reply.picker is not None and reply.picker.action.endswith(":pick"):
        reply = await app.registry.act(c, reply.picker.action, [str(igdb_id or 0)])
    send = next((b for b in reply.buttons if b.label == "Send request"), None)
    if send is None:
        return reply  # a duplicate offer, or a refusal
    return await app.registry.act(c, send.action)
