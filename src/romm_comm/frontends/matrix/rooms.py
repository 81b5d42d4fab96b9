"""Rooms the bot works in: the configured ones (ids or aliases, resolved once at start), and
the direct-message rooms it opens with people (`is_direct`, listed in the bot's `m.direct`
account data, remembered in the store and reused)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from nio import (
    AsyncClient,
    DirectRoomsResponse,
    RoomCreateResponse,
    RoomPreset,
    RoomResolveAliasResponse,
)
from nio.api import Api

from ...store.db import Store
from .e2e import encryption_state

log = logging.getLogger("romm_comm.matrix")


class KnownRooms:
    """nio learns of a room (members, encryption) by syncing: this waits for a room to be
    known, e.g. a direct room just made, before an encrypted message can be sent there."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self._synced = asyncio.Event()

    def synced(self) -> None:
        """Called after each sync: wakes the waiters."""
        self._synced.set()
        self._synced = asyncio.Event()

    async def wait(self, room_id: str, member: str | None = None, within: float = 15.0) -> bool:
        """Until the room is known (and `member` is in it, joined or invited: the sync that
        brings a new room may come before its invites)."""

        def known() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and (member is None or member in room.users)

        async def until_known() -> None:
            while not known():
                await self._synced.wait()

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(until_known(), within)
        return known()


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
    def __init__(
        self, client: AsyncClient, store: Store, known_rooms: KnownRooms, encrypted: bool = False
    ) -> None:
        self.client = client
        self.store = store
        self.known_rooms = known_rooms
        self.encrypted = encrypted  # new direct rooms are end-to-end encrypted

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
        initial: list[dict[str, Any]] = [encryption_state()] if self.encrypted else []
        response = await self.client.room_create(
            is_direct=True,
            invite=[user_id],
            preset=RoomPreset.trusted_private_chat,
            initial_state=initial,
        )
        if not isinstance(response, RoomCreateResponse):
            log.warning("matrix: could not open a private room with %s: %s", user_id, response)
            return None
        await self.record(user_id, response.room_id, direct)
        if self.encrypted:  # the room key must reach the person's devices: wait for them
            await self.known_rooms.wait(response.room_id, member=user_id)
        return await self._keep(rooms, user_id, response.room_id)

    async def record(
        self, user_id: str, room_id: str, direct: dict[str, list[str]] | None = None
    ) -> None:
        """List `room_id` as the direct room with `user_id` in the bot's `m.direct`."""
        direct = await self._direct() if direct is None else direct
        if room_id not in direct.setdefault(user_id, []):
            direct[user_id].append(room_id)
            await self._set_direct(direct)

    async def accepted(self, user_id: str, room_id: str) -> None:
        """A direct room `user_id` opened with the bot: recorded and used from now on."""
        await self.record(user_id, room_id)
        rooms: dict[str, str] = await self.store.get_json("matrix:dm_rooms") or {}
        await self._keep(rooms, user_id, room_id)

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
