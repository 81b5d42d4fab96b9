"""Where the bot's platform emojis live: the application's own emojis (no server slot used,
usable by the bot everywhere) or the server's emoji slots (limited by its boost level).

Both answer the same questions for `emojis.py`: which emojis exist, how many slots the bot
may count on, and how to create or delete one.
"""

from __future__ import annotations

from typing import Protocol

import discord

APPLICATION_EMOJI_LIMIT = 2000
REASON = "RomM-ComM platform emoji"


class EmojiSpace(Protocol):
    kind: str  # "application" | "guild"
    guild_id: int | None  # the scope of the bot's records (None: the application)

    @property
    def limit(self) -> int: ...

    @property
    def reserve(self) -> int: ...

    def can_manage(self) -> bool: ...

    def counts(self, emoji: discord.Emoji) -> bool:
        """Does this emoji take one of the slots the bot's (static PNG) emojis use?"""
        ...

    async def present(self) -> list[discord.Emoji]: ...

    def cached(self) -> list[discord.Emoji] | None:
        """The emojis known without a REST call (None: unknown until `present`)."""
        ...

    async def create(self, name: str, png: bytes) -> discord.Emoji: ...

    async def delete(self, emoji: discord.Emoji) -> None: ...


class ApplicationEmojis:
    kind = "application"
    guild_id: int | None = None
    reserve = 0

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._known: dict[int, discord.Emoji] | None = None

    @property
    def limit(self) -> int:
        return APPLICATION_EMOJI_LIMIT

    def can_manage(self) -> bool:
        return True  # an application always manages its own emojis

    def counts(self, emoji: discord.Emoji) -> bool:
        return True  # one limit for all of them

    async def present(self) -> list[discord.Emoji]:
        emojis = await self.client.fetch_application_emojis()
        self._known = {e.id: e for e in emojis}
        return emojis

    def cached(self) -> list[discord.Emoji] | None:
        return None if self._known is None else list(self._known.values())

    async def create(self, name: str, png: bytes) -> discord.Emoji:
        emoji = await self.client.create_application_emoji(name=name, image=png)
        if self._known is not None:
            self._known[emoji.id] = emoji
        return emoji

    async def delete(self, emoji: discord.Emoji) -> None:
        try:
            await emoji.delete()
        finally:
            if self._known is not None:
                self._known.pop(emoji.id, None)


class GuildEmojis:
    kind = "guild"

    def __init__(self, guild: discord.Guild, reserve: int) -> None:
        self.guild = guild
        self.guild_id: int | None = guild.id
        self._reserve = reserve

    @property
    def limit(self) -> int:
        return self.guild.emoji_limit  # grows with the boost level

    @property
    def reserve(self) -> int:
        return self._reserve

    def can_manage(self) -> bool:
        return self.guild.me.guild_permissions.manage_expressions

    def counts(self, emoji: discord.Emoji) -> bool:
        return not emoji.animated  # animated emojis have slots of their own

    async def present(self) -> list[discord.Emoji]:
        # The cache is kept true by GUILD_EMOJIS_UPDATE; no REST call needed.
        return list(self.guild.emojis)

    def cached(self) -> list[discord.Emoji] | None:
        return list(self.guild.emojis)

    async def create(self, name: str, png: bytes) -> discord.Emoji:
        return await self.guild.create_custom_emoji(name=name, image=png, reason=REASON)

    async def delete(self, emoji: discord.Emoji) -> None:
        await emoji.delete(reason=REASON)
