"""Deliver notifications on the console: the operator sees them inline."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ...services.notify import MessageRef
from ..cards import Reply
from .render import render_reply


class ConsoleNotifier:
    front_end = "console"

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._ids = itertools.count(1)

    def _show(self, label: str, reply: Reply) -> MessageRef:
        self._say(f"[{label}] " + render_reply(reply))
        return MessageRef("console", label, str(next(self._ids)))

    async def direct(self, user_id: str, reply: Reply) -> bool:
        if user_id != "console":
            return False
        self._show("message for you", reply)
        return True

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return self._show("admin log", reply)

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        return self._show(topic, reply)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        self._show(f"{ref.channel_id} (update)", reply)
        return True
