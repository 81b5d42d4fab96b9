"""In a private chat, picks can be typed: `2`, `1,3`, `all` answer the last list, `b1` presses."""

from __future__ import annotations

from tests.frontends.telegram.conftest import GROUP, MEMBER, OWNER, Harness, Running


async def test_a_number_answers_the_last_list_even_after_a_restart(harness: Harness) -> None:
    first = await harness.start()
    (listing,) = await harness.ask(OWNER, OWNER, "/search psx final fantasy")
    labels = [b["text"] for b in listing.buttons()]
    await harness.stop(first)
    await harness.start()
    (card,) = await harness.ask(OWNER, OWNER, str(labels.index("Final Fantasy VII") + 1))
    assert "Final Fantasy VII" in card.text
    # the game's files are the list now: discs 1 and 2 (a .bin and a .cue each) as one zip
    (chosen,) = await harness.ask(OWNER, OWNER, "1,2")
    assert chosen.text.startswith("Final Fantasy VII: 4 files as one zip")
    assert "(Disc 2)" in chosen.text and "(Disc 3)" not in chosen.text


async def test_b1_presses_the_first_button_like_the_keyboard_does(
    harness: Harness, bot: Running
) -> None:
    (missing,) = await harness.ask(OWNER, OWNER, "/search psx zzzz")
    assert [b["text"] for b in missing.buttons()] == ["Request it"]
    (typed,) = await harness.ask(OWNER, OWNER, "b1")
    (other,) = await harness.ask(MEMBER, MEMBER, "/search psx zzzz")
    (pressed,) = await harness.press(MEMBER, other, "Request it")
    assert typed.text == pressed.text and not typed.text.startswith("⚠️")
    assert [b["text"] for b in typed.buttons()] == [b["text"] for b in pressed.buttons()]


async def test_a_number_with_no_list_says_how_to_get_one(harness: Harness, bot: Running) -> None:
    (answer,) = await harness.ask(OWNER, OWNER, "2")
    assert "There is no list to choose from right now" in answer.text


async def test_numbers_typed_in_a_group_are_left_alone(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    await harness.ask(OWNER, GROUP, "/search psx final fantasy")
    typed = await tg.say(OWNER, GROUP, "1")
    await tg.wait_for(lambda: tg.confirmed > typed)
    await bot.bot.drain(5)
    assert len(tg.in_chat(GROUP)) == 1
    assert tg.in_chat(OWNER) == []
