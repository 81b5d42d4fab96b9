"""Guild resources: the guild, its channels, emojis, members and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import payloads
from .rest_channels import parse_channel_fields
from .state import GUILD_CATEGORY, Emoji, Guild, Member, Role
from .validation import check_emoji_name, decode_image
from .wire import DiscordError, invalid_form, json_response, no_content, not_found

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
CREATABLE_CHANNEL_TYPES = (0, 2, 4, 5, 13, 15)
MANAGE_CHANNELS = 1 << 4
MANAGE_ROLES = 1 << 28
MANAGE_EXPRESSIONS = 1 << 30


class GuildRoutes:
    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd

    def routes(self) -> list[web.RouteDef]:
        g = API + "/guilds/{guild_id}"
        return [
            web.get(g, self.get_guild),
            web.get(g + "/channels", self.list_channels),
            web.post(g + "/channels", self.create_channel),
            web.patch(g + "/channels", self.move_channels),
            web.get(g + "/emojis", self.list_emojis),
            web.post(g + "/emojis", self.create_emoji),
            web.get(g + "/emojis/{emoji_id}", self.get_emoji),
            web.patch(g + "/emojis/{emoji_id}", self.edit_emoji),
            web.delete(g + "/emojis/{emoji_id}", self.delete_emoji),
            web.get(g + "/members", self.list_members),
            web.get(g + "/members/{user_id}", self.get_member),
            web.patch(g + "/members/{user_id}", self.edit_member),
            web.put(g + "/members/{user_id}/roles/{role_id}", self.add_member_role),
            web.delete(g + "/members/{user_id}/roles/{role_id}", self.remove_member_role),
            web.get(g + "/roles", self.list_roles),
            web.post(g + "/roles", self.create_role),
            web.patch(g + "/roles/{role_id}", self.edit_role),
            web.delete(g + "/roles/{role_id}", self.delete_role),
        ]

    # -- helpers ------------------------------------------------------------------------------

    def guild(self, request: web.Request, needs: int = 0) -> Guild:
        g = self.fd.guilds.get(int(request.match_info["guild_id"]))
        if g is None:
            raise not_found("Guild", 10004)
        if needs and not g.member_permissions(self.fd.bot.id) & needs:
            raise DiscordError(403, 50013, "Missing Permissions")
        return g

    def member(self, request: web.Request, g: Guild) -> Member:
        m = g.members.get(int(request.match_info["user_id"]))
        if m is None:
            raise not_found("Member", 10007)
        return m

    def role(self, request: web.Request, g: Guild) -> Role:
        r = g.roles.get(int(request.match_info["role_id"]))
        if r is None:
            raise not_found("Role", 10011)
        return r

    def emoji(self, request: web.Request, g: Guild) -> Emoji:
        e = g.emojis.get(int(request.match_info["emoji_id"]))
        if e is None:
            raise not_found("Emoji", 10014)
        return e

    def render_emoji(self, e: Emoji) -> dict[str, Any]:
        return payloads.emoji(e, self.fd.users.get(e.user_id or 0))

    # -- guild and channels -------------------------------------------------------------------

    async def get_guild(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        data = self.fd.guild_payload(g)
        if request.query.get("with_counts") in ("true", "1"):
            data.update(approximate_member_count=len(g.members), approximate_presence_count=0)
        return json_response(data)

    async def list_channels(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        return json_response([self.fd.render_channel(c) for c in self.fd.guild_channels(g)])

    async def create_channel(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_CHANNELS)
        body = fd.body(request).obj()
        ctype = int(body.get("type") or 0)
        if ctype not in CREATABLE_CHANNEL_TYPES:
            raise invalid_form("type", f"channel type {ctype} cannot be created here")
        if not body.get("name"):
            raise invalid_form("name", "This field is required")
        fields = parse_channel_fields(fd, body, g.id, ctype)
        if ctype == GUILD_CATEGORY and fields.get("parent_id"):
            raise invalid_form("parent_id", "A category cannot have a parent.")
        name = fields.pop("name")
        ch = fd.add_channel(ctype, name, guild=g, **fields)
        return json_response(fd.render_channel(ch), status=201)

    async def move_channels(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_CHANNELS)
        moves = fd.body(request).json
        if not isinstance(moves, list):
            raise invalid_form("_body", "expected a list of {id, position}")
        for move in moves:
            ch = fd.channels.get(int(move["id"]))
            if ch is None or ch.guild_id != g.id:
                raise invalid_form("id", f"unknown channel {move['id']}")
            changes = parse_channel_fields(fd, move, g.id, ch.type)
            fd.update_channel(ch, **changes)
        return no_content()

    # -- emojis -------------------------------------------------------------------------------

    async def list_emojis(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        return json_response([self.render_emoji(e) for e in g.emojis.values()])

    async def get_emoji(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        return json_response(self.render_emoji(self.emoji(request, g)))

    async def create_emoji(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_EXPRESSIONS)
        body = fd.body(request).obj()
        check_emoji_name(body.get("name"))
        ctype, data = decode_image(body.get("image"))
        animated = ctype == "image/gif"
        static_count, animated_count = fd.emoji_counts(g)
        if (animated_count if animated else static_count) >= g.emoji_slots:
            kind = "animated emojis" if animated else "emojis"
            raise DiscordError(400, 30008, f"Maximum number of {kind} reached ({g.emoji_slots})")
        roles = [int(r) for r in body.get("roles") or []]
        e = Emoji(fd.ids.next(), body["name"], data, ctype, animated, roles, fd.bot.id)
        g.emojis[e.id] = e
        fd.announce_emojis(g)
        return json_response(self.render_emoji(e), status=201)

    async def edit_emoji(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_EXPRESSIONS)
        e = self.emoji(request, g)
        body = fd.body(request).obj()
        if "name" in body:
            check_emoji_name(body["name"])
            e.name = body["name"]
        if body.get("roles") is not None:
            e.roles = [int(r) for r in body["roles"]]
        fd.announce_emojis(g)
        return json_response(self.render_emoji(e))

    async def delete_emoji(self, request: web.Request) -> web.Response:
        g = self.guild(request, MANAGE_EXPRESSIONS)
        e = self.emoji(request, g)
        del g.emojis[e.id]
        self.fd.announce_emojis(g)
        return no_content()

    # -- members ------------------------------------------------------------------------------

    async def list_members(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        after = int(request.query.get("after", 0))
        limit = min(int(request.query.get("limit", 1)), 1000)
        found = sorted((m for m in g.members.values() if m.user.id > after), key=_member_id)
        return json_response([payloads.member(m) for m in found[:limit]])

    async def get_member(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        return json_response(payloads.member(self.member(request, g)))

    async def edit_member(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request)
        m = self.member(request, g)
        body = fd.body(request).obj()
        if "roles" in body:
            self._check_assignable(g, body["roles"] or [])
            fd.set_member_roles(m.user.id, body["roles"] or [], guild=g)
        if "nick" in body:
            m.nick = body["nick"]
            fd.set_member_roles(m.user.id, m.roles, guild=g)
        return json_response(payloads.member(m))

    async def add_member_role(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        m = self.member(request, g)
        role = self.role(request, g)
        self._check_assignable(g, [role.id])
        if role.id not in m.roles:
            self.fd.set_member_roles(m.user.id, [*m.roles, role.id], guild=g)
        return no_content()

    async def remove_member_role(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        m = self.member(request, g)
        role = self.role(request, g)
        self._check_assignable(g, [role.id])
        if role.id in m.roles:
            self.fd.set_member_roles(m.user.id, [r for r in m.roles if r != role.id], guild=g)
        return no_content()

    def _check_assignable(self, g: Guild, role_ids: list[Any]) -> None:
        """Discord: MANAGE_ROLES, and only roles below the bot's highest role."""
        bot = g.members[self.fd.bot.id]
        if not g.member_permissions(bot.user.id) & MANAGE_ROLES:
            raise DiscordError(403, 50013, "Missing Permissions")
        top = max((g.roles[r].position for r in bot.roles if r in g.roles), default=0)
        for rid in role_ids:
            role = g.roles.get(int(rid))
            if role is None:
                raise invalid_form("roles", f"unknown role {rid}")
            if role.position >= top or role.managed:
                raise DiscordError(403, 50013, "Missing Permissions")

    # -- roles --------------------------------------------------------------------------------

    async def list_roles(self, request: web.Request) -> web.Response:
        g = self.guild(request)
        return json_response([payloads.role(r) for r in g.roles.values()])

    async def create_role(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_ROLES)
        body = fd.body(request).obj()
        role = fd.add_role(
            str(body.get("name") or "new role"),
            permissions=int(body.get("permissions") or 0),
            color=int(body.get("color") or 0),
            hoist=bool(body.get("hoist")),
            mentionable=bool(body.get("mentionable")),
            guild=g,
        )
        return json_response(payloads.role(role))

    async def edit_role(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_ROLES)
        role = self.role(request, g)
        body = fd.body(request).obj()
        for key, kind in (("name", str), ("color", int), ("hoist", bool), ("mentionable", bool)):
            if body.get(key) is not None:
                setattr(role, key, kind(body[key]))
        if body.get("permissions") is not None:
            role.permissions = int(body["permissions"])
        fd.announce_role("GUILD_ROLE_UPDATE", g, role)
        return json_response(payloads.role(role))

    async def delete_role(self, request: web.Request) -> web.Response:
        fd = self.fd
        g = self.guild(request, MANAGE_ROLES)
        role = self.role(request, g)
        if role.id == g.id or role.managed:
            raise DiscordError(400, 50028, "Invalid Role")
        del g.roles[role.id]
        for m in g.members.values():
            if role.id in m.roles:
                m.roles.remove(role.id)
        fd.announce_role("GUILD_ROLE_DELETE", g, role)
        return no_content()


def _member_id(m: Member) -> int:
    return m.user.id
