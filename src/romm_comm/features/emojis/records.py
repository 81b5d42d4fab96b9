"""The emojis the Discord bot uploaded itself (migration 4). Only these may ever be deleted
by the bot; every other emoji in a server or in the application belongs to someone else.

A scope is a guild id, or None for the application's own emojis.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ...store.db import Store
from .plan import OwnedEmoji


class EmojiRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def owned(self, guild_id: int | None) -> list[OwnedEmoji]:
        query = (
            "SELECT emoji_id, name, slug FROM discord_emojis WHERE guild_id IS ? "
            "ORDER BY created_at, emoji_id"
        )
        async with self.store.conn.execute(query, (guild_id,)) as cur:
            rows = await cur.fetchall()
        return [OwnedEmoji(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def add(self, guild_id: int | None, emoji: OwnedEmoji) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO discord_emojis(emoji_id, name, slug, guild_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (emoji.id, emoji.name, emoji.slug, guild_id, datetime.now(UTC).isoformat()),
            )

    async def remove(self, emoji_ids: list[int]) -> None:
        if not emoji_ids:
            return
        async with self.store.transaction() as conn:
            await conn.executemany(
                "DELETE FROM discord_emojis WHERE emoji_id = ?", [(i,) for i in emoji_ids]
            )
