"""Browsing commands through the registry, against the simulator: what a person would see."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote

from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import create_app, settings_for
from tests.helpers.waiting import eventually


def romm_calls(sim: RommSimulator) -> list[str]:
    return [c.path for c in sim.calls if c.path.startswith("/api/")]


async def test_search_lists_choices_then_shows_a_card(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    sim.reset_calls()
    reply = await app.registry.run(
        member_ctx, "search", {"platform": "Nintendo 64", "game": "mario"}
    )
    assert reply.picker is None, "one match on Nintendo 64: its card straight away"
    calls = [
        c if not c[len("/api/roms/") :].isdigit() else "/api/roms/{id}" for c in romm_calls(sim)
    ]
    assert calls == ["/api/roms", "/api/roms/{id}"], "one search call, one detail call"
    card = reply.cards[0]
    assert card.title == "Super Mario 64"
    fields = {f.name: f.value for f in card.fields}
    assert fields["Platform"] == "Nintendo 64"
    assert "Super Mario 64 (USA).z64" in fields["File"]
    labels = {link.label.split(" (")[0]: link.url for link in reply.links}
    assert labels["Open in RomM"].startswith("https://romm.example.org/rom/")
    assert labels["Download"].endswith("/Super%20Mario%2064%20%28USA%29.z64")
    assert labels["Play in browser"].endswith("/ejs")
    assert reply.private, "download links are private"


async def test_multi_file_game_offers_a_file_choice_with_sizes(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    reply = await app.registry.run(
        member_ctx, "search", {"platform": "psx", "game": "final fantasy"}
    )
    assert reply.picker is not None and reply.picker.action == "rom"
    labels = [c.label for c in reply.picker.choices]
    assert labels == ["Final Fantasy VII", "Final Fantasy VIII"]
    sim.reset_calls()
    reply = await app.registry.act(member_ctx, "rom", [reply.picker.choices[0].value])
    assert len(romm_calls(sim)) == 1, "one detail call when a game is picked"
    assert reply.cards[0].title == "Final Fantasy VII"
    assert reply.picker is not None and reply.picker.action.startswith("files:")
    assert reply.picker.max_values == 3, "one choice per disc (bin + cue)"
    assert [c.description.split(" · ")[0] for c in reply.picker.choices] == ["bin + cue"] * 3
    assert any(link.label.startswith("Download all (") for link in reply.links)
    discs_1_3 = [reply.picker.choices[0].value, reply.picker.choices[2].value]
    chosen = await app.registry.act(member_ctx, reply.picker.action, discs_1_3)
    assert chosen.cards[0].title.endswith("4 files as one zip")
    assert chosen.cards[0].text.count(".cue") == 2, "each disc with its cue sheet"
    token, name = chosen.links[0].url.split("/dl/", 1)[1].split("/")
    grant = app.services.downloads.signer.verify(token, unquote(name))
    assert len(grant.file_ids) == 4 and grant.zipped


async def test_discs_tracks_and_playlists_make_one_choice_each_and_the_list_shows_once(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    psx = sim.library.platform_by_slug("psx")
    assert psx is not None
    files = [
        ("Game (Disc 1) (Track 1).bin", 5000),
        ("Game (Disc 1) (Track 2).bin", 700),
        ("Game (Disc 1).cue", 90),
        ("Game (Disc 2).bin", 4000),
        ("Game (Disc 2).cue", 80),
        ("Game.m3u", 40),
        ("Manual.pdf", 300),
    ]
    rom_id = int(sim.library.add_rom(psx.id, fs_name="Game", files=files)["id"])
    reply = await app.registry.act(member_ctx, "rom", [str(rom_id)])

    assert reply.picker is not None
    got = [(c.label, c.description.split(" · ")[0]) for c in reply.picker.choices]
    assert got == [
        ("Game (Disc 1)", "2 × bin + cue"),
        ("Game (Disc 2)", "bin + cue"),
        ("Game.m3u", "40 B"),
        ("Manual.pdf", "300 B"),
    ]
    listing = {f.name: f.value for f in reply.cards[0].fields}["Files (7, 10.0 KB)"]
    assert ".bin" not in listing, "the files are listed once, in the picker"
    disc1 = await app.registry.act(member_ctx, reply.picker.action, [reply.picker.choices[0].value])
    assert disc1.cards[0].title == "Game: 3 files as one zip"


async def test_unknown_platform_and_no_results_are_explained(app: App, member_ctx: Context) -> None:
    unknown = await app.registry.run(
        member_ctx, "search", {"platform": "Amstrad GX4000", "game": "x"}
    )
    assert unknown.tone == "error" and "No platform called 'Amstrad GX4000'" in unknown.text
    none = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "zzqqxx"})
    assert "No games matching 'zzqqxx' on Nintendo 64" in none.text and "Tips" in none.text
    long = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "a" * 500})
    assert long.tone == "error" and "too long (500 characters; at most 100)" in long.text


async def test_renamed_platform_is_found_by_its_new_name(
    app: App, sim: RommSimulator, admin_ctx: Context, member_ctx: Context
) -> None:
    snes = next(p for p in app.services.catalog.platforms if p.slug == "snes")
    sim.library.rename_platform(snes.id, "Super Nintendo (PAL)")
    await app.registry.run(admin_ctx, "refresh", {})
    reply = await app.registry.run(
        member_ctx, "search", {"platform": "Super Nintendo (PAL)", "game": "zelda"}
    )
    assert reply.tone != "error", reply.text
    names = [
        p.display_name for p in app.services.catalog.complete_platforms("super nin", admin=True)
    ]
    assert "Super Nintendo (PAL)" in names


async def test_autocomplete_answers_from_memory(
    app: App, sim: RommSimulator, member_ctx: Context
) -> None:
    sim.reset_calls()
    choices = await app.registry.complete(member_ctx, "search", "platform", "nin")
    assert choices and all("Nintendo" in c.label for c in choices[:2])
    assert romm_calls(sim) == []


async def test_stats_refresh_costs_at_most_three_calls_and_detects_changes(
    app: App, sim: RommSimulator, admin_ctx: Context, member_ctx: Context
) -> None:
    sim.reset_calls()
    await app.services.stats.refresh()
    assert len(romm_calls(sim)) <= 3, "a stats refresh costs at most three RomM calls"
    first = await app.registry.run(admin_ctx, "refresh", {})
    assert first.cards[0].title == "Library statistics"
    again = await app.registry.run(admin_ctx, "refresh", {})
    assert again.text == "Refreshed: nothing changed."
    n64 = next(p for p in app.services.catalog.platforms if p.slug == "n64")
    sim.library.add_rom(n64.id, name="Brand New Game", fs_name="Brand New Game.z64")
    changed = await app.registry.run(admin_ctx, "refresh", {})
    assert "roms" in changed.text and "→" in changed.text
    stats = await app.registry.run(member_ctx, "stats", {})
    fields = {f.name: f.value for f in stats.cards[0].fields}
    assert int(fields["ROMs"].replace(",", "")) == app.services.stats.current.roms  # type: ignore[union-attr]


async def test_member_cannot_refresh(app: App, member_ctx: Context) -> None:
    reply = await app.registry.run(member_ctx, "refresh", {})
    assert reply.tone == "error" and "admins only" in reply.text


async def test_firmware_lists_hashes_and_links(app: App, member_ctx: Context) -> None:
    reply = await app.registry.run(member_ctx, "firmware", {"platform": "psx"})
    card = reply.cards[0]
    assert card.title.startswith("Firmware for")
    first = card.fields[0]
    assert "CRC32" in first.value and "MD5" in first.value and "SHA1" in first.value
    assert f"]({app.services.downloads.gateway_base}/dl/" in first.value


async def test_random_with_and_without_platform(app: App, member_ctx: Context) -> None:
    any_game = await app.registry.run(member_ctx, "random", {})
    assert any_game.cards and any_game.cards[0].title
    n64 = await app.registry.run(member_ctx, "random", {"platform": "n64"})
    fields = {f.name: f.value for f in n64.cards[0].fields}
    assert fields["Platform"] == "Nintendo 64"


async def test_platforms_lists_names_with_counts(app: App, member_ctx: Context) -> None:
    reply = await app.registry.run(member_ctx, "platforms", {})
    text = reply.cards[0].text
    assert "Nintendo 64 — " in text and "ROMs" in text
    names = [line.split(" — ")[0] for line in text.splitlines()]
    assert len(names) > 5
    assert names == sorted(names, key=str.casefold)


async def test_romm_down_gives_one_sentence(sim: RommSimulator, tmp_path: Path) -> None:
    app = await create_app(settings_for(sim, tmp_path, api_timeout=0.5))  # a hang ends sooner
    await app.start()
    member_ctx = Context(Caller(id="100", name="member", front_end="test"), app.services)
    try:
        sim.faults.fail(path_prefix="/api/roms", status=500)
        reply = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "mario"})
        assert (
            reply.tone == "error" and reply.text == "RomM had an internal error; try again later."
        )
        sim.faults.clear()
        sim.faults.hang = True
        reply = await app.registry.run(member_ctx, "search", {"platform": "n64", "game": "mario"})
        assert reply.text == "RomM took too long to answer; try again in a minute."
    finally:
        await app.close()


async def test_typos_get_the_closest_names_and_help_explains_one_command(
    app: App, member_ctx: Context
) -> None:
    for typo, meant in (("serch", "/search"), ("stat", "/stats")):
        reply = await app.registry.run(member_ctx, typo, {})
        assert reply.tone == "error" and f"Did you mean {meant}?" in reply.text
    hidden = await app.registry.run(member_ctx, "refresch", {})
    assert "/refresh" not in hidden.text, "members are not pointed at admin commands"
    platform = await app.registry.run(
        member_ctx, "search", {"platform": "Nintendo 46", "game": "mario"}
    )
    assert platform.tone == "error"
    assert "Did you mean: Nintendo 64" in platform.text
    one = await app.registry.run(member_ctx, "help", {"command": "search"})
    card = one.cards[0]
    assert card.title == "/search"
    assert 'platform:"Nintendo 64" game:mario' in card.text
    assert {f.name.split()[0] for f in card.fields} >= {"platform", "game"}


async def test_search_without_a_platform_searches_every_one_and_a_leading_platform_counts(
    app: App, member_ctx: Context
) -> None:
    everywhere = await app.registry.run(member_ctx, "search", {"game": "tetris"})
    assert everywhere.picker is not None
    assert "Found 2 game(s) matching 'tetris'" in everywhere.text  # on two platforms
    leading = await app.registry.run(member_ctx, "search", {"game": "n64 super mario 64"})
    assert leading.cards and leading.cards[0].title == "Super Mario 64"
    nothing = await app.registry.run(member_ctx, "search", {"game": "zzzz qqqq"})
    assert nothing.tone != "success" and "No games matching" in (
        nothing.text + "".join(c.title for c in nothing.cards)
    )


async def test_a_refresh_asked_while_another_saves_tells_what_that_one_changed(
    app: App, sim: RommSimulator, admin_ctx: Context
) -> None:
    stats = app.services.stats
    before = await stats.refresh(asked=True)
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    sim.library.add_rom(n64.id, "Arrived Meanwhile")
    # The store held: the after-scan refresh has its new numbers but has not saved them yet.
    async with stats.store.transaction():
        after_scan = asyncio.create_task(stats.refresh())
        await eventually(
            lambda: stats.current is not None and stats.current.roms == before.stats.roms + 1,
            what="the after-scan refresh's numbers",
        )
        reply = await app.registry.run(admin_ctx, "refresh", {})  # changes nothing: no save
    await after_scan
    assert reply.text.startswith(
        f"Refreshed since the last /refresh: roms {before.stats.roms} → {before.stats.roms + 1}"
    ), reply.text
