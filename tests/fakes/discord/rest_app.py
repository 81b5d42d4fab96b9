"""Users, the application, the gateway URL, application commands and application emojis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import intents, payloads
from .state import APPLICATION_EMOJI_LIMIT, Emoji
from .validation import check_command, check_commands, check_emoji_name, decode_image
from .wire import DiscordError, json_response, no_content, not_found

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
COMMAND_DEFAULTS: dict[str, Any] = {
    "type": 1,
    "description": "",
    "options": [],
    "default_member_permissions": None,
    "nsfw": False,
    "name_localizations": None,
    "description_localizations": None,
    "contexts": None,
    "integration_types": [0],
}


class AppRoutes:
    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd

    def routes(self) -> list[web.RouteDef]:
        app = API + "/applications/{app_id}"
        cmds = [app + "/commands", app + "/guilds/{guild_id}/commands"]
        out = [
            web.get(API + "/users/@me", self.me),
            web.get(API + "/users/{user_id}", self.user),
            web.get(API + "/oauth2/applications/@me", self.application),
            web.get(API + "/applications/@me", self.application),
            web.get(API + "/gateway", self.gateway),
            web.get(API + "/gateway/bot", self.gateway_bot),
            web.get(app + "/emojis", self.list_app_emojis),
            web.post(app + "/emojis", self.create_app_emoji),
            web.get(app + "/emojis/{emoji_id}", self.get_app_emoji),
            web.patch(app + "/emojis/{emoji_id}", self.edit_app_emoji),
            web.delete(app + "/emojis/{emoji_id}", self.delete_app_emoji),
        ]
        for base in cmds:
            out += [
                web.get(base, self.list_commands),
                web.put(base, self.put_commands),
                web.post(base, self.upsert_command),
                web.get(base + "/{command_id}", self.get_command),
                web.patch(base + "/{command_id}", self.edit_command),
                web.delete(base + "/{command_id}", self.delete_command),
            ]
        return out

    # -- users, application, gateway ----------------------------------------------------------

    async def me(self, request: web.Request) -> web.Response:
        return json_response(payloads.client_user(self.fd.bot))

    async def user(self, request: web.Request) -> web.Response:
        u = self.fd.users.get(int(request.match_info["user_id"]))
        if u is None:
            raise not_found("User", 10013)
        return json_response(payloads.user(u))

    async def application(self, request: web.Request) -> web.Response:
        fd = self.fd
        return json_response(
            {
                "id": str(fd.application_id),
                "name": fd.bot.name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": payloads.user(fd.owner),
                "team": None,
                # The portal's Server Members toggle shows here as GATEWAY_GUILD_MEMBERS_LIMITED
                # (1 << 15) for a bot in fewer than 100 servers, as Discord reports it.
                "flags": (1 << 15) if fd.privileged_intents & intents.GUILD_MEMBERS else 0,
                "bot": payloads.user(fd.bot),
                "approximate_guild_count": len(fd.guilds),
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "tags": [],
                "rpc_origins": [],
                "hook": True,
            }
        )

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.fd.gateway_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response(
            {"url": self.fd.gateway_url, "shards": 1, "session_start_limit": limit}
        )

    # -- application commands -----------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        fd = self.fd
        if request.match_info["app_id"] != str(fd.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        gid = request.match_info.get("guild_id")
        if gid is None:
            return None
        if int(gid) not in fd.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(gid)

    def _stored(self, scope: int | None, cmd: dict[str, Any], prev: dict[str, Any] | None) -> Any:
        fd = self.fd
        stored = {**COMMAND_DEFAULTS, **cmd, "application_id": str(fd.application_id)}
        stored["id"] = prev["id"] if prev else str(fd.ids.next())
        if scope is not None:
            stored["guild_id"] = str(scope)
        unchanged = prev is not None and {**prev, "version": None} == {**stored, "version": None}
        stored["version"] = prev["version"] if unchanged and prev else str(fd.ids.next())
        return stored

    async def list_commands(self, request: web.Request) -> web.Response:
        return json_response(self.fd.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        commands = self.fd.body(request).json
        check_commands(commands)
        old = {(c["name"], c["type"]): c for c in self.fd.commands.get(scope, [])}
        stored = [self._stored(scope, c, old.get((c["name"], c.get("type", 1)))) for c in commands]
        self.fd.commands[scope] = stored
        return json_response(stored)

    async def upsert_command(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        cmd = self.fd.body(request).obj()
        check_command(cmd, "_body")
        current = self.fd.commands.setdefault(scope, [])
        key = (cmd.get("name"), cmd.get("type", 1))
        prev = next((c for c in current if (c["name"], c["type"]) == key), None)
        stored = self._stored(scope, cmd, prev)
        if prev is not None:
            current[current.index(prev)] = stored
        else:
            current.append(stored)
        return json_response(stored, status=200 if prev else 201)

    def _find_command(self, request: web.Request) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        current = self.fd.commands.get(self._scope(request), [])
        for cmd in current:
            if cmd["id"] == request.match_info["command_id"]:
                return current, cmd
        raise not_found("application command", 10063)

    async def get_command(self, request: web.Request) -> web.Response:
        return json_response(self._find_command(request)[1])

    async def edit_command(self, request: web.Request) -> web.Response:
        current, cmd = self._find_command(request)
        merged = {**cmd, **self.fd.body(request).obj()}
        check_command(merged, "_body")
        stored = self._stored(self._scope(request), merged, cmd)
        current[current.index(cmd)] = stored
        return json_response(stored)

    async def delete_command(self, request: web.Request) -> web.Response:
        current, cmd = self._find_command(request)
        current.remove(cmd)
        return no_content()

    # -- application emojis -------------------------------------------------------------------

    def _app_emoji(self, request: web.Request) -> Emoji:
        self._scope(request)
        e = self.fd.app_emojis.get(int(request.match_info["emoji_id"]))
        if e is None:
            raise not_found("Emoji", 10014)
        return e

    def _render_app_emoji(self, e: Emoji) -> dict[str, Any]:
        return payloads.emoji(e, self.fd.users.get(e.user_id or 0))

    async def list_app_emojis(self, request: web.Request) -> web.Response:
        self._scope(request)
        items = [self._render_app_emoji(e) for e in self.fd.app_emojis.values()]
        return json_response({"items": items})

    async def get_app_emoji(self, request: web.Request) -> web.Response:
        return json_response(self._render_app_emoji(self._app_emoji(request)))

    async def create_app_emoji(self, request: web.Request) -> web.Response:
        fd = self.fd
        self._scope(request)
        body = fd.body(request).obj()
        check_emoji_name(body.get("name"))
        ctype, data = decode_image(body.get("image"))
        if any(e.name == body["name"] for e in fd.app_emojis.values()):
            errors = {"name": {"_errors": [{"code": "APPLICATION_EMOJI_NAME_ALREADY_TAKEN"}]}}
            raise DiscordError(400, 50035, "Invalid Form Body", errors=errors)
        if len(fd.app_emojis) >= APPLICATION_EMOJI_LIMIT:
            raise DiscordError(400, 30008, "Maximum number of emojis reached (2000)")
        e = Emoji(fd.ids.next(), body["name"], data, ctype, ctype == "image/gif")
        e.user_id = fd.owner.id
        fd.app_emojis[e.id] = e
        return json_response(self._render_app_emoji(e), status=201)

    async def edit_app_emoji(self, request: web.Request) -> web.Response:
        e = self._app_emoji(request)
        body = self.fd.body(request).obj()
        if "name" in body:
            check_emoji_name(body["name"])
            e.name = body["name"]
        return json_response(self._render_app_emoji(e))

    async def delete_app_emoji(self, request: web.Request) -> web.Response:
        e = self._app_emoji(request)
        del self.fd.app_emojis[e.id]
        return no_content()
