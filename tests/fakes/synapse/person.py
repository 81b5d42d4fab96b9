"""Someone in Matrix, on a real matrix-nio client that syncs in the background: joins the
rooms they are invited to, says things (optionally as a Matrix reply) and waits for answers.
Their client has end-to-end encryption (keys in memory), as Element has: they read the
bot's encrypted messages and write in encrypted rooms."""

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
    MegolmEvent,
    RoomCreateResponse,
    RoomEncryptedImage,
    RoomMessage,
    RoomMessageImage,
    RoomSendResponse,
    SyncResponse,
)
from nio.crypto import decrypt_attachment
from nio.store import SqliteMemoryStore

ENCRYPTED = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass
class Person:
    """Someone in Matrix, on a real matrix-nio client that syncs in the background."""

    client: AsyncClient
    user_id: str
    seen: list[tuple[str, RoomMessage]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    undecrypted: list[tuple[str, MegolmEvent]] = field(default_factory=list)

    @classmethod
    async def signed_in(cls, homeserver: str, user: dict[str, str]) -> Person:
        """A started Person for a user from `Synapse.register`."""
        client = AsyncClient(
            homeserver,
            user["user_id"],
            config=AsyncClientConfig(
                encryption_enabled=True,
                store=SqliteMemoryStore,
                store_sync_tokens=False,
                max_timeout_retry_wait_time=0.2,
            ),
        )
        client.restore_login(user["user_id"], user["device_id"], user["access_token"])
        person = cls(client, user["user_id"])
        await person.start()
        return person

    async def start(self) -> None:
        first = await self.client.sync(timeout=0)
        assert first is not None
        if self.client.should_upload_keys:  # before anyone looks for this device's keys
            await self.client.keys_upload()
        self.client.add_event_callback(self._on_message, RoomMessage)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_event_callback(self._on_undecrypted, MegolmEvent)
        self.client.add_response_callback(self._retry_decryption, SyncResponse)
        self.task = asyncio.create_task(self.client.sync_forever(timeout=1000))

    async def _on_message(self, room: MatrixRoom, event: RoomMessage) -> None:
        self.seen.append((room.room_id, event))
        self.changed.set()

    async def _on_undecrypted(self, room: MatrixRoom, event: MegolmEvent) -> None:
        self.undecrypted.append((room.room_id, event))

    async def _retry_decryption(self, response: SyncResponse) -> None:
        """As Element does: a message whose room key came later is decrypted when it comes."""
        waiting, self.undecrypted = self.undecrypted, []
        for room_id, event in waiting:
            try:
                decrypted = self.client.decrypt_event(event)
            except Exception:
                self.undecrypted.append((room_id, event))
                continue
            if isinstance(decrypted, RoomMessage):
                self.seen.append((room_id, decrypted))
                self.changed.set()

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def create_room(self, *invite: str, encrypted: bool = False, direct: bool = False) -> str:
        response = await self.client.room_create(
            invite=list(invite), is_direct=direct, initial_state=[ENCRYPTED] if encrypted else []
        )
        assert isinstance(response, RoomCreateResponse), response
        return str(response.room_id)

    async def say(self, room_id: str, text: str, reply_to: str | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        room = self.client.rooms.get(room_id)
        if room is not None and room.encrypted:
            await self._know_devices_of(room_id)
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def _know_devices_of(self, room_id: str) -> None:
        """Before an encrypted message: the keys of every member's devices (a client that
        sends before it knows them leaves those devices out of the room key)."""

        def missing() -> list[str]:
            users = self.client.rooms[room_id].users
            store = self.client.device_store
            others = [u for u in users if u != self.user_id]
            return [u for u in others if not list(store.active_user_devices(u))]

        for _ in range(100):
            if not missing():
                return
            if self.client.should_query_keys:
                await self.client.keys_query()
            else:
                self.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 0.05)
        raise AssertionError(f"no device keys for {missing()} in {room_id}")

    def messages(self, room_id: str, sender: str | None = None) -> list[RoomMessage]:
        return [e for r, e in self.seen if r == room_id and (sender is None or e.sender == sender)]

    def images(self, room_id: str, sender: str) -> list[RoomMessage]:
        """The `m.image` messages, plain or (in encrypted rooms) with an encrypted file."""
        kinds = (RoomMessageImage, RoomEncryptedImage)
        return [m for m in self.messages(room_id, sender) if isinstance(m, kinds)]

    async def image_bytes(self, event: RoomMessage) -> bytes:
        """An image's content as this person's client shows it (downloaded, decrypted)."""
        downloaded = await self.client.download(image_url(event))
        body: bytes = getattr(downloaded, "body", b"")
        file = event.source["content"].get("file")
        if file is None:
            return body
        return bytes(
            decrypt_attachment(body, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
        )

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


def image_url(event: RoomMessage) -> str:
    content = event.source["content"]
    return str(content["file"]["url"] if "file" in content else content["url"])


def replied_to(event: RoomMessage) -> str | None:
    relates = event.source.get("content", {}).get("m.relates_to", {})
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    return reply.get("event_id") if isinstance(reply, dict) else None
