"""A notifier standing in for a chat front end: it keeps every message and its edits."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from romm_comm.core.cards import Reply
from romm_comm.core.notify import MessageRef

ADMIN_LOG = "admin-log"  # the channel of the admin log's messages


@dataclass
class Message:
    topic: str
    ref: MessageRef
    versions: list[Reply]
    edited_at: list[float] = field(default_factory=list)

    @property
    def last(self) -> Reply:
        return self.versions[-1]


@dataclass
class RecordingNotifier:
    """What a chat front end would have delivered: channel posts with all their versions,
    direct messages, and the admin log."""

    front_end: str = "test"
    closed: set[str] = field(default_factory=set)  # user ids whose DMs are closed
    messages: list[Message] = field(default_factory=list)
    dms: list[tuple[str, Reply]] = field(default_factory=list)
    admin: list[Reply] = field(default_factory=list)

    async def direct(self, user_id: str, reply: Reply) -> bool:
        if user_id in self.closed:
            return False
        self.dms.append((user_id, reply))
        return True

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        self.admin.append(reply)
        return MessageRef(self.front_end, ADMIN_LOG, str(len(self.admin)))

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        ref = MessageRef(self.front_end, topic, str(len(self.messages) + 1))
        self.messages.append(Message(topic, ref, [reply]))
        return ref

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        if ref.channel_id == ADMIN_LOG:
            return 0 < int(ref.message_id) <= len(self.admin)
        for message in self.messages:
            if message.ref == ref:
                message.versions.append(reply)
                message.edited_at.append(time.monotonic())
                return True
        return False

    def on(self, topic: str) -> list[Message]:
        return [m for m in self.messages if m.topic == topic]

    @property
    def posts(self) -> list[tuple[str, Reply]]:
        """Every channel post as first shown."""
        return [(m.topic, m.versions[0]) for m in self.messages]

    def dms_to(self, user_id: str) -> list[Reply]:
        return [reply for uid, reply in self.dms if uid == user_id]

    def admin_texts(self) -> list[str]:
        return [r.text + " " + " ".join(c.title for c in r.cards) for r in self.admin]
