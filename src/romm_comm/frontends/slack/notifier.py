"""The core's notifications delivered on Slack (the Notifier protocol of core/notify.py).

- direct: a DM (conversations.open, then chat.postMessage); any refusal → False.
- admin_log: SLACK_LOG_CHANNEL_ID; None when it is not set.
- post(topic): "recent_roms" → SLACK_RECENT_ROMS_CHANNEL_ID; "scans" and "requests" → their
  channel, else the log channel; anything else → None.
- edit: chat.update of a posted message; False when it is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ...core.cards import Reply
from ...core.notify import MessageRef
from . import delivery
from .access import FRONT_END
from .config import SlackConfig
from .errors import slack_error
from .render import Rendered


class SlackNotifier:
    front_end = FRONT_END

    def __init__(
        self,
        client: AsyncWebClient,
        config: SlackConfig,
        render: Callable[[Reply], Awaitable[Rendered]],
    ) -> None:
        self.client = client
        self.log_channel = config.slack_log_channel_id
        self.topics = config.topic_channels()
        self.render = render
        self._warned: set[str] = set()

    async def direct(self, user_id: str, reply: Reply) -> bool:
        try:
            channel = await delivery.dm_channel(self.client, user_id)
            await delivery.post(self.client, channel, await self.render(reply))
        except SlackApiError as exc:
            log.info("DM to %s not delivered (%s)", user_id, slack_error(exc))
            return False
        return True

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return await self._send(self.log_channel, reply)

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        return await self._send(self.topics.get(topic), reply)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        if ref.front_end != FRONT_END:
            return False
        rendered = await self.render(reply)
        try:
            await self.client.chat_update(
                channel=ref.channel_id,
                ts=ref.message_id,
                text=rendered.text,
                blocks=rendered.blocks,
            )
        except SlackApiError as exc:
            log.info("editing message %s failed: %s", ref.message_id, slack_error(exc))
            return False
        return True

    async def _send(self, channel: str | None, reply: Reply) -> MessageRef | None:
        if channel is None:
            return None
        try:
            ts = await delivery.post(self.client, channel, await self.render(reply))
        except SlackApiError as exc:
            if channel not in self._warned:  # say it once, not at every notice
                self._warned.add(channel)
                log.warning("Slack channel %s is not usable: %s", channel, slack_error(exc))
            return None
        return MessageRef(FRONT_END, channel, ts)


log = logging.getLogger(__name__)
