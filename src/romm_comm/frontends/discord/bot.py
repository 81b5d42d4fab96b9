"""The discord.py client: registers the commands at start, answers interactions and
reactions, and once connected runs the stats channels, presence and refresh loop.

Every exception in a handler is logged and kept in `handler_errors` (tests fail on any),
and the person who triggered it still gets a short answer (see interactions.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from ...core.commands import Caller
from ...core.supervisor import Supervisor
from ...features.context import Context
from .accounts import DiscordAccounts, start_accounts
from .admin import AdminPolicy
from .diagnostics import Diagnostics
from .emojis import PlatformEmojis
from .interactions import Responder
from .live import LiveStats
from .log_channel import LogChannel
from .notifier import FRONT_END, DiscordNotifier
from .options import DiscordOptions
from .platform_emoji import match_platform_emojis
from .presence import Presence
from .qr import GameCards, QrReactions
from .registration import build_commands
from .startup import check_permissions, find_guild
from .stats_channels import StatsChannels

if TYPE_CHECKING:
    from .config import Host

log = logging.getLogger("romm_comm.discord")


def bot_intents(*, members: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_reactions = True
    intents.emojis_and_stickers = True
    intents.members = members  # privileged: role-based features need it
    return intents


class ErrorCollectingTree(app_commands.CommandTree["RommBot"]):
    async def on_error(
        self, interaction: discord.Interaction[RommBot], error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", None)
        self.client.record_error(original if isinstance(original, BaseException) else error)


class RommBot(discord.Client):
    def __init__(
        self,
        app: Host,
        options: DiscordOptions,
        diagnostics: Diagnostics,
        *,
        members_intent: bool = True,
        ready: asyncio.Event | None = None,
    ) -> None:
        super().__init__(
            intents=bot_intents(members=members_intent),
            guild_ready_timeout=options.guild_ready_timeout,
            max_ratelimit_timeout=options.max_ratelimit_timeout,
            chunk_guilds_at_startup=False,
        )
        self.app = app
        self.options = options
        app.services.front_ends.expect(FRONT_END)
        self.diagnostics = diagnostics
        self.members_intent = members_intent
        self.ready_event = ready or asyncio.Event()
        self.handler_errors: list[BaseException] = []
        self.tree = ErrorCollectingTree(self)
        settings = app.discord
        self.admins = AdminPolicy.of(settings.admin_ids, settings.admin_role_ids)
        self.game_cards = GameCards(app.services.links)
        self.presence = Presence(self)
        self.log_channel = LogChannel(self, settings.log_channel_id)
        self.guild: discord.Guild | None = None
        self.stats_channels: StatsChannels | None = None
        self.live: LiveStats | None = None
        self.platform_emojis: PlatformEmojis | None = None
        self.accounts: DiscordAccounts | None = None
        self.notifier = DiscordNotifier(self, settings)
        self.responder = Responder(
            app.registry,
            self.context_of,
            self.admins,
            defer_after=options.defer_after,
            answer_timeout=options.answer_timeout,
            after_work=self._after_work,
        )
        self.reactions = QrReactions(
            self, app.registry, self.context_of, self.admins, self.game_cards
        )
        # What lives as long as this connection (stats channels, accounts, emoji syncs).
        self.tasks = Supervisor(on_crash=self.record_error)
        self._started = False

    def context_of(self, caller: Caller) -> Context:
        return Context(caller, self.app.services)

    # --- start -----------------------------------------------------------------------------
    async def setup_hook(self) -> None:
        guild_id = self.app.discord.discord_guild_id
        target = discord.Object(guild_id) if guild_id is not None else None
        for command in build_commands(
            self.app.registry, self.responder.command, self.responder.complete
        ):
            self.tree.add_command(command, guild=target)
        try:
            await self.tree.sync(guild=target)
        except discord.HTTPException as exc:
            where = f"server {guild_id}" if guild_id else "Discord"
            self.diagnostics.report(
                "commands",
                f"Could not register the slash commands in {where} ({exc.status}: {exc.text}); "
                "invite the bot with the applications.commands scope.",
            )

    async def on_ready(self) -> None:
        self.app.services.front_ends.connected(FRONT_END)
        if self._started:  # a reconnect: everything is running already
            return
        self._started = True
        settings = self.app.discord
        self.guild = find_guild(self, settings, self.diagnostics)
        services = self.app.services
        services.notifications.register(self.notifier)
        self.platform_emojis = PlatformEmojis(
            self,
            self.guild,
            services,
            self.log_channel,
            mode=settings.emoji_mode,
            reserve=settings.emoji_reserve,
            gap=self.options.emoji_gap,
            spawn=self.spawn,
        )
        await self.platform_emojis.load()
        services.emoji_syncers[FRONT_END] = self.platform_emojis
        if self.guild is not None:
            check_permissions(self.guild, settings, self.diagnostics)
            if settings.update_voice_names and (
                settings.stats_channel_ids or self.guild.me.guild_permissions.manage_channels
            ):
                self.stats_channels = StatsChannels(
                    self.guild,
                    self.app.services.store,
                    self.diagnostics,
                    configured_ids=settings.stats_channel_ids,
                    limit=self.options.rename_limit,
                    window=self.options.rename_window,
                    clock=self.options.clock,
                    on_error=self.record_error,
                )
                self.spawn(self.stats_channels.run(), "stats-channels")
        self.live = LiveStats(
            self.app.services,
            self.presence,
            self.log_channel,
            self.diagnostics,
            romm_url=settings.romm_url or "?",
            interval=self.options.refresh_interval or float(settings.sync_rate),
            retry_interval=self.options.retry_interval,
            show_api_success=settings.show_api_success,
            channels=self.stats_channels,
            on_refresh=self._after_refresh,
            on_error=self.record_error,
        )
        if self.options.auto_refresh:
            self.spawn(self.live.run(), "stats-refresh")
            await self.live.first_tick.wait()
        self.accounts = start_accounts(self)
        if self.diagnostics.problems:
            lines = "\n".join(f"• {line}" for line in self.diagnostics.lines())
            await self.log_channel.post(f"RomM-ComM started with problems:\n{lines}")
        self.platform_emojis.start("start")
        log.info("discord: ready as %s in %s", self.user, self.guild.name if self.guild else "-")
        self.ready_event.set()

    # --- events ----------------------------------------------------------------------------
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type == discord.InteractionType.component:
            await self.responder.component(interaction)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reactions.on_reaction(payload)

    async def on_guild_emojis_update(self, guild: discord.Guild, before: Any, after: Any) -> None:
        if self.guild is not None and guild.id == self.guild.id:
            self._map_emojis()  # a deleted emoji shows 🎮; nothing is re-uploaded here

    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        ours = self.guild is not None and after.id == self.guild.id
        emojis = self.platform_emojis
        if (
            ours
            and emojis is not None
            and emojis.mode == "guild"
            and (before.emoji_limit != after.emoji_limit)
        ):
            emojis.start(f"the emoji limit changed: {before.emoji_limit} → {after.emoji_limit}")

    async def _after_refresh(self) -> None:
        self._map_emojis()
        if self.platform_emojis is not None and self.platform_emojis.platforms_changed():
            self.platform_emojis.start("the library's platforms changed")

    async def _after_work(self) -> None:
        if self.live is not None:
            await self.live.sync_from_memory()

    def _map_emojis(self) -> None:
        if self.platform_emojis is not None:
            self.platform_emojis.remap()
            return
        if self.guild is None:
            return
        found = match_platform_emojis(self.guild.emojis, self.app.services.catalog.platforms)
        mapping = self.app.services.platform_emoji
        if mapping != found:
            mapping.clear()
            mapping.update(found)

    # --- errors and tasks ----------------------------------------------------------------
    def record_error(self, error: BaseException) -> None:
        self.handler_errors.append(error)
        log.error("discord handler failed", exc_info=(type(error), error, error.__traceback__))

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if error is not None:
            log.error("in %s:", event_method)
            self.record_error(error)

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        self.tasks.spawn(work, name)

    async def on_resumed(self) -> None:
        self.app.services.front_ends.connected(FRONT_END)

    async def on_disconnect(self) -> None:
        self.app.services.front_ends.connected(FRONT_END, False)

    async def close(self) -> None:
        services = self.app.services
        services.front_ends.connected(FRONT_END, False)
        if services.notifications.notifiers.get(FRONT_END) is self.notifier:
            services.notifications.unregister(FRONT_END)
        emojis = self.platform_emojis
        if emojis is not None and services.emoji_syncers.get(FRONT_END) is emojis:
            del services.emoji_syncers[FRONT_END]
        await self.tasks.close()
        await super().close()
