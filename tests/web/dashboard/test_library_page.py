"""The library page: growth over time from the stored stats history, downloads per week as
server-rendered SVG charts, the most downloaded games with covers through the bot's /cover
relay (never RomM's or IGDB's address), for members and admins; in Chromium on a phone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME, RommSimulator
from tests.conftest import create_app, settings_for
from tests.features.downloads.test_download_commands import MARIO, ZELDA, rom_id

from .conftest import PASSWORDS, SCRIPT_TITLE, csrf_of

PUBLIC = "http://dl.example.org"  # not https: the cookies are not Secure over loopback


@pytest.fixture
async def app(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[App]:
    application = await create_app(settings_for(sim, tmp_path, web_public_url=PUBLIC))
    await application.start()
    try:
        yield application
    finally:
        await application.close()


def local(app: App) -> str:
    assert app.web is not None
    return app.web.url


async def download(app: App, sim: RommSimulator, fs_name: str, user: str, name: str) -> None:
    links = await app.services.downloads.links_for(user, name)
    url = links.rom(await app.services.catalog.rom(rom_id(sim, fs_name), admin=True))
    assert url is not None and url.startswith(PUBLIC)
    async with aiohttp.ClientSession() as http, http.get(local(app) + url[len(PUBLIC) :]) as r:
        assert r.status == 200
        await r.read()
    assert app.web is not None
    await app.web.gateway.settle()


@pytest.fixture
async def library(app: App, sim: RommSimulator) -> App:
    """Three stored stats days, Mario downloaded by two people and Zelda by one."""
    sim.add_user("dana", PASSWORDS["dana"])
    async with app.services.store.transaction() as conn:
        for day, roms in (("2026-01-05", 10), ("2026-02-05", 25), ("2026-03-05", 40)):
            await conn.execute(
                "INSERT INTO stats_history(taken_at, platforms, roms, saves, states, "
                "screenshots, storage_bytes, users) VALUES (?, 3, ?, 0, 0, 0, 0, 1)",
                (f"{day}T10:00:00+00:00", roms),
            )
    await download(app, sim, MARIO, "discord:1", "alice")
    await download(app, sim, MARIO, "discord:2", "bob")
    await download(app, sim, ZELDA, "discord:1", "alice")
    return app


async def signed_in(http: aiohttp.ClientSession, base: str, user: str, password: str) -> None:
    async with http.get(base + "/") as resp:
        form = {"username": user, "password": password, "csrf": csrf_of(await resp.text())}
    async with http.post(base + "/signin", data=form) as resp:
        assert "Sign out" in await resp.text()


async def test_the_library_page_shows_charts_and_the_most_downloaded_with_relayed_covers(
    library: App, sim: RommSimulator, browser_http: aiohttp.ClientSession
) -> None:
    base = local(library)
    async with browser_http.get(base + "/library") as resp:
        assert 'name="password"' in await resp.text()  # signed out: the sign-in form
    await signed_in(browser_http, base, "dana", PASSWORDS["dana"])
    async with browser_http.get(base + "/") as resp:
        assert 'href="/library"' in await resp.text()  # in the dashboard's nav
    async with browser_http.get(base + "/library") as resp:
        assert resp.status == 200
        assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        html = await resp.text()
    assert html.count("<svg") == 2 and "<script" not in html
    # growth: one point per stored day, the newest (40 games) highest on the chart
    points = re.search(r'<polyline points="([^"]+)"', html)
    assert points is not None
    ys = [float(p.split(",")[1]) for p in points.group(1).split()]
    assert len(ys) >= 3 and ys[0] > ys[1] > ys[2]  # SVG y grows downwards
    # downloads per week: this week's bar says 3
    assert re.search(r"<title>\d\d-\d\d: 3 downloads</title>", html)
    games = re.findall(r'<li class="game" data-downloads="(\d+)">.*?<b>(.*?)</b>', html, re.S)
    assert games[0] == ("2", "Super Mario 64")
    zelda = "The Legend of Zelda: A Link to the Past"
    assert [g[1] for g in games][:2] == ["Super Mario 64", zelda]
    covers = re.findall(r'<img src="([^"]+)"', html)
    assert covers and all(c.startswith("/cover/") for c in covers)
    assert sim.url not in html and "romm.example.org" not in html and "igdb" not in html
    async with browser_http.get(base + covers[0].replace("&amp;", "&")) as resp:
        assert resp.status == 200 and resp.content_type == "image/png"


async def test_a_library_with_no_history_or_downloads_says_so(
    app: App, sim: RommSimulator, browser_http: aiohttp.ClientSession
) -> None:
    sim.add_user("dana", PASSWORDS["dana"])
    async with app.services.store.transaction() as conn:
        await conn.execute("DELETE FROM stats_history")
    base = local(app)
    await signed_in(browser_http, base, "dana", PASSWORDS["dana"])
    async with browser_http.get(base + "/library") as resp:
        html = await resp.text()
    assert html.count("Nothing to show yet.") == 2 and "No downloads yet." in html


async def test_titles_are_escaped_and_members_see_only_games_they_can_see(
    library: App, browser_http: aiohttp.ClientSession
) -> None:
    async with library.services.store.transaction() as conn:  # a game RomM no longer has
        await conn.execute(
            "INSERT INTO downloads(link_id, user_key, kind, rom_id, file_name, title, platform, "
            "bytes_sent, requests, completed, started_at, updated_at) VALUES ('gone', 'x:1', "
            "'rom', 999999, 'gone.bin', ?, 'Nowhere', 10, 1, 1, "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            (SCRIPT_TITLE,),
        )
    base = local(library)
    await signed_in(browser_http, base, ADMIN_USERNAME, ADMIN_PASSWORD)
    async with browser_http.get(base + "/library") as resp:
        admin_page = await resp.text()
    assert SCRIPT_TITLE not in admin_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin_page  # shown, as text
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as member:
        await signed_in(member, base, "dana", PASSWORDS["dana"])
        async with member.get(base + "/library") as resp:
            member_page = await resp.text()
    assert "alert(1)" not in member_page and "Super Mario 64" in member_page
