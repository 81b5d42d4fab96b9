"""Deliver notifications on the console: the operator sees them inline.

An edit that only updates a message (same card title, e.g. scan progress) is one line, so a
long scan prints a few readable lines instead of a wall of repeated cards.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable

from ...core.cards import Reply
from ...core.notify import MessageRef
from .render import plain, render_reply

REMEMBERED = 64  # titles of the last messages, to tell an update from a new message


class ConsoleNotifier:
    front_end = "console"

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._ids = itertools.count(1)
        self._titles: OrderedDict[str, str] = OrderedDict()

    def _show(self, label: str, reply: Reply) -> MessageRef:
        self._say(f"[{label}] " + render_reply(reply))
        ref = MessageRef("console", label, str(next(self._ids)))
        self._remember(ref, reply)
        return ref

    def _remember(self, ref: MessageRef, reply: Reply) -> None:
        self._titles[ref.message_id] = reply.cards[0].title if reply.cards else reply.text
        while len(self._titles) > REMEMBERED:
            self._titles.popitem(last=False)

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
        card = reply.cards[0] if reply.cards else None
        if card is not None and self._titles.get(ref.message_id) == card.title:
            parts = [plain(card.text)] if card.text else []
            parts += [f"{f.name}: {plain(f.value)}" for f in card.fields if "\n" not in f.value]
            self._say(f"[{ref.channel_id}] {card.title} · " + " · ".join(parts))
        else:
            self._say(f"[{ref.channel_id} (update)] " + render_reply(reply))
        self._remember(ref, reply)
        return True
