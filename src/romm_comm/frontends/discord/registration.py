"""The command registry → discord.py application commands.

Every CommandSpec becomes one slash command with typed options (string/integer/boolean,
lengths and ranges, fixed choices), autocomplete where the spec names a completer, and
`default_member_permissions` for admin commands so members do not even see them (the
registry checks admin rights again at run time). discord.py builds the payload and validates
names and descriptions itself, so an invalid declaration fails at start, not in Discord.

The callback is made per command with an explicit signature, because discord.py reads
options from the callback's parameters. Parameters get neutral Python names (`o0`, `o1`, …)
renamed to the spec's option names, so any valid Discord option name works.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from ...core.commands import CommandSpec, OptionSpec, Registry
from .render import clip

RunCommand = Callable[[discord.Interaction, CommandSpec, dict[str, Any]], Awaitable[None]]
Complete = Callable[
    [discord.Interaction, CommandSpec, OptionSpec, str], Awaitable[list[app_commands.Choice[str]]]
]
AutocompleteCallback = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]

# Admin commands are hidden from everyone without this permission; server admins can widen
# that in Server DiscordConfig → Integrations (e.g. for ADMIN_ROLE_IDS roles).
ADMIN_PERMISSIONS = discord.Permissions(administrator=True)


def build_commands(
    registry: Registry, run: RunCommand, complete: Complete
) -> list[app_commands.Command[Any, ..., None]]:
    return [build_command(spec, run, complete) for spec in registry.commands.values()]


def build_command(
    spec: CommandSpec, run: RunCommand, complete: Complete
) -> app_commands.Command[Any, ..., None]:
    ordered = sorted(spec.options, key=lambda o: not o.required)  # Discord: required first
    names = {f"o{i}": opt.name for i, opt in enumerate(ordered)}

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        raw = {names[key]: value for key, value in values.items() if value is not None}
        await run(interaction, spec, raw)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    autocompletes: dict[str, AutocompleteCallback] = {}
    for key, opt in zip(names, ordered, strict=True):
        parameters.append(
            inspect.Parameter(
                key,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(opt),
                default=inspect.Parameter.empty if opt.required else None,
            )
        )
        descriptions[key] = clip(opt.description, 100) or opt.name
        if opt.choices:
            choices[key] = [app_commands.Choice(name=c, value=c) for c in opt.choices[:25]]
        elif opt.autocomplete is not None and opt.type == "string":
            autocompletes[key] = _autocomplete(spec, opt, complete)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = f"command_{spec.name}"

    decorated: Any = callback
    if names:
        decorated = app_commands.rename(**names)(decorated)
        decorated = app_commands.describe(**descriptions)(decorated)
    if choices:
        decorated = app_commands.choices(**choices)(decorated)
    if autocompletes:
        decorated = app_commands.autocomplete(**autocompletes)(decorated)
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=spec.name,
        description=clip(spec.description, 100) or spec.name,
        callback=decorated,
    )
    if spec.admin:
        command.default_permissions = ADMIN_PERMISSIONS
    command.guild_only = True
    return command


def _annotation(opt: OptionSpec) -> Any:
    if opt.type == "boolean":
        return bool
    if opt.type == "integer":
        if opt.min_value is None and opt.max_value is None:
            return int
        return app_commands.Range[int, opt.min_value, opt.max_value]
    if opt.max_length is not None and not opt.choices:
        return app_commands.Range[str, None, min(opt.max_length, 6000)]
    return str


def _autocomplete(spec: CommandSpec, opt: OptionSpec, complete: Complete) -> AutocompleteCallback:
    async def autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await complete(interaction, spec, opt, current)

    autocomplete.__qualname__ = autocomplete.__name__ = f"complete_{spec.name}_{opt.name}"
    return autocomplete
