"""/my_requests, /cancel_request, /request_admin and the admin buttons: statuses, reasons,
notes as a history, and buttons that still work after a restart."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator

from .conftest import (
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    AppMaker,
    ctx,
    notifier,
    platform_id,
    request_game,
    service,
)


async def test_my_requests_lists_status_and_opens_the_history(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "vagrant story", igdb_id=1092)
    await request_game(rapp, ALICE, "n64", "goldeneye", igdb_id=1638)
    await rapp.registry.run(
        ctx(rapp, ADMIN), "request_admin", {"action": "reject", "request": "2", "text": "No dump"}
    )
    mine = await rapp.registry.run(ctx(rapp, ALICE), "my_requests", {})
    text = mine.cards[0].text
    assert "#1 ⏳ pending — Vagrant Story (PlayStation)" in text
    assert "#2 ❌ rejected — GoldenEye 007 (Nintendo 64)" in text and "reason: No dump" in text
    assert mine.cards[0].footer.startswith("1 open · at most 5")
    opened = await rapp.registry.act(ctx(rapp, ALICE), "reqv", ["2"])
    fields = {f.name: f.value for f in opened.cards[0].fields}
    assert fields["Reason"] == "No dump"
    assert "alice asked for it" in fields["History"]
    assert "boss rejected it: No dump" in fields["History"]
    open_only = await rapp.registry.run(ctx(rapp, ALICE), "my_requests", {"show": "open"})
    assert "GoldenEye" not in open_only.cards[0].text
    nosy = await rapp.registry.act(ctx(rapp, BOB), "reqv", ["1"])
    assert nosy.tone == "error", "other people's requests are not shown"


async def test_cancel_own_request_with_a_reason(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "xenogears", igdb_id=1497)
    suggestions = await rapp.registry.complete(ctx(rapp, ALICE), "cancel_request", "request", "")
    assert [c.value for c in suggestions] == ["1"]
    theirs = await rapp.registry.run(ctx(rapp, BOB), "cancel_request", {"request": "1"})
    assert theirs.tone == "error" and "not your request" in theirs.text
    done = await rapp.registry.run(
        ctx(rapp, ALICE), "cancel_request", {"request": "#1", "reason": "found it elsewhere"}
    )
    assert done.text == "Request #1 Xenogears (PlayStation) is cancelled."
    stored = await service(rapp).get(1)
    assert stored is not None and stored.status == "cancelled"
    assert stored.reason == "found it elsewhere"
    history = [(e.kind, e.actor.name, e.text) for e in await service(rapp).history(1)]
    assert history[-1] == ("cancelled", "alice", "found it elsewhere")
    again = await rapp.registry.run(ctx(rapp, ALICE), "cancel_request", {"request": "1"})
    assert again.tone == "error" and "already cancelled" in again.text


async def test_cancel_without_a_number_lists_pending_ones_to_pick(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "xenogears", igdb_id=1497)
    listing = await rapp.registry.run(ctx(rapp, ALICE), "cancel_request", {})
    assert listing.picker is not None and listing.picker.action == "reqx"
    done = await rapp.registry.act(ctx(rapp, ALICE), "reqx", [listing.picker.choices[0].value])
    assert "is cancelled" in done.text


async def test_a_withdrawn_request_stays_open_for_those_who_follow_it(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "chrono cross", igdb_id=1491)
    offer = await request_game(rapp, BOB, "psx", "chrono cross", igdb_id=1491)
    await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    done = await rapp.registry.run(ctx(rapp, ALICE), "cancel_request", {"request": "1"})
    assert "stays open for them (bob takes it over)" in done.text
    stored = await service(rapp).get(1)
    assert stored is not None and stored.status == "pending"
    assert stored.requester.name == "bob" and await service(rapp).subscribers(1) == []


async def test_admin_lists_views_notes_rejects_and_members_cannot(rapp: App) -> None:
    await request_game(rapp, ALICE, "psx", "vagrant story", igdb_id=1092)
    await request_game(rapp, BOB, "psx", "xenogears", igdb_id=1497)
    member = await rapp.registry.run(ctx(rapp, ALICE), "request_admin", {})
    assert member.tone == "error" and "for admins only" in member.text
    pressed = await rapp.registry.act(ctx(rapp, ALICE), "req:1:fulfil")
    assert pressed.tone == "error" and "for admins only" in pressed.text

    a = ctx(rapp, ADMIN)
    pending = await rapp.registry.run(a, "request_admin", {})
    assert pending.cards[0].title == "Pending requests"
    assert "#2 ⏳ pending — Xenogears" in pending.cards[0].text
    assert pending.picker is not None
    view = await rapp.registry.act(a, pending.picker.action, ["1"])
    assert view.cards[0].title == "Request #1: Vagrant Story"
    assert [b.label for b in view.buttons] == ["Fulfil", "Reject"]
    noted = await rapp.registry.run(
        a, "request_admin", {"action": "note", "request": "1", "text": "looking for a dump"}
    )
    noted2 = await rapp.registry.run(
        a, "request_admin", {"action": "note", "request": "1", "text": "found one"}
    )
    assert noted.text == "Note added." and noted2.text == "Note added."
    history = [(e.kind, e.actor.name, e.text) for e in await service(rapp).history(1)]
    assert ("note", "boss", "looking for a dump") in history
    assert ("note", "boss", "found one") in history, "notes add up, none is overwritten"
    missing = await rapp.registry.run(a, "request_admin", {"action": "reject", "request": "1"})
    assert missing.tone == "error" and "needs text" in missing.text
    rejected = await rapp.registry.run(
        a, "request_admin", {"action": "reject", "request": "2", "text": "Not for this library"}
    )
    assert "Request #2 Xenogears (PlayStation) is rejected" in rejected.text
    dm = notifier(rapp).dms_to("202")[-1]
    assert dm.text == (
        "Your request #2 Xenogears (PlayStation) was rejected. Reason: Not for this library"
    )
    everything = await rapp.registry.run(a, "request_admin", {"action": "all"})
    assert "#2 ❌ rejected" in everything.cards[0].text


async def test_reject_button_offers_reasons_and_works_after_a_restart(
    make_app: AppMaker,
) -> None:
    first = await make_app()
    await request_game(first, ALICE, "psx", "vagrant story", igdb_id=1092)
    button = notifier(first).admin[-1].buttons[1]
    assert button.action == "req:1:reject"
    await first.close()

    second = await make_app()  # the bot restarted; the admin presses the old message's button
    a = ctx(second, ADMIN)
    reasons = await second.registry.act(a, button.action)
    assert reasons.picker is not None
    assert "unavailable" in [c.value for c in reasons.picker.choices]
    done = await second.registry.act(a, reasons.picker.action, ["unavailable"])
    assert "is rejected" in done.text
    dm = notifier(second).dms_to("201")[-1]
    assert "Reason: No good copy of this game could be found." in dm.text
    again = await second.registry.act(a, button.action)
    assert again.tone == "error" and "already rejected" in again.text


async def test_fulfil_button_offers_library_games_and_dms_everyone_with_links(
    rapp: App, sim: RommSimulator
) -> None:
    await request_game(rapp, ALICE, "psx", "final fantasy ix", igdb_id=415)
    offer = await request_game(rapp, CAROL, "psx", "final fantasy ix", igdb_id=415)
    await rapp.registry.act(ctx(rapp, CAROL), offer.buttons[0].action)
    added = sim.library.add_rom(
        platform_id(sim, "psx"), name="Final Fantasy IX", igdb_id=415,
        fs_name="Final Fantasy IX (USA).chd",
    )  # fmt: skip
    a = ctx(rapp, ADMIN)
    choices = await rapp.registry.act(a, "req:1:fulfil")
    assert choices.picker is not None
    assert choices.picker.choices[0].value == str(added["id"]), "RomM's IGDB match comes first"
    assert choices.picker.choices[-1].label == "Fulfil without a game link"
    done = await rapp.registry.act(a, choices.picker.action, [str(added["id"])])
    assert "is fulfilled. 2 person(s) were told" in done.text
    for user in ("201", "203"):
        dm = notifier(rapp).dms_to(user)[-1]
        assert dm.cards[0].title == "Final Fantasy IX"
        download = next(link for link in dm.links if link.label.startswith("Download"))
        assert "/dl/" in download.url, "a download link bound to that person"
    assert notifier(rapp).dms_to("201")[-1].text.startswith("🎉 Your request #1")
    assert notifier(rapp).dms_to("203")[-1].text.startswith("🎉 A request you follow #1")
    kinds = [e.kind for e in await service(rapp).history(1)]
    assert kinds.count("dm_sent") == 2 and "fulfilled" in kinds


async def test_fulfil_by_command_with_a_rom_id(rapp: App, sim: RommSimulator) -> None:
    await request_game(rapp, ALICE, "psx", "chrono cross", igdb_id=1491)
    rom = sim.library.add_rom(platform_id(sim, "psx"), name="Chrono Cross (USA)")
    done = await rapp.registry.run(
        ctx(rapp, ADMIN),
        "request_admin",
        {"action": "fulfil", "request": "1", "rom": str(rom["id"]), "text": "2 discs"},
    )
    assert "is fulfilled" in done.text
    stored = await service(rapp).get(1)
    assert stored is not None and stored.status == "fulfilled" and stored.rom_id == rom["id"]
    event = next(e for e in await service(rapp).history(1) if e.kind == "fulfilled")
    assert (event.actor.name, event.text, event.rom_id) == ("boss", "2 discs", rom["id"])
