"""Walks the registry at the wire: every command, typed with example options, gets an answer
in Telegram that is not a crash and that Telegram accepts. A command added later is covered
automatically."""

from __future__ import annotations

from tests.frontends.telegram.conftest import ADMIN, Harness, Running
from tests.helpers.command_examples import every_call

CRASH = "Something went wrong on the bot's side"


async def test_every_command_answers_with_all_its_options(harness: Harness, bot: Running) -> None:
    for name, options in every_call(bot.app.registry):
        line = f"/{name} " + " ".join(f'{k}:"{v}"' for k, v in options.items())
        (reply,) = await harness.ask(ADMIN, ADMIN, line)
        shown = reply.text
        assert shown.strip(), f"{line}: empty answer"
        assert CRASH not in shown, f"{line} crashed"
        assert "has no option" not in shown and " needs " not in shown, (line, shown)
