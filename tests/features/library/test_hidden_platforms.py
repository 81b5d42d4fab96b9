"""Platforms RomM hides from ordinary members stay hidden when members ask the bot, which
reads RomM with an admin's rights; admins still see them."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator


def _hidden(app: App, sim: RommSimulator) -> tuple[int, str]:
    (hidden_id,) = sim.library.hidden_platform_ids()
    assert app.services.catalog.hidden == {hidden_id}, "read from RomM's default group"
    platform = next(p for p in app.services.catalog.platforms if p.id == hidden_id)
    return hidden_id, platform.display_name


async def test_members_cannot_find_or_open_a_hidden_platform(
    app: App, sim: RommSimulator, member_ctx: Context, admin_ctx: Context
) -> None:
    hidden_id, name = _hidden(app, sim)
    registry = app.registry

    member_choices = await registry.complete(member_ctx, "search", "platform", name[:4])
    admin_choices = await registry.complete(admin_ctx, "search", "platform", name[:4])
    assert name not in [c.value for c in member_choices]
    assert name in [c.value for c in admin_choices]

    listing = await registry.run(member_ctx, "platforms", {})
    assert name not in listing.cards[0].text
    assert name in (await registry.run(admin_ctx, "platforms", {})).cards[0].text

    refused = await registry.run(member_ctx, "search", {"platform": name, "game": "a"})
    assert refused.tone == "error" and f"No platform called '{name}'" in refused.text

    page = await app.services.client.list_roms(hidden_id, limit=1)
    rom_id = page.items[0].id
    opened = await registry.act(member_ctx, "rom", [str(rom_id)])
    assert (
        opened.tone == "error"
        and opened.text == "RomM does not have that (it may have been removed)."
    )
    shown = await registry.act(admin_ctx, "rom", [str(rom_id)])
    assert shown.cards and shown.tone != "error"


def _draws(sim: RommSimulator) -> int:
    return sum(c.path == "/api/roms/random" for c in sim.calls)


async def test_random_never_shows_members_a_hidden_platform(
    app: App, sim: RommSimulator, member_ctx: Context, admin_ctx: Context
) -> None:
    hidden_id, hidden_name = _hidden(app, sim)
    for rom in list(sim.library.roms.values()):
        if rom.platform_id != hidden_id:
            sim.library.remove_rom(rom.id)  # every game RomM can draw is on the hidden platform
    sim.reset_calls()

    refused = await app.registry.run(member_ctx, "random", {})

    assert not refused.cards and refused.text == "There are no games to pick from."
    assert _draws(sim) == 5, "each hidden pick was drawn again, then the bot gave up"
    shown = await app.registry.run(admin_ctx, "random", {})
    assert {f.name: f.value for f in shown.cards[0].fields}["Platform"] == hidden_name


async def test_random_draws_again_past_a_hidden_platform(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    hidden_id, _name = _hidden(app, sim)
    visible = next(r for r in sim.library.roms.values() if r.platform_id != hidden_id)
    hidden = next(r for r in sim.library.roms.values() if r.platform_id == hidden_id)
    sim.random_picks.extend([hidden.id, visible.id])  # RomM draws the hidden game first
    sim.reset_calls()

    reply = await app.registry.run(member_ctx, "random", {})

    assert reply.cards[0].title == visible.name
    assert _draws(sim) == 2, "the hidden pick was drawn again"
