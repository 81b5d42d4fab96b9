"""A Telegram Bot API server on 127.0.0.1 for tests: `/bot{token}/{method}` and
`/file/bot{token}/{path}`, validating requests as Telegram does and refusing with Telegram's
own shape (`{"ok": false, "error_code": 400, "description": "Bad Request: …"}`). Every
refusal is recorded (`rejections`): tests fail on any.

People, groups and memberships are set up by the test; `say` and `press` queue updates that
the bot's `getUpdates` long poll receives; what the bot sent is in `sent`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from romm_comm.testing.loopback import LoopbackServer, LoopbackSite

from .validation import (
    Rejected,
    bad,
    check_caption,
    check_commands,
    check_markup,
    check_text,
)

JSON_FIELDS = {
    "reply_markup", "scope", "commands", "link_preview_options", "allowed_updates",
    "reply_parameters",
}  # fmt: skip
INT_FIELDS = {"chat_id", "message_id", "offset", "timeout", "user_id", "limit"}
BOT_ID = 700_000_001
BOT_USERNAME = "RommTestBot"


@dataclass
class Person:
    id: int
    first_name: str
    username: str | None = None
    started: bool = True  # has pressed Start in a private chat with the bot

    def user(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            found["username"] = self.username
        return found


@dataclass
class Group:
    id: int
    title: str
    members: dict[int, str] = field(default_factory=dict)  # user id → status
    bot_status: str = "member"  # the bot's own membership


@dataclass
class Sent:
    chat_id: int
    message_id: int
    method: str
    html: str  # as the bot sent it (text or caption)
    text: str  # as people see it
    markup: list[list[dict[str, Any]]]
    photo: bytes | None = None
    edits: list[str] = field(default_factory=list)

    def buttons(self) -> list[dict[str, Any]]:
        return [b for row in self.markup for b in row]

    def button(self, text_part: str) -> dict[str, Any]:
        for b in self.buttons():
            if text_part.lower() in str(b["text"]).lower():
                return b
        raise AssertionError(
            f"no button with {text_part!r} in {[b['text'] for b in self.buttons()]}"
        )


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


class FakeTelegram(LoopbackServer):
    def __init__(self, token: str = "123456789:TEST-token_abcdefghijklmnop") -> None:
        self.token = token
        self.username = BOT_USERNAME
        self.can_read_all_group_messages = False
        self.people: dict[int, Person] = {}
        self.groups: dict[int, Group] = {}
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0  # updates below this id were confirmed by an offset
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self.sent: list[Sent] = []
        self.calls: list[Call] = []
        self.rejections: list[tuple[str, str]] = []
        self.queries: dict[str, bool] = {}  # callback query id → answered
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope (json) → commands
        self.rate_limits: dict[str, list[int]] = {}
        self.failures: dict[str, list[int | None]] = {}
        self.changed = asyncio.Condition()
        self.closing = False
        self._site = LoopbackSite()

    # --- the test's side ---------------------------------------------------------------
    def add_person(self, person_id: int, name: str, *, started: bool = True) -> Person:
        self.people[person_id] = Person(person_id, name, name.lower(), started)
        return self.people[person_id]

    def add_group(self, chat_id: int, title: str, members: dict[int, str]) -> Group:
        self.groups[chat_id] = Group(chat_id, title, dict(members))
        return self.groups[chat_id]

    def fail_next(self, method: str, status: int | None = None) -> None:
        """The next call of `method` fails: with a 5xx `status`, or (None) a dropped connection."""
        self.failures.setdefault(method, []).append(status)

    def limit_next(self, method: str, retry_after: int = 1) -> None:
        """The next call of `method` gets a 429 with `retry_after`."""
        self.rate_limits.setdefault(method, []).append(retry_after)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        group = self.groups.get(chat_id)
        if group is not None:
            return {"id": chat_id, "type": "supergroup", "title": group.title}
        person = self.people[chat_id]
        return {"id": chat_id, "type": "private", "first_name": person.first_name}

    async def _queue(self, body: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        async with self.changed:
            self.updates.append({"update_id": update_id, **body})
            self.changed.notify_all()
        return update_id

    async def say(self, user_id: int, chat_id: int, text: str) -> int:
        """`user_id` writes `text` in `chat_id` (a group's id, or their own: the private chat)."""
        if chat_id == user_id:
            self.people[user_id].started = True
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self.people[user_id].user(),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self._queue({"message": message})

    async def press(self, user_id: int, sent: Sent, data: str) -> str:
        query_id = str(next(self._query_ids))
        self.queries[query_id] = False
        message = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "RomM"},
            "text": sent.text or "·",
        }
        await self._queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.people[user_id].user(),
                    "message": message,
                    "chat_instance": str(sent.chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    def in_chat(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for(self, check: Callable[[], Any], within: float = 10.0) -> Any:
        """Wait until `check()` is truthy (re-checked after every request the bot makes)."""

        async def until() -> Any:
            async with self.changed:
                while not (found := check()):
                    await self.changed.wait()
                return found

        try:
            return await asyncio.wait_for(until(), within)
        except TimeoutError:
            raise AssertionError(
                f"timed out; rejections: {self.rejections}; last calls: "
                f"{[c.method for c in self.calls[-8:]]}"
            ) from None

    def wait_sent(
        self, chat_id: int, count: int = 1, timeout: float = 10.0
    ) -> Coroutine[Any, Any, list[Sent]]:
        """The next `count` messages in `chat_id` after those there now (counted at the call)."""
        before = len(self.in_chat(chat_id))

        def arrived() -> list[Sent] | None:
            found = self.in_chat(chat_id)[before:]
            return found[:count] if len(found) >= count else None

        return self.wait_for(arrived, timeout)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- serving -------------------------------------------------------------------------
    name = "the fake Telegram"

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        return app

    async def stop(self) -> None:
        async with self.changed:  # long polls end now, not at their timeout
            self.closing = True
            self.changed.notify_all()
        await super().stop()

    async def _file(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPNotFound()

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                else:
                    params[key] = value
        params.update(request.query)
        for key in list(params):
            if key in JSON_FIELDS and isinstance(params[key], str):
                params[key] = json.loads(params[key])
            elif key in INT_FIELDS and isinstance(params[key], str):
                params[key] = int(params[key])
        return params, files

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._refuse(method, Rejected(401, "Unauthorized"), record=False)
        params, files = await self._params(request)
        call = Call(method, params, time.monotonic())
        failures = self.failures.get(method)
        if failures:
            status = failures.pop(0)
            self.calls.append(call)
            if status is None:
                assert request.transport is not None
                request.transport.close()
                raise web.HTTPInternalServerError()
            return _json({"ok": False, "error_code": status, "description": "Bad Gateway"}, status)
        limits = self.rate_limits.get(method)
        if limits:
            retry = limits.pop(0)
            self.calls.append(call)
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry}",
                "parameters": {"retry_after": retry},
            }
            return _json(body, 429)
        handler = getattr(self, "_m_" + method.lower(), None)
        try:
            if handler is None:
                raise Rejected(404, "Not Found: method not found")
            if method.lower() == "getupdates":
                result = await handler(params)
            else:
                result = handler(params, files)
        except Rejected as exc:
            async with self.changed:
                self.calls.append(call)
                self.changed.notify_all()
            expected = exc.code == 403 or "chat not found" in exc.description
            return self._refuse(method, exc, record=not expected)
        async with self.changed:
            self.calls.append(call)
            self.changed.notify_all()
        return _json({"ok": True, "result": result})

    def _refuse(self, method: str, exc: Rejected, *, record: bool) -> web.Response:
        if record:
            self.rejections.append((method, exc.description))
        return _json(
            {"ok": False, "error_code": exc.code, "description": exc.description}, exc.code
        )

    # --- methods -------------------------------------------------------------------------
    def _me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "RomM",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
        }

    def _me_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "RomM", "username": self.username}

    def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._me()

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = params.get("offset")
        if offset:
            self.confirmed = max(self.confirmed, int(offset))
        timeout = float(params.get("timeout") or 0)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self.updates if u["update_id"] >= self.confirmed]

        async with self.changed:
            if not pending() and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self.changed.wait_for(lambda: bool(pending()) or self.closing), timeout
                    )
            return pending()

    def _target(self, chat_id: Any) -> int:
        if not isinstance(chat_id, int):
            raise bad("chat not found")
        if chat_id in self.groups:
            return chat_id
        person = self.people.get(chat_id)
        if person is None:
            raise bad("chat not found")
        if not person.started:
            raise Rejected(403, "Forbidden: bot can't initiate conversation with a user")
        return chat_id

    def _record(
        self,
        method: str,
        chat_id: int,
        html_text: str,
        shown: str,
        markup: Any,
        photo: bytes | None = None,
    ) -> dict[str, Any]:
        sent = Sent(chat_id, next(self._message_ids), method, html_text, shown, markup, photo)
        self.sent.append(sent)
        return self._message(sent)

    def _message(self, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "RomM", "username": self.username},
        }
        if sent.photo is not None:
            message["photo"] = [
                {
                    "file_id": f"photo{sent.message_id}",
                    "file_unique_id": f"u{sent.message_id}",
                    "width": 320,
                    "height": 320,
                }
            ]
            if sent.text:
                message["caption"] = sent.text
        else:
            message["text"] = sent.text
        if sent.markup:
            message["reply_markup"] = {"inline_keyboard": sent.markup}
        return message

    def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._target(params.get("chat_id"))
        text = params.get("text")
        shown = check_text(text, params.get("parse_mode"))
        markup = check_markup(params.get("reply_markup"))
        return self._record("sendMessage", chat_id, str(text), shown, markup)

    def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._target(params.get("chat_id"))
        photo = params.get("photo")
        data: bytes | None = None
        if isinstance(photo, str) and photo.startswith("attach://"):
            data = files.get(photo[len("attach://") :])
        elif "photo" in files:
            data = files["photo"]
        if data is None:
            # A URL Telegram's servers cannot fetch (a RomM on a LAN), or a made-up file id.
            raise bad("wrong file identifier/HTTP URL specified")
        if not data:
            raise bad("file must be non-empty")
        caption = params.get("caption")
        shown = check_caption(caption, params.get("parse_mode"))
        markup = check_markup(params.get("reply_markup"))
        return self._record("sendPhoto", chat_id, str(caption or ""), shown, markup, data)

    def _find(self, params: dict[str, Any]) -> Sent:
        for sent in self.sent:
            if sent.chat_id == params.get("chat_id") and sent.message_id == params.get(
                "message_id"
            ):
                return sent
        raise bad("message to edit not found")

    def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent = self._find(params)
        if sent.photo is not None:
            raise bad("there is no text in the message to edit")
        shown = check_text(params.get("text"), params.get("parse_mode"))
        markup = check_markup(params.get("reply_markup"))
        if shown == sent.text and markup == sent.markup:
            raise bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        sent.edits.append(sent.text)
        sent.html, sent.text, sent.markup = str(params["text"]), shown, markup
        return self._message(sent)

    def _m_editmessagecaption(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent = self._find(params)
        shown = check_caption(params.get("caption"), params.get("parse_mode"))
        sent.edits.append(sent.text)
        sent.html, sent.text = str(params.get("caption") or ""), shown
        sent.markup = check_markup(params.get("reply_markup"))
        return self._message(sent)

    def _m_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent = self._find(params)
        markup = check_markup(params.get("reply_markup"))
        if markup == sent.markup:
            raise bad("message is not modified")
        sent.markup = markup
        return self._message(sent)

    def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.queries:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        if self.queries[query_id]:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        self.queries[query_id] = True
        return True

    def _m_getchatmember(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        group = self.groups.get(params.get("chat_id"))  # type: ignore[arg-type]
        if group is None:
            raise bad("chat not found")
        if params.get("user_id") == BOT_ID:
            return _member(self._me_user(), group.bot_status)
        person = self.people.get(params.get("user_id"))  # type: ignore[arg-type]
        if person is None:
            raise bad("user not found")
        status = group.members.get(person.id, "left")
        return _member(person.user(), status)

    def _m_getchatadministrators(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        group = self.groups.get(params.get("chat_id"))  # type: ignore[arg-type]
        if group is None:
            raise bad("chat not found")
        return [
            _member(self.people[uid].user(), status)
            for uid, status in group.members.items()
            if status in ("creator", "administrator")
        ]

    def _m_getchat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self.groups:
            raise bad("chat not found")
        gifts = {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        }
        full = {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}
        return {**self._chat(int(chat_id)), **full}

    def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        check_commands(params.get("commands"))
        scope = params.get("scope") or {"type": "default"}
        kind = scope.get("type")
        if kind in ("chat", "chat_administrators"):
            chat_id = scope.get("chat_id")
            if kind == "chat_administrators" and chat_id not in self.groups:
                raise bad("chat not found")
            if kind == "chat":
                self._target(chat_id)
        self.commands[json.dumps(scope, sort_keys=True)] = list(params["commands"])
        return True


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            {
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": False,
                "can_restrict_members": True, "can_promote_members": False,
                "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False,
            }
        )  # fmt: skip
    elif status == "restricted":
        member.update({"is_member": True, "until_date": 0})
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _json(body: Any, status: int = 200) -> web.Response:
    # Exactly application/json, as Telegram answers.
    return web.Response(
        body=json.dumps(body).encode(), status=status, headers={"Content-Type": "application/json"}
    )
