"""Interaction callbacks and the interaction webhook (@original, follow-ups)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import messaging
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Callback,
    InteractionRecord,
)
from .state import FLAG_EPHEMERAL, FLAG_LOADING, Message
from .validation import check_choices, check_message
from .wire import DiscordError, invalid_form, json_response, no_content, not_found

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


class InteractionRoutes:
    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd

    def routes(self) -> list[web.RouteDef]:
        hook = API + "/webhooks/{app_id}/{token}"
        return [
            web.post(API + "/interactions/{interaction_id}/{token}/callback", self.callback),
            web.post(hook, self.followup),
            web.get(hook + "/messages/{message_id}", self.get_message),
            web.patch(hook + "/messages/{message_id}", self.edit_message),
            web.delete(hook + "/messages/{message_id}", self.delete_message),
        ]

    async def callback(self, request: web.Request) -> web.Response:
        fd = self.fd
        rec = fd.interactions.get(int(request.match_info["interaction_id"]))
        if rec is None or rec.token != request.match_info["token"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        elapsed = asyncio.get_running_loop().time() - rec.dispatched_at
        if elapsed > fd.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        if rec.callbacks:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body = fd.body(request)
        payload = body.obj()
        ctype = int(payload.get("type", 0))
        data: dict[str, Any] = payload.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(rec.type, set()):
            raise invalid_form("type", f"callback type {ctype} invalid for interaction {rec.type}")
        message = self._apply_callback(rec, ctype, data, body.files)
        attachments = message.attachments if message is not None else []
        rec.callbacks.append(Callback(ctype, data, list(attachments), elapsed))
        rec.notify()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        answer: dict[str, Any] = {"id": str(rec.id), "type": rec.type}
        resource: dict[str, Any] = {"type": ctype}
        if message is not None:
            answer.update(
                response_message_id=str(message.id),
                response_message_loading=ctype == 5,
                response_message_ephemeral=message.ephemeral,
            )
            resource["message"] = fd.render_message(message)
        return json_response({"interaction": answer, "resource": resource})

    def _apply_callback(
        self, rec: InteractionRecord, ctype: int, data: dict[str, Any], files: list[Any]
    ) -> Message | None:
        fd = self.fd
        channel = fd.channels.get(rec.channel_id)
        if ctype in (4, 5) and channel is None:
            raise not_found("Channel", 10003)
        if ctype == 4:
            check_message(data, has_files=bool(files), creating=True, where="data")
            msg_type = 20 if rec.type == APPLICATION_COMMAND else 0
            m = self._create(rec, data, files, msg_type=msg_type)
            rec.original_id = m.id
            return m
        if ctype == 5:
            flags = (int(data.get("flags") or 0) & FLAG_EPHEMERAL) | FLAG_LOADING
            m = self._create(rec, {"content": "", "flags": flags}, [], msg_type=20, validate=False)
            rec.original_id = m.id
            return m
        if ctype in (6, 7):
            target = fd.message(rec.component_message_id or 0)
            if target is None:
                raise invalid_form("type", "deferred/update callbacks need a component message")
            if ctype == 7:
                messaging.edit_message(fd, target, data, files)
            rec.original_id = target.id
            return target
        if ctype == 8:
            check_choices(data.get("choices", []))
        elif ctype == 9 and not (data.get("custom_id") and data.get("title")):
            raise invalid_form("data", "a modal needs custom_id, title and components")
        return None

    def _create(
        self,
        rec: InteractionRecord,
        data: dict[str, Any],
        files: list[Any],
        *,
        msg_type: int,
        validate: bool = True,
    ) -> Message:
        fd = self.fd
        return messaging.create_message(
            fd,
            fd.channels[rec.channel_id],
            fd.bot.id,
            data,
            files,
            msg_type=msg_type,
            webhook_id=fd.application_id,
            interaction_id=rec.id,
            interaction_user_id=rec.user_id,
            validate=validate,
        )

    def _record(self, request: web.Request) -> InteractionRecord:
        fd = self.fd
        rec = fd.interactions_by_token.get(request.match_info["token"])
        if rec is None or request.match_info["app_id"] != str(fd.application_id):
            raise not_found("Webhook", 10015)
        if not rec.callbacks:  # the token becomes a webhook only once acknowledged
            raise not_found("Webhook", 10015)
        return rec

    def _target(self, rec: InteractionRecord, message_id: str) -> Message:
        if message_id == "@original":
            m = rec.original
        else:
            mid = int(message_id)
            owned = mid == rec.original_id or mid in rec.followup_ids
            m = self.fd.message(mid) if owned else None
        if m is None or m.deleted:
            raise not_found("Message", 10008)
        return m

    async def followup(self, request: web.Request) -> web.Response:
        fd = self.fd
        rec = self._record(request)
        body = fd.body(request)
        data = body.obj()
        original = rec.original
        if (
            rec.callbacks[0].type == 5
            and original is not None
            and original.loading
            and not original.deleted  # deleted "thinking…": a follow-up is a new message
        ):
            # The first follow-up after a "thinking" defer replaces the loading message and
            # keeps the defer's ephemeral setting (edits cannot change that flag).
            messaging.edit_message(fd, original, data, body.files)
            original.flags &= ~FLAG_LOADING
            m = original
        else:
            check_message(data, has_files=bool(body.files), creating=True)
            m = self._create(rec, data, body.files, msg_type=0)
        rec.followup_ids.append(m.id)
        rec.notify()
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(fd.render_message(m))
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        rec = self._record(request)
        m = self._target(rec, request.match_info["message_id"])
        return json_response(self.fd.render_message(m))

    async def edit_message(self, request: web.Request) -> web.Response:
        fd = self.fd
        rec = self._record(request)
        m = self._target(rec, request.match_info["message_id"])
        body = fd.body(request)
        messaging.edit_message(fd, m, body.obj(), body.files)
        m.flags &= ~FLAG_LOADING
        if m.id == rec.original_id:
            rec.original_edits += 1
        rec.notify()
        return json_response(fd.render_message(m))

    async def delete_message(self, request: web.Request) -> web.Response:
        rec = self._record(request)
        m = self._target(rec, request.match_info["message_id"])
        messaging.delete_message(self.fd, m)
        rec.notify()
        return no_content()
