"""The core's notifications delivered on Discord (the Notifier protocol of services/notify.py).

- direct: a DM to the member; closed DMs (50007), an unknown user or any refusal → False.
- admin_log: the log channel (LOG_CHANNEL_ID / CHANNEL_ID); None when it is not set.
- post(topic): "recent_roms" → RECENT_ROMS_CHANNEL_ID; "scans" → SCANS_CHANNEL_ID, else the
  log channel; "requests" → REQUESTS_CHANNEL_ID, else the log channel; anything else → None.
- edit: replaces a posted message; False when it is gone or may not be edited.

Replies render with render.py: components carry action ids, so buttons on a posted message
keep working after a restart (interactions.py answers any of them).
"""

from __future__ import annotations

import logging

import discord

from ...core.cards import Reply
from ...core.notify import MessageRef, topic_targets
from .config import DiscordConfig
from .render import render

log = logging.getLogger(__name__)

FRONT_END = "discord"


def topic_channels(settings: DiscordConfig) -> dict[str, int | None]:
    return topic_targets(
        settings.log_channel_id,
        recent_roms=settings.recent_roms_channel_id,
        scans=settings.scans_channel_id,
        requests=settings.requests_channel_id,
    )


class DiscordNotifier:
    front_end = FRONT_END

    def __init__(self, client: discord.Client, settings: DiscordConfig) -> None:
        self.client = client
        self.log_channel_id = settings.log_channel_id
        self.topics = topic_channels(settings)
        self._warned: set[int] = set()

    async def direct(self, user_id: str, reply: Reply) -> bool:
        if not user_id.isdigit():
            return False
        try:
            user = self.client.get_user(int(user_id)) or await self.client.fetch_user(int(user_id))
            await user.send(**render(reply).send_kwargs())
        except discord.Forbidden as exc:  # 50007: DMs closed, or no shared server
            log.info("DM to %s not delivered (%s)", user_id, exc.code)
            return False
        except discord.HTTPException as exc:
            log.warning("DM to %s failed: %s %s", user_id, exc.status, exc.code)
            return False
        return True

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return await self._send(self.log_channel_id, reply)

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        return await self._send(self.topics.get(topic), reply)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        if ref.front_end != FRONT_END or not (ref.channel_id + ref.message_id).isdigit():
            return False
        channel = self.client.get_partial_messageable(int(ref.channel_id))
        message = channel.get_partial_message(int(ref.message_id))
        try:
            await message.edit(**render(reply).edit_kwargs())
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:
            log.warning("editing message %s failed: %s %s", ref.message_id, exc.status, exc.code)
            return False
        return True

    async def _send(self, channel_id: int | None, reply: Reply) -> MessageRef | None:
        if channel_id is None:
            return None
        channel = self.client.get_channel(channel_id)
        target = (
            channel
            if isinstance(channel, discord.abc.Messageable)
            else self.client.get_partial_messageable(channel_id)
        )
        try:
            message = await target.send(**render(reply).send_kwargs())
        except discord.HTTPException as exc:
            if channel_id not in self._warned:  # say it once, not at every notice
                self._warned.add(channel_id)
                log.warning("channel %s is not usable: %s %s", channel_id, exc.status, exc.code)
            return None
        return MessageRef(FRONT_END, str(message.channel.id), str(message.id))
