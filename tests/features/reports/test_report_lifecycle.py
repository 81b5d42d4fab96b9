"""A problem report's whole life: reported → the admins see it with buttons → "me too" by
another member → acknowledged → resolved with a note → both told in chat; /my_reports shows
the history. And the buttons after a restart."""

from __future__ import annotations

from romm_comm.app.root import App
from tests.features.requests.conftest import ADMIN, ALICE, BOB, AppMaker, ctx, notifier

from .conftest import report, reports


async def test_a_report_from_start_to_resolved(rapp: App) -> None:
    sent = await report(rapp, ALICE, "chrono trigger", "broken file", "crashes at the fair")
    assert sent.tone == "success", sent.text
    assert sent.text.startswith("Thanks: report #1 Chrono Trigger (")
    notice = notifier(rapp).admin[-1]
    assert notice.cards[0].title.startswith("New problem report #1 Chrono Trigger")
    fields = {f.name: f.value for f in notice.cards[0].fields}
    assert fields["Problem"] == "broken file" and fields["Details"] == "crashes at the fair"
    assert [b.label for b in notice.buttons] == ["Acknowledge", "Resolve", "Reject"]
    assert [b.action for b in notice.buttons] == ["rep:1:ack", "rep:1:resolve", "rep:1:reject"]

    offer = await report(rapp, BOB, "Chrono Trigger", "broken file", "same here")
    assert "alice already reported a problem with Chrono Trigger" in offer.text
    assert [b.label for b in offer.buttons] == ["Me too"]
    joined = await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    assert "you have this problem too (report #1" in joined.text
    again = await rapp.registry.act(ctx(rapp, BOB), offer.buttons[0].action)
    assert "already have report #1" in again.text, "pressed twice, counted once"
    assert [p.name for p in (await reports(rapp).thread(1))[1]] == ["bob"]
    assert len(notifier(rapp).admin) == 1, "no second report, no second notice"

    a = ctx(rapp, ADMIN)
    acked = await rapp.registry.act(a, "rep:1:ack")
    assert acked.text.startswith("Report #1 Chrono Trigger (") and "is acknowledged" in acked.text
    assert [b.label for b in acked.buttons] == ["Resolve", "Reject"]
    for user in ("201", "202"):
        assert "was acknowledged" in notifier(rapp).dms_to(user)[-1].text
    notes = await rapp.registry.act(a, "rep:1:resolve")
    assert notes.picker is not None and notes.picker.action == "rep:1:resolvewhy"
    assert "/reports action:resolve report:1 text:" in notes.text
    done = await rapp.registry.run(
        a, "reports", {"action": "resolve", "report": "1", "text": "Replaced with a good dump"}
    )
    assert "is resolved. 2 person(s) were told" in done.text
    assert notifier(rapp).dms_to("201")[-1].text == (
        "✅ Your problem report #1 Chrono Trigger (Super Famicom) is resolved. Note: "
        "Replaced with a good dump"
    )
    assert notifier(rapp).dms_to("202")[-1].text.startswith("✅ A problem report you have too #1")

    mine = await rapp.registry.run(ctx(rapp, ALICE), "my_reports", {})
    assert "#1 ✅ resolved — Chrono Trigger" in mine.cards[0].text
    assert "Replaced with a good dump" in mine.cards[0].text
    opened = await rapp.registry.act(ctx(rapp, ALICE), mine.picker.action, ["1"])  # type: ignore[union-attr]
    history = {f.name: f.value for f in opened.cards[0].fields}["History"]
    lines = [line.split(" ", 1)[1] for line in history.splitlines()]
    assert lines == [
        "alice reported it: crashes at the fair",
        "bob has it too: same here",
        "boss acknowledged it",
        "boss resolved it: Replaced with a good dump",
    ], "members do not see the delivery records"
    assert not opened.buttons, "members get no admin buttons"
    bobs = await rapp.registry.run(ctx(rapp, BOB), "my_reports", {})
    assert (
        "#1 ✅ resolved — Chrono Trigger" in bobs.cards[0].text and "me too" in bobs.cards[0].text
    )
    kinds = [e.kind for e in (await reports(rapp).thread(1))[0]]
    assert kinds.count("dm_sent") == 4

    closed = await rapp.registry.act(a, "rep:1:reject")
    assert closed.tone == "error" and closed.text.endswith("is already resolved.")
    after = await report(rapp, BOB, "chrono trigger", "broken file")
    assert after.text.startswith("Thanks: report #2"), "a closed report does not swallow new ones"


async def test_admin_list_filters_by_status_and_rejects_with_a_reason(rapp: App) -> None:
    await report(rapp, ALICE, "chrono trigger", "missing disc")
    second = await report(rapp, ALICE, "celeste", "wrong game/metadata")
    assert second.text.startswith("Thanks: report #2"), second.text
    a = ctx(rapp, ADMIN)
    reasons = await rapp.registry.act(a, "rep:2:reject")
    assert reasons.picker is not None
    done = await rapp.registry.act(a, reasons.picker.action, ["works"])
    assert "is rejected" in done.text
    assert (
        notifier(rapp)
        .dms_to("201")[-1]
        .text.endswith("was rejected. Reason: The game works here; try downloading it again.")
    )
    listed = await rapp.registry.run(a, "reports", {})
    assert listed.cards[0].title == "Problem reports: open"
    assert "#1 🆕 open — Chrono Trigger" in listed.cards[0].text
    assert "Celeste" not in listed.cards[0].text
    rejected = await rapp.registry.run(a, "reports", {"status": "rejected"})
    assert "#2 ❌ rejected — Celeste" in rejected.cards[0].text
    everything = await rapp.registry.run(a, "reports", {"status": "all"})
    assert everything.cards[0].footer.startswith("2 in all")
    view = await rapp.registry.act(a, everything.picker.action, ["1"])  # type: ignore[union-attr]
    assert view.cards[0].title.startswith("Report #1 Chrono Trigger")
    assert [b.label for b in view.buttons] == ["Acknowledge", "Resolve", "Reject"]
    none = await rapp.registry.run(a, "reports", {"status": "resolved"})
    assert none.text == "No problem reports (resolved)."


async def test_buttons_keep_working_after_a_restart(make_app: AppMaker) -> None:
    first = await make_app()
    await report(first, ALICE, "chrono trigger", "broken file")
    buttons = [b.action for b in notifier(first).admin[-1].buttons]
    offer = await report(first, BOB, "chrono trigger", "broken file", "freezes too")
    await first.close()

    second = await make_app()  # the bot restarted; old messages' buttons are pressed
    joined = await second.registry.act(ctx(second, BOB), offer.buttons[0].action)
    assert "you have this problem too" in joined.text
    a = ctx(second, ADMIN)
    assert "is acknowledged" in (await second.registry.act(a, buttons[0])).text
    notes = await second.registry.act(a, buttons[1])
    assert notes.picker is not None
    done = await second.registry.act(a, notes.picker.action, ["replaced"])
    assert "is resolved. 2 person(s) were told" in done.text
    for user in ("201", "202"):
        assert (
            notifier(second)
            .dms_to(user)[-1]
            .text.endswith("is resolved. Note: The file was replaced with a good copy.")
        )
    history = [(e.kind, e.text) for e in (await reports(second).thread(1))[0]]
    assert ("me_too", "freezes too") in history
