"""Platform emojis already in the server: an emoji named like a platform's slug or folder
name (`n64`, `psx`, `genesis_slash_megadrive`) is shown next to that platform's name.
Uploading icons from RomM is the emoji feature's job; this only uses what is there."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from ...romm.models import Platform


def emoji_name(slug: str) -> str:
    return slug.strip().lower().replace("-", "_")


def match_platform_emojis(
    emojis: Iterable[discord.Emoji], platforms: Iterable[Platform]
) -> dict[str, str]:
    by_name = {e.name.lower(): e for e in emojis if e.available}
    found: dict[str, str] = {}
    for platform in platforms:
        for slug in (platform.slug, platform.fs_slug):
            emoji = by_name.get(emoji_name(slug)) if slug else None
            if emoji is not None:
                found[platform.slug] = str(emoji)
                break
    return found
