"""The dashboard's "search indexers…" for RomM admins on pending requests: the same ranked
releases as in chat, Grab through Prowlarr, the requester told in chat; members get 403."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME, RommSimulator
from tests.conftest import create_app, settings_for

from .conftest import PASSWORDS, Site, csrf_of, sign_in


@pytest.fixture
async def prowlarr() -> AsyncIterator[ProwlarrSimulator]:
    async with ProwlarrSimulator() as running:
        yield running


@pytest.fixture
async def app(
    sim: RommSimulator, tmp_path: Path, prowlarr: ProwlarrSimulator
) -> AsyncIterator[App]:
    settings = settings_for(
        sim, tmp_path, prowlarr_url=prowlarr.url, prowlarr_api_key=SecretStr(prowlarr.api_key)
    )
    application = await create_app(settings)
    await application.start()
    try:
        yield application
    finally:
        await application.close()


async def test_an_admin_searches_indexers_and_grabs(
    site: Site, browser_http: aiohttp.ClientSession, prowlarr: ProwlarrSimulator
) -> None:
    rid = site.ids["Final Fantasy VII"]
    home = await sign_in(browser_http, site, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert f'href="/requests/{rid}/indexers"' in home
    async with browser_http.get(f"{site.base}/requests/{rid}/indexers") as resp:
        assert resp.status == 200
        page = await resp.text()
    assert "Final.Fantasy.VII.EUR.PS1-RETRO" in page
    assert "Final Fantasy VII (USA) (Disc 1-3) [PSX]" in page
    assert "VIII" not in page and "Remake" not in page
    assert prowlarr.api_key not in page and "apikey" not in page
    form = {"csrf": csrf_of(page), "release": "1"}
    async with browser_http.post(f"{site.base}/requests/{rid}/grab", data=form) as resp:
        assert resp.status == 200
        done = await resp.text()
    assert "Sent “Final Fantasy VII (USA) (Disc 1-3) [PSX]” to Prowlarr" in done
    assert [g["title"] for g in prowlarr.grabbed] == ["Final Fantasy VII (USA) (Disc 1-3) [PSX]"]
    assert any("is on its way" in reply.text for _, reply in site.notifier.dms)
    assert site.app.services.requests is not None
    events = await site.app.services.requests.history(rid)
    assert [(e.actor.name, e.kind) for e in events if e.kind == "grabbed"] == [
        (ADMIN_USERNAME, "grabbed")
    ]
    async with browser_http.post(f"{site.base}/requests/{rid}/grab", data={"release": "1"}) as r:
        assert r.status == 403, "no CSRF token, no grab"


async def test_members_cannot_and_errors_are_sentences(
    site: Site, browser_http: aiohttp.ClientSession, prowlarr: ProwlarrSimulator
) -> None:
    rid = site.ids["Final Fantasy VII"]
    await sign_in(browser_http, site, "dana", PASSWORDS["dana"])
    async with browser_http.get(f"{site.base}/requests/{rid}/indexers") as resp:
        assert resp.status == 403
    assert prowlarr.calls == []
    browser_http.cookie_jar.clear()
    await sign_in(browser_http, site, ADMIN_USERNAME, ADMIN_PASSWORD)
    for indexer in prowlarr.indexers:
        indexer.enable = False
    async with browser_http.get(f"{site.base}/requests/{rid}/indexers") as resp:
        assert resp.status == 502
        assert "Prowlarr has no enabled indexers" in await resp.text()
