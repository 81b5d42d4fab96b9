"""Browsing commands: /stats /platforms /refresh /search /random /firmware /help."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core.cards import Card, Choice, Field, Reply
from ...core.commands import CommandGroup, CommandSpec, OptionSpec
from ...romm.models import Platform
from ..context import Context
from .cards import (
    files_reply,
    firmware_reply,
    platforms_reply,
    rom_reply,
    search_reply,
    stale_notice,
    stats_reply,
    unknown_platform_reply,
)
from .catalog import MAX_TERM_LENGTH, UnknownPlatform

PLATFORM = OptionSpec(
    "platform",
    "Platform (name as shown in RomM)",
    required=True,
    autocomplete="platform",
    max_length=100,
)
GAME = OptionSpec("game", "Words from the game's name", required=True, max_length=MAX_TERM_LENGTH)


EVERY_PLATFORM = frozenset({"", "all", "any", "*"})

group = CommandGroup("library")


@group.completer("platform")
async def complete_platform(ctx: Context, partial: str) -> list[Choice]:
    catalog = ctx.services.catalog
    return [
        Choice(
            label=f"{p.display_name} ({p.rom_count:,})",
            value=p.display_name,
            emoji=ctx.services.emoji(p.slug) or None,
        )
        for p in catalog.complete_platforms(partial, admin=ctx.caller.is_admin)
    ]


@group.command(
    "help",
    "What RomM-ComM can do",
    OptionSpec("command", "One command to explain (search, scan…)", max_length=40),
)
async def help(ctx: Context, args: dict[str, Any]) -> Reply:
    assert ctx.registry is not None, "set by the registry that runs the command"
    visible = ctx.registry.visible_to(ctx.caller)
    wanted = str(args.get("command") or "").strip().lstrip("/").lower()
    if wanted:
        spec = next((c for c in visible if c.name == wanted), None)
        if spec is None:
            return Reply.error(ctx.registry.unknown_command(wanted, ctx.caller))
        return _command_help(spec)
    lines = [_synopsis(spec) for spec in sorted(visible, key=lambda c: c.name)]
    return Reply(cards=(Card("RomM-ComM commands", text="\n".join(lines)),), private=True)


def _synopsis(spec: CommandSpec) -> str:
    opts = " ".join(f"{o.name}:…" if o.required else f"[{o.name}:…]" for o in spec.options)
    admin = " (admin)" if spec.admin else ""
    return f"/{spec.name} {opts}".rstrip() + f" — {spec.description}{admin}"


def _command_help(spec: CommandSpec) -> Reply:
    fields = tuple(
        Field(
            f"{o.name}" + ("" if o.required else " (optional)"),
            o.description + (f" — one of: {', '.join(o.choices)}" if o.choices else ""),
            False,
        )
        for o in spec.options
    )
    text = _synopsis(spec) + (f"\n{spec.usage}" if spec.usage else "")
    return Reply(cards=(Card(f"/{spec.name}", text=text, fields=fields),), private=True)


@group.command("stats", "Library statistics: platforms, ROMs, saves, storage…")
async def stats(ctx: Context, args: dict[str, Any]) -> Reply:
    current = ctx.services.stats.current or (await ctx.services.stats.refresh()).stats
    return stats_reply(current)


@group.command("refresh", "Fetch fresh numbers from RomM now", admin=True)
async def refresh(ctx: Context, args: dict[str, Any]) -> Reply:
    previous = ctx.services.stats.current
    result = await ctx.services.stats.refresh(asked=True)
    await ctx.services.catalog.load_hidden()
    new = result.stats.numbers()
    old = result.unreported or (previous.numbers() if previous is not None else {})
    changed = sorted(k for k, v in new.items() if k in old and old[k] != v)
    if result.first or previous is None:
        summary = "Refreshed."
    elif not changed:
        summary = "Refreshed: nothing changed."
    else:
        parts = [f"{k} {old.get(k)} → {new[k]}" for k in changed]
        since = " since the last /refresh" if result.unreported else ""
        summary = "Refreshed" + since + ": " + ", ".join(parts) + "."
    reply = stats_reply(result.stats)
    return Reply(text=summary, cards=reply.cards, private=True)


@group.command("platforms", "Platforms in the library with their ROM counts")
async def platforms(ctx: Context, args: dict[str, Any]) -> Reply:
    return await _platforms_page(ctx, 1)


@group.action("platforms")
async def platforms_page(ctx: Context, args: list[str], values: list[str]) -> Reply:
    return await _platforms_page(ctx, _int(args, 0, 1))


async def _platforms_page(ctx: Context, page: int) -> Reply:
    listed, stale_since = await ctx.services.catalog.current_platforms(admin=ctx.caller.is_admin)
    reply = platforms_reply(listed, page, ctx.services.emoji)
    if stale_since is None:
        return reply
    return replace(reply, text=stale_notice(stale_since))


@group.command(
    "search",
    "Search the library (or one platform) for a game",
    GAME,
    OptionSpec(
        "platform", "Platform (leave out to search every platform)",
        autocomplete="platform", max_length=100,
    ),
    usage='/search platform:"Nintendo 64" game:mario  (or /search n64 mario, /search mario)',
)  # fmt: skip
async def search(ctx: Context, args: dict[str, Any]) -> Reply:
    platform: Platform | None = None
    if "platform" not in args:
        platform, args = _leading_platform(ctx, args)
    elif args["platform"].strip().casefold() not in EVERY_PLATFORM:
        found = await _platform(ctx, args["platform"])
        if isinstance(found, Reply):
            return found
        platform = found
    catalog = ctx.services.catalog
    result = await catalog.search(args["game"], platform, admin=ctx.caller.is_admin)
    if len(result.page.items) == 1:
        return await _rom_card(ctx, result.page.items[0].id)
    return search_reply(result, ctx.services.emoji, requests=ctx.services.requests is not None)


def _leading_platform(ctx: Context, args: dict[str, Any]) -> tuple[Platform | None, dict[str, Any]]:
    """`/search n64 mario`: a first word that names a platform exactly (its slug or its
    one-word name) is the platform; otherwise every platform is searched."""
    first, _, rest = str(args["game"]).partition(" ")
    if not rest.strip():
        return None, args
    catalog = ctx.services.catalog
    word = first.casefold()
    for p in catalog.visible(catalog.platforms, admin=ctx.caller.is_admin):
        if word in {p.slug.casefold(), p.fs_slug.casefold(), p.display_name.casefold()}:
            return p, {**args, "game": rest.strip()}
    return None, args


@group.action("rom")
async def rom_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rom_id = _int(values or args, 0, None)
    if rom_id is None:
        return Reply.error("Pick a game from the list.")
    return await _rom_card(ctx, rom_id)


@group.action("files")
async def files_action(ctx: Context, args: list[str], values: list[str]) -> Reply:
    rom_id = _int(args, 0, None)
    try:
        file_ids = [int(v) for v in values]
    except ValueError:
        return Reply.error("Pick files from the list.")
    if rom_id is None or not file_ids:
        return Reply.error("Pick at least one file.")
    rom = await ctx.services.catalog.rom(rom_id, admin=ctx.caller.is_admin)
    return files_reply(rom, file_ids, await ctx.services.downloads.for_caller(ctx.caller))


@group.command(
    "random",
    "A random game, from one platform or the whole library",
    OptionSpec(
        "platform", "Platform (leave empty for any)", autocomplete="platform", max_length=100
    ),
)
async def random(ctx: Context, args: dict[str, Any]) -> Reply:
    platform: Platform | None = None
    if "platform" in args:
        found = await _platform(ctx, args["platform"])
        if isinstance(found, Reply):
            return found
        platform = found
    rom = await ctx.services.catalog.random(platform, admin=ctx.caller.is_admin)
    if rom is None:
        where = f" on {platform.display_name}" if platform else ""
        return Reply.notice(f"There are no games{where} to pick from.", private=True)
    return await _present_rom(ctx, rom)


@group.command("firmware", "Firmware (BIOS) files of a platform, with hashes", PLATFORM)
async def firmware(ctx: Context, args: dict[str, Any]) -> Reply:
    platform = await _platform(ctx, args["platform"])
    if isinstance(platform, Reply):
        return platform
    files = await ctx.services.catalog.firmware(platform)
    downloads = await ctx.services.downloads.for_caller(ctx.caller)
    return firmware_reply(platform, files, 1, downloads, ctx.services.emoji)


@group.action("fw")
async def firmware_page(ctx: Context, args: list[str], values: list[str]) -> Reply:
    platform_id, page = _int(args, 0, None), _int(args, 1, 1)
    platform = next(
        (
            p
            for p in await ctx.services.catalog.ensure_platforms(admin=ctx.caller.is_admin)
            if p.id == platform_id
        ),
        None,
    )
    if platform is None:
        return Reply.error("That platform is no longer in the library.")
    files = await ctx.services.catalog.firmware(platform)
    downloads = await ctx.services.downloads.for_caller(ctx.caller)
    return firmware_reply(platform, files, page, downloads, ctx.services.emoji)


async def _platform(ctx: Context, query: str) -> Platform | Reply:
    try:
        return await ctx.services.catalog.resolve_platform(query, admin=ctx.caller.is_admin)
    except UnknownPlatform as exc:
        return unknown_platform_reply(exc, ctx.services.emoji)


async def _rom_card(ctx: Context, rom_id: int) -> Reply:
    rom = await ctx.services.catalog.rom(rom_id, admin=ctx.caller.is_admin)
    return await _present_rom(ctx, rom)


async def _present_rom(ctx: Context, rom: Any) -> Reply:
    info = ctx.services.client.heartbeat_info
    disabled = bool(info and info.emulator_js_disabled)
    downloads = await ctx.services.downloads.for_caller(ctx.caller)
    return rom_reply(
        rom, ctx.services.links, downloads, ctx.services.emoji, emulator_disabled=disabled
    )


def _int(items: list[str], index: int, default: int | None) -> Any:
    try:
        return int(items[index])
    except (IndexError, ValueError):
        return default
