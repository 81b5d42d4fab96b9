"""Library numbers as voice-channel names ("ROMs: 1,234"), kept cheap and polite.

Two modes: the channels the admin names (STATS_CHANNEL_IDS, in the order platforms, ROMs,
saves, states, screenshots, users, storage), or a category the bot creates and owns. Ids are
remembered in the store, so a restart reuses the same channels. A channel is renamed only
when its number changed, at most `limit` times per `window` (Discord: about 2 per 10 min;
the newest value waits its turn), never deleted, and members cannot connect to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import discord

from ...core.format import human_size
from ...features.library.stats import LibraryStats
from ...store.db import Store
from .diagnostics import Diagnostics
from .rename_limiter import DEFAULT_LIMIT, DEFAULT_WINDOW, RenameLimiter

log = logging.getLogger(__name__)

STATS: tuple[tuple[str, str], ...] = (
    ("platforms", "Platforms"),
    ("roms", "ROMs"),
    ("saves", "Saves"),
    ("states", "States"),
    ("screenshots", "Screenshots"),
    ("users", "Users"),
    ("storage_bytes", "Storage"),
)
CATEGORY_NAME = "RomM Stats"
STORE_KEY = "discord.stats_channels"
StatChannel = discord.VoiceChannel | discord.StageChannel


def channel_names(stats: LibraryStats) -> dict[str, str]:
    """The name each stat's channel should have; a number RomM did not give is left out."""
    numbers = stats.numbers()
    names = {}
    for key, label in STATS:
        value = numbers.get(key)
        if value is None:
            continue
        shown = human_size(value) if key == "storage_bytes" else f"{value:,}"
        names[key] = f"{label}: {shown}"
    return names


