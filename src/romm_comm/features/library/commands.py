"""Browsing commands: /stats /platforms /refresh /search /random /firmware /help."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core.cards import Card, Choice, Reply
from ...core.commands import CommandGroup, Context, OptionSpec
from ...romm.models import Platform
from ..downloads.commands import caller_links
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


@group.command("help", "What RomM-ComM can do")
async def help(ctx: Context, args: dict[str, Any]) -> Reply:
    assert ctx.registry is not None, "set by the registry that runs the command"
    lines = []
    for spec in sorted(ctx.registry.visible_to(ctx.caller), key=lambda c: c.name):
        opts = " ".join(f"{o.name}:…" if o.required else f"[{o.name}:…]" for o in spec.options)
        admin = " (admin)" if spec.admin else ""
        lines.append(f"/{spec.name} {opts}".rstrip() + f" — {spec.description}{admin}")
    return Reply(cards=(Card("RomM-ComM commands", text="\n".join(lines)),), private=True)


@group.command("stats", "Library statistics: platforms, ROMs, saves, storage…")
async def stats(ctx: Context, args: dict[str, Any]) -> Reply:
    current = ctx.services.stats.current or (await ctx.services.stats.refresh()).stats
    return stats_reply(current)


@group.command("refresh", "Fetch fresh numbers from RomM now", admin=True)
async def refresh(ctx: Context, args: dict[str, Any]) -> Reply:
    previous = ctx.services.stats.current
    result = await ctx.services.stats.refresh()
    await ctx.services.catalog.load_hidden()
    if result.first or previous is None:
        summary = "Refreshed."
    elif not result.changed:
        summary = "Refreshed: nothing changed."
    else:
        old, new = previous.numbers(), result.stats.numbers()
        parts = [f"{k} {old.get(k)} → {new[k]}" for k in sorted(result.changed)]
        summary = "Refreshed: " + ", ".join(parts) + "."
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
    "Search a platform for a game",
    PLATFORM,
    GAME,
    usage='/search platform:"Nintendo 64" game:mario',
)
async def search(ctx: Context, args: dict[str, Any]) -> Reply:
    platform = await _platform(ctx, args["platform"])
    if isinstance(platform, Reply):
        return platform
    result = await ctx.services.catalog.search(args["game"], platform)
    if len(result.page.items) == 1:
        return await _rom_card(ctx, result.page.items[0].id)
    return search_reply(result, ctx.services.emoji)


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
    return files_reply(rom, file_ids, await caller_links(ctx))


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
    downloads = await caller_links(ctx)
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
    downloads = await caller_links(ctx)
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
    downloads = await caller_links(ctx)
    return rom_reply(
        rom, ctx.services.links, downloads, ctx.services.emoji, emulator_disabled=disabled
    )


def _int(items: list[str], index: int, default: int | None) -> Any:
    try:
        return int(items[index])
    except (IndexError, ValueError):
        return default
