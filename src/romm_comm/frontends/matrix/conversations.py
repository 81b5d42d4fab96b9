"""What each conversation can answer next, kept in the store so picks survive a restart.

One `Pending` per (room, person): the last pick list and buttons that person was shown
there. Each list message is also remembered by its event id (the last few per room), so a
Matrix reply to an older list answers that list.
"""

from __future__ import annotations

from ...core.text_input import Pending, pending_from_json, pending_to_json
from ...store.db import Store

LISTS_KEPT = 20


class Conversations:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def pending(self, room_id: str, user_id: str) -> Pending:
        return pending_from_json(await self.store.get_json(f"matrix:pending:{room_id}:{user_id}"))

    async def remember(
        self, room_id: str, user_id: str, pending: Pending, event_id: str | None
    ) -> None:
        await self.store.set_json(f"matrix:pending:{room_id}:{user_id}", pending_to_json(pending))
        if event_id is None or (pending.picker is None and not pending.buttons):
            return
        key = f"matrix:lists:{room_id}"
        lists = await self.store.get_json(key) or {}
        lists[event_id] = pending_to_json(pending)
        while len(lists) > LISTS_KEPT:
            lists.pop(next(iter(lists)))
        await self.store.set_json(key, lists)

    async def list_of(self, room_id: str, event_id: str) -> Pending | None:
        lists = await self.store.get_json(f"matrix:lists:{room_id}") or {}
        found = lists.get(event_id)
        return None if found is None else pending_from_json(found)
