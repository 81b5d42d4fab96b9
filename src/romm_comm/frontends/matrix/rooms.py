"""Rooms the bot works in: the configured ones (ids or aliases, resolved once at start), and
the direct-message rooms it opens with people (`is_direct`, listed in the bot's `m.direct`
account data, remembered in the store and reused)."""

from __future__ import annotations

import json
import logging

from nio import (
    AsyncClient,
    DirectRoomsResponse,
    RoomCreateResponse,
    RoomPreset,
    RoomResolveAliasResponse,
)
from nio.api import Api

from ...store.db import Store

log = logging.getLogger("romm_comm.matrix")


async def resolve(client: AsyncClient, room: str) -> str | None:
    """A room id for an id or an alias (`#games:example.org`); None when unknown."""
    if not room.startswith("#"):
        return room
    response = await client.room_resolve_alias(room)
    if isinstance(response, RoomResolveAliasResponse):
        return str(response.room_id)
    log.warning("matrix: the room alias %s is unknown to the homeserver", room)
    return None


class DirectRooms:
    def __init__(self, client: AsyncClient, store: Store) -> None:
        self.client = client
        self.store = store

    async def known(self) -> set[str]:
        rooms = await self.store.get_json("matrix:dm_rooms") or {}
        return set(rooms.values())

    async def room_for(self, user_id: str) -> str | None:
        rooms: dict[str, str] = await self.store.get_json("matrix:dm_rooms") or {}
        stored = rooms.get(user_id)
        if stored is not None and self._usable(stored, user_id):
            return stored
        direct = await self._direct()
        for room_id in direct.get(user_id, []):
            if self._usable(room_id, user_id):
                return await self._keep(rooms, user_id, room_id)
        response = await self.client.room_create(
            is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat
        )
        if not isinstance(response, RoomCreateResponse):
            log.warning("matrix: could not open a private room with %s: %s", user_id, response)
            return None
        direct.setdefault(user_id, []).append(response.room_id)
        await self._set_direct(direct)
        return await self._keep(rooms, user_id, response.room_id)

    def _usable(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        if room is None:  # not synced yet (just made): trust the store
            return True
        return user_id in room.users or user_id in room.invited_users

    async def _keep(self, rooms: dict[str, str], user_id: str, room_id: str) -> str:
        rooms[user_id] = room_id
        await self.store.set_json("matrix:dm_rooms", rooms)
        return room_id

    async def _direct(self) -> dict[str, list[str]]:
        response = await self.client.list_direct_rooms()
        if isinstance(response, DirectRoomsResponse):
            return {user: list(ids) for user, ids in response.rooms.items()}
        return {}

    async def _set_direct(self, direct: dict[str, list[str]]) -> None:
        path = Api._build_path(["user", self.client.user_id, "account_data", "m.direct"])
        headers = {
            "Authorization": f"Bearer {self.client.access_token}",
            "Content-Type": "application/json",
        }
        response = await self.client.send("PUT", path, json.dumps(direct), headers)
        response.release()
        if response.status >= 400:
            log.warning("matrix: could not update m.direct (%s)", response.status)
