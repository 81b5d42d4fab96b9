"""Walks the registry at the wire: every command, typed with example options, gets an answer
in Telegram that is not a crash and that Telegram accepts. A command added later is covered
automatically."""

from __future__ import annotations

from typing import Any

from romm_comm.core.commands import OptionSpec
from tests.frontends.telegram.conftest import ADMIN, Harness, Running

EXAMPLES = {"platform": "Nintendo 64", "game": "mario"}
CRASH = "Something went wrong on the bot's side"


def example(opt: OptionSpec) -> Any:
    if opt.choices:
        return opt.choices[0]
    if opt.type == "integer":
        return opt.min_value if opt.min_value is not None else 1
    if opt.type == "boolean":
        return "yes"
    return EXAMPLES.get(opt.name, "x")


async def test_every_command_answers_with_all_its_options(harness: Harness, bot: Running) -> None:
    registry = bot.app.registry
    assert len(registry.commands) >= 7
    for name, spec in registry.commands.items():
        for options in (
            {o.name: example(o) for o in spec.options if o.required},
            {o.name: example(o) for o in spec.options},
        ):
            line = f"/{name} " + " ".join(f'{k}:"{v}"' for k, v in options.items())
            (reply,) = await harness.ask(ADMIN, ADMIN, line)
            shown = reply.text
            assert shown.strip(), f"{line}: empty answer"
            assert CRASH not in shown, f"{line} crashed"
            assert "has no option" not in shown and " needs " not in shown, (line, shown)
