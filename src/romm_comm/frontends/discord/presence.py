"""The bot's presence: "N games" while RomM answers, a clear warning while it does not.

Presence goes over the gateway (no REST call) and is sent only when it would change.
"""

from __future__ import annotations

import discord

UNREACHABLE = "⚠ RomM is unreachable"


def games_text(roms: int) -> str:
    return f"{roms:,} game" + ("" if roms == 1 else "s")


class Presence:
    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.shown: tuple[str, str] | None = None
        self.updates = 0

    async def games(self, roms: int) -> None:
        await self._show("online", games_text(roms))

    async def unreachable(self) -> None:
        await self._show("dnd", UNREACHABLE)

    async def _show(self, status: str, text: str) -> None:
        if self.shown == (status, text) or self.client.ws is None:
            return
        if status == "online":
            activity: discord.BaseActivity = discord.Activity(
                type=discord.ActivityType.watching, name=text
            )
        else:
            activity = discord.CustomActivity(name=text)
        await self.client.change_presence(status=discord.Status(status), activity=activity)
        self.shown = (status, text)
        self.updates += 1
