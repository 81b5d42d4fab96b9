"""`run_discord(app, stop)`: run the Discord front end until `stop` is set; return the exit code.

Start-up tells the admin what is wrong in one line each and starts whatever it can:
- an invalid token ends the front end (exit code 2): nothing works without it;
- a disabled Server Members intent (close code 4014) → reconnect without it, member
  features off until it is enabled;
- Discord unreachable → retry with a growing pause;
- not in the guild, missing permissions, RomM unreachable → reported by the bot once
  connected (see startup.py and live.py), the rest keeps working.

DISCORD_API_URL / DISCORD_GATEWAY_URL point the whole process at a Discord-compatible
server (used by the tests and demos; not in the user docs' main table).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket

from .bot import RommBot
from .config import DiscordConfig
from .diagnostics import Diagnostics
from .options import DiscordOptions
from .startup import members_intent_line

if TYPE_CHECKING:
    from .config import Host

log = logging.getLogger("romm_comm.discord")

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
RETRY_PAUSES = (2.0, 5.0, 15.0, 30.0, 60.0)


def point_at(settings: DiscordConfig) -> None:
    """Send REST and gateway traffic to the configured Discord-compatible server."""
    if settings.discord_api_url:
        base = settings.discord_api_url.rstrip("/")
        if not base.rsplit("/", 1)[-1].startswith("v"):
            base += "/api/v10" if not base.endswith("/api") else "/v10"
        discord.http.Route.BASE = base
    if settings.discord_gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


async def run_discord(
    app: Host, stop_event: asyncio.Event, options: DiscordOptions | None = None
) -> int:
    return await DiscordRunner(app, options).run(stop_event)


class DiscordRunner:
    def __init__(self, app: Host, options: DiscordOptions | None = None) -> None:
        self.app = app
        self.options = options or DiscordOptions()
        self.diagnostics = Diagnostics()
        self.ready = asyncio.Event()
        self.bot: RommBot | None = None
        self.members_intent = True

    async def wait_ready(self, within: float = 10.0) -> RommBot:
        await asyncio.wait_for(self.ready.wait(), within)
        assert self.bot is not None
        return self.bot

    async def run(self, stop: asyncio.Event) -> int:
        settings = self.app.discord
        point_at(settings)
        if settings.discord_token is None:
            self.diagnostics.report("token", "DISCORD_TOKEN (or TOKEN) is not set.")
            return EXIT_CONFIG
        token = settings.discord_token.get_secret_value()
        failures = 0
        while not stop.is_set():
            bot = RommBot(
                self.app,
                self.options,
                self.diagnostics,
                members_intent=self.members_intent,
                ready=self.ready,
            )
            self.bot = bot
            try:
                return await self._session(bot, token, stop)
            except discord.PrivilegedIntentsRequired:
                if not self.members_intent:
                    raise
                self.diagnostics.report("members_intent", members_intent_line(settings))
                self.members_intent = False
            except (aiohttp.ClientError, OSError, discord.HTTPException) as exc:
                pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
                failures += 1
                self.diagnostics.report(
                    "discord_unreachable",
                    f"Discord is not reachable ({type(exc).__name__}); retrying every "
                    f"{pause:g} s or so.",
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
            finally:
                await bot.close()
        return EXIT_OK

    async def _session(self, bot: RommBot, token: str, stop: asyncio.Event) -> int:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            self.diagnostics.report(
                "token",
                "Discord rejected DISCORD_TOKEN: the token is invalid (reset it in "
                "the Developer Portal → Bot and update the setting).",
            )
            return EXIT_CONFIG
        self.diagnostics.resolve("discord_unreachable")
        connecting = asyncio.create_task(bot.connect(reconnect=True), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait(), name="discord-stop")
        try:
            done, _ = await asyncio.wait(
                {connecting, stopping}, return_when=asyncio.FIRST_COMPLETED
            )
            if connecting in done:
                connecting.result()  # raises what ended the gateway (4014, 4004, ...)
                return EXIT_FAILED
            return EXIT_OK
        except discord.ConnectionClosed as exc:
            if exc.code == 4004:
                self.diagnostics.report("token", "Discord rejected DISCORD_TOKEN at the gateway.")
                return EXIT_CONFIG
            log.error("discord: the gateway closed (code %s): %s", exc.code, exc.reason)
            return EXIT_FAILED
        finally:
            stopping.cancel()
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await connecting
