"""A problem report's life on Discord through the real discord.py and the fake: the game
picked from the autocomplete, the admins' log notice with buttons, "me too", acknowledge,
resolve with a note, and both members told by DM."""

from __future__ import annotations

from tests.frontends.discord.conftest import Harness, buttons, final, selects


async def test_a_report_from_autocomplete_to_resolved_by_buttons(harness: Harness) -> None:
    fd = harness.fd
    log = fd.add_text_channel("romm-log")
    await harness.start(log_channel_id=log.id)
    alice = fd.add_member(name="alice")
    bob = fd.add_member(name="bob")

    choices = await fd.autocomplete(
        alice.user.id, "report", {"game": "chrono trig"}, focused="game"
    )
    assert [c["name"].split(" —")[0] for c in choices] == ["Chrono Trigger"]
    game = choices[0]["value"]
    sent = await final(
        await fd.slash(
            alice.user.id,
            "report",
            {"game": game, "problem": "broken file", "details": "crashes at the fair"},
        )
    )
    assert sent.ephemeral and sent.content.startswith("Thanks: report #1 Chrono Trigger")
    (notice,) = fd.messages(log.id)
    assert notice.embeds[0]["title"].startswith("New problem report #1 Chrono Trigger")
    assert [b["label"] for b in buttons(notice)] == ["Acknowledge", "Resolve", "Reject"]

    offer = await final(
        await fd.slash(
            bob.user.id, "report", {"game": game, "problem": "other", "details": "no sound"}
        )
    )
    assert offer.ephemeral and "alice already reported a problem" in offer.content
    (me_too,) = buttons(offer)
    joined = await final(await fd.click(bob.user.id, offer.id, me_too["custom_id"]))
    assert "you have this problem too" in joined.content

    denied = await final(await fd.click(bob.user.id, notice.id, "rep:1:ack"))
    assert denied.ephemeral and denied.content == "That is for admins only."
    acked = await final(await fd.click(fd.owner.id, notice.id, "rep:1:ack"))
    assert acked.ephemeral and "is acknowledged. 2 person(s) were told" in acked.content
    for member in (alice, bob):
        assert "was acknowledged" in fd.dm_messages(member.user.id)[-1].content
    notes = await final(await fd.click(fd.owner.id, notice.id, "rep:1:resolve"))
    (picker,) = selects(notes)
    done = await final(await fd.select(fd.owner.id, notes.id, picker["custom_id"], ["replaced"]))
    assert "is resolved" in done.content
    assert fd.dm_messages(alice.user.id)[-1].content.startswith("✅ Your problem report #1")
    assert fd.dm_messages(bob.user.id)[-1].content.endswith(
        "is resolved. Note: The file was replaced with a good copy."
    )
    mine = await final(await fd.slash(bob.user.id, "my_reports"))
    assert mine.ephemeral and "#1 ✅ resolved — Chrono Trigger" in mine.embeds[0]["description"]
