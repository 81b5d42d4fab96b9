"""The command registry: validation, admin checks at run time, failures as one sentence."""

from __future__ import annotations

from typing import Any, cast

import pytest

from romm_comm.app.root import build_registry
from romm_comm.core.cards import Choice, Reply
from romm_comm.core.commands import Caller, CommandGroup, OptionSpec, Registry
from romm_comm.features.context import Context
from romm_comm.romm.errors import RommTimeout

MEMBER = Caller(id="1", name="member", front_end="test")
ADMIN = Caller(id="2", name="admin", front_end="test", is_admin=True)
NO_SERVICES = cast(Any, None)


def _registry() -> Registry:
    registry = Registry()

    @registry.command(
        "echo",
        "Echo",
        OptionSpec("text", "Text", required=True, max_length=10),
        OptionSpec("times", "How often", type="integer", min_value=1, max_value=3),
        OptionSpec("loud", "Shout", type="boolean"),
    )
    async def echo(ctx: Context, args: dict[str, Any]) -> Reply:
        text = args["text"].upper() if args.get("loud") else args["text"]
        return Reply(text=" ".join([text] * args.get("times", 1)))

    @registry.command("wipe", "Admin thing", admin=True)
    async def wipe(ctx: Context, args: dict[str, Any]) -> Reply:
        return Reply(text="wiped")

    @registry.command("slow", "RomM times out")
    async def slow(ctx: Context, args: dict[str, Any]) -> Reply:
        raise RommTimeout("GET /api/roms timed out")

    @registry.command("bug", "A bug")
    async def bug(ctx: Context, args: dict[str, Any]) -> Reply:
        raise KeyError("internal detail")

    return registry


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"text": "hi"}, "hi"),
        ({"text": "hi", "times": "2"}, "hi hi"),
        ({"text": "hi", "loud": "yes"}, "HI"),
        ({"text": "  hi  "}, "hi"),
    ],
)
async def test_valid_input_reaches_the_handler(raw: dict[str, Any], expected: str) -> None:
    reply = await _registry().run(Context(MEMBER, NO_SERVICES), "echo", raw)
    assert reply.text == expected and reply.tone == "info"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "/echo needs text"),
        ({"text": "   "}, "/echo needs text"),
        ({"text": "x" * 11}, "text is too long (11 characters; at most 10)"),
        ({"text": "hi", "times": "many"}, "times must be a whole number"),
        ({"text": "hi", "times": "9"}, "times must be at most 3"),
        ({"text": "hi", "loud": "perhaps"}, "loud must be yes or no"),
        ({"text": "hi", "colour": "red"}, "/echo has no option 'colour'"),
    ],
)
async def test_bad_input_gets_one_clear_sentence(raw: dict[str, Any], message: str) -> None:
    reply = await _registry().run(Context(MEMBER, NO_SERVICES), "echo", raw)
    assert reply.tone == "error" and reply.private
    assert message in reply.text


async def test_admin_commands_are_checked_at_run_time() -> None:
    registry = _registry()
    denied = await registry.run(Context(MEMBER, NO_SERVICES), "wipe", {})
    assert denied.tone == "error" and "admins only" in denied.text
    allowed = await registry.run(Context(ADMIN, NO_SERVICES), "wipe", {})
    assert allowed.text == "wiped"
    assert "wipe" not in [c.name for c in registry.visible_to(MEMBER)]


async def test_romm_failures_and_bugs_end_in_a_short_message() -> None:
    registry = _registry()
    slow = await registry.run(Context(MEMBER, NO_SERVICES), "slow", {})
    assert slow.text == "RomM took too long to answer; try again in a minute."
    bug = await registry.run(Context(MEMBER, NO_SERVICES), "bug", {})
    assert bug.tone == "error" and "internal detail" not in bug.text
    unknown = await registry.run(Context(MEMBER, NO_SERVICES), "nope", {})
    assert "Unknown command /nope" in unknown.text


async def test_unknown_actions_explain_themselves() -> None:
    reply = await _registry().act(Context(MEMBER, NO_SERVICES), "gone:1", [])
    assert reply.tone == "error" and "no longer available" in reply.text


def test_the_real_registry_declares_the_browsing_commands() -> None:
    registry = build_registry()
    assert {"help", "stats", "platforms", "refresh", "search", "random", "firmware"} <= set(
        registry.commands
    )
    assert registry.commands["refresh"].admin
    search = registry.commands["search"]
    assert [o.name for o in search.options] == ["game", "platform"]  # required ones first
    assert search.options[1].autocomplete == "platform"
    for spec in registry.commands.values():
        seen_optional = False
        for opt in spec.options:
            assert not (opt.required and seen_optional), f"/{spec.name}: required after optional"
            seen_optional = seen_optional or not opt.required


def test_a_clash_between_features_is_refused_at_start() -> None:
    first, second = CommandGroup("first"), CommandGroup("second")

    @first.action("page")
    @second.action("page")
    async def page(ctx: Context, args: list[str], values: list[str]) -> Reply:
        return Reply(text="page")

    @first.completer("platform")
    @second.completer("platform")
    async def platform(ctx: Context, partial: str) -> list[Choice]:
        return []

    registry = Registry()
    registry.include(first)
    with pytest.raises(ValueError, match="action prefix 'page' declared twice"):
        registry.include(second)
    with pytest.raises(ValueError, match="completer 'platform' declared twice"):
        registry.completer("platform")(platform)
    with pytest.raises(ValueError, match="command /echo declared twice"):
        _registry().command("echo", "Again")(_registry().commands["echo"].handler)


def test_the_real_registry_declares_no_action_or_completer_twice() -> None:
    registry = build_registry()  # it would raise ValueError on a clash
    assert {"platform"} <= set(registry.completers)
    assert {"platforms", "rom", "files", "fw"} <= set(registry.actions)


def test_every_handler_is_a_module_level_function_a_traceback_can_name() -> None:
    registry = build_registry()
    handlers = [spec.handler for spec in registry.commands.values()]
    handlers += [handler for handler, _admin, _personal in registry.actions.values()]
    handlers += list(registry.completers.values())
    for handler in handlers:
        assert "<locals>" not in handler.__qualname__, handler.__qualname__
        assert handler.__module__.startswith("romm_comm.features."), handler.__module__
    search = registry.commands["search"].handler
    assert f"{search.__module__}.{search.__qualname__}" == (
        "romm_comm.features.library.commands.search"
    )
