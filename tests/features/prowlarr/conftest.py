"""The app wired to the RomM and Prowlarr simulators (real HTTP), a real SQLite file and a
recording notifier; helpers to make a pending request and open its admin card."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for
from tests.features.requests.conftest import ADMIN, ALICE, ctx, request_game
from tests.helpers.notifiers import RecordingNotifier

AppMaker = Callable[..., Awaitable[App]]


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
async def make_app(
    sim: RommSimulator, prowlarr: ProwlarrSimulator, tmp_path: Path
) -> AsyncIterator[AppMaker]:
    made: list[App] = []

    async def make(**extra: Any) -> App:
        values: dict[str, Any] = {
            "request_check_interval": 0,
            **prowlarr_settings(prowlarr),
            **extra,
        }
        app = await App.create(settings_for(sim, tmp_path, **values))
        await app.start()
        app.services.notifications.register(RecordingNotifier())
        made.append(app)
        return app

    yield make
    for app in made:
        await app.close()


@pytest.fixture
async def papp(make_app: AppMaker) -> App:
    return await make_app()


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
