"""How the core reaches people outside a command's reply: DMs, the admin log, channel posts.

The core never knows which chat a person uses. It addresses people by `UserRef`
(`"discord:1234"`, `"console:console"`) and announcements by topic ("recent_roms", "scans",
"requests"; each front end maps topics to its channels), and hands a neutral `Reply` to the
`Notifications` hub; each running front end registers a `Notifier` that delivers in its own
way. A DM that cannot be delivered (closed DMs, the front
end is not running) is reported back as `False`, never raised, so callers can record it and
tell the admins.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from .cards import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")


def topic_targets(
    log_target: T | None, *, recent_roms: T | None, scans: T | None, requests: T | None
) -> dict[str, T | None]:
    """Where a front end sends announcements by topic (a channel, chat or room id): scans and
    requests fall back to its admin log; new ROMs go only where they were asked to."""
    return {
        "recent_roms": recent_roms,
        "scans": scans or log_target,
        "requests": requests or log_target,
    }


@dataclass(frozen=True)
class UserRef:
    front_end: str
    id: str

    def __str__(self) -> str:
        return f"{self.front_end}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> UserRef:
        front_end, _, ident = text.partition(":")
        if not front_end or not ident:
            raise ValueError(f"not a user reference: {text!r}")
        return cls(front_end, ident)


@dataclass(frozen=True)
class MessageRef:
    """A posted message that can be edited later (e.g. scan progress)."""

    front_end: str
    channel_id: str
    message_id: str


class Notifier(Protocol):
    front_end: str

    async def direct(self, user_id: str, reply: Reply) -> bool:
        """DM one person; False when they cannot be reached."""
        ...

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        """Post to the admins' log channel (if one is configured)."""
        ...

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        """Announce on a topic ("recent_roms", "scans", "requests"...); each front end maps
        topics to its own channels from its settings and ignores topics it has no place for."""
        ...

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        """Replace a posted message's content; False if it is gone."""
        ...


@dataclass
class Notifications:
    notifiers: dict[str, Notifier] = field(default_factory=dict)

    def register(self, notifier: Notifier) -> None:
        self.notifiers[notifier.front_end] = notifier

    def unregister(self, front_end: str) -> None:
        self.notifiers.pop(front_end, None)

    async def direct(self, user: UserRef, reply: Reply) -> bool:
        notifier = self.notifiers.get(user.front_end)
        if notifier is None:
            log.info("no %s front end running; DM to %s not sent", user.front_end, user)
            return False
        try:
            return await notifier.direct(user.id, reply)
        except Exception:
            log.exception("DM to %s failed", user)
            return False

    async def admin_log(self, reply: Reply) -> list[MessageRef]:
        refs = []
        for notifier in list(self.notifiers.values()):
            try:
                ref = await notifier.admin_log(reply)
            except Exception:
                log.exception("admin log post on %s failed", notifier.front_end)
                continue
            if ref is not None:
                refs.append(ref)
        return refs

    async def post(self, topic: str, reply: Reply) -> list[MessageRef]:
        refs = []
        for notifier in list(self.notifiers.values()):
            try:
                ref = await notifier.post(topic, reply)
            except Exception:
                log.exception("post on %s failed", notifier.front_end)
                continue
            if ref is not None:
                refs.append(ref)
        return refs

    async def update(
        self, refs: Sequence[MessageRef], reply: Reply, *, tell_the_rest: bool = False
    ) -> None:
        """Show a change to an admin notice: edit the messages posted for it; with
        `tell_the_rest`, the notifiers that kept no message (Apprise, the webhook, a chat
        whose post failed) get the new version as a notice of its own."""
        for ref in refs:
            if not await self.edit(ref, reply):
                log.info("notice %s on %s could not be edited", ref.message_id, ref.front_end)
        if not tell_the_rest:
            return
        edited = {ref.front_end for ref in refs}
        for notifier in list(self.notifiers.values()):
            if notifier.front_end in edited:
                continue
            try:
                await notifier.admin_log(reply)
            except Exception:
                log.exception("admin log post on %s failed", notifier.front_end)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        notifier = self.notifiers.get(ref.front_end)
        if notifier is None:
            return False
        try:
            return await notifier.edit(ref, reply)
        except Exception:
            log.exception("edit on %s failed", ref.front_end)
            return False
