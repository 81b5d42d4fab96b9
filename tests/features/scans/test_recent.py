"""Recently added: one card, a grouped card with covers, a bulk summary; never twice."""

from __future__ import annotations

from typing import Any

from romm_comm.testing.romm_sim import RommSimulator
from tests.features.scans.conftest import Apps, fields_of, finished, rest_calls, scan
from tests.helpers.waiting import eventually


async def test_one_new_game_gets_its_own_card_once(sim: RommSimulator, apps: Apps) -> None:
    app, seen = await apps.make()
    recent = app.services.recent
    assert recent is not None
    assert (await recent.check()).kind == "none", "the existing library is never announced"
    n64 = sim.library.platform_by_slug("n64")
    assert n64 is not None
    rom = sim.library.add_rom(
        n64.id, name="Banjo-Tooie", igdb_id=1083, summary="Bears and birds.",
        genres=["Platform"],
    )  # fmt: skip
    sim.reset_calls()

    assert (await recent.check()).kind == "single"

    assert rest_calls(sim) == ["/api/roms"], "one query, no call per ROM"
    [message] = seen.on("recent_roms")
    card = message.last.cards[0]
    assert card.title == "Banjo-Tooie"
    assert card.url == f"https://romm.example.org/rom/{rom['id']}"
    assert card.thumbnail_url and card.thumbnail_url.startswith("https://romm.example.org/assets/")
    assert fields_of(message.last)["Platform"] == "Nintendo 64"
    assert fields_of(message.last)["Genres"] == "Platform"
    assert [b.action for b in message.last.buttons] == [f"rom:{rom['id']}"]
    assert (await recent.check()).kind == "none"

    await apps.close(app)
    again, seen_again = await apps.make()
    assert again.services.recent is not None
    assert (await again.services.recent.check()).kind == "none", "remembered across a restart"
    assert seen_again.on("recent_roms") == []


async def test_many_new_games_from_a_scan_make_one_summary_by_platform(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("n64", 15)
    sim.scans.stage_roms("psx", 10)
    app, seen = await apps.make(recent_roms_bulk_threshold=10)
    sim.reset_calls()
    await scan(app, "full")
    await finished(seen)

    [post] = await eventually(lambda: seen.on("recent_roms"), what="the bulk post")

    assert post.last.cards[0].title == "🆕 25 new games"
    assert fields_of(post.last) == {"Nintendo 64": "+15", "PlayStation": "+10"}
    assert "Staged Game" in post.last.cards[0].text
    assert rest_calls(sim).count("/api/roms") == 1, "one query for 25 games"


async def test_many_games_added_by_others_are_summed_up_without_a_scan(
    sim: RommSimulator, apps: Apps
) -> None:
    app, seen = await apps.make(recent_roms_bulk_threshold=10, recent_roms_interval=1)
    snes = sim.library.platform_by_slug("snes")
    assert snes is not None
    for n in range(12):
        sim.library.add_rom(snes.id, name=f"Homebrew {n}")

    [post] = await eventually(lambda: seen.on("recent_roms"), within=5, what="the timer's post")

    assert post.last.cards[0].title == "🆕 More than 10 new games"
    assert fields_of(post.last) == {"Super Famicom": "+11"}
    assert post.last.cards[0].footer == "By platform among the newest 11"
    assert app.services.recent is not None
    assert (await app.services.recent.check()).kind == "none"


async def with_psx_hidden(sim: RommSimulator, apps: Apps) -> tuple[Any, Any, Any, Any, Any]:
    """A bot whose baseline is taken, with PlayStation hidden from members in RomM: (app,
    what it posted, its recent service, the N64 and the PlayStation platforms)."""
    app, seen = await apps.make()
    recent = app.services.recent
    assert recent is not None
    assert (await recent.check()).kind == "none"
    n64, psx = sim.library.platform_by_slug("n64"), sim.library.platform_by_slug("psx")
    assert n64 is not None and psx is not None
    sim.library.set_platform_hidden(psx.id)
    await app.services.catalog.load_hidden()
    return app, seen, recent, n64, psx


async def test_games_on_platforms_hidden_from_members_are_not_announced(
    sim: RommSimulator, apps: Apps
) -> None:
    _app, seen, recent, n64, psx = await with_psx_hidden(sim, apps)
    sim.library.add_rom(psx.id, name="Secret Disc", fs_name="Secret Disc.bin")
    shown = sim.library.add_rom(n64.id, name="Open Cart", fs_name="Open Cart.z64")

    report = await recent.check()

    assert report.kind == "single" and report.rom_ids == [shown["id"]]
    [message] = seen.on("recent_roms")
    assert message.last.cards[0].title == "Open Cart"
    assert (await recent.check()).kind == "none", "the hidden game is not posted later either"


async def test_a_bulk_arrival_mostly_on_a_hidden_platform_still_posts_the_visible_part(
    sim: RommSimulator, apps: Apps
) -> None:
    app, seen, recent, n64, psx = await with_psx_hidden(sim, apps)
    names = {p.id: p.display_name for p in app.services.catalog.platforms}
    for i in range(3):
        sim.library.add_rom(n64.id, name=f"Open Cart {i}", fs_name=f"Open Cart {i}.z64")
    for i in range(12):  # the newest games, more than the bulk threshold, all hidden
        sim.library.add_rom(psx.id, name=f"Secret Disc {i}", fs_name=f"Secret Disc {i}.bin")

    report = await recent.check({names[n64.id]: 3, names[psx.id]: 12}, 15)

    assert report.kind == "bulk"
    [message] = seen.on("recent_roms")
    fields = fields_of(message.last)
    assert fields == {names[n64.id]: "+3"}, "only the visible platform is summed up"
    assert "Secret" not in message.last.cards[0].text
