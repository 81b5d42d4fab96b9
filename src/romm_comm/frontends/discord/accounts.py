"""Accounts on Discord (ENABLE_USER_MANAGER): who holds AUTO_REGISTER_ROLE_ID, role changes and
members leaving as events, and the sync timer.

One task does all the work, one pass at a time: a full reconcile at start and every
ACCOUNT_SYNC_INTERVAL, and a reconcile of one member right after an event about them. Events
only queue the member, so the gateway is never held up and missed events (the bot was off, the
Server Members intent is disabled) converge at the next full pass. Without the intent Discord
cannot list members or send member events: the timer then checks every member we know of one
by one (fetching a single member needs no intent), and new role holders are found when they
use /link or /my_account.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from ...features.accounts.service import AccountService, MemberInfo, Outcome
from ...romm.errors import RommError
from .notifier import FRONT_END

if TYPE_CHECKING:
    from .bot import RommBot

log = logging.getLogger(__name__)

EXAMPLE_ROLE = "AUTO_REGISTER_ROLE_ID=789012345678901234"


class DiscordDirectory:
    """The services' view of the guild's role holders (services.accounts.Directory)."""

    front_end = FRONT_END

    def __init__(self, bot: RommBot, guild: discord.Guild, role_id: int) -> None:
        self.bot = bot
        self.guild = guild
        self.role_id = role_id

    @property
    def role_name(self) -> str:
        role = self.guild.get_role(self.role_id)
        return role.name if role is not None else str(self.role_id)

    def _info(self, member: discord.Member) -> MemberInfo:
        holds = not member.bot and any(r.id == self.role_id for r in member.roles)
        return MemberInfo(str(member.id), member.display_name, holds)

    async def holders(self) -> list[MemberInfo] | None:
        if not self.bot.members_intent:
            return None  # Discord would refuse to list members
        role = self.guild.get_role(self.role_id)
        if role is None:
            return []
        if not self.guild.chunked:
            await self.guild.chunk()
        return [self._info(m) for m in role.members if not m.bot]

    async def lookup(self, ids: Sequence[str]) -> dict[str, MemberInfo]:
        found: dict[str, MemberInfo] = {}
        for ident in ids:
            if not ident.isdigit():
                continue
            member = self.guild.get_member(int(ident)) if self.bot.members_intent else None
            if member is None:
                try:
                    member = await self.guild.fetch_member(int(ident))
                except discord.NotFound:
                    found[ident] = MemberInfo(ident, "", holds_role=False, present=False)
                    continue
                except discord.HTTPException as exc:
                    log.warning("accounts: member %s not readable: %s", ident, exc.status)
                    continue
            found[ident] = self._info(member)
        return found


class DiscordAccounts:
    def __init__(self, bot: RommBot, service: AccountService, directory: DiscordDirectory) -> None:
        self.bot = bot
        self.service = service
        self.directory = directory
        self.interval = float(service.options.sync_interval)
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.passes = 0  # finished passes (full or one member), for tests and the log
        self.last: Outcome | None = None

    def install(self) -> None:
        """Take role and leave events (wrapping any handler the client already has)."""
        _chain(self.bot, "on_member_update", self.on_member_update)
        _chain(self.bot, "on_raw_member_remove", self.on_raw_member_remove)
        self.service.directory = self.directory
        self.bot.spawn(self.run(), "accounts")

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if after.guild.id != self.directory.guild.id:
            return
        had = any(r.id == self.directory.role_id for r in before.roles)
        has = any(r.id == self.directory.role_id for r in after.roles)
        if had != has:
            self.queue.put_nowait(str(after.id))

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        if payload.guild_id == self.directory.guild.id:
            self.queue.put_nowait(str(payload.user.id))

    async def run(self) -> None:
        await self.tick()  # at start: whatever happened while the bot was off
        while True:
            try:
                first = await asyncio.wait_for(self.queue.get(), self.interval)
            except TimeoutError:
                await self.tick()
                continue
            ids = {first}
            while not self.queue.empty():
                ids.add(self.queue.get_nowait())
            await self.tick([f"{FRONT_END}:{i}" for i in sorted(ids)])

    async def tick(self, scope: Sequence[str] | None = None) -> Outcome | None:
        """One pass; RomM being away is logged and retried at the next one."""
        try:
            self.last = await self.service.reconcile(scope)
            return self.last
        except RommError as exc:
            log.warning("accounts: sync failed: %s", exc.user_message)
            return None
        except Exception as exc:  # a bug: collected (tests fail on it); the timer goes on
            self.bot.record_error(exc)
            return None
        finally:
            self.passes += 1


def _chain(client: discord.Client, event: str, handler: Callable[..., Awaitable[None]]) -> None:
    existing = getattr(client, event, None)

    async def both(*args: Any) -> None:
        if existing is not None:
            await existing(*args)
        await handler(*args)

    both.__name__ = event
    setattr(client, event, both)


def start_accounts(bot: RommBot) -> DiscordAccounts | None:
    """Called once the bot is ready; None when accounts are off or cannot work here."""
    settings = bot.app.discord
    service = bot.app.services.accounts
    if service is None or bot.guild is None:
        return None
    role_id = settings.auto_register_role_id
    if role_id is None:
        bot.diagnostics.report(
            "accounts_role",
            "ENABLE_USER_MANAGER is on but AUTO_REGISTER_ROLE_ID is not set: no role grants "
            f"RomM accounts (example: {EXAMPLE_ROLE}).",
        )
        return None
    if bot.guild.get_role(role_id) is None:
        bot.diagnostics.report(
            "accounts_role",
            f"AUTO_REGISTER_ROLE_ID={role_id} is not a role of {bot.guild.name}: nobody gets a "
            "RomM account until it names one (Server DiscordConfig → Roles → Copy Role ID).",
        )
    accounts = DiscordAccounts(bot, service, DiscordDirectory(bot, bot.guild, role_id))
    accounts.install()
    return accounts
