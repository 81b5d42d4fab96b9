"""The gateway websocket: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME, dispatch.

Frames are plain JSON text (discord.py accepts them whatever `compress=` it asked for).
Each connection has one writer task, so events leave in the order they were dispatched,
and `dispatch` can be called from synchronous code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import intents, payloads

if TYPE_CHECKING:
    from .world import Transform, World

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_VOICE_STATE_UPDATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

BUFFERED_EVENTS = 1000  # kept per session for RESUME replays


class Connection:
    """One websocket; frames go out in order through a single writer task."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.closed_by_server = False
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._task = asyncio.create_task(self._writer())

    def send(self, payload: dict[str, Any]) -> None:
        self._queue.put_nowait(("text", json.dumps(payload)))

    def close(self, code: int, reason: str = "") -> None:
        """Close after the frames already queued have been written."""
        self.closed_by_server = True
        self._queue.put_nowait(("close", (code, reason)))

    async def drain(self) -> None:
        await self._queue.join()

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _writer(self) -> None:
        while True:
            kind, item = await self._queue.get()
            # If the peer went away mid-write, drop the frame: the reader side cleans up. The
            # writer must survive any error, or drain() would wait forever.
            try:
                with contextlib.suppress(Exception):
                    if self.ws.closed:
                        continue
                    if kind == "text":
                        await self.ws.send_str(item)
                    else:
                        code, reason = item
                        await self.ws.close(code=code, message=reason.encode())
            finally:
                self._queue.task_done()


@dataclass
class Session:
    session_id: str
    intents: int
    shard: list[int]
    conn: Connection | None
    seq: int = 0
    alive: bool = True
    buffer: list[dict[str, Any]] = field(default_factory=list)

    def push(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        frame = {"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data}
        self.buffer.append(frame)
        del self.buffer[:-BUFFERED_EVENTS]
        if self.conn is not None:
            self.conn.send(frame)


class Gateway:
    def __init__(self, world: World) -> None:
        self.world = world
        self.url = ""  # set by FakeDiscord once the port is known
        self.heartbeat_interval_ms = 41250
        self.close_code_on_identify: int | None = None
        self.privileged_intents = intents.PRIVILEGED  # what the "developer portal" allows
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.received: list[dict[str, Any]] = []  # every op the bot sent (tokens redacted)
        self.identify_count = 0
        self.resume_count = 0
        self.ready = asyncio.Event()  # set at the first successful IDENTIFY

    # -- dispatch -----------------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        transform: Transform | None = None,
    ) -> int:
        reached = 0
        for session in self.sessions.values():
            if not session.alive or (intent is not None and not session.intents & intent):
                continue
            session.push(event, transform(session.intents, data) if transform else data)
            reached += 1
        return reached

    def attached_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.alive and s.conn is not None]

    async def drain(self) -> None:
        for conn in list(self.connections):
            await conn.drain()

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT to every connection (the bot should RESUME)."""
        for conn in list(self.connections):
            conn.send({"op": OP_RECONNECT, "d": None})

    async def close(self) -> None:
        for conn in list(self.connections):
            conn.close(1001, "fake discord shutting down")
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.drain(), 1)

    # -- websocket handler --------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws)
        self.connections.add(conn)
        conn.send({"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    self._protocol_error(conn, 4002, f"unexpected frame type {msg.type!r}")
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    self._protocol_error(conn, 4002, "frame is not JSON")
                    continue
                session = self._on_op(conn, session, payload)
        finally:
            self.connections.discard(conn)
            await conn.drain()
            await conn.stop()
            if session is not None and session.conn is conn:
                session.conn = None
                # A clean close by the client ends the session; other codes keep it resumable.
                if not conn.closed_by_server and ws.close_code in (1000, 1001):
                    session.alive = False
        return ws

    def _protocol_error(self, conn: Connection, code: int, detail: str) -> None:
        self.world.record_error("gateway", "WS", "/gateway", detail)
        conn.close(code, detail)

    def _on_op(
        self, conn: Connection, session: Session | None, payload: dict[str, Any]
    ) -> Session | None:
        op, data = payload.get("op"), payload.get("d")
        self.received.append({"op": op, "d": _redact(data)})
        if op == OP_HEARTBEAT:
            conn.send({"op": OP_HEARTBEAT_ACK})
            return session
        if op == OP_IDENTIFY:
            if session is not None:
                conn.close(4005, "Already authenticated.")
                return session
            return self._identify(conn, data or {})
        if op == OP_RESUME:
            return self._resume(conn, data or {})
        if session is None:
            conn.close(4003, "Not authenticated.")
            return None
        if op == OP_PRESENCE_UPDATE:
            if isinstance(data, dict):
                self.world.presence = data
                self.world.presence_updates.append(data)
        elif op == OP_REQUEST_GUILD_MEMBERS:
            self._send_member_chunk(session, data or {})
        elif op != OP_VOICE_STATE_UPDATE:
            self._protocol_error(conn, 4001, f"unknown opcode {op!r}")
        return session

    def _identify(self, conn: Connection, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.world.token:
            conn.close(4004, "Authentication failed.")
            return None
        if self.close_code_on_identify is not None:
            conn.close(self.close_code_on_identify, "Closed by test (close_code_on_identify).")
            return None
        wanted = int(data.get("intents", 0))
        if wanted & intents.PRIVILEGED & ~self.privileged_intents:
            conn.close(4014, "Disallowed intent(s).")
            return None
        session = Session(secrets.token_hex(16), wanted, list(data.get("shard", [0, 1])), conn)
        self.sessions[session.session_id] = session
        if data.get("presence"):
            self.world.presence = data["presence"]
            self.world.presence_updates.append(data["presence"])
        session.push("READY", self._ready_payload(session))
        for guild in self.world.guilds.values():
            session.push("GUILD_CREATE", self.world.guild_create_payload(guild, wanted))
        self.identify_count += 1
        self.ready.set()
        return session

    def _ready_payload(self, session: Session) -> dict[str, Any]:
        return {
            "v": 10,
            "user": payloads.client_user(self.world.bot),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.world.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "shard": session.shard,
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }

    def _resume(self, conn: Connection, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.world.token:
            conn.close(4004, "Authentication failed.")
            return None
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or not session.alive:
            conn.send({"op": OP_INVALID_SESSION, "d": False})
            return None
        if session.conn is not None and session.conn is not conn:
            session.conn.close(4000, "Session resumed elsewhere.")
        session.conn = conn
        last_seen = int(data.get("seq") or 0)
        for frame in session.buffer:
            if frame["s"] > last_seen:
                conn.send(frame)
        session.push("RESUMED", {"_trace": ["fake-discord"]})
        self.resume_count += 1
        return session

    def _send_member_chunk(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        user_ids = {int(u) for u in data.get("user_ids") or []}
        limit = int(data.get("limit") or 0) or len(guild.members)
        found = [
            m
            for m in guild.members.values()
            if (not user_ids or m.user.id in user_ids) and m.user.name.lower().startswith(query)
        ][:limit]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [payloads.member(m) for m in found],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in user_ids - {m.user.id for m in found}],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session.push("GUILD_MEMBERS_CHUNK", chunk)


def _redact(data: Any) -> Any:
    if isinstance(data, dict) and "token" in data:
        return {**data, "token": "<redacted>"}
    return data
