"""The Matrix bot: one matrix-nio client that syncs, joins its rooms and answers messages.

- Commands are messages starting with MATRIX_COMMAND_PREFIX (`!search n64 mario`), read by
  `core.text_input` as everywhere; a number (`1`, `1,3`, `all`) or `b1` answers the last
  list or buttons that person was shown in that room, or the list a Matrix reply points to.
- Nothing from before the bot's start is executed: the first sync (timeout 0) only brings
  the rooms up to date, callbacks are added after it, and older events are ignored.
- The sync token (`next_batch`) is kept in the store, so a restart resumes where it was.
- End-to-end encryption (see e2e): with matrix-nio's e2e extra the bot reads and answers
  in encrypted rooms and opens encrypted direct rooms; without it, it says once that an
  encrypted room is out of its reach and stays silent there.
- A person who shares a configured room with the bot may invite it to a direct room
  (`is_direct`): it joins, lists the room in `m.direct` and answers there; other invites
  are declined with a log line.
- Every handler is guarded: an exception is logged and kept in `handler_errors` (tests
  assert it stays empty) and the sync goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    LocalProtocolError,
    MatrixRoom,
    MegolmEvent,
    RoomMessageText,
    SyncResponse,
)
from nio.api import Api

from ...core.cards import Reply
from ...core.commands import Caller
from ...core.supervisor import Supervisor
from ...core.text_input import Pending, TextDialog, is_selection, strip_prefix
from ...features.context import Context
from . import e2e
from .conversations import Conversations
from .notifier import FRONT_END, MatrixNotifier
from .rooms import DirectRooms, KnownRooms, resolve
from .sender import Sender
from .session import log_in

if TYPE_CHECKING:
    from .config import Host

log = logging.getLogger("romm_comm.matrix")

NEXT_BATCH_KEY = "matrix:next_batch"
SENT_PRIVATELY = "{name}: I sent you a private message."
NO_E2E = (
    "matrix: room {room} is encrypted and this build has no end-to-end encryption: "
    "the bot cannot read or answer there (use an unencrypted room)"
)
LEGACY_ROOM_VERSIONS = frozenset(str(n) for n in range(1, 12))
_BUTTON = re.compile(r"^b\d+$", re.IGNORECASE)


def without_reply_fallback(body: str) -> str:
    """A reply's text without the quoted lines older clients put before it."""
    lines = body.splitlines()
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


