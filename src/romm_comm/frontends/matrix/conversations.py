"""What each conversation can answer next, kept in the store so picks survive a restart.

One `Pending` per (room, person): the last pick list and buttons that person was shown
there. Each list message is also remembered by its event id (the last few per room), so a
Matrix reply to an older list answers that list.
"""

from __future__ import annotations

from typing import Any

from ...core.cards import Button, Choice, Picker
from ...core.text_input import Pending
from ...store.db import Store

LISTS_KEPT = 20


def to_json(pending: Pending) -> dict[str, Any]:
    picker = pending.picker
    return {
        "picker": None
        if picker is None
        else {
            "action": picker.action,
            "placeholder": picker.placeholder,
            "max_values": picker.max_values,
            "choices": [[c.label, c.value, c.description] for c in picker.choices],
        },
        "buttons": [[b.label, b.action] for b in pending.buttons],
    }


def from_json(data: Any) -> Pending:
    if not isinstance(data, dict):
        return Pending()
    raw = data.get("picker")
    picker = None
    if isinstance(raw, dict):
        picker = Picker(
            action=str(raw["action"]),
            placeholder=str(raw.get("placeholder", "")),
            choices=tuple(Choice(str(c[0]), str(c[1]), str(c[2])) for c in raw["choices"]),
            max_values=int(raw.get("max_values", 1)),
        )
    buttons = tuple(Button(str(b[0]), str(b[1])) for b in data.get("buttons", []))
    return Pending(picker, buttons)


class Conversations:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def pending(self, room_id: str, user_id: str) -> Pending:
        return from_json(await self.store.get_json(f"matrix:pending:{room_id}:{user_id}"))

    async def remember(
        self, room_id: str, user_id: str, pending: Pending, event_id: str | None
    ) -> None:
        await self.store.set_json(f"matrix:pending:{room_id}:{user_id}", to_json(pending))
        if event_id is None or (pending.picker is None and not pending.buttons):
            return
        key = f"matrix:lists:{room_id}"
        lists = await self.store.get_json(key) or {}
        lists[event_id] = to_json(pending)
        while len(lists) > LISTS_KEPT:
            lists.pop(next(iter(lists)))
        await self.store.set_json(key, lists)

    async def list_of(self, room_id: str, event_id: str) -> Pending | None:
        lists = await self.store.get_json(f"matrix:lists:{room_id}") or {}
        found = lists.get(event_id)
        return None if found is None else from_json(found)
