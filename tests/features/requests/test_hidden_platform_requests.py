"""Platforms RomM hides from ordinary members cannot be requested or browsed by them on IGDB
either: the bot answers as if the platform did not exist, exactly as /search does."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import ADMIN, ALICE, ctx, service


def _hidden_name(app: App, sim: RommSimulator) -> str:
    (hidden_id,) = sim.library.hidden_platform_ids()
    assert app.services.catalog.hidden == {hidden_id}, "read from RomM's default group"
    return next(p.display_name for p in app.services.catalog.platforms if p.id == hidden_id)


async def test_a_member_cannot_request_a_game_on_a_hidden_platform(
    rapp: App, sim: RommSimulator
) -> None:
    name = _hidden_name(rapp, sim)
    searched = await rapp.registry.run(ctx(rapp, ALICE), "search", {"platform": name, "game": "a"})
    refused = await rapp.registry.run(
        ctx(rapp, ALICE), "request", {"platform": name, "game": "some game"}
    )
    assert refused.tone == "error" and f"No platform called '{name}'" in refused.text
    assert refused.text == searched.text
    assert await service(rapp).count() == 0

    allowed = await rapp.registry.run(
        ctx(rapp, ADMIN), "request", {"platform": name, "game": "some game"}
    )
    assert allowed.tone != "error" and "No platform called" not in allowed.text


async def test_a_member_cannot_browse_igdb_for_a_hidden_platform(
    rapp: App, sim: RommSimulator
) -> None:
    name = _hidden_name(rapp, sim)
    refused = await rapp.registry.run(ctx(rapp, ALICE), "igdb", {"platform": name})
    assert refused.tone == "error" and f"No platform called '{name}'" in refused.text
    shown = await rapp.registry.run(ctx(rapp, ADMIN), "igdb", {"platform": name})
    assert "No platform called" not in shown.text
