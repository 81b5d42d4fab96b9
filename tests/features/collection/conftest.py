"""/missing and /collection against the RomM and IGDB simulators over real HTTP and a real
SQLite file; IGDB lists 1,200 generated games on the SNES (IGDB platform 19)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.collection.cache import PlatformLists
from romm_comm.features.context import Context
from romm_comm.testing.igdb_sim import IgdbSimulator
from tests.features.requests.conftest import AppMaker, igdb_settings, make_app
from tests.helpers.clock import Clock

SNES = 19
SNES_GAMES = 1_200
ALICE = Caller(id="201", name="alice", front_end="test")
ADMIN = Caller(id="1", name="boss", front_end="test", is_admin=True)


@pytest.fixture
async def igdb() -> AsyncIterator[IgdbSimulator]:
    async with IgdbSimulator(platform_lists={SNES: SNES_GAMES}, seed=7) as running:
        yield running


__all__ = ["AppMaker", "igdb_settings", "make_app"]  # make_app: the requests tests' fixture


@pytest.fixture
async def app(make_app: AppMaker) -> App:
    return await make_app()


@pytest.fixture
def clock(app: App) -> Clock:
    """The day-old check of the IGDB list cache, moved by hand."""
    lists = lists_of(app)
    moved = Clock(1_800_000_000.0)
    lists.clock = moved
    return moved


def lists_of(app: App) -> PlatformLists:
    assert app.services.collection is not None and app.services.collection.lists is not None
    return app.services.collection.lists


def ctx(app: App, caller: Caller = ALICE) -> Context:
    return Context(caller, app.services)


def main_games(igdb: IgdbSimulator, platform: int) -> list[dict[str, Any]]:
    """The simulator's truth: the main games (no DLC, port, remake… nor edition)."""
    return [
        g
        for g in igdb.platform_games(platform)
        if g.get("game_type", 0) == 0 and "version_parent" not in g
    ]
