"""The admins' log channel (LOG_CHANNEL_ID, the earlier bot's CHANNEL_ID).

Refresh results go there when SHOW_API_SUCCESS is on (only when a number changed, so an
hourly refresh with nothing new stays silent); RomM going away and coming back, and
start-up problems, go there whenever the channel is set.
"""

from __future__ import annotations

import logging

import discord

from ...core.format import human_size
from ...features.library.stats import Refresh

log = logging.getLogger(__name__)

LABELS = {
    "platforms": "platforms",
    "roms": "ROMs",
    "saves": "saves",
    "states": "states",
    "screenshots": "screenshots",
    "storage_bytes": "storage",
    "users": "users",
}


def refresh_text(result: Refresh, previous: dict[str, int | None] | None) -> str:
    new = result.stats.numbers()
    if result.first or previous is None:
        parts = [f"{LABELS[k]} {_shown(k, v)}" for k, v in new.items() if v is not None]
        return "RomM refreshed: " + ", ".join(parts) + "."
    parts = [_change(k, previous.get(k), new[k]) for k in sorted(result.changed, key=_order)]
    return "RomM refreshed: " + ", ".join(parts) + "."


def _order(key: str) -> int:
    return list(LABELS).index(key) if key in LABELS else len(LABELS)


def _change(key: str, old: int | None, new: int | None) -> str:
    label = LABELS.get(key, key)
    if key == "storage_bytes" and old is not None and new is not None:
        sign = "+" if new >= old else "-"
        return f"{label} {_shown(key, new)} ({sign}{human_size(abs(new - old))})"
    return f"{label} {_shown(key, old)} → {_shown(key, new)}"


def _shown(key: str, value: int | None) -> str:
    if value is None:
        return "n/a"
    return human_size(value) if key == "storage_bytes" else f"{value:,}"


class LogChannel:
    def __init__(self, client: discord.Client, channel_id: int | None) -> None:
        self.client = client
        self.channel_id = channel_id
        self.sent = 0
        self._warned = False

    async def post(self, text: str) -> None:
        if self.channel_id is None:
            return
        channel = self.client.get_channel(self.channel_id)
        try:
            if channel is None:
                channel = await self.client.fetch_channel(self.channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                raise TypeError("not a text channel")
            await channel.send(text[:2000])
            self.sent += 1
        except (discord.HTTPException, TypeError) as exc:
            if not self._warned:
                log.warning("log channel %s is not usable: %s", self.channel_id, exc)
                self._warned = True
