"""The dashboard over real HTTP with a cookie-keeping client: sign-in against RomM, CSRF,
members and admins, actions through the chat's RequestService, escaping, sign-out."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from romm_comm.app.root import App, dashboard_options, web_options
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME, RommSimulator
from tests.conftest import settings_for

from .conftest import PASSWORDS, SCRIPT_TITLE, Site, csrf_of, sign_in


def request_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-request-id="(\d+)"', html)}


async def test_signin_form_and_wrong_password(
    site: Site, browser_http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with browser_http.get(site.base + "/") as resp:
        html = await resp.text()
        assert resp.status == 200
        assert 'name="username"' in html and 'name="password"' in html
        assert resp.headers["Cache-Control"] == "no-store"
    page = await sign_in(browser_http, site, "dana", "wrong")
    assert "Wrong username or password." in page
    assert "wrong" not in page.replace("Wrong", "")  # the password is not echoed
    token_calls = [c for c in site.sim.calls if c.path == "/api/token"]
    assert token_calls, "checked against RomM itself"
    await sign_in(browser_http, site, "dana", PASSWORDS["dana"])
    assert PASSWORDS["dana"] not in caplog.text and "dashboard: dana signed in" in caplog.text
    rows = await site.app.services.store.conn.execute_fetchall("SELECT * FROM web_sessions")
    assert len(rows) == 1 and PASSWORDS["dana"] not in str(list(rows[0]))


async def test_a_member_sees_and_cancels_only_their_own(
    site: Site, browser_http: aiohttp.ClientSession
) -> None:
    page = await sign_in(browser_http, site, "dana", PASSWORDS["dana"])
    mine = {site.ids["Chrono Trigger"], site.ids[SCRIPT_TITLE]}
    assert request_ids(page) == mine
    assert "Final Fantasy VII" not in page
    assert ">Cancel<" in page and ">Reject<" not in page and ">Fulfil<" not in page
    # The script-in-a-title shows as text.
    assert SCRIPT_TITLE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csrf = csrf_of(page)
    eli = site.ids["Final Fantasy VII"]
    for action in ("cancel", "reject", "fulfil", "note"):
        form = {"csrf": csrf, "reason": "mine now", "text": "x"}
        async with browser_http.post(f"{site.base}/requests/{eli}/{action}", data=form) as resp:
            assert resp.status == 403, action
    service = site.app.services.requests
    assert service is not None
    assert (await service.get(eli)).status == "pending"  # type: ignore[union-attr]
    rid = site.ids["Chrono Trigger"]
    async with browser_http.post(f"{site.base}/requests/{rid}/cancel", data={"csrf": csrf}) as resp:
        page = await resp.text()
    assert "Request cancelled." in page
    assert (await service.get(rid)).status == "cancelled"  # type: ignore[union-attr]


async def test_posts_without_the_csrf_token_are_403(
    site: Site, browser_http: aiohttp.ClientSession
) -> None:
    await sign_in(browser_http, site, ADMIN_USERNAME, ADMIN_PASSWORD)
    rid = site.ids["Chrono Trigger"]
    for data in ({}, {"csrf": "forged"}):
        async with browser_http.post(f"{site.base}/requests/{rid}/reject", data=data) as resp:
            assert resp.status == 403
        async with browser_http.post(f"{site.base}/signout", data=data) as resp:
            assert resp.status == 403
    async with aiohttp.ClientSession() as fresh:  # no sign-in cookie either
        form = {"username": "dana", "password": PASSWORDS["dana"]}
        async with fresh.post(f"{site.base}/signin", data=form) as resp:
            assert resp.status == 403
    service = site.app.services.requests
    assert (await service.get(rid)).status == "pending"  # type: ignore[union-attr]


async def test_an_admin_filters_rejects_fulfils_and_notes_and_requesters_are_told(
    site: Site, browser_http: aiohttp.ClientSession
) -> None:
    page = await sign_in(browser_http, site, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert request_ids(page) == set(site.ids.values())  # everyone's pending requests
    csrf = csrf_of(page)
    async with browser_http.get(site.base + "/", params={"platform": "psx"}) as resp:
        assert request_ids(await resp.text()) == {site.ids["Final Fantasy VII"]}
    async with browser_http.get(site.base + "/", params={"q": "chrono"}) as resp:
        assert request_ids(await resp.text()) == {site.ids["Chrono Trigger"]}
    chrono, ff7 = site.ids["Chrono Trigger"], site.ids["Final Fantasy VII"]
    form = {"csrf": csrf, "reason": "Not a <b>real</b> dump"}
    async with browser_http.post(f"{site.base}/requests/{chrono}/reject", data=form) as resp:
        assert "Request rejected" in await resp.text()
    async with browser_http.post(
        f"{site.base}/requests/{ff7}/note", data={"csrf": csrf, "text": "looking for it"}
    ) as resp:
        assert "Note added." in await resp.text()
    async with browser_http.post(f"{site.base}/requests/{ff7}/fulfil", data={"csrf": csrf}) as resp:
        assert "Request fulfilled" in await resp.text()
    async with browser_http.get(site.base + "/", params={"status": "all"}) as resp:
        html = await resp.text()
    assert "Not a &lt;b&gt;real&lt;/b&gt; dump" in html and "looking for it" in html
    dana_told = site.notifier.dms_to("201")
    assert any("Not a <b>real</b> dump" in (r.text + str(r.cards)) for r in dana_told)
    assert site.notifier.dms_to("202"), "eli is told his request was fulfilled"
    service = site.app.services.requests
    assert service is not None
    history = [e.kind for e in await service.history(ff7)]
    assert "note" in history and "fulfilled" in history
    rejected = [e for e in await service.history(chrono) if e.kind == "rejected"]
    assert [e.actor.name for e in rejected] == [ADMIN_USERNAME]


async def test_sign_out_revokes_the_session(
    site: Site, browser_http: aiohttp.ClientSession
) -> None:
    async with browser_http.get(site.base + "/") as resp:
        form = {
            "username": "dana",
            "password": PASSWORDS["dana"],
            "csrf": csrf_of(await resp.text()),
        }
    async with browser_http.post(site.base + "/signin", data=form, allow_redirects=False) as resp:
        assert resp.status == 303
        set_cookie = resp.headers["Set-Cookie"]
    assert "rc_session=" in set_cookie and "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie and "Secure" not in set_cookie  # PUBLIC_URL is http
    assert PASSWORDS["dana"] not in set_cookie
    cookie = browser_http.cookie_jar.filter_cookies(site.base)["rc_session"]
    async with browser_http.get(site.base + "/") as resp:
        page = await resp.text()
    async with browser_http.post(site.base + "/signout", data={"csrf": csrf_of(page)}) as resp:
        assert "You are signed out." in await resp.text()
    async with (
        aiohttp.ClientSession(cookies={"rc_session": cookie.value}) as stolen,
        stolen.get(site.base + "/") as resp,
    ):
        assert 'name="password"' in await resp.text()  # the old cookie is worthless


async def test_signin_attempts_are_rate_limited(
    site: Site, browser_http: aiohttp.ClientSession
) -> None:
    pages = [await sign_in(browser_http, site, "eli", "guess") for _ in range(6)]
    assert "Too many attempts" in pages[-1]
    assert "Too many attempts" in await sign_in(browser_http, site, "eli", PASSWORDS["eli"])


async def test_a_session_expires_after_its_time(
    sim: RommSimulator, tmp_path: Path, browser_http: aiohttp.ClientSession
) -> None:
    now = [1_800_000_000.0]
    settings = settings_for(sim, tmp_path, dashboard_session_hours=2)
    options = dashboard_options(settings)
    assert options is not None
    web = replace(web_options(settings), dashboard=replace(options, clock=lambda: now[0]))
    app = await App.create(settings, web=web)
    await app.start()
    try:
        sim.add_user("dana", PASSWORDS["dana"])
        base = app.services.downloads.gateway_base
        assert base is not None
        async with browser_http.get(base + "/") as resp:
            form = {"username": "dana", "password": PASSWORDS["dana"]}
            form["csrf"] = csrf_of(await resp.text())
        async with browser_http.post(base + "/signin", data=form, allow_redirects=False) as resp:
            assert "Max-Age=7200" in resp.headers["Set-Cookie"]
        now[0] += 2 * 3600 - 1
        async with browser_http.get(base + "/") as resp:
            assert "Sign out" in await resp.text()  # a second before it ends: still signed in
        now[0] += 2
        async with browser_http.get(base + "/") as resp:
            assert 'name="password"' in await resp.text()  # over: sign in again
        async with browser_http.get(base + "/library") as resp:
            assert 'name="password"' in await resp.text()
    finally:
        await app.close()
