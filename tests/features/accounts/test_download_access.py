"""Accounts and downloads together: a disabled RomM account gets no new links; feeds name
the member's own linked RomM username."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.accounts import store as accounts_store
from romm_comm.features.accounts.plan import Link
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

MEMBER = Caller(id="4242", name="casey", front_end="discord")


@pytest.fixture
async def accounts_app(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[App]:
    app = await App.create(
        settings_for(sim, tmp_path, enable_user_manager=True, auto_register_role_id=77)
    )
    await app.start()
    try:
        yield app
    finally:
        await app.close()


async def _link(app: App, state: str) -> None:
    link = Link(
        member_key="discord:4242",
        member_name="casey",
        romm_id=2,
        romm_username="alice",
        state=state,  # type: ignore[arg-type]
        origin="linked",
        created_by_bot=False,
        verified=True,
    )
    async with app.services.store.transaction() as conn:
        await accounts_store.put_link(conn, link, datetime.now(UTC))


async def _card(app: App) -> tuple[str, list[str]]:
    reply = await app.registry.run(
        Context(MEMBER, app.services), "search", {"platform": "n64", "game": "super mario 64"}
    )
    text = reply.text + " ".join(c.footer + c.text for c in reply.cards)
    return text, [link.label for link in reply.links]


async def test_a_disabled_account_gets_no_download_links(accounts_app: App) -> None:
    await _link(accounts_app, "active")
    _text, labels = await _card(accounts_app)
    assert any(label.startswith("Download") for label in labels)

    await _link(accounts_app, "disabled")
    text, labels = await _card(accounts_app)
    assert not any(label.startswith("Download") for label in labels)
    assert "Your RomM account is disabled" in text
    assert "Open in RomM" in labels, "the rest of the card is still shown"


async def test_feeds_show_the_linked_username_never_a_password(
    accounts_app: App, sim: RommSimulator
) -> None:
    await _link(accounts_app, "active")
    ctx = Context(MEMBER, accounts_app.services)
    offered = await accounts_app.registry.run(ctx, "feeds", {})
    found = re.search(r"Feeds for this library: ([\w-]+)", offered.text)
    assert found, offered.text
    reply = await accounts_app.registry.run(ctx, "feeds", {"device": found.group(1)})
    shown = reply.text + " ".join(c.text + " ".join(f.value for f in c.fields) for c in reply.cards)
    assert "alice" in shown
    assert "alice-password" not in shown
