"""Users, invite links and client API tokens."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from .auth import MAX_CLIENT_TOKENS, Principal
from .models import User
from .scopes import ALL_SCOPES, normalize_role
from .serialize import client_token_json, user_json
from .state import SimState, state_of
from .webutil import ApiError, body_error, forbidden, json_response, path_int, query_int

_EXPIRIES = {"30d": 30 * 86400, "90d": 90 * 86400, "1y": 365 * 86400}


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise body_error((), "json_invalid", "JSON decode error", {}) from None
    if not isinstance(body, dict):
        raise body_error((), "model_attributes_type", "Input should be a valid dictionary", body)
    return body


def _missing(field: str) -> ApiError:
    return body_error((field,), "missing", "Field required", None)


def _target_user(state: SimState, request: web.Request) -> User:
    user = state.library.users.get(path_int(request, "id"))
    if user is None:
        raise ApiError(404, "User not found")
    return user


async def me(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "me.read")
    return json_response(user_json(state.library, principal.user))


async def list_users(request: web.Request) -> web.Response:
    state = state_of(request)
    state.auth.require(request, "users.read")
    return json_response([user_json(state.library, u) for u in state.library.users.values()])


async def get_user(request: web.Request) -> web.Response:
    state = state_of(request)
    state.auth.require(request, "users.read")
    return json_response(user_json(state.library, _target_user(state, request)))


def _check_new_user(state: SimState, username: str, email: str | None) -> None:
    lib = state.library
    if not username.strip():
        raise ApiError(400, "Username cannot be empty")
    if lib.user_by_name(username) is not None:
        raise ApiError(400, f"Username {username.lower()} already exists")
    if email and any(u.email == email for u in lib.users.values()):
        raise ApiError(400, f"Email {email} already in use by another user")


async def create_user(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "users.write")
    body = await _json_body(request)
    for field in ("username", "password", "role"):
        if field not in body:
            raise _missing(field)
    username, email = str(body["username"]), body.get("email")
    _check_new_user(state, username, email)
    role = str(body["role"])
    if role == "admin" and not principal.is_admin:
        raise forbidden()
    user = state.library.new_user(username, str(body["password"]), role)
    user.email = str(email) if email else None
    return json_response(user_json(state.library, user, precise=True), 201)


async def update_user(request: web.Request) -> web.Response:
    """Form fields (urlencoded or multipart), like RomM."""
    state = state_of(request)
    principal = state.auth.require(request, "me.write")
    user = _target_user(state, request)
    if user.id != principal.user.id and not principal.is_admin:
        raise forbidden()
    form = await request.post()
    lib = state.library
    if "username" in form:
        new_name = str(form["username"]).strip().lower()
        if new_name != user.username and lib.user_by_name(new_name) is not None:
            raise ApiError(400, f"Username {new_name} already exists")
        user.username = new_name
    if "password" in form and str(form["password"]):
        user.password = str(form["password"])
    if "email" in form:
        user.email = str(form["email"]) or None
    if "role" in form:
        if not principal.is_admin:
            raise forbidden()
        if str(form["role"]):
            user.role = _role(state, str(form["role"]))
    if "enabled" in form:
        if not principal.is_admin and user.id != principal.user.id:
            raise forbidden()
        user.enabled = str(form["enabled"]).lower() in ("true", "1", "yes", "on")
    if "ra_username" in form:
        user.ra_username = str(form["ra_username"])
    if "ui_settings" in form:
        try:
            settings = json.loads(str(form["ui_settings"]))
        except ValueError:
            raise ApiError(400, "Invalid ui_settings JSON") from None
        user.ui_settings = settings if isinstance(settings, dict) else {}
    user.updated_at = time.time()
    return json_response(user_json(lib, user))


def _role(state: SimState, role: str) -> str:
    return normalize_role(role, roles_v5=state.library.personality.roles_v5)


async def delete_user(request: web.Request) -> web.Response:
    state = state_of(request)
    principal = state.auth.require(request, "users.write")
    user = _target_user(state, request)
    lib = state.library
    if user.id == principal.user.id:
        raise ApiError(400, "You cannot delete yourself")
    if user.role == "admin" and sum(1 for u in lib.users.values() if u.role == "admin") <= 1:
        raise ApiError(400, "You cannot delete the last admin user")
    del lib.users[user.id]
    for token in [t for t in state.auth.client_tokens.values() if t.user_id == user.id]:
        state.auth.delete_client_token(token.id)
    for sid in [s for s, uid in state.auth.sessions.items() if uid == user.id]:
        del state.auth.sessions[sid]
    return json_response(None)


async def invite_link(request: web.Request) -> web.Response:
    state = state_of(request)
    state.auth.require(request, "users.write")
    if not state.library.personality.roles_v5:
        raise web.HTTPNotFound()
    role = request.query.get("role", "user")
    expiration = query_int(request, "expiration", 600, ge=1)
    token = state.auth.new_invite(_role(state, role), expiration)
    return json_response({"token": token, "url": None}, 201)


async def register(request: web.Request) -> web.Response:
    state = state_of(request)
    if not state.library.personality.roles_v5:
        raise web.HTTPNotFound()
    body = await _json_body(request)
    for field in ("username", "password", "token"):
        if field not in body:
            raise _missing(field)
    role = state.auth.take_invite(str(body["token"]))
    if role is None:
        raise ApiError(400, "Invalid or expired invite token")
    _check_new_user(state, str(body["username"]), body.get("email"))
    user = state.library.new_user(
        str(body["username"]), str(body["password"]), role, email=body.get("email")
    )
    return json_response(user_json(state.library, user, precise=True), 201)


# ---------------------------------------------------------------- client tokens (4.8+)


def _tokens_route(state: SimState) -> None:
    if not state.library.personality.client_tokens:
        raise web.HTTPNotFound()


def _own_token(state: SimState, request: web.Request, principal: Principal) -> Any:
    token = state.auth.client_tokens.get(path_int(request, "id"))
    if token is None or token.user_id != principal.user.id:
        raise ApiError(404, "Client token not found")
    return token


async def create_client_token(request: web.Request) -> web.Response:
    state = state_of(request)
    _tokens_route(state)
    principal = state.auth.require(request, "me.write")
    body = await _json_body(request)
    if "name" not in body:
        raise _missing("name")
    scopes = body.get("scopes")
    if not isinstance(scopes, list) or not scopes:
        msg = "List should have at least 1 item after validation, not 0"
        raise body_error(("scopes",), "too_short", msg, scopes)
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    beyond = [s for s in scopes if s not in state.library.user_scopes(principal.user)]
    if unknown or beyond:
        raise ApiError(
            403, f"Requested scopes exceed your permissions: {', '.join(unknown + beyond)}"
        )
    owned = [t for t in state.auth.client_tokens.values() if t.user_id == principal.user.id]
    if len(owned) >= MAX_CLIENT_TOKENS:
        raise ApiError(400, f"Maximum of {MAX_CLIENT_TOKENS} tokens per user reached")
    expires_in = body.get("expires_in")
    if expires_in not in (None, "never", *_EXPIRIES):
        raise ApiError(400, f"Invalid expires_in value: {expires_in}")
    expires_at = time.time() + _EXPIRIES[expires_in] if expires_in in _EXPIRIES else None
    token, raw = state.auth.create_client_token(
        principal.user, str(body["name"]), scopes, expires_at
    )
    return json_response(client_token_json(token, raw), 201)


async def list_client_tokens(request: web.Request) -> web.Response:
    state = state_of(request)
    _tokens_route(state)
    principal = state.auth.require(request, "me.read")
    tokens = [t for t in state.auth.client_tokens.values() if t.user_id == principal.user.id]
    return json_response([client_token_json(t) for t in tokens])


async def list_all_client_tokens(request: web.Request) -> web.Response:
    state = state_of(request)
    _tokens_route(state)
    state.auth.require(request, "users.read")
    return json_response([client_token_json(t) for t in state.auth.client_tokens.values()])


async def delete_client_token(request: web.Request) -> web.Response:
    state = state_of(request)
    _tokens_route(state)
    principal = state.auth.require(request, "me.write")
    state.auth.delete_client_token(_own_token(state, request, principal).id)
    return web.Response(status=204)


async def regenerate_client_token(request: web.Request) -> web.Response:
    state = state_of(request)
    _tokens_route(state)
    principal = state.auth.require(request, "me.write")
    token = _own_token(state, request, principal)
    raw = state.auth.regenerate_client_token(token)
    return json_response(client_token_json(token, raw))


def setup(app: web.Application) -> None:
    r = app.router
    r.add_get("/api/users/me", me, allow_head=False)
    r.add_get("/api/users", list_users, allow_head=False)
    r.add_post("/api/users", create_user)
    r.add_post("/api/users/invite-link", invite_link)
    r.add_post("/api/users/register", register)
    r.add_get("/api/users/{id}", get_user, allow_head=False)
    r.add_put("/api/users/{id}", update_user)
    r.add_delete("/api/users/{id}", delete_user)
    r.add_get("/api/client-tokens", list_client_tokens, allow_head=False)
    r.add_post("/api/client-tokens", create_client_token)
    r.add_get("/api/client-tokens/all", list_all_client_tokens, allow_head=False)
    r.add_delete("/api/client-tokens/{id}", delete_client_token)
    r.add_put("/api/client-tokens/{id}/regenerate", regenerate_client_token)
