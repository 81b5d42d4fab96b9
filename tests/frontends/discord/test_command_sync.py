"""Command sync at the wire: the payload discord.py PUTs, checked against Discord's limits.

The meta-test walks the whole registry, so a command added later with a too-long description
or too many options fails here, not in production.
"""

from __future__ import annotations

from typing import Any

from romm_comm.app.root import build_registry
from romm_comm.core.commands import CommandSpec, OptionSpec, Registry
from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import Harness, Running

OPTION_TYPES = {"string": 3, "integer": 4, "boolean": 5}


def valid_name(name: str) -> bool:
    """Discord: ^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lower case where it exists."""
    return (
        1 <= len(name) <= 32
        and all(ch.isalnum() or ch in "-_" for ch in name)
        and name == name.lower()
    )


def limit_problems(cmd: dict[str, Any]) -> list[str]:
    """Everything in one command payload that Discord would refuse."""
    where = f"/{cmd.get('name')}"
    problems = []
    if not valid_name(str(cmd.get("name", ""))):
        problems.append(f"{where}: invalid name")
    if not 1 <= len(cmd.get("description", "")) <= 100:
        problems.append(f"{where}: description must be 1-100 characters")
    options = cmd.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options (max 25)")
    seen_optional = False
    total = len(cmd["name"]) + len(cmd.get("description", ""))
    for opt in options:
        name = str(opt.get("name", ""))
        total += len(name) + len(opt.get("description", ""))
        if not valid_name(name):
            problems.append(f"{where} {name}: invalid option name")
        if not 1 <= len(opt.get("description", "")) <= 100:
            problems.append(f"{where} {name}: option description must be 1-100 characters")
        if opt.get("required"):
            if seen_optional:
                problems.append(f"{where} {name}: required option after an optional one")
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            problems.append(f"{where} {name}: {len(choices)} choices (max 25)")
        if choices and opt.get("autocomplete"):
            problems.append(f"{where} {name}: choices and autocomplete together")
        for choice in choices:
            total += len(choice["name"]) + len(str(choice["value"]))
            if not 1 <= len(choice["name"]) <= 100 or len(str(choice["value"])) > 100:
                problems.append(f"{where} {name}: choice {choice['name']!r} too long")
        if "max_length" in opt and not 1 <= int(opt["max_length"]) <= 6000:
            problems.append(f"{where} {name}: max_length outside 1-6000")
    if total > 4000:
        problems.append(f"{where}: {total} characters in names/descriptions (max 4000)")
    return problems


def synced(fd: FakeDiscord) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in fd.commands.get(fd.guild.id, [])}


def sync_payloads(fd: FakeDiscord) -> list[dict[str, Any]]:
    puts = fd.calls("PUT", f"/applications/{fd.application_id}/guilds/{fd.guild.id}/commands")
    assert len(puts) == 1, f"expected one guild sync, got {puts}"
    payload = puts[0].json
    assert isinstance(payload, list)
    return payload


async def test_every_registry_command_is_synced_once_within_discords_limits(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    payload = sync_payloads(fd)
    registry = bot.app.registry
    assert sorted(c["name"] for c in payload) == sorted(registry.commands)
    assert fd.commands.get(None, []) == []  # guild commands only: they appear at once
    problems = [p for cmd in payload for p in limit_problems(cmd)]
    assert problems == []
    for cmd in payload:
        spec = registry.commands[cmd["name"]]
        assert cmd["description"] == spec.description
        check_options(spec, cmd.get("options") or [])


def check_options(spec: CommandSpec, options: list[dict[str, Any]]) -> None:
    by_name = {o["name"]: o for o in options}
    assert set(by_name) == {o.name for o in spec.options}
    for opt in spec.options:
        sent = by_name[opt.name]
        assert sent["type"] == OPTION_TYPES[opt.type], opt.name
        assert bool(sent.get("required")) == opt.required, opt.name
        assert bool(sent.get("autocomplete")) == (opt.autocomplete is not None), opt.name
        if opt.max_length is not None and opt.type == "string":
            assert sent["max_length"] == opt.max_length
        assert [c["value"] for c in sent.get("choices") or []] == list(opt.choices)


async def test_admin_commands_are_hidden_from_members_by_default(
    harness: Harness, bot: Running
) -> None:
    commands = synced(harness.fd)
    for name, spec in bot.app.registry.commands.items():
        perms = commands[name].get("default_member_permissions")
        if spec.admin:
            assert perms is not None and int(perms) & 8, f"/{name} is visible to members"
        else:
            assert perms is None, f"/{name} is hidden from members"
    assert any(spec.admin for spec in bot.app.registry.commands.values())


def test_the_limit_checker_catches_what_discord_refuses() -> None:
    """The meta-test's checker itself can fail (a test that cannot fail is a defect)."""
    bad = {
        "name": "Bad Name",
        "description": "x" * 101,
        "options": [
            {"name": "opt", "description": "", "type": 3, "required": False},
            {"name": "req", "description": "d", "type": 3, "required": True},
            {
                "name": "many",
                "description": "d",
                "type": 3,
                "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
            },
        ],
    }
    problems = " | ".join(limit_problems(bad))
    for expected in (
        "invalid name",
        "description must be",
        "required option after",
        "26 choices",
        "option description",
    ):
        assert expected in problems


def test_an_invalid_declaration_fails_when_commands_are_built() -> None:
    """discord.py validates names/descriptions as the commands are built (at start)."""
    import pytest

    from romm_comm.core.cards import Reply
    from romm_comm.frontends.discord.registration import build_commands

    async def handler(ctx: Any, args: dict[str, Any]) -> Reply:
        return Reply()

    registry = Registry()
    registry.command("Has Spaces", "d", OptionSpec("x", "d"))(handler)

    async def run(*_: Any) -> None: ...

    async def complete(*_: Any) -> list[Any]:
        return []

    with pytest.raises(ValueError):
        build_commands(registry, run, complete)
    assert build_commands(build_registry(), run, complete)  # the real registry builds