class MatrixBot:
    def __init__(
        self,
        app: Host,
        *,
        sync_timeout_ms: int = 30_000,
        max_retry_wait: float = 30.0,
        clock: Callable[[], float] = time.time,
        encryption: bool | None = None,
    ) -> None:
        self.app = app
        config = app.matrix
        self.config = config
        self.encryption = e2e.AVAILABLE if encryption is None else encryption
        self.store_folder = e2e.store_folder(config.data_dir) if self.encryption else None
        self.client = AsyncClient(
            config.matrix_homeserver or "",
            config.matrix_user_id or "",
            store_path=str(self.store_folder) if self.store_folder else "",
            config=AsyncClientConfig(
                encryption_enabled=self.encryption,
                store_sync_tokens=False,
                max_timeouts=2,
                max_timeout_retry_wait_time=max_retry_wait,
                request_timeout=sync_timeout_ms / 1000 + 30,
            ),
        )
        self.sync_timeout_ms = sync_timeout_ms
        self.started_ms = int(clock() * 1000)
        self.dialog = TextDialog(app.registry)
        services = app.services
        services.front_ends.expect(FRONT_END)
        self.conversations = Conversations(services.store)
        self.known_rooms = KnownRooms(self.client)
        self.dms = DirectRooms(self.client, services.store, self.known_rooms, self.encryption)
        self.sender = Sender(
            self.client, services, app.registry, config.matrix_command_prefix, self.known_rooms
        )
        self.notifier = MatrixNotifier(self)
        self.rooms: set[str] = set()  # configured rooms, as ids
        self.topic_rooms: dict[str, str] = {}
        self.dm_rooms: set[str] = set()
        self.handler_errors: list[BaseException] = []
        self.tasks = Supervisor(on_crash=self.record_error)
        self.ready = asyncio.Event()
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._invites: set[str] = set()
        self._waiting_invites: dict[str, tuple[str, bool]] = {}
        self._encrypted_warned: set[str] = set()
        self._creators_of: dict[str, set[str]] = {}
        self.user_id = ""

    # --- start -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Log in, join the rooms, catch up without answering anything old."""
        self.user_id = await log_in(self.client, self.config)
        if self.store_folder is not None and not e2e.open_store(self.client, self.store_folder):
            self.encryption = self.dms.encrypted = False
        config = self.config
        for room in config.matrix_rooms:
            room_id = await resolve(self.client, room)
            if room_id is not None:
                self.rooms.add(room_id)
        topics = {
            "admin": config.matrix_log_room,
            "recent_roms": config.matrix_recent_room,
            "scans": config.matrix_scans_room or config.matrix_log_room,
            "requests": config.matrix_requests_room or config.matrix_log_room,
        }
        for topic, where in topics.items():
            topic_room = await resolve(self.client, where) if where else None
            if topic_room is not None:
                self.topic_rooms[topic] = topic_room
        self.dm_rooms = await self.dms.known()
        since: str | None = await self.app.services.store.get_json(NEXT_BATCH_KEY)
        # invites waiting since before the start: who sent them, and whether to a direct room
        self.client.add_event_callback(self._note_invite, InviteMemberEvent)
        first = await self.client.sync(timeout=0, since=since, full_state=True)
        callbacks = self.client.event_callbacks
        callbacks[:] = [c for c in callbacks if c.func != self._note_invite]
        if isinstance(first, SyncResponse):
            await self._synced(first)
        for room_id in self.rooms | set(self.topic_rooms.values()):
            if room_id not in self.client.rooms:
                await self._join(room_id)
        for room_id in list(self.client.invited_rooms):
            sender, direct = self._waiting_invites.get(room_id, ("", False))
            await self._invited(room_id, sender, direct)
        for room in self.client.rooms.values():
            self._warn_encrypted(room)
        self.client.add_event_callback(self._guard(self.on_message), RoomMessageText)
        self.client.add_event_callback(self._guard(self.on_encrypted), MegolmEvent)
        self.client.add_event_callback(self._guard(self.on_invite), InviteMemberEvent)
        services = self.app.services
        services.notifications.register(self.notifier)
        services.front_ends.connected(FRONT_END)
        log.info("matrix: ready as %s in %d room(s)", self.user_id, len(self.rooms))
        self.ready.set()

    async def sync_until(self, stop: asyncio.Event, pause: float) -> None:
        """Sync until `stop`; a homeserver that goes away is waited for, never fatal."""
        services = self.app.services
        while not stop.is_set():
            try:
                response = await self._sync_or_stop(stop)
                if stop.is_set():
                    break
            except (OSError, TimeoutError) as exc:
                response = None
                log.warning("matrix: the homeserver is not reachable (%s)", type(exc).__name__)
            except Exception as exc:  # a broken sync must not end the bot
                response = None
                self.record_error(exc)
            if isinstance(response, SyncResponse):
                services.front_ends.connected(FRONT_END)
                await self._synced(response)
                continue
            if response is not None:
                log.warning("matrix: sync failed: %s", response)
            services.front_ends.connected(FRONT_END, False)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)

    async def _sync_or_stop(self, stop: asyncio.Event) -> Any:
        """One long-polling sync, abandoned as soon as `stop` is set (no 30 s wait)."""
        syncing = asyncio.create_task(self.client.sync(timeout=self.sync_timeout_ms))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({syncing, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not syncing.done():
                syncing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await syncing
        return None if syncing.cancelled() else syncing.result()

    async def _synced(self, response: SyncResponse) -> None:
        """After a sync: keep its token, exchange keys, trust new devices, wake waiters."""
        await self.app.services.store.set_json(NEXT_BATCH_KEY, response.next_batch)
        if self.client.olm is not None:
            await e2e.exchange_keys(self.client)
            e2e.trust_on_first_use(self.client, self.answered_rooms())
        self.known_rooms.synced()

    def answered_rooms(self) -> set[str]:
        return self.rooms | self.dm_rooms | set(self.topic_rooms.values())

    # --- events ----------------------------------------------------------------------------
    def _guard(
        self, handler: Callable[[MatrixRoom, Any], Coroutine[Any, Any, None]]
    ) -> Callable[[MatrixRoom, Any], Coroutine[Any, Any, None]]:
        async def guarded(room: MatrixRoom, event: Any) -> None:
            try:
                await handler(room, event)
            except Exception as exc:
                self.record_error(exc)

        return guarded

    async def on_message(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id or event.server_timestamp < self.started_ms:
            return
        if room.room_id not in self.rooms and room.room_id not in self.dm_rooms:
            return
        self.tasks.spawn(self._answer(room, event), f"matrix-{event.event_id}")

    async def on_encrypted(self, room: MatrixRoom, event: MegolmEvent) -> None:
        """A message nio could not decrypt (with encryption on, decrypted ones arrive as
        RoomMessageText): its key is asked for; without encryption, one warning."""
        if self.client.olm is None:
            self._warn_encrypted(room, force=True)
            return
        if event.server_timestamp < self.started_ms or room.room_id not in self.answered_rooms():
            return
        log.warning(
            "matrix: could not decrypt a message from %s in %s (no key for its session yet); "
            "asking their devices for it",
            event.sender,
            room.room_id,
        )
        with contextlib.suppress(LocalProtocolError):  # already asked
            await self.client.request_room_key(event)

    async def _note_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.client.user_id and event.membership == "invite":
            direct = bool(event.content.get("is_direct"))
            self._waiting_invites[room.room_id] = (event.sender, direct)

    async def on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership == "invite":
            direct = bool(event.content.get("is_direct"))
            await self._invited(room.room_id, event.sender, direct)

    async def _invited(self, room_id: str, sender: str, direct: bool = False) -> None:
        if room_id in self._invites:
            return
        self._invites.add(room_id)
        if room_id in self.rooms or room_id in self.topic_rooms.values():
            await self._join(room_id)
            return
        if direct and sender and self._shares_a_room(sender):
            if await self._join(room_id):
                await self.dms.accepted(sender, room_id)
                self.dm_rooms.add(room_id)
                log.info("matrix: accepted %s's invite to a direct room %s", sender, room_id)
            return
        if direct:
            why = "a direct room from someone in none of MATRIX_ROOMS"
        else:
            why = "not in MATRIX_ROOMS"
        log.info("matrix: refused an invite to %s from %s: %s", room_id, sender or "someone", why)
        await self.client.room_leave(room_id)

    def _shares_a_room(self, user_id: str) -> bool:
        """Whether `user_id` is a member of one of the configured rooms."""
        for room_id in self.rooms:
            room = self.client.rooms.get(room_id)
            if room is not None and user_id in room.users:
                return True
        return False

    async def _join(self, room_id: str) -> bool:
        response = await self.client.join(room_id)
        if not isinstance(response, JoinResponse):
            log.warning("matrix: could not join %s: %s", room_id, response)
            return False
        return True

    def _warn_encrypted(self, room: MatrixRoom, *, force: bool = False) -> None:
        if self.client.olm is not None:
            return
        if (room.encrypted or force) and room.room_id not in self._encrypted_warned:
            self._encrypted_warned.add(room.room_id)
            log.warning(NO_E2E.format(room=room.room_id))

    # --- answering -------------------------------------------------------------------------
    async def _answer(self, room: MatrixRoom, event: RoomMessageText) -> None:
        key = (room.room_id, event.sender)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            await self._answer_now(room, event)

    async def _answer_now(self, room: MatrixRoom, event: RoomMessageText) -> None:
        text = without_reply_fallback(event.body).strip()
        replied_to = _in_reply_to(event.source)
        pending: Pending | None = None
        line: str | None = None
        if replied_to is not None:
            pending = await self.conversations.list_of(room.room_id, replied_to)
            if pending is not None and (is_selection(text) or _BUTTON.match(text)):
                line = text
        if line is None:
            command = strip_prefix(text, self.config.matrix_command_prefix)
            if command is not None:
                line = command
            elif is_selection(text) or _BUTTON.match(text):
                pending = await self.conversations.pending(room.room_id, event.sender)
                if pending.picker is None and not pending.buttons:
                    return  # a number in the conversation, not an answer to the bot
                line = text
        if line is None or not line:
            return
        if pending is None:
            pending = await self.conversations.pending(room.room_id, event.sender)
        caller = Caller(
            event.sender,
            room.user_name(event.sender) or event.sender,
            FRONT_END,
            await self.is_admin(event.sender),
        )
        ctx = Context(caller, self.app.services)
        reply = await self.dialog.answer(ctx, line, pending)
        personal = is_personal(reply, self.sender.render(reply).body)
        await self.deliver(
            room.room_id, event.sender, caller.name, reply, pending, personal, event.event_id
        )

    async def deliver(
        self,
        room_id: str,
        user_id: str,
        name: str,
        reply: Reply,
        pending: Pending,
        personal: bool,
        answering: str | None = None,
    ) -> None:
        """Answer in the room (as a Matrix reply to `answering`), or privately with one
        line in the room."""
        target = room_id
        private = personal and room_id not in self.dm_rooms
        if private:
            dm = await self.dms.room_for(user_id)
            if dm is None:
                await self.sender.send(
                    room_id,
                    Reply.error("I cannot open a private conversation with you."),
                    answering,
                )
                return
            self.dm_rooms.add(dm)
            target = dm
            pending = await self.conversations.pending(dm, user_id)
        event_id = await self.sender.send(target, reply, None if private else answering)
        after = pending.after(reply)
        if after != pending or event_id is not None:
            await self.conversations.remember(target, user_id, after, event_id)
        if private:
            line = Reply.notice(SENT_PRIVATELY.format(name=name))
            await self.sender.send(room_id, line, answering)

    async def is_admin(self, user_id: str) -> bool:
        """MATRIX_ADMIN_IDS, or (with MATRIX_ADMIN_POWER_LEVEL) that power level in one of
        the configured rooms; a room's creators count as the highest level from room
        version 12 on, where they are not listed in the power levels."""
        if user_id in self.config.matrix_admin_ids:
            return True
        level = self.config.matrix_admin_power_level
        if level is None:
            return False
        for room_id in self.rooms:
            room = self.client.rooms.get(room_id)
            if room is None:
                continue
            if room.power_levels.get_user_level(user_id) >= level:
                return True
            if user_id in await self._creators(room_id):
                return True
        return False

    async def _creators(self, room_id: str) -> set[str]:
        """Who created the room (its create event's sender and `additional_creators`) when
        the room's version gives creators the highest power (12 on); else nobody."""
        if room_id not in self._creators_of:
            path = Api._build_path(["rooms", room_id, "state", "m.room.create", ""])
            headers = {"Authorization": f"Bearer {self.client.access_token}"}
            response = await self.client.send("GET", path + "?format=event", None, headers)
            found: set[str] = set()
            if response.status == 200:
                event = await response.json()
                content = event.get("content", {})
                if str(content.get("room_version", "1")) not in LEGACY_ROOM_VERSIONS:
                    found.add(str(event.get("sender", "")))
                    found.update(str(c) for c in content.get("additional_creators", []))
                self._creators_of[room_id] = found
            response.release()
        return self._creators_of.get(room_id, set())

    # --- errors and closing ----------------------------------------------------------------
    def record_error(self, error: BaseException) -> None:
        self.handler_errors.append(error)
        log.error("matrix handler failed", exc_info=(type(error), error, error.__traceback__))

    async def close(self) -> None:
        services = self.app.services
        services.front_ends.connected(FRONT_END, False)
        if services.notifications.notifiers.get(FRONT_END) is self.notifier:
            services.notifications.unregister(FRONT_END)
        await self.tasks.close()
        await self.client.close()


def is_personal(reply: Reply, body: str) -> bool:
    """Whether a reply is for its asker's eyes only, hence sent to their private room:
    what core marks so (Reply.for_asker_only: download links, QR codes, their account,
    their own requests and reports), and, to be safe, any attachment or address. Other
    "only you see it" replies (Discord's ephemeral lists, help, errors) stay in the room,
    where a whole conversation can follow them."""
    if not reply.private or reply.tone == "error":
        return False
    return reply.for_asker_only or bool(reply.attachments) or "://" in body


def _in_reply_to(source: dict[str, Any]) -> str | None:
    relates = source.get("content", {}).get("m.relates_to")
    if not isinstance(relates, dict):
        return None
    reply = relates.get("m.in_reply_to")
    if isinstance(reply, dict) and isinstance(reply.get("event_id"), str):
        return str(reply["event_id"])
    return None
