"""Channels (get/edit/delete/permissions), messages, reactions, DMs and attachment downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from . import messaging
from .state import DM, GUILD_CATEGORY, Channel, Message, channel_name
from .wire import DiscordError, invalid_form, json_response, no_content, not_found

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
EDITABLE_CHANNEL_FIELDS = {
    "name": str,
    "position": int,
    "topic": str,
    "nsfw": bool,
    "bitrate": int,
    "user_limit": int,
    "rate_limit_per_user": int,
}


class ChannelRoutes:
    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd

    def routes(self) -> list[web.RouteDef]:
        ch = API + "/channels/{channel_id}"
        msg = ch + "/messages/{message_id}"
        return [
            web.post(API + "/users/@me/channels", self.open_dm),
            web.get(ch, self.get_channel),
            web.patch(ch, self.edit_channel),
            web.delete(ch, self.delete_channel),
            web.put(ch + "/permissions/{overwrite_id}", self.put_overwrite),
            web.delete(ch + "/permissions/{overwrite_id}", self.delete_overwrite),
            web.post(ch + "/typing", self.typing),
            web.get(ch + "/messages", self.list_messages),
            web.post(ch + "/messages", self.create_message),
            web.get(msg, self.get_message),
            web.patch(msg, self.edit_message),
            web.delete(msg, self.delete_message),
            web.put(msg + "/reactions/{emoji}/@me", self.add_reaction),
            web.delete(msg + "/reactions/{emoji}/@me", self.remove_reaction),
            web.get("/attachments/{channel_id}/{attachment_id}/{filename}", self.attachment),
        ]

    # -- lookups ------------------------------------------------------------------------------

    def channel(self, request: web.Request) -> Channel:
        ch = self.fd.channels.get(int(request.match_info["channel_id"]))
        if ch is None:
            raise not_found("Channel", 10003)
        return ch

    def message(self, request: web.Request, ch: Channel) -> Message:
        m = self.fd.message(int(request.match_info["message_id"]))
        if m is None or m.deleted or m.channel_id != ch.id or m.ephemeral:
            raise not_found("Message", 10008)
        return m

    # -- channels -----------------------------------------------------------------------------

    async def open_dm(self, request: web.Request) -> web.Response:
        body = self.fd.body(request).obj()
        try:
            user_id = int(body["recipient_id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise invalid_form("recipient_id", "A recipient id is required.") from exc
        if user_id not in self.fd.users or user_id == self.fd.bot.id:
            raise DiscordError(400, 50033, "Invalid Recipient(s)")
        return json_response(self.fd.render_channel(self.fd.open_dm(user_id)))

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self.fd.render_channel(self.channel(request)))

    async def edit_channel(self, request: web.Request) -> web.Response:
        fd = self.fd
        ch = self.channel(request)
        if ch.type == DM:
            raise DiscordError(400, 50003, "Cannot execute action on a DM channel")
        body = fd.body(request).obj()
        changes = parse_channel_fields(fd, body, ch.guild_id, ch.type)
        fd.update_channel(ch, **changes)
        return json_response(fd.render_channel(ch))

    async def delete_channel(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        if ch.type == GUILD_CATEGORY:
            for child in self.fd.guild_channels(self.fd.guilds[ch.guild_id or 0]):
                if child.parent_id == ch.id:
                    self.fd.update_channel(child, parent_id=None)
        return json_response(self.fd.delete_channel(ch))

    async def put_overwrite(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        body = self.fd.body(request).obj()
        oid = request.match_info["overwrite_id"]
        entry = {"id": oid, **{k: body.get(k, 0) for k in ("type", "allow", "deny")}}
        rest = [o for o in ch.permission_overwrites if str(o["id"]) != oid]
        self.fd.update_channel(ch, permission_overwrites=[*rest, entry])
        return no_content()

    async def delete_overwrite(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        oid = request.match_info["overwrite_id"]
        rest = [o for o in ch.permission_overwrites if str(o["id"]) != oid]
        self.fd.update_channel(ch, permission_overwrites=rest)
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        self.channel(request)
        return no_content()

    # -- messages -----------------------------------------------------------------------------

    async def list_messages(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        found = [m for m in self.fd.messages(ch.id) if not m.ephemeral]
        found.reverse()  # newest first, like Discord
        if "before" in request.query:
            found = [m for m in found if m.id < int(request.query["before"])]
        if "after" in request.query:
            found = [m for m in found if m.id > int(request.query["after"])]
        limit = min(int(request.query.get("limit", 50)), 100)
        return json_response([self.fd.render_message(m) for m in found[:limit]])

    async def create_message(self, request: web.Request) -> web.Response:
        fd = self.fd
        ch = self.channel(request)
        if ch.type == GUILD_CATEGORY:
            raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
        if ch.type == DM:
            recipient = fd.users.get(ch.recipient_id or 0)
            if recipient is None or not recipient.dms_open:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
        body = fd.body(request)
        m = messaging.create_message(fd, ch, fd.bot.id, body.obj(), body.files)
        return json_response(fd.render_message(m))

    async def get_message(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        return json_response(self.fd.render_message(self.message(request, ch)))

    async def edit_message(self, request: web.Request) -> web.Response:
        fd = self.fd
        ch = self.channel(request)
        m = self.message(request, ch)
        if m.author_id != fd.bot.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        body = fd.body(request)
        messaging.edit_message(fd, m, body.obj(), body.files)
        return json_response(fd.render_message(m))

    async def delete_message(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        messaging.delete_message(self.fd, self.message(request, ch))
        return no_content()

    async def add_reaction(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        m = self.message(request, ch)
        messaging.add_reaction(self.fd, self.fd.bot.id, m, _emoji_key(request))
        return no_content()

    async def remove_reaction(self, request: web.Request) -> web.Response:
        ch = self.channel(request)
        m = self.message(request, ch)
        messaging.remove_reaction(self.fd, self.fd.bot.id, m, _emoji_key(request))
        return no_content()

    async def attachment(self, request: web.Request) -> web.Response:
        aid = int(request.match_info["attachment_id"])
        for m in self.fd.messages(int(request.match_info["channel_id"])):
            for a in m.attachments:
                if a.id == aid:
                    ctype = a.content_type or "application/octet-stream"
                    return web.Response(body=a.data, headers={"Content-Type": ctype})
        raise not_found("Attachment", 10008)


def _emoji_key(request: web.Request) -> str:
    return unquote(request.match_info["emoji"])


def parse_channel_fields(
    fd: FakeDiscord, body: dict[str, Any], guild_id: int | None, ctype: int
) -> dict[str, Any]:
    """Channel fields from a create/edit body, with the checks and rewrites Discord makes."""
    changes: dict[str, Any] = {}
    for key, kind in EDITABLE_CHANNEL_FIELDS.items():
        if key in body and body[key] is not None:
            changes[key] = kind(body[key])
    if "name" in changes:
        if not 1 <= len(changes["name"]) <= 100:
            raise invalid_form("name", "Must be between 1 and 100 in length.")
        changes["name"] = channel_name(ctype, changes["name"])
    if "parent_id" in body:
        parent = body["parent_id"]
        if parent is not None:
            cat = fd.channels.get(int(parent))
            if cat is None or cat.type != GUILD_CATEGORY or cat.guild_id != guild_id:
                raise invalid_form("parent_id", "Category does not exist.")
            parent = cat.id
        changes["parent_id"] = parent
    if "permission_overwrites" in body:
        overwrites = []
        for i, o in enumerate(body["permission_overwrites"] or []):
            if "id" not in o or int(o.get("type", -1)) not in (0, 1):
                raise invalid_form(f"permission_overwrites.{i}", "needs an id and type 0 or 1")
            overwrites.append(
                {
                    "id": str(o["id"]),
                    "type": int(o["type"]),
                    "allow": o.get("allow", "0"),
                    "deny": o.get("deny", "0"),
                }
            )
        changes["permission_overwrites"] = overwrites
    return changes
