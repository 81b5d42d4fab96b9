"""Platform emojis from the connected RomM's icons, uploaded where the settings say.

EMOJI_MODE=auto|application: application emojis (no server slot used). EMOJI_MODE=guild: the
server's emoji slots — at most the free slots of its current limit minus EMOJI_RESERVE,
filled by ROM counts (see services/emoji_plan.py). EMOJI_MODE=off: nothing is uploaded and
only emojis already in the server, named like a platform, are shown.

The bot records every emoji it creates (store: discord_emojis) and only ever deletes those.
A sync runs when the bot is ready, when the server's boost level changes its emoji limit,
when the library gains or loses a platform, and on /emojis sync. Deleting one of the bot's
emojis by hand triggers nothing: the platform shows 🎮 until a later sync finds a free slot.
Uploads are sequential with a pause between them; discord.py waits out short 429s, and a
long one pauses the sync until Discord allows more. What a sync did goes to the log channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord

from ...features.emojis.commands import report_lines
from ...features.emojis.icons import PlatformIcons
from ...features.emojis.plan import (
    FALLBACK_EMOJI,
    EmojiPlan,
    OwnedEmoji,
    PlatformDemand,
    emoji_name,
    plan_emojis,
)
from ...features.emojis.records import EmojiRecords
from ...features.emojis.syncer import EmojiReport
from ...features.services import Services
from ...romm.errors import RommUnreachable
from ...romm.models import Platform
from .emoji_spaces import ApplicationEmojis, EmojiSpace, GuildEmojis
from .log_channel import LogChannel
from .platform_emoji import match_platform_emojis

log = logging.getLogger(__name__)

MAX_EMOJIS = 30008  # Discord: maximum number of emojis reached
Spawn = Callable[[Coroutine[Any, Any, None], str], None]


class PlatformEmojis:
    def __init__(
        self,
        client: discord.Client,
        guild: discord.Guild | None,
        services: Services,
        log_channel: LogChannel,
        *,
        mode: str,
        reserve: int,
        gap: float,
        spawn: Spawn,
        icons: PlatformIcons | None = None,
    ) -> None:
        self.guild = guild
        self.services = services
        self.log_channel = log_channel
        self.mode = "off" if mode == "off" else "guild" if mode == "guild" else "application"
        self.space: EmojiSpace | None = None
        if self.mode == "application":
            self.space = ApplicationEmojis(client)
        elif self.mode == "guild" and guild is not None:
            self.space = GuildEmojis(guild, reserve)
        self.gap = gap
        self.spawn = spawn
        self.icons = icons or PlatformIcons(services.client)
        self.records = EmojiRecords(services.store)
        self.owned: list[OwnedEmoji] = []
        self.no_icon: dict[str, str] = {}  # slug → why; retried by /emojis sync
        self.pngs: dict[str, bytes] = {}  # icons fetched for the sync under way
        self.syncs = 0
        self._lock = asyncio.Lock()
        self._synced_slugs: frozenset[str] | None = None
        self._waiting_for_romm = False  # a sync could not finish for want of RomM
        self._quiet = False  # the last sync's note was said elsewhere (diagnostics)
        self._retry_pending = False

    # --- what is shown -------------------------------------------------------------------
    async def load(self) -> None:
        if self.space is not None:
            self.owned = await self.records.owned(self.space.guild_id)
        self.remap()

    def remap(self) -> None:
        """Fill Services.platform_emoji from what exists now (no REST call)."""
        platforms = self.services.catalog.platforms
        guild_emojis = list(self.guild.emojis) if self.guild is not None else []
        found = match_platform_emojis(guild_emojis, platforms)  # emojis named like a platform
        if self.mode != "off":
            own = self._own_usable()
            owned = {e.id for e in self.owned}
            if self.space is not None and self.space.kind == "application":
                guild_emojis += self.space.cached() or []
            others = [e for e in guild_emojis if e.id not in owned]
            found = match_platform_emojis(others, platforms)
            for platform in platforms:
                emoji = own.get(platform.slug)
                if emoji is not None:
                    found[platform.slug] = emoji
                found.setdefault(platform.slug, FALLBACK_EMOJI)
        mapping = self.services.platform_emoji
        if mapping != found:
            mapping.clear()
            mapping.update(found)

    def _own_usable(self) -> dict[str, str]:
        """Slug → markup of the bot's own emojis that exist (as far as is known)."""
        if self.space is None:
            return {}
        known = self.space.cached()
        if known is None:  # application emojis before the first listing: trust the records
            return {e.slug: f"<:{e.name}:{e.id}>" for e in self.owned}
        by_id = {e.id: e for e in known}
        out: dict[str, str] = {}
        for record in self.owned:
            emoji = by_id.get(record.id)
            if emoji is not None and emoji.available:
                out.setdefault(record.slug, str(emoji))
        return out

    # --- when to sync --------------------------------------------------------------------
    def start(self, reason: str) -> None:
        if self.space is not None:
            self.spawn(self._background(reason), "emoji-sync")

    def platforms_changed(self) -> bool:
        """After a refresh: should a sync run (a platform came or went, or the last sync
        could not finish because RomM did not answer)?"""
        slugs = frozenset(p.slug for p in self.services.catalog.platforms)
        if not slugs or self.space is None:
            return False
        if self._waiting_for_romm:
            return True
        return self._synced_slugs is not None and slugs != self._synced_slugs

    async def _background(self, reason: str, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
            self._retry_pending = False
        await self.sync(reason=reason)

    # --- the sync ------------------------------------------------------------------------
    async def status(self) -> EmojiReport:
        report = EmojiReport(self.mode, platforms=len(self.services.catalog.platforms))
        if self.space is None:
            if self.mode != "off":
                report.note = "The bot is not in the configured server."
            return report
        usable = self._own_usable()
        report.held = len(usable)
        others = [e for e in self.space.cached() or [] if e.id not in {o.id for o in self.owned}]
        counted = sum(1 for e in others if self.space.counts(e))
        report.capacity = max(0, self.space.limit - self.space.reserve - counted)
        report.no_icon = {s: w for s, w in self.no_icon.items() if s not in usable}
        return report

    async def sync(self, *, reason: str, force: bool = False) -> EmojiReport:
        async with self._lock:
            report = await self._sync(force)
            self.remap()
            if report.changed and not self._quiet:
                lines = report_lines(report)
                await self.log_channel.post(f"Platform emojis ({reason}):\n" + "\n".join(lines))
            self.syncs += 1
        return report

    async def _sync(self, force: bool) -> EmojiReport:
        platforms = list(self.services.catalog.platforms)
        report = EmojiReport(self.mode, platforms=len(platforms))
        space = self.space
        # A missing permission or RomM being down is said at start (diagnostics) and by
        # /emojis, not in the log channel at every sync.
        self._quiet = space is not None and (not space.can_manage() or not platforms)
        if space is None:
            if self.mode != "off":
                report.note = "The bot is not in the configured server; nothing was uploaded."
            return report
        if not space.can_manage():
            report.note = (
                "The bot lacks Manage Emojis and Stickers in this server: nothing was uploaded."
            )
            return report
        if not platforms:
            self._waiting_for_romm = True
            report.note = "RomM's platform list is not loaded yet; nothing was changed."
            return report
        if force:
            self.no_icon.clear()
        try:
            present = await space.present()
        except discord.HTTPException as exc:
            report.note = f"Discord did not list the emojis ({exc.status}); nothing was changed."
            return report
        self.owned = await self.records.owned(space.guild_id)
        plan = await self._plan(space, platforms, present, report)
        if plan is None:
            self._waiting_for_romm = True
            return report
        await self._carry_out(space, plan, present, report)
        self._waiting_for_romm = False
        self._synced_slugs = frozenset(p.slug for p in platforms)
        self.pngs = {}
        return report

    async def _plan(
        self,
        space: EmojiSpace,
        platforms: list[Platform],
        present: list[discord.Emoji],
        report: EmojiReport,
    ) -> EmojiPlan | None:
        """Plan, fetching the icons the plan wants; a platform without one gives its place
        to the next platform and the plan is made again."""
        owned_ids = {e.id for e in self.owned}
        others = [e for e in present if e.id not in owned_ids]
        covered = self._covered(platforms, others)
        demands = [PlatformDemand(p.slug, p.rom_count) for p in platforms]
        self.pngs = {}
        while True:
            plan = plan_emojis(
                demands,
                self.owned,
                existing_ids={e.id for e in present},
                others=sum(1 for e in others if space.counts(e)),
                limit=space.limit,
                reserve=space.reserve,
                no_icon=self.no_icon.keys(),
                covered=covered,
            )
            wanted = [s for s in plan.upload if s not in self.pngs]
            if not wanted:
                break
            for slug in wanted:
                try:
                    icon = await self.icons.fetch(slug)
                except RommUnreachable as exc:
                    report.note = f"RomM did not answer for the icons ({exc.user_message})"
                    return None
                if icon.png is not None:
                    self.pngs[slug] = icon.png
                else:
                    self.no_icon[slug] = icon.problem
        slugs = {p.slug for p in platforms}
        report.capacity = plan.capacity
        report.no_room = len(plan.skipped)
        report.no_icon = {s: w for s, w in self.no_icon.items() if s in slugs}
        return plan

    @staticmethod
    def _covered(platforms: list[Platform], others: list[discord.Emoji]) -> set[str]:
        """Platforms someone else's emoji already shows (by name): no upload needed. In the
        server this saves a slot; among application emojis the name is taken anyway."""
        names = {e.name.lower() for e in others}
        return {
            p.slug
            for p in platforms
            if emoji_name(p.slug) in names or (p.fs_slug and emoji_name(p.fs_slug) in names)
        }

    async def _carry_out(
        self,
        space: EmojiSpace,
        plan: EmojiPlan,
        present: list[discord.Emoji],
        report: EmojiReport,
    ) -> None:
        by_id = {e.id: e for e in present}
        if plan.forget:
            await self.records.remove([e.id for e in plan.forget])
            report.forgotten = [e.slug for e in plan.forget]
        first = True
        for record in plan.delete:
            emoji = by_id.get(record.id)
            if emoji is None or record.id not in {e.id for e in self.owned}:
                continue  # never anything the bot did not make
            first = await self._pause(first)
            try:
                await space.delete(emoji)
            except discord.NotFound:
                pass
            except discord.HTTPException as exc:
                report.note = f"Discord refused to delete an emoji ({exc.status}); stopped."
                return
            await self.records.remove([record.id])
            report.deleted.append(record.slug)
        for slug in plan.upload:
            first = await self._pause(first)
            if not await self._upload(space, slug, report):
                break
        self.owned = await self.records.owned(space.guild_id)
        report.held = len(plan.keep) + len(report.uploaded)

    async def _upload(self, space: EmojiSpace, slug: str, report: EmojiReport) -> bool:
        """Upload one; False when the sync must stop (full, rate limited, forbidden)."""
        name = emoji_name(slug)
        try:
            emoji = await space.create(name, self.pngs[slug])
        except discord.RateLimited as exc:
            report.note = (
                f"Discord asks to wait {exc.retry_after:.0f} s before more uploads; "
                "the rest follows then."
            )
            self._retry_later(exc.retry_after)
            return False
        except discord.Forbidden:
            report.note = "The bot lacks Manage Emojis and Stickers: uploads stopped."
            return False
        except discord.HTTPException as exc:
            if exc.code == MAX_EMOJIS:
                report.note = "Discord says the emoji slots are full; uploads stopped."
                return False
            log.warning("emoji %s refused: %s %s", name, exc.status, exc.code)
            self.no_icon[slug] = f"Discord refused it ({exc.status})"
            report.no_icon[slug] = self.no_icon[slug]
            return True
        await self.records.add(space.guild_id, OwnedEmoji(emoji.id, emoji.name, slug))
        report.uploaded.append(slug)
        return True

    async def _pause(self, first: bool) -> bool:
        if not first and self.gap > 0:
            await asyncio.sleep(self.gap)
        return False

    def _retry_later(self, delay: float) -> None:
        if not self._retry_pending:
            self._retry_pending = True
            self.spawn(self._background("after a rate limit", delay + 1.0), "emoji-sync-retry")
