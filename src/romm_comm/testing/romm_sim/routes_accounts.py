"""Client-token pairing (4.8+) and permission groups (5.x), as RomM answers them.

- `POST /api/client-tokens/{id}/pair` (me.write, own token) → `{code, expires_in: 60}`
- `GET /api/client-tokens/pair/{code}/status` (no auth) → 200 `null`, 404 once used/expired
- `POST /api/client-tokens/exchange {"code"}` (no auth, no CSRF) → the token with a fresh
  `raw_token` (RomM regenerates it: the old raw value stops working); 404 `Invalid or expired
  pairing code`, 403 `Token owner is disabled`, 429 after 5 attempts a minute per address
- `DELETE /api/client-tokens/{id}/admin` (users.write): remove anyone's token
- `GET /api/permissions/groups` (users.read), `GET|PUT /api/permissions/users/{user_id}`
  (users.read / users.write; PUT `{permission_group_id, set_group}`)
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .pairing import PermissionGroup
from .routes_users import _json_body
from .serialize import client_token_json
from .state import SimState, state_of
from .webutil import ApiError, body_error, json_response, path_int


def _pairing_route(state: SimState) -> None:
    if not state.library.personality.client_tokens:
        raise web.HTTPNotFound()


def _groups_route(state: SimState) -> None:
    if not state.library.personality.roles_v5:
        raise web.HTTPNotFound()


async def pair(request: web.Request) -> web.Response:
    state = state_of(request)
    _pairing_route(state)
    principal = state.auth.require(request, "me.write")
    token = state.auth.client_tokens.get(path_int(request, "id"))
    if token is None or token.user_id != principal.user.id:
        raise ApiError(404, "Token not found")
    code = state.auth.pairing.new(token.id, principal.user.id)
    return json_response({"code": code, "expires_in": state.auth.pairing.ttl})


async def pair_status(request: web.Request) -> web.Response:
    state = state_of(request)
    _pairing_route(state)
    if state.auth.pairing.peek(request.match_info["code"]) is None:
        raise ApiError(404, "Not Found")
    return json_response(None)


async def exchange(request: web.Request) -> web.Response:
    state = state_of(request)
    _pairing_route(state)
    if not state.auth.pairing.attempt(request.remote or "unknown"):
        raise ApiError(429, "Too many exchange attempts. Try again later.")
    body = await _json_body(request)
    if "code" not in body:
        raise body_error(("code",), "missing", "Field required", None)
    pending = state.auth.pairing.take(str(body["code"]))
    if pending is None:
        raise ApiError(404, "Invalid or expired pairing code")
    user = state.library.users.get(pending.user_id)
    if user is None or not user.enabled:
        raise ApiError(403, "Token owner is disabled")
    token = state.auth.client_tokens.get(pending.token_id)
    if token is None or token.user_id != user.id:
        raise ApiError(404, "Token no longer exists")
    raw = state.auth.regenerate_client_token(token)
    return json_response(client_token_json(token, raw))


async def admin_delete_token(request: web.Request) -> web.Response:
    """`DELETE /api/client-tokens/{id}/admin` (users.write): any user's token."""
    state = state_of(request)
    _pairing_route(state)
    state.auth.require(request, "users.write")
    token_id = path_int(request, "id")
    if token_id not in state.auth.client_tokens:
        raise ApiError(404, "Token not found")
    state.auth.delete_client_token(token_id)
    return json_response(None)


def _group_json(state: SimState, group: PermissionGroup) -> dict[str, Any]:
    default = state.auth.groups.default_id
    members = sum(
        1
        for u in state.library.users.values()
        if u.role != "admin" and (u.permission_group_id or default) == group.id
    )
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "is_default": group.is_default,
        "is_system": group.is_system,
        "color": group.color,
        "grants": [],
        "member_count": members,
        # The simulator hides platforms from every non-admin group alike.
        "hidden": [
            {"entity": "platform", "entity_id": pid}
            for pid in sorted(state.library.hidden_platform_ids())
        ],
    }


async def list_groups(request: web.Request) -> web.Response:
    state = state_of(request)
    _groups_route(state)
    state.auth.require(request, "users.read")
    groups = sorted(state.auth.groups.groups.values(), key=lambda g: g.name)
    return json_response([_group_json(state, g) for g in groups])


def _user_permissions(user_id: int, group_id: int | None) -> dict[str, Any]:
    return {"user_id": user_id, "permission_group_id": group_id, "overrides": [], "hidden": []}


async def get_user_permissions(request: web.Request) -> web.Response:
    state = state_of(request)
    _groups_route(state)
    state.auth.require(request, "users.read")
    user = state.library.users.get(path_int(request, "user_id"))
    if user is None:
        raise ApiError(404, "User not found")
    return json_response(_user_permissions(user.id, user.permission_group_id))


async def put_user_permissions(request: web.Request) -> web.Response:
    state = state_of(request)
    _groups_route(state)
    state.auth.require(request, "users.write")
    user = state.library.users.get(path_int(request, "user_id"))
    if user is None:
        raise ApiError(404, "User not found")
    body = await _json_body(request)
    if body.get("set_group"):
        group_id = body.get("permission_group_id")
        if group_id is not None and (
            not isinstance(group_id, int) or group_id not in state.auth.groups.groups
        ):
            raise ApiError(404, "Permission group not found")
        user.permission_group_id = group_id
    return json_response(_user_permissions(user.id, user.permission_group_id))


def setup(app: web.Application) -> None:
    r = app.router
    r.add_post("/api/client-tokens/exchange", exchange)
    r.add_get("/api/client-tokens/pair/{code}/status", pair_status, allow_head=False)
    r.add_post("/api/client-tokens/{id}/pair", pair)
    r.add_delete("/api/client-tokens/{id}/admin", admin_delete_token)
    r.add_get("/api/permissions/groups", list_groups, allow_head=False)
    r.add_get("/api/permissions/users/{user_id}", get_user_permissions, allow_head=False)
    r.add_put("/api/permissions/users/{user_id}", put_user_permissions)
