"""What people may get wrong when reporting, each answered with one clear sentence; and the
game chosen from the library by its RomM id (the autocomplete's value) or from a pick list."""

from __future__ import annotations

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator
from tests.features.requests.conftest import ADMIN, ALICE, BOB, ctx, notifier

from .conftest import report, reports


async def test_an_unknown_game_is_refused_with_suggestions(rapp: App) -> None:
    reply = await report(rapp, ALICE, "chrono triggr zzz", "broken file")
    assert reply.tone == "error"
    assert reply.text.startswith("No game in the library matches 'chrono triggr zzz'.")
    assert "check the name with /search" in reply.text
    assert await reports(rapp).listing() == ([], 0)
    unknown_id = await report(rapp, ALICE, "999999", "broken file")
    assert (
        unknown_id.tone == "error" and "No game in the library matches '999999'" in unknown_id.text
    )


async def test_details_are_needed_for_other_and_have_a_limit(rapp: App) -> None:
    empty = await report(rapp, ALICE, "chrono trigger", "other")
    assert empty.tone == "error"
    assert empty.text == "Say what is wrong in details: the problem 'other' needs a few words."
    blank = await report(rapp, ALICE, "chrono trigger", "other", "   ")
    assert blank.tone == "error" and "needs a few words" in blank.text
    long = await report(rapp, ALICE, "chrono trigger", "broken file", "x" * 501)
    assert long.tone == "error"
    assert long.text == "details is too long (501 characters; at most 500)."
    wrong = await report(rapp, ALICE, "chrono trigger", "it is sad")
    assert wrong.tone == "error" and wrong.text.startswith("problem must be one of: broken file")
    assert await reports(rapp).listing() == ([], 0), "nothing was stored"


async def test_several_matches_give_a_pick_list_and_an_id_picks_directly(
    rapp: App, sim: RommSimulator
) -> None:
    c = ctx(rapp, ALICE)
    choices = await report(rapp, ALICE, "final fantasy", "missing disc", "disc 2 of 3")
    assert choices.picker is not None and "Several games match 'final fantasy'" in choices.text
    labels = [ch.label for ch in choices.picker.choices]
    assert any(label.startswith("Final Fantasy VII —") for label in labels)
    assert any(label.startswith("Final Fantasy VIII —") for label in labels)
    viii = next(ch for ch in choices.picker.choices if ch.label.startswith("Final Fantasy VIII"))
    taken = await rapp.registry.act(ctx(rapp, BOB), choices.picker.action, [viii.value])
    assert taken.tone == "error" and "belongs to someone else" in taken.text
    sent = await rapp.registry.act(c, choices.picker.action, [viii.value])
    assert sent.text.startswith("Thanks: report #1 Final Fantasy VIII")
    stored = await reports(rapp).get(1)
    assert stored is not None and stored.details == "disc 2 of 3" and stored.problem == "disc"
    used = await rapp.registry.act(c, choices.picker.action, [viii.value])
    assert used.tone == "error" and "expired or was already sent" in used.text

    suggested = await rapp.registry.complete(c, "report", "game", "chrono")
    assert [s.label.split(" —")[0] for s in suggested] == ["Chrono Trigger"]
    by_id = await report(rapp, ALICE, suggested[0].value, "broken file")
    assert by_id.text.startswith("Thanks: report #2 Chrono Trigger")
    mine_again = await report(rapp, ALICE, suggested[0].value, "broken file")
    assert mine_again.text.startswith("You already reported this game: report #2")


async def test_members_cannot_act_and_closed_reports_stay_closed(rapp: App) -> None:
    await report(rapp, ALICE, "chrono trigger", "broken file")
    member = ctx(rapp, BOB)
    for action in ("rep:1:ack", "rep:1:resolve", "rep:1:resolvewhy:fixed", "rep:1:rejectwhy:works"):
        refused = await rapp.registry.act(member, action)
        assert refused.tone == "error" and refused.text == "That is for admins only."
    listing = await rapp.registry.run(member, "reports", {})
    assert listing.tone == "error" and "for admins only" in listing.text
    nosy = await rapp.registry.act(member, "repv", ["1"])
    assert nosy.tone == "error" and "no such report among yours" in nosy.text
    stored = await reports(rapp).get(1)
    assert stored is not None and stored.status == "open"

    a = ctx(rapp, ADMIN)
    needs = await rapp.registry.run(a, "reports", {"action": "resolve", "report": "1"})
    assert needs.tone == "error" and needs.text == (
        "action:resolve needs text: the note the reporter will see."
    )
    missing = await rapp.registry.run(a, "reports", {"action": "acknowledge", "report": "9"})
    assert missing.tone == "error" and missing.text == "There is no such report."
    await rapp.registry.act(a, "rep:1:rejectwhy:works")
    told = len(notifier(rapp).dms)
    for action in ("rep:1:ack", "rep:1:resolve", "rep:1:resolvewhy:fixed"):
        late = await rapp.registry.act(a, action)
        assert late.tone == "error" and late.text.endswith("is already rejected."), action
    late_cmd = await rapp.registry.run(
        a, "reports", {"action": "resolve", "report": "1", "text": "done"}
    )
    assert late_cmd.tone == "error" and late_cmd.text.endswith("is already rejected.")
    late_me_too = await rapp.registry.act(member, "repsub:1")
    assert late_me_too.tone == "error" and late_me_too.text.endswith("is already rejected.")
    assert len(notifier(rapp).dms) == told, "nobody is told twice"


async def test_undelivered_messages_are_recorded_and_reported(rapp: App) -> None:
    await report(rapp, ALICE, "chrono trigger", "broken file")
    notifier(rapp).closed.add("201")
    await rapp.registry.run(
        ctx(rapp, ADMIN), "reports", {"action": "resolve", "report": "1", "text": "Fixed"}
    )
    warning = notifier(rapp).admin[-1]
    assert warning.text.startswith("Could not message alice (test:201) about report #1")
    stored = await reports(rapp).get(1)
    assert stored is not None and stored.status == "resolved"
    assert [e.kind for e in (await reports(rapp).thread(1))[0]][-1] == "dm_failed"


async def test_romm_down_while_picking_keeps_the_form(rapp: App, sim: RommSimulator) -> None:
    choices = await report(rapp, ALICE, "final fantasy", "broken file")
    assert choices.picker is not None
    sim.faults.fail("/api/roms", 500)
    failed = await rapp.registry.act(ctx(rapp, ALICE), choices.picker.action, ["3"])
    assert failed.tone == "error" and "Traceback" not in failed.text
    assert "expired" not in failed.text
    sim.faults.clear()
    sent = await rapp.registry.act(ctx(rapp, ALICE), choices.picker.action, ["3"])
    assert sent.text.startswith("Thanks: report #1 Final Fantasy VIII"), "the same form works"
