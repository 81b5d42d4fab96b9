"""Someone in Matrix, on a real matrix-nio client that syncs in the background: joins the
rooms they are invited to, says things (optionally as a Matrix reply) and waits for answers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    MatrixRoom,
    RoomCreateResponse,
    RoomMessage,
    RoomSendResponse,
)


@dataclass
class Person:
    """Someone in Matrix, on a real matrix-nio client that syncs in the background."""

    client: AsyncClient
    user_id: str
    seen: list[tuple[str, RoomMessage]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    @classmethod
    async def signed_in(cls, homeserver: str, user: dict[str, str]) -> Person:
        """A started Person for a user from `Synapse.register`."""
        client = AsyncClient(
            homeserver,
            user["user_id"],
            config=AsyncClientConfig(encryption_enabled=False, max_timeout_retry_wait_time=0.2),
        )
        client.access_token = user["access_token"]
        client.user_id = user["user_id"]
        client.device_id = user["device_id"]
        person = cls(client, user["user_id"])
        await person.start()
        return person

    async def start(self) -> None:
        first = await self.client.sync(timeout=0)
        assert first is not None
        self.client.add_event_callback(self._on_message, RoomMessage)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.task = asyncio.create_task(self.client.sync_forever(timeout=1000))

    async def _on_message(self, room: MatrixRoom, event: RoomMessage) -> None:
        self.seen.append((room.room_id, event))
        self.changed.set()

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def create_room(self, *invite: str) -> str:
        response = await self.client.room_create(invite=list(invite))
        assert isinstance(response, RoomCreateResponse), response
        return str(response.room_id)

    async def say(self, room_id: str, text: str, reply_to: str | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        response = await self.client.room_send(room_id, "m.room.message", content)
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    def messages(self, room_id: str, sender: str | None = None) -> list[RoomMessage]:
        return [e for r, e in self.seen if r == room_id and (sender is None or e.sender == sender)]

    async def wait_for(
        self, check: Callable[[], Any], within: float = 15.0, what: str = "a message"
    ) -> Any:
        async def poll() -> Any:
            while True:
                found = check()
                if found:
                    return found
                self.changed.clear()
                # woken by this person's next event, or soon to look again (log records)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 0.05)

        try:
            return await asyncio.wait_for(poll(), within)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what}") from None

    async def answer(
        self, room_id: str, bot_id: str, text: str, *, reply_to: str | None = None, count: int = 1
    ) -> list[RoomMessage]:
        """Say `text` and wait for the bot's answers in that room (Matrix replies to it)."""
        said = await self.say(room_id, text, reply_to)

        def answers() -> list[RoomMessage]:
            return [m for m in self.messages(room_id, bot_id) if replied_to(m) == said]

        new: list[RoomMessage] = await self.wait_for(
            lambda: len(answers()) >= count and answers(),
            what=f"the bot's answer to {text!r}",
        )
        return new

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
        await self.client.close()


def replied_to(event: RoomMessage) -> str | None:
    relates = event.source.get("content", {}).get("m.relates_to", {})
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    return reply.get("event_id") if isinstance(reply, dict) else None