class StatsChannels:
    def __init__(
        self,
        guild: discord.Guild,
        store: Store,
        diagnostics: Diagnostics,
        *,
        configured_ids: list[int],
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.guild = guild
        self.on_error = on_error
        self.store = store
        self.diagnostics = diagnostics
        self.configured_ids = configured_ids
        self.limiter: RenameLimiter[int] = RenameLimiter(limit, window, clock)
        self.channels: dict[str, int] = {}  # stat key → channel id
        self.category_id: int | None = None
        self.created: list[int] = []  # channels (and category) the bot made
        self.renames = 0
        self._applied: dict[int, str] = {}
        self._ready = False
        self._wake = asyncio.Event()
        self._showing = asyncio.Lock()  # one setup at a time: never create a channel twice

    @property
    def owned(self) -> bool:
        return not self.configured_ids

    # --- setting up ----------------------------------------------------------------------
    async def show(self, stats: LibraryStats) -> None:
        """Bring channel names to these numbers (no REST call when none changed)."""
        names = channel_names(stats)
        async with self._showing:
            if not self._ready:
                await self._setup(names)
        for key, name in names.items():
            channel = self._channel(key)
            if channel is None:
                continue
            current = self._applied.get(channel.id, channel.name)
            if current == name:
                self.limiter.forget(channel.id)
            else:
                self.limiter.want(channel.id, name)
        self._wake.set()

    async def _setup(self, names: dict[str, str]) -> None:
        self._ready = True
        if self.owned:
            await self._load()
            await self._create_missing(names)
        else:
            await self._adopt_configured()
        for cid in self.channels.values():
            channel = self.guild.get_channel(cid)
            if channel is not None:
                self._applied[cid] = channel.name

    async def _adopt_configured(self) -> None:
        for (key, _label), cid in zip(STATS, self.configured_ids, strict=False):
            channel = self.guild.get_channel(cid)
            if not isinstance(channel, StatChannel):
                what = "does not exist" if channel is None else "is not a voice channel"
                self.diagnostics.report(
                    "stats_channel",
                    f"STATS_CHANNEL_IDS: channel {cid} {what} in {self.guild.name}; "
                    f"the {key} number is not shown.",
                )
                continue
            self.channels[key] = cid
            await self._deny_connect(channel)

    async def _deny_connect(self, channel: StatChannel) -> None:
        """Members must not join a stats channel (the admin's own channels included)."""
        everyone = self.guild.default_role
        overwrite = channel.overwrites_for(everyone)
        if overwrite.connect is False:
            return
        overwrite.update(connect=False)
        try:
            await channel.set_permissions(everyone, overwrite=overwrite, reason="RomM-ComM stats")
        except discord.HTTPException as exc:
            log.warning("stats channel %s: could not deny Connect (%s)", channel.id, exc.status)

    async def _load(self) -> None:
        state: Any = await self.store.get_json(self._store_key) or {}
        self.category_id = state.get("category_id")
        self.created = [int(c) for c in state.get("created", [])]
        for key, cid in (state.get("channels") or {}).items():
            if isinstance(self.guild.get_channel(int(cid)), StatChannel):
                self.channels[str(key)] = int(cid)

    async def _create_missing(self, names: dict[str, str]) -> None:
        missing = [key for key, _ in STATS if key in names and key not in self.channels]
        if not missing:
            return
        hidden: dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite]
        hidden = {self.guild.default_role: discord.PermissionOverwrite(connect=False)}
        try:
            category = self.guild.get_channel(self.category_id or 0)
            if not isinstance(category, discord.CategoryChannel):
                category = await self.guild.create_category(
                    CATEGORY_NAME, overwrites=hidden, reason="RomM-ComM stats"
                )
                self.category_id = category.id
                self.created.append(category.id)
            for key in missing:
                channel = await self.guild.create_voice_channel(
                    names[key], category=category, overwrites=hidden, reason="RomM-ComM stats"
                )
                self.channels[key] = channel.id
                self.created.append(channel.id)
                self._applied[channel.id] = channel.name
        except discord.Forbidden:
            self.diagnostics.report(
                "manage_channels",
                f"The bot may not create channels in {self.guild.name} (Manage Channels): "
                "stats voice channels are off until it may.",
            )
        except (discord.HTTPException, discord.RateLimited) as exc:
            log.warning("stats channels: not created yet (%s); the next refresh tries again", exc)
            self._ready = False
        finally:
            await self._save()

    @property
    def _store_key(self) -> str:
        return f"{STORE_KEY}.{self.guild.id}"

    async def _save(self) -> None:
        await self.store.set_json(
            self._store_key,
            {"category_id": self.category_id, "channels": self.channels, "created": self.created},
        )

    def _channel(self, key: str) -> StatChannel | None:
        channel = self.guild.get_channel(self.channels.get(key, 0))
        return channel if isinstance(channel, StatChannel) else None

    # --- renaming ------------------------------------------------------------------------
    def kick(self) -> None:
        """Look at the pending renames now (e.g. after the clock moved)."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            for cid, name in self.limiter.ready():
                try:
                    await self._rename(cid, name)
                except Exception as exc:  # a bug: report it, keep the other channels going
                    self.limiter.forget(cid)
                    if self.on_error is None:
                        raise
                    self.on_error(exc)
            delay = self.limiter.next_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _rename(self, cid: int, name: str) -> None:
        channel = self.guild.get_channel(cid)
        if not isinstance(channel, StatChannel):
            self.limiter.forget(cid)
            return
        try:
            await channel.edit(name=name, reason="RomM stats changed")
        except discord.RateLimited as exc:
            log.info("stats channel %s: rate limited for %.0fs; will retry", cid, exc.retry_after)
            self.limiter.blocked(cid, exc.retry_after)
        except discord.NotFound:
            self.limiter.forget(cid)
        except discord.Forbidden:
            self.limiter.forget(cid)
            self.diagnostics.report(
                "manage_channels",
                f"The bot may not rename channel {channel.name!r} (Manage Channels): "
                "its stats number stays old until it may.",
            )
        except discord.HTTPException as exc:
            log.warning("stats channel %s: rename failed (%s); will retry", cid, exc.status)
            self.limiter.blocked(cid, 60.0)
        else:
            self.renames += 1
            self._applied[cid] = name
            self.limiter.sent(cid, name)
