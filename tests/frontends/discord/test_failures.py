"""Every interaction is answered within Discord's 3 seconds, and a failure ends in a short
private sentence, never "The application did not respond".

The fake refuses a first callback later than Discord's 3 s (10062, as Discord does), so a
reply that arrived at all was in time: the tests check what it was, not how long it took."""

from __future__ import annotations

from tests.frontends.discord.conftest import Harness, Running, final

NOT_ANSWERING = "RomM is not answering; try again in a minute."


async def answered(harness: Harness, **options: str) -> str:
    fd = harness.fd
    rec = await fd.slash(fd.owner.id, "search", dict(options))
    message = await final(rec)
    assert rec.reply is not None  # the first callback came within Discord's deadline
    assert message.ephemeral
    return message.content


async def test_romm_down_gets_the_short_message_within_3_seconds(
    harness: Harness, bot: Running
) -> None:
    await harness.sim.stop()  # RomM is gone: connections are refused
    text = await answered(harness, platform="Nintendo 64", game="mario")
    assert text == NOT_ANSWERING


async def test_slow_romm_is_deferred_first_and_then_answered(harness: Harness) -> None:
    fd = harness.fd
    await harness.start(api_timeout=1.0)
    harness.sim.faults.hang = True  # RomM accepts and never answers within the 1 s timeout
    rec = await fd.slash(fd.owner.id, "search", {"platform": "Nintendo 64", "game": "mario"})
    first = await rec.wait_reply()
    assert first.type == 5  # "thinking…": deferred (the fake refuses it after Discord's 3 s)
    message = await final(rec)
    assert message.ephemeral and not message.loading
    assert message.content == "RomM took too long to answer; try again in a minute."
    harness.sim.faults.hang = False


async def test_a_fast_command_is_answered_in_one_step(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    bot.bot.responder.defer_after = 2.5  # force the one-step path, however busy the machine
    rec = await fd.slash(fd.owner.id, "stats")
    reply = await rec.wait_reply()
    assert reply.type == 4
    assert rec.original_edits == 0 and rec.followup_ids == []


async def test_a_slow_private_answer_never_shows_publicly(harness: Harness) -> None:
    """Deferred publicly (the command usually answers publicly) but the answer is private:
    the public "thinking…" message goes away and the answer comes ephemerally."""
    fd = harness.fd
    run = await harness.start()
    run.bot.responder.defer_after = 0.0  # force the defer path
    harness.sim.faults.latency = 0.05
    rec = await fd.slash(fd.owner.id, "search", {"platform": "Nintendo 64", "game": "zzz"})
    first = await rec.wait_reply()
    assert first.type == 5 and not first.ephemeral
    message = await final(rec)
    assert message.ephemeral and message.content.startswith("No games matching 'zzz'")
    original = fd.message(rec.original_id or 0)
    assert original is not None and original.deleted
    harness.sim.faults.latency = 0.0
