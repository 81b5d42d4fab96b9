"""The app wired to the RomM and Prowlarr simulators (real HTTP), a real SQLite file and a
recording notifier; helpers to make a pending request and open its admin card."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from tests.features.requests.conftest import (  # noqa: F401 - fixtures used here
    ADMIN,
    ALICE,
    AppMaker,
    ctx,
    igdb,
    make_app,
    request_game,
)


@pytest.fixture
async def prowlarr() -> AsyncIterator[ProwlarrSimulator]:
    async with ProwlarrSimulator() as running:
        yield running


def prowlarr_settings(prowlarr: ProwlarrSimulator, key: str | None = None) -> dict[str, Any]:
    return {
        "prowlarr_url": prowlarr.url,
        "prowlarr_api_key": SecretStr(key or prowlarr.api_key),
    }


@pytest.fixture
def make_papp(make_app: AppMaker, prowlarr: ProwlarrSimulator) -> AppMaker:  # noqa: F811
    """The requests feature's app maker, with Prowlarr set up (unless told otherwise)."""

    async def make(**extra: Any) -> App:
        return await make_app(with_igdb=False, **{**prowlarr_settings(prowlarr), **extra})

    return make


@pytest.fixture
async def papp(make_papp: AppMaker) -> App:
    return await make_papp()


async def pending(app: App, platform: str = "PlayStation", game: str = "Final Fantasy VII") -> int:
    """A member's pending request; its number."""
    sent = await request_game(app, ALICE, platform, game)
    assert "sent" in sent.text, sent.text
    assert app.services.requests is not None
    (request,) = await app.services.requests.pending()
    return request.id


async def admin_card(app: App, rid: int, caller: Caller = ADMIN) -> Reply:
    return await app.registry.run(
        ctx(app, caller), "request_admin", {"action": "view", "request": str(rid)}
    )


def button(reply: Reply, label: str) -> str:
    found = [b.action for b in reply.buttons if b.label == label]
    assert found, f"no {label!r} button in {[b.label for b in reply.buttons]}"
    return found[0]
