"""QR codes of download links for 3DS/Vita installers, asked for with a reaction.

The "QR code" button on game cards and the `qr:<rom id>` action that answers it (policy,
the person's own signed link, the PNG rendered in a thread) live in the core, shared by every
front end. What is Discord's own is the earlier bot's gesture: adding 📱 (or a :qr_code:
emoji) to one of the bot's public game cards; the answer goes by direct message, because a
download link is private.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import discord

from ...core.cards import action_id
from ...core.commands import Caller, Registry
from ...features.context import Context
from ...romm.links import Links
from .admin import AdminPolicy
from .render import render

log = logging.getLogger(__name__)

QR_ACTION = "qr"
QR_EMOJIS = frozenset({"📱", "📲"})
QR_EMOJI_NAMES = frozenset({"qr_code", "qrcode", "qr"})
DM_CLOSED = (
    "{mention} I cannot send you direct messages, so here is no QR code: allow DMs from "
    "this server, or press the game's QR code button."
)


def is_qr_reaction(name: str | None) -> bool:
    return bool(name) and (name in QR_EMOJIS or str(name).lower() in QR_EMOJI_NAMES)


class GameCards:
    """Which game a card shows: its URL is the game's RomM page."""

    def __init__(self, links: Links) -> None:
        self._page = re.compile(re.escape(links.base) + r"/rom/(\d+)$")

    def rom_id(self, url: str | None) -> int | None:
        match = self._page.match(url or "")
        return int(match.group(1)) if match else None


class QrReactions:
    def __init__(
        self,
        client: discord.Client,
        registry: Registry,
        context_of: Callable[[Caller], Context],
        admins: AdminPolicy,
        cards: GameCards,
    ) -> None:
        self.client = client
        self.registry = registry
        self.context_of = context_of
        self.admins = admins
        self.cards = cards
        self.sent = 0

    async def on_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        me = self.client.user
        if me is None or payload.user_id == me.id or not is_qr_reaction(payload.emoji.name):
            return
        message = await self._message(payload)
        if message is None or message.author.id != me.id:
            return
        found = (self.cards.rom_id(e.url) for e in message.embeds)
        rom_id = next((r for r in found if r is not None), None)
        if rom_id is None:
            return
        user = payload.member or self.client.get_user(payload.user_id)
        if user is None:
            user = await self.client.fetch_user(payload.user_id)
        guild = self.client.get_guild(payload.guild_id) if payload.guild_id else None
        admin = self.admins.is_admin(user, guild)
        caller = Caller(str(user.id), user.display_name, "discord", admin)
        reply = await self.registry.act(self.context_of(caller), action_id(QR_ACTION, rom_id))
        try:
            await user.send(**render(reply).send_kwargs())
            self.sent += 1
        except discord.Forbidden:
            await message.channel.send(DM_CLOSED.format(mention=user.mention), delete_after=60)

    async def _message(self, payload: discord.RawReactionActionEvent) -> discord.Message | None:
        cached = discord.utils.get(self.client.cached_messages, id=payload.message_id)
        if cached is not None:
            return cached
        channel = self.client.get_partial_messageable(payload.channel_id, guild_id=payload.guild_id)
        try:
            return await channel.fetch_message(payload.message_id)
        except discord.HTTPException as exc:
            log.info("QR reaction on message %s: cannot read it (%s)", payload.message_id, exc)
            return None
