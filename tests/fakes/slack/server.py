"""A Slack-compatible server on 127.0.0.1: the Web API over HTTP and the Socket Mode websocket.

Tests drive it as Slack would: `send_command`, `send_action`, `send_event` push envelopes to
the connected app and return their envelope ids. The fake records, in one order (`seq`),
every envelope, every ack and every answer (Web API call or `response_url` post), so an ack
is *late* when an answer to its envelope came before it, and *missing* when none came: no
clock is involved. Block Kit is validated as Slack does and refused with
`{"ok": false, "error": "invalid_blocks"}`; every refusal is kept in `rejections`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from romm_comm.testing.loopback import LoopbackServer, LoopbackSite

from .validation import block_problem, slack_files

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
BOT_USER = "UBOT0001"
TEAM = "TFAKE001"
APP_ID = "AFAKE001"


@dataclass
class Envelope:
    id: str
    type: str
    payload: dict[str, Any]
    seq: int
    retry_attempt: int = 0
    sent_at: float = 0.0  # the fake's clock (benchmarks only; tests use `seq`)
    acks: list[int] = field(default_factory=list)  # the seq of each ack received
    ack_payloads: list[dict[str, Any]] = field(default_factory=list)
    ack_at: list[float] = field(default_factory=list)  # the fake's clock


@dataclass
class Answer:
    """Something the app sent: a message, an ephemeral, an update or a response_url post."""

    kind: str  # "post", "ephemeral", "update", "respond"
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    seq: int
    user: str = ""  # ephemeral: who sees it
    response_type: str = ""  # respond: "ephemeral" or "in_channel"
    envelope: str = ""  # respond: the envelope whose response_url it used
    ts: str = ""
    at: float = 0.0  # the fake's clock

    @property
    def visible_to_channel(self) -> bool:
        if self.kind == "respond":
            return self.response_type == "in_channel"
        return self.kind in {"post", "update"} and not self.channel.startswith("D")

    def all_text(self) -> str:
        return self.text + "\n" + json.dumps(self.blocks)


class FakeSlack(LoopbackServer):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.channels: dict[str, dict[str, Any]] = {
            "CGENERAL": {"id": "CGENERAL", "name": "general", "is_member": True},
            "COTHER": {"id": "COTHER", "name": "random", "is_member": False},
        }
        self.envelopes: dict[str, Envelope] = {}
        self.answers: list[Answer] = []
        self.uploads: list[dict[str, Any]] = []
        self.calls: list[str] = []  # Web API methods, in order
        self.rejections: list[tuple[str, str]] = []  # (method, why)
        self.rate_limit: dict[str, int] = {}  # method → 429s still to send
        self.swallow_acks: set[str] = set()  # envelope ids whose next ack is "lost"
        self.lose_next_ack = False
        self.connections = 0
        self.files: dict[str, dict[str, Any]] = {}
        self._seq = itertools.count(1)
        self._ids = itertools.count(1)
        self._ws: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._changed = asyncio.Condition()
        self._site = LoopbackSite()

    # --- lifecycle ------------------------------------------------------------------------
    name = "the fake Slack"

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # Slack takes GET for reads
        app.router.add_post("/respond/{envelope}", self._respond)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self._socket)
        return app

    async def stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        await super().stop()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # --- what tests wait on ---------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Any, within: float = 10.0) -> Any:
        async def wait() -> Any:
            async with self._changed:
                while not (found := predicate()):
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(wait(), within)

    async def wait_connected(self, connections: int = 1) -> None:
        await self.wait_for(lambda: self.connections >= connections and self._ws is not None)

    async def wait_answers(self, count: int, within: float = 10.0) -> list[Answer]:
        return list(
            await self.wait_for(lambda: len(self.answers) >= count and self.answers, within)
        )

    def late_or_missing_acks(self) -> list[str]:
        problems = []
        for env in self.envelopes.values():
            if not env.acks:
                problems.append(f"{env.id} ({env.type}): never acknowledged")
                continue
            answered = [a.seq for a in self.answers if a.envelope == env.id]
            if answered and min(answered) < env.acks[0]:
                problems.append(f"{env.id} ({env.type}): answered before its ack")
        return problems

    # --- envelopes ------------------------------------------------------------------------
    async def send(self, kind: str, payload: dict[str, Any]) -> Envelope:
        await self.wait_connected()
        env_id = f"env-{next(self._ids)}"
        if "response_url" in payload:  # each envelope's own: answers are matched to it
            payload["response_url"] = f"{self.url}/respond/{env_id}"
            payload["trigger_id"] = f"trigger-{env_id}"
        env = Envelope(env_id, kind, payload, next(self._seq), sent_at=self.clock())
        self.envelopes[env_id] = env
        if self.lose_next_ack:  # its first ack is "lost in a drop": Slack sends it again
            self.lose_next_ack = False
            self.swallow_acks.add(env_id)
        await self._deliver(env)
        return env

    async def _deliver(self, env: Envelope) -> None:
        assert self._ws is not None
        message = {
            "envelope_id": env.id,
            "type": env.type,
            "payload": env.payload,
            "accepts_response_payload": env.type != "events_api",
            "retry_attempt": env.retry_attempt,
            "retry_reason": "timeout" if env.retry_attempt else "",
        }
        await self._ws.send_str(json.dumps(message))

    async def send_command(
        self,
        text: str,
        *,
        user: str = "UMEMBER1",
        channel: str = "CGENERAL",
        command: str = "/romm",
    ) -> Envelope:
        payload = {
            "token": "verification",
            "team_id": TEAM,
            "api_app_id": APP_ID,
            "channel_id": channel,
            "channel_name": self.channels.get(channel, {}).get("name", "directmessage"),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "response_url": "",
            "trigger_id": "",
            "is_enterprise_install": "false",
        }
        return await self.send("slash_commands", payload)

    async def send_action(
        self,
        element: dict[str, Any],
        *,
        user: str = "UMEMBER1",
        channel: str = "CGENERAL",
        **picked: Any,
    ) -> Envelope:
        action = {
            "action_id": element["action_id"],
            "block_id": "b",
            "type": element["type"],
            "action_ts": "1.0",
            **picked,
        }
        if element["type"] == "button":
            action["value"] = element.get("value", "")
            action["text"] = element["text"]
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": APP_ID,
            "container": {"type": "message", "channel_id": channel, "message_ts": "1.0"},
            "trigger_id": "",
            "channel": {"id": channel, "name": "x"},
            "response_url": "",
            "actions": [action],
            "is_enterprise_install": False,
        }
        return await self.send("interactive", payload)

    async def send_event(self, event: dict[str, Any]) -> Envelope:
        payload = {
            "token": "verification",
            "team_id": TEAM,
            "api_app_id": APP_ID,
            "event": {"event_ts": "1.0", "ts": "1.0", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids)}",
            "event_time": 1,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        return await self.send("events_api", payload)

    async def send_mention(
        self, text: str, *, user: str = "UMEMBER1", channel: str = "CGENERAL"
    ) -> Envelope:
        """`@RomM text` in a channel."""
        return await self.send_event(
            {
                "type": "app_mention",
                "user": user,
                "channel": channel,
                "text": f"<@{BOT_USER}> {text}",
            }
        )

    async def press(self, action: str, label: str = "button", **context: Any) -> Envelope:
        """A press of a button whose value is `action` (as render.py makes them)."""
        element = {
            "type": "button",
            "action_id": f"b0:{action}",
            "value": action,
            "text": {"type": "plain_text", "text": label},
        }
        return await self.send_action(element, **context)

    async def disconnect(self) -> None:
        """Slack's `disconnect` envelope: the app opens a new connection."""
        assert self._ws is not None
        await self._ws.send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))

    async def drop(self) -> None:
        """The socket goes away without a close frame (a dropped connection)."""
        ws = self._ws
        self._ws = None
        if ws is not None and ws._req is not None and ws._req.transport is not None:
            ws._req.transport.close()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        if request.query.get("ticket") is None:
            raise web.HTTPForbidden()
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        await ws.send_str(
            json.dumps(
                {"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}}
            )
        )
        # Slack sends again what was not acknowledged before the connection changed.
        for env in list(self.envelopes.values()):
            if not env.acks:
                env.retry_attempt += 1
                await self._deliver(env)
        await self._notify()
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            env = self.envelopes.get(str(data.get("envelope_id")))
            if env is None:
                self.rejections.append(("ack", f"unknown envelope {data.get('envelope_id')}"))
                continue
            if env.id in self.swallow_acks:
                self.swallow_acks.discard(env.id)
                continue
            env.acks.append(next(self._seq))
            env.ack_at.append(self.clock())
            env.ack_payloads.append(data.get("payload") or {})
            await self._notify()
        if self._ws is ws:
            self._ws = None
        return ws

    # --- Web API --------------------------------------------------------------------------
    @staticmethod
    def _json(
        body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
    ) -> web.Response:
        return web.Response(
            body=json.dumps(body).encode(),
            status=status,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        )

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(dict(await request.post()))
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls.append(method)
        if self.rate_limit.get(method):
            self.rate_limit[method] -= 1
            return self._json({"ok": False, "error": "ratelimited"}, 429, {"Retry-After": "0"})
        auth = request.headers.get("Authorization", "")
        want = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if auth != f"Bearer {want}":
            return self._json({"ok": False, "error": "invalid_auth"})
        args = await self._args(request)
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        if handler is None:
            self.rejections.append((method, "unknown method"))
            return self._json({"ok": False, "error": "unknown_method"})
        if isinstance(args.get("blocks"), str):
            args["blocks"] = json.loads(args["blocks"])
        if "blocks" in args and (problem := self._blocks_problem(args["blocks"])):
            self.rejections.append((method, problem))
            return self._json({"ok": False, "error": "invalid_blocks", "errors": [problem]})
        result: dict[str, Any] = await handler(args)
        await self._notify()  # refusals too: tests may wait on them
        return self._json(result if not result.get("ok", True) else {"ok": True, **result})

    def _blocks_problem(self, blocks: Any) -> str | None:
        problem = block_problem(blocks)
        if problem is None:
            done = {u["id"] for u in self.uploads}
            missing = [f for f in slack_files(blocks) if f not in done]
            problem = f"slack_file {missing[0]} was never uploaded" if missing else None
        return problem

    async def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "user": "romm",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "BFAKE001",
            "is_enterprise_install": False,
        }

    async def m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={next(self._ids)}"}

    def _answer(self, kind: str, args: dict[str, Any]) -> Answer:
        answer = Answer(
            kind,
            str(args.get("channel", "")),
            str(args.get("text", "")),
            list(args.get("blocks") or []),
            next(self._seq),
            user=str(args.get("user", "")),
            ts=str(args.get("ts") or f"{1000 + len(self.answers)}.000100"),
            at=self.clock(),
        )
        self.answers.append(answer)
        return answer

    async def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if not channel.startswith("D") and not self.channels.get(channel, {}).get("is_member"):
            return {"ok": False, "error": "not_in_channel"}
        answer = self._answer("post", args)
        return {"channel": channel, "ts": answer.ts, "message": {"text": answer.text}}

    async def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._answer("ephemeral", args).ts}

    async def m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not any(a.ts == args.get("ts") for a in self.answers):
            return {"ok": False, "error": "message_not_found"}
        answer = self._answer("update", args)
        return {"channel": answer.channel, "ts": answer.ts}

    async def m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(args["users"])[1:]}}

    async def m_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channels": list(self.channels.values()), "response_metadata": {"next_cursor": ""}}

    async def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"user": {"id": args.get("user"), "name": str(args.get("user", "")).lower()}}

    async def m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):06d}"
        self.files[file_id] = {
            "id": file_id,
            "filename": args.get("filename"),
            "length": int(args.get("length", 0)),
            "data": b"",
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    async def m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args["files"]) if isinstance(args["files"], str) else args["files"]
        done = []
        for item in files:
            stored = self.files.get(item["id"])
            if stored is None or len(stored["data"]) != stored["length"]:
                return {"ok": False, "error": "file_upload_failed"}
            self.uploads.append(
                {**stored, "channel": args.get("channel_id"), "seq": next(self._seq)}
            )
            done.append({"id": item["id"], "title": item.get("title")})
        return {"files": done}

    async def m_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"file": {"id": args.get("file")}}

    async def _upload(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["file"])
        if stored is None:
            return web.Response(status=404)
        stored["data"] = await request.read()
        return web.Response(text="OK - " + str(len(stored["data"])))

    async def _respond(self, request: web.Request) -> web.Response:
        env_id = request.match_info["envelope"]
        body = await request.json()
        if "blocks" in body and (problem := self._blocks_problem(body["blocks"])):
            self.rejections.append(("response_url", problem))
            return web.Response(status=400, text="invalid_blocks")
        env = self.envelopes.get(env_id)
        channel = ""
        if env is not None:
            channel = str(
                env.payload.get("channel_id") or env.payload.get("channel", {}).get("id", "")
            )
        self.answers.append(
            Answer(
                "respond",
                channel,
                str(body.get("text", "")),
                list(body.get("blocks") or []),
                next(self._seq),
                response_type=str(body.get("response_type", "ephemeral")),
                envelope=env_id,
                at=self.clock(),
            )
        )
        await self._notify()
        return web.Response(text="ok")
