"""/search finds the game a person means, whatever RomM's own search (MariaDB FULLTEXT) does."""

from __future__ import annotations

import pytest

from romm_comm.app.root import App
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator


def _names(reply: object) -> list[str]:
    picker = getattr(reply, "picker", None)
    if picker is not None:
        return [c.label for c in picker.choices]
    cards = getattr(reply, "cards", ())
    return [cards[0].title] if cards else []


@pytest.mark.parametrize(
    ("typed", "platform", "expected"),
    [
        ("the legend of zelda", "snes", "The Legend of Zelda: A Link to the Past"),
        ("dr mario", "nes", "Dr. Mario + Tetris"),
        ("dr. mario", "nes", "Dr. Mario + Tetris"),
        ("pokemon ranger", "nds", "Pokémon Ranger"),
        ("final fantasy 7", "psx", "Final Fantasy VII"),
        ("tom and jerry", "gb", "Tom & Jerry"),
        ("links awakening", "gbc", "Link's Awakening DX"),
        ("animalcrossing", "3ds", "Animal Crossing: New Leaf"),
        ("tetirs", "gb", "Tetris"),
        ("celest", "switch", "Celeste"),
    ],
)
async def test_search_finds_what_people_type(
    app: App, member_ctx: Context, typed: str, platform: str, expected: str
) -> None:
    reply = await app.registry.run(member_ctx, "search", {"platform": platform, "game": typed})
    names = _names(reply)
    assert names and expected.split(":")[0] in names[0], (reply.text, names)


async def test_roman_numbers_never_match_a_different_number(app: App, member_ctx: Context) -> None:
    reply = await app.registry.run(
        member_ctx, "search", {"platform": "psx", "game": "final fantasy 7"}
    )
    assert "Final Fantasy VIII" not in _names(reply)
    both = await app.registry.run(
        member_ctx, "search", {"platform": "psx", "game": "final fantasy"}
    )
    assert {"Final Fantasy VII", "Final Fantasy VIII"} <= set(_names(both))


async def test_search_without_a_platform_searches_every_visible_platform(
    app: App, sim: RommSimulator, member_ctx: Context, admin_ctx: Context
) -> None:
    reply = await app.registry.run(member_ctx, "search", {"platform": "all", "game": "tetris"})
    assert reply.picker is not None, reply.text
    labels = {c.label: c.description for c in reply.picker.choices}
    assert "Tetris" in labels and "Dr. Mario + Tetris" in labels
    hidden = app.services.catalog.hidden
    assert hidden, "the small library hides a platform from members"
    hidden_rom = next(r for r in sim.library.roms.values() if r.platform_id in hidden)
    words = hidden_rom.name
    member = await app.registry.run(member_ctx, "search", {"platform": "all", "game": words})
    admin = await app.registry.run(admin_ctx, "search", {"platform": "any", "game": words})
    assert hidden_rom.name in _names(admin)
    assert hidden_rom.name not in _names(member)


async def test_search_costs_no_romm_call_once_names_are_known(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    await app.registry.run(member_ctx, "search", {"platform": "nes", "game": "tetris"})
    sim.reset_calls()
    reply = await app.registry.run(member_ctx, "search", {"platform": "nes", "game": "zelda"})
    assert reply.picker is not None or reply.text
    assert [c.path for c in sim.calls if c.path == "/api/roms"] == []


async def test_no_results_offers_closest_names_and_a_request_button(
    app: App, member_ctx: Context
) -> None:
    reply = await app.registry.run(
        member_ctx, "search", {"platform": "gb", "game": "tetris attack"}
    )
    assert reply.text.startswith("No games matching 'tetris attack'"), reply.text
    assert reply.picker is not None and "Tetris" in [c.label for c in reply.picker.choices]
    button = next(b for b in reply.buttons if b.label == "Request it")
    form = await app.registry.act(member_ctx, button.action, [])
    assert form.tone != "error", form.text
    assert "tetris attack" in form.text.lower() or form.cards or form.buttons
