"""Authentication and authorization behave like RomM's hybrid auth backend."""

from __future__ import annotations

import time

import aiohttp

from romm_comm.testing.romm_sim import RommSimulator
from romm_comm.testing.romm_sim.scopes import ALL_SCOPES

from .conftest import basic, bearer


async def _token(
    http: aiohttp.ClientSession, sim: RommSimulator, scope: str, **extra: str
) -> aiohttp.ClientResponse:
    form = {"grant_type": "password", "username": "admin", "password": sim.admin_password}
    form.update({"scope": scope, **extra})
    return await http.post(f"{sim.url}/api/token", data=form)


async def test_no_credentials_is_401_with_bearer_challenge(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/platforms") as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"] == "Bearer"
        assert await resp.json() == {"detail": "Not authenticated"}


async def test_each_credential_kind_reads_users_me(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
        me = await resp.json()
        assert me["username"] == "admin" and me["role"] == "admin"
        assert sorted(me["oauth_scopes"]) == sorted(ALL_SCOPES) and len(me["oauth_scopes"]) == 22
    headers = basic(sim.admin_username, sim.admin_password)
    async with http.get(f"{sim.url}/api/users/me", headers=headers) as resp:
        assert resp.status == 200
    async with await _token(http, sim, "me.read") as resp:
        access = (await resp.json())["access_token"]
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(access)) as resp:
        assert (await resp.json())["username"] == "admin"


async def test_wrong_basic_password_and_unknown_token_are_401(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/platforms", headers=basic("admin", "nope")) as resp:
        assert resp.status == 401
    async with http.get(f"{sim.url}/api/platforms", headers=bearer("rmm_" + "0" * 64)) as resp:
        assert resp.status == 401
    async with http.get(f"{sim.url}/api/platforms", headers=bearer("not.a.jwt")) as resp:
        assert resp.status == 401


async def test_client_token_scopes_are_intersected_with_the_owner(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    token = sim.make_token(["roms.read"])
    async with http.get(f"{sim.url}/api/roms?limit=1", headers=bearer(token)) as resp:
        assert resp.status == 200
    async with http.get(f"{sim.url}/api/platforms", headers=bearer(token)) as resp:
        assert resp.status == 403
        assert await resp.json() == {"detail": "Forbidden"}
    # A token naming users.read, owned by a plain user, still cannot list users.
    sim.add_user("carol", "carol-pw")
    carol_token = sim.make_token(["users.read", "me.read"], username="carol")
    async with http.get(f"{sim.url}/api/users", headers=bearer(carol_token)) as resp:
        assert resp.status == 403
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(carol_token)) as resp:
        me = await resp.json()
        assert me["role"] == "user" and len(me["oauth_scopes"]) == 15


async def test_disabled_owner_or_expired_token_is_401(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.add_user("dave", "dave-pw", enabled=False)
    dave_token = sim.make_token(["me.read"], username="dave")
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(dave_token)) as resp:
        assert resp.status == 401
    async with http.get(f"{sim.url}/api/users/me", headers=basic("dave", "dave-pw")) as resp:
        assert resp.status == 401
    expired = sim.make_token(["me.read"], expires_at=time.time() - 1)
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(expired)) as resp:
        assert resp.status == 401


async def test_password_grant_token_carries_only_requested_scopes(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with await _token(http, sim, "me.read roms.read") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["token_type"] == "bearer" and body["expires"] == 1800
    assert body["refresh_expires"] == 604800
    access = body["access_token"]
    async with http.get(f"{sim.url}/api/roms?limit=1", headers=bearer(access)) as resp:
        assert resp.status == 200
    async with http.get(f"{sim.url}/api/platforms", headers=bearer(access)) as resp:
        assert resp.status == 403
    async with await _token(http, sim, "") as resp:
        empty = (await resp.json())["access_token"]
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(empty)) as resp:
        assert resp.status == 403


async def test_password_grant_errors(sim: RommSimulator, http: aiohttp.ClientSession) -> None:
    async with await _token(http, sim, "me.read", password="wrong") as resp:
        assert resp.status == 401
        assert await resp.json() == {"detail": "Invalid username or password"}
    sim.add_user("erin", "erin-pw")
    form = {
        "grant_type": "password",
        "username": "erin",
        "password": "erin-pw",
        "scope": "users.write",
    }
    async with http.post(f"{sim.url}/api/token", data=form) as resp:
        assert resp.status == 403
    async with await _token(http, sim, "", grant_type="client_credentials") as resp:
        assert resp.status == 400
    async with http.post(f"{sim.url}/api/token", data={"grant_type": "password"}) as resp:
        assert resp.status == 400
        assert await resp.json() == {"detail": "Missing username or password"}


