"""Notifications on Matrix: DMs in each person's private room, the admin log in
MATRIX_LOG_ROOM, topics in their rooms, and edits in place (`m.replace`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.cards import Reply
from ...core.notify import MessageRef
from .render import notice

if TYPE_CHECKING:
    from .bot import MatrixBot

FRONT_END = "matrix"


class MatrixNotifier:
    front_end = FRONT_END

    def __init__(self, bot: MatrixBot) -> None:
        self.bot = bot

    async def direct(self, user_id: str, reply: Reply) -> bool:
        room_id = await self.bot.dms.room_for(user_id)
        if room_id is None:
            return False
        return await self.bot.sender.send(room_id, reply) is not None

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return await self._post(self.bot.topic_rooms.get("admin"), reply)

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        return await self._post(self.bot.topic_rooms.get(topic), reply)

    async def _post(self, room_id: str | None, reply: Reply) -> MessageRef | None:
        if room_id is None:
            return None
        event_id = await self.bot.sender.send(room_id, reply)
        return None if event_id is None else MessageRef(FRONT_END, room_id, event_id)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        rendered = self.bot.sender.render(reply)
        content = {
            **notice("* " + rendered.body, rendered.html),
            "m.new_content": rendered.content(),
            "m.relates_to": {"rel_type": "m.replace", "event_id": ref.message_id},
        }
        return await self.bot.sender.content(ref.channel_id, content) is not None
