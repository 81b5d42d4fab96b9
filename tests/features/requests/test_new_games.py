"""New games against pending requests: IGDB id + platform fulfils; a look-alike title goes
to the admins; FF VII is never FF VIII; closed DMs are recorded; restarts lose nothing."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator
from tests.helpers.waiting import eventually

from .conftest import ADMIN, ALICE, BOB, AppMaker, ctx, notifier, platform_id, request_game, service


def rom_list_calls(sim: RommSimulator) -> list[str]:
    return [c.path for c in sim.calls if c.path == "/api/roms"]


async def test_an_exact_igdb_match_fulfils_and_dms_with_one_batched_query(
    rapp: App, sim: RommSimulator
) -> None:
    await request_game(rapp, ALICE, "psx", "final fantasy ix", igdb_id=415)
    psx = platform_id(sim, "psx")
    for n in range(6):  # other new games arrive too
        sim.library.add_rom(psx, name=f"Filler Game {n}")
    sim.library.add_rom(psx, name="Final Fantasy IX", igdb_id=415, fs_name="FF9 (USA).chd")
    sim.reset_calls()
    report = await service(rapp).check_new_games()
    assert [r.id for r, _ in report.fulfilled] == [1]
    assert len(rom_list_calls(sim)) == 1, "one batched query for all new games"
    assert not [c for c in sim.calls if c.path.startswith("/api/roms/by-")]
    stored = await service(rapp).get(1)
    assert stored is not None and stored.status == "fulfilled"
    dm = notifier(rapp).dms_to("201")[-1]
    assert "is fulfilled: it is in the library now" in dm.text
    assert dm.cards[0].title == "Final Fantasy IX"
    assert any(link.label.startswith("Download") for link in dm.links)
    assert any("fulfilled automatically" in t for t in notifier(rapp).admin_texts())
    history = [(e.kind, e.actor.name) for e in await service(rapp).history(1)]
    assert ("auto_fulfilled", "RomM-ComM") in history
    again = await service(rapp).check_new_games()
    assert again.fulfilled == [] and len(notifier(rapp).dms_to("201")) == 1


async def test_final_fantasy_vii_does_not_fulfil_a_request_for_viii(
    make_app: AppMaker, sim: RommSimulator
) -> None:
    app = await make_app(with_igdb=False)
    psx = platform_id(sim, "psx")
    ff8 = next(r for r in sim.library.roms_of(psx) if r.name == "Final Fantasy VIII")
    sim.library.remove_rom(ff8.id)
    await request_game(app, ALICE, "psx", "Final Fantasy VIII")
    sim.library.add_rom(psx, name="Final Fantasy VII (Europe)", fs_name="FF7 (Europe).chd")
    report = await service(app).check_new_games()
    assert report.roms_seen >= 1
    assert report.fulfilled == [] and report.suggested == []
    assert notifier(app).admin[-1].cards[0].title.startswith("New request"), "no suggestion"
    stored = await service(app).get(1)
    assert stored is not None and stored.status == "pending"


async def test_a_different_igdb_game_is_never_a_match_even_by_name(
    rapp: App, sim: RommSimulator
) -> None:
    psx = platform_id(sim, "psx")
    ff8 = next(r for r in sim.library.roms_of(psx) if r.name == "Final Fantasy VIII")
    sim.library.remove_rom(ff8.id)
    await request_game(rapp, ALICE, "psx", "final fantasy viii", igdb_id=428)
    sim.library.add_rom(psx, name="Final Fantasy VII", igdb_id=427, fs_name="FF7 PAL.chd")
    report = await service(rapp).check_new_games()
    assert report.fulfilled == [] and report.suggested == []
    sim.library.add_rom(psx, name="Final Fantasy VIII", igdb_id=428, fs_name="FF8 PAL.chd")
    report = await service(rapp).check_new_games()
    assert [r.id for r, _ in report.fulfilled] == [1]


async def test_a_look_alike_title_goes_to_the_admins_to_confirm_with_one_button(
    make_app: AppMaker, sim: RommSimulator
) -> None:
    app = await make_app(with_igdb=False)
    await request_game(app, ALICE, "psx", "Final Fantasy IX")
    rom = sim.library.add_rom(
        platform_id(sim, "psx"), fs_name="Final Fantasy IX (USA) (Disc 1).chd"
    )
    report = await service(app).check_new_games()
    assert report.fulfilled == [] and [r.id for r, _ in report.suggested] == [1]
    notice = notifier(app).admin[-1]
    assert notice.cards[0].title == "Request #1 may be fulfilled"
    yes, no = notice.buttons
    assert yes.action == f"req:1:confirm:{rom['id']}" and no.action == f"req:1:dismiss:{rom['id']}"
    stored = await service(app).get(1)
    assert stored is not None and stored.status == "pending", "not fulfilled on a guess"
    again = await service(app).check_new_games()
    assert again.suggested == [], "asked once"
    member = await app.registry.act(ctx(app, ALICE), yes.action)
    assert member.tone == "error"
    done = await app.registry.act(ctx(app, ADMIN), yes.action)
    assert "is fulfilled" in done.text
    assert notifier(app).dms_to("201")[-1].cards[0].title == rom["name"]


async def test_not_this_one_records_the_answer(make_app: AppMaker, sim: RommSimulator) -> None:
    app = await make_app(with_igdb=False)
    await request_game(app, ALICE, "snes", "Chrono Trigger Plus")
    sim.library.add_rom(platform_id(sim, "snes"), name="Chrono Trigger Plus Demo")
    await service(app).check_new_games()
    _, no = notifier(app).admin[-1].buttons
    answer = await app.registry.act(ctx(app, ADMIN), no.action)
    assert "is not request #1" in answer.text
    kinds = [e.kind for e in await service(app).history(1)]
    assert kinds[-2:] == ["suggested", "not_a_match"]


async def test_closed_dms_are_recorded_and_reported_and_nothing_is_lost(
    rapp: App, sim: RommSimulator
) -> None:
    await request_game(rapp, ALICE, "psx", "vagrant story", igdb_id=1092)
    offer = await request_game(rapp, BOB, "psx", "vagrant story", igdb_id=1092)
    await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    notifier(rapp).closed.add("201")  # alice has DMs closed
    sim.library.add_rom(platform_id(sim, "psx"), name="Vagrant Story", igdb_id=1092)
    await service(rapp).check_new_games()
    assert notifier(rapp).dms_to("201") == []
    assert notifier(rapp).dms_to("202")[-1].cards[0].title == "Vagrant Story"
    warning = next(r for r in notifier(rapp).admin if r.tone == "warning")
    assert "Could not message alice (test:201) about request #1 Vagrant Story" in warning.text
    events = [(e.kind, e.text) for e in await service(rapp).history(1)]
    assert ("dm_failed", "alice (test:201)") in events and ("dm_sent", "bob (test:202)") in events
    mine = await rapp.registry.run(ctx(rapp, ALICE), "my_requests", {})
    assert "#1 ✅ fulfilled — Vagrant Story" in mine.cards[0].text


async def test_a_restart_between_request_and_arrival_loses_nothing(
    make_app: AppMaker, sim: RommSimulator
) -> None:
    first = await make_app()
    await request_game(first, ALICE, "n64", "ocarina of time", igdb_id=1029)
    await first.close()
    sim.library.add_rom(platform_id(sim, "n64"), name="The Legend of Zelda: Ocarina of Time",
                        igdb_id=1029)  # fmt: skip
    second = await make_app()
    report = await service(second).check_new_games()
    assert [r.id for r, _ in report.fulfilled] == [1]
    assert notifier(second).dms_to("201")[-1].cards[0].title == (
        "The Legend of Zelda: Ocarina of Time"
    )


async def test_games_already_there_before_the_first_request_are_not_new(
    make_app: AppMaker, sim: RommSimulator
) -> None:
    app = await make_app(with_igdb=False)
    first = await service(app).check_new_games()
    assert first.baseline, "the first check only notes where the library stands"
    await request_game(app, ALICE, "psx", "Final Fantasy VII", details="the PAL one")
    report = await service(app).check_new_games()
    assert report.suggested == [], "the FF VII already in the library is not a new arrival"


async def test_the_timer_checks_without_being_asked(make_app: AppMaker, sim: RommSimulator) -> None:
    app = await make_app(request_check_interval=1)
    await request_game(app, ALICE, "psx", "xenogears", igdb_id=1497)
    sim.library.add_rom(platform_id(sim, "psx"), name="Xenogears", igdb_id=1497)

    async def fulfilled() -> bool:
        stored = await service(app).get(1)
        return stored is not None and stored.status == "fulfilled"

    await eventually(fulfilled, what="the timer's check fulfilling the request")
