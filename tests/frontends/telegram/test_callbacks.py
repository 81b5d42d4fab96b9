"""callback_data stays within Telegram's 64 bytes for every action id the registry allows."""

from __future__ import annotations

from typing import Any

from romm_comm.core.cards import ACTION_ID_MAX, MAX_CHOICES, Button, Choice, Picker, Reply
from tests.frontends.telegram.conftest import OWNER, Harness, Running

LONGEST = "echo:" + "é" * (ACTION_ID_MAX - len("echo:"))  # 100 characters, 195 bytes


def add_echo(run: Running) -> list[tuple[list[str], list[str]]]:
    seen: list[tuple[list[str], list[str]]] = []

    async def echo(ctx: Any, args: list[str], values: list[str]) -> Reply:
        seen.append((args, values))
        return Reply.notice(f"echo {len(args[0]) if args else 0} {len(values)}")

    run.app.registry.add_action("echo", (echo, False, False))
    return seen


async def test_the_longest_action_id_as_a_button_and_a_pick(harness: Harness, bot: Running) -> None:
    seen = add_echo(bot)
    value = "v" * 100
    reply = Reply(
        text="Choose",
        picker=Picker(LONGEST, "Choose", (Choice("One", value), Choice("Two", "2"))),
        buttons=(Button("Press", LONGEST),),
    )
    waiting = harness.tg.wait_sent(OWNER)
    await bot.bot.send(OWNER, reply)
    (sent,) = await waiting
    assert all(len(b["callback_data"].encode()) <= 64 for b in sent.buttons())
    await harness.press(OWNER, sent, "Press")
    await harness.press(OWNER, sent, "One")
    assert seen == [([LONGEST[5:]], []), ([LONGEST[5:]], [value])]


async def test_a_full_multi_pick_of_long_values_after_a_restart(harness: Harness) -> None:
    first = await harness.start()
    values = [str(10**12 + n) for n in range(MAX_CHOICES)]
    choices = tuple(Choice(f"Disc {n}", v) for n, v in enumerate(values))
    reply = Reply(text="Files", picker=Picker(LONGEST, "Files", choices, 1, MAX_CHOICES))
    waiting = harness.tg.wait_sent(OWNER)
    await first.bot.send(OWNER, reply)
    (sent,) = await waiting
    tg = harness.tg
    for n in range(MAX_CHOICES):
        await tg.press(OWNER, sent, sent.button(f"Disc {n}")["callback_data"])
    await tg.wait_for(lambda: sent.button("Done")["text"] == f"Done ({MAX_CHOICES})")
    await harness.stop(first)
    second = await harness.start()
    seen = add_echo(second)
    (answer,) = await harness.press(OWNER, sent, "Done")
    assert answer.text == f"echo 95 {MAX_CHOICES}"
    assert seen == [([LONGEST[5:]], values)]


async def test_a_slow_answer_in_one_chat_does_not_hold_up_another(
    harness: Harness, bot: Running
) -> None:
    import asyncio

    from tests.frontends.telegram.conftest import MEMBER

    release = asyncio.Event()

    async def slow(ctx: Any, args: list[str], values: list[str]) -> Reply:
        await release.wait()
        return Reply.notice("slow done")

    bot.app.registry.add_action("slow", (slow, False, False))
    waiting = harness.tg.wait_sent(OWNER)
    await bot.bot.send(OWNER, Reply(text="Go", buttons=(Button("Go", "slow"),)))
    (sent,) = await waiting
    slow_reply = harness.tg.wait_sent(OWNER)
    await harness.tg.press(OWNER, sent, "slow")
    (other,) = await harness.ask(MEMBER, MEMBER, "/stats")  # answered while the first waits
    assert other.text.startswith("Library statistics")
    release.set()
    (done,) = await slow_reply
    assert done.text == "slow done"
