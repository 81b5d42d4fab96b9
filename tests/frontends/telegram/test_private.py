"""Private answers: to the person's private chat; a deep link when they never started the bot."""

from __future__ import annotations

import re

from tests.frontends.telegram.conftest import GROUP, MEMBER, STRANGER, Harness, Running


async def test_a_person_who_never_started_the_bot_gets_a_deep_link_that_delivers(
    harness: Harness, bot: Running
) -> None:
    tg = harness.tg
    tg.people[MEMBER].started = False
    (listing,) = await harness.ask(MEMBER, GROUP, "/search psx final fantasy")
    (notice,) = await harness.press(MEMBER, listing, "Final Fantasy VII", chat=GROUP)
    assert "that answer is private" in notice.text
    (link,) = [b for b in re.findall(r'href="([^"]+)"', notice.html)]
    assert link.startswith("https://t.me/RommTestBot?start=")
    token = link.split("start=", 1)[1]
    assert 1 <= len(token) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # Telegram's rule
    assert len(tg.in_chat(MEMBER)) == 0
    # Pressing the link opens the private chat and sends /start <token>.
    (card,) = await harness.ask(MEMBER, MEMBER, f"/start {token}")
    assert "Final Fantasy VII" in card.text
    # The link works once; afterwards /start is a plain greeting.
    (again,) = await harness.ask(MEMBER, MEMBER, f"/start {token}")
    assert "Final Fantasy VII" not in again.text


async def test_a_strangers_private_chat_gets_one_polite_refusal(
    harness: Harness, bot: Running
) -> None:
    tg = harness.tg
    (refusal,) = await harness.ask(STRANGER, STRANGER, "/search psx final fantasy")
    assert refusal.text.startswith("Sorry, I only talk to members")
    second = await tg.say(STRANGER, STRANGER, "/help")
    await tg.wait_for(lambda: tg.confirmed > second)  # received, and being answered
    await bot.bot.drain(5)
    assert len(tg.in_chat(STRANGER)) == 1


async def test_a_stranger_is_not_refused_again_after_a_restart(harness: Harness) -> None:
    tg = harness.tg
    first = await harness.start()
    (refusal,) = await harness.ask(STRANGER, STRANGER, "/help")
    assert refusal.text.startswith("Sorry, I only talk to members")
    await harness.stop(first)
    second = await harness.start()
    later = await tg.say(STRANGER, STRANGER, "/stats")
    await tg.wait_for(lambda: tg.confirmed > later)  # received, and being answered
    await second.bot.drain(5)
    assert len(tg.in_chat(STRANGER)) == 1


async def test_a_group_not_in_the_settings_is_ignored(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    other = -1009999
    tg.add_group(other, "Elsewhere", {MEMBER: "member"})
    await tg.say(MEMBER, other, "/stats")
    await harness.ask(MEMBER, MEMBER, "/stats")
    assert tg.in_chat(other) == []