async def test_refresh_tokens_are_single_use(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with await _token(http, sim, "me.read") as resp:
        refresh = (await resp.json())["refresh_token"]
    form = {"grant_type": "refresh_token", "refresh_token": refresh}
    async with http.post(f"{sim.url}/api/token", data=form) as resp:
        assert resp.status == 200
        renewed = await resp.json()
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(renewed["access_token"])) as resp:
        assert resp.status == 200
    async with http.post(f"{sim.url}/api/token", data=form) as resp:
        assert resp.status == 401
    form = {"grant_type": "refresh_token", "refresh_token": renewed["refresh_token"]}
    async with http.post(f"{sim.url}/api/token", data=form) as resp:
        assert resp.status == 200


async def test_access_token_expiry_is_configurable(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.access_token_expiry = -1  # already expired when issued
    async with await _token(http, sim, "me.read") as resp:
        body = await resp.json()
    assert body["expires"] == -1
    async with http.get(f"{sim.url}/api/users/me", headers=bearer(body["access_token"])) as resp:
        assert resp.status == 401


async def test_session_cookie_from_login_and_session_wins(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    sim.add_user("frank", "frank-pw")
    async with http.post(f"{sim.url}/api/login", headers=basic("frank", "frank-pw")) as resp:
        assert resp.status == 200
        assert await resp.json() is None
        cookie = resp.cookies["romm_session"]
        assert cookie["httponly"] and cookie["samesite"].lower() == "strict"
        assert cookie["max-age"] == "1209600"
    async with http.get(f"{sim.url}/api/users/me") as resp:
        assert (await resp.json())["username"] == "frank"
    # The admin's token is ignored: the session cookie is checked first.
    async with http.get(f"{sim.url}/api/users", headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 403


async def test_csrf_guards_cookie_only_writes(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.post(
        f"{sim.url}/api/login", headers=basic("admin", sim.admin_password)
    ) as resp:
        assert resp.status == 200
    async with http.post(f"{sim.url}/api/logout") as resp:
        assert resp.status == 403
        assert await resp.text() == "CSRF token verification failed"
    csrf = next(c.value for c in http.cookie_jar if c.key == "romm_csrftoken")
    async with http.post(f"{sim.url}/api/logout", headers={"x-csrftoken": csrf}) as resp:
        assert resp.status == 200
    async with http.get(f"{sim.url}/api/users/me") as resp:
        assert resp.status == 401


async def test_writes_with_an_authorization_header_skip_csrf(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    url = f"{sim.url}/api/platforms/3"
    async with http.put(url, json={"custom_name": "SFC"}, headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 200
        assert (await resp.json())["display_name"] == "SFC"
    reader = sim.make_token(["platforms.read"])
    async with http.put(url, json={"custom_name": "X"}, headers=bearer(reader)) as resp:
        assert resp.status == 403


async def test_client_token_api_creates_usable_tokens(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    payload = {"name": "bot", "scopes": ["me.read", "roms.read"], "expires_in": "never"}
    url = f"{sim.url}/api/client-tokens"
    async with http.post(url, json=payload, headers=bearer(sim.admin_token)) as resp:
        assert resp.status == 201
        created = await resp.json()
    assert created["raw_token"].startswith("rmm_") and len(created["raw_token"]) == 68
    async with http.get(
        f"{sim.url}/api/roms?limit=1", headers=bearer(created["raw_token"])
    ) as resp:
        assert resp.status == 200
    async with http.get(url, headers=bearer(created["raw_token"])) as resp:
        listed = await resp.json()
    assert any(t["name"] == "bot" and t["last_used_at"] for t in listed)
    assert all("raw_token" not in t for t in listed)
    sim.add_user("gina", "gina-pw")
    too_much = {"name": "x", "scopes": ["users.write"]}
    async with http.post(url, json=too_much, headers=basic("gina", "gina-pw")) as resp:
        assert resp.status == 403
        assert "users.write" in (await resp.json())["detail"]


async def test_stats_and_heartbeat_need_no_auth(
    sim: RommSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.url}/api/heartbeat") as resp:
        assert resp.status == 200
        assert "romm_csrftoken" in resp.cookies
    async with http.get(f"{sim.url}/api/stats") as resp:
        assert resp.status == 200
        assert (await resp.json())["ROMS"] == 200
