"""The dashboard in a real headless Chromium (the system's `chromium`, driven by Playwright):
sign in, wrong password, list, filter, reject with a reason, note, fulfil choosing the game,
cancel as a member, someone else's request (crafted POSTs too), CSRF, a title that is a
script (a dialog hook proves it never runs), sign out. DASHBOARD_SCREENSHOTS=<dir> keeps a
screenshot of each page."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest

from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME

from .conftest import PASSWORDS, SCRIPT_TITLE, Site

playwright_api = pytest.importorskip("playwright.async_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Skipped without a browser, except in CI: there a missing browser must fail, not hide tests.
NO_BROWSER = CHROMIUM is None and os.environ.get("CI") != "true"
pytestmark = pytest.mark.skipif(NO_BROWSER, reason="no chromium on this machine")


@pytest.fixture
async def page(site: Site) -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        tab = await context.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.dialogs = dialogs  # what any alert() would have said
        try:
            yield tab
        finally:
            await browser.close()


async def shot(page: Any, name: str) -> None:
    where = os.environ.get("DASHBOARD_SCREENSHOTS")
    if where:
        await page.screenshot(path=os.path.join(where, f"{name}.png"), full_page=True)


async def sign_in(page: Any, site: Site, username: str, password: str) -> None:
    p = page
    await p.goto(site.base + "/")
    await p.fill('input[name="username"]', username)
    await p.fill('input[name="password"]', password)
    await p.click('button:has-text("Sign in")')


def row(page: Any, rid: int) -> Any:
    return page.locator(f'[data-request-id="{rid}"]')


async def test_a_member_in_the_browser(site: Site, page: Any) -> None:
    p = page
    await p.goto(site.base + "/")
    await shot(p, "signin")
    await sign_in(p, site, "dana", "not-it")
    assert await p.locator(".err").inner_text() == "Wrong username or password."
    await shot(p, "signin-wrong-password")
    await sign_in(p, site, "dana", PASSWORDS["dana"])
    ids = await p.locator("[data-request-id]").evaluate_all(
        "els => els.map(e => Number(e.dataset.requestId))"
    )
    assert sorted(ids) == sorted([site.ids["Chrono Trigger"], site.ids[SCRIPT_TITLE]])
    script_row = row(p, site.ids[SCRIPT_TITLE])
    assert SCRIPT_TITLE in await script_row.locator("h2").inner_text()
    assert p.dialogs == []
    await shot(p, "member-requests")
    # Someone else's request: not shown, and a crafted POST (with this session's token) fails.
    csrf = await p.locator('input[name="csrf"]').first.get_attribute("value")
    theirs = site.ids["Final Fantasy VII"]
    answer = await p.request.post(
        f"{site.base}/requests/{theirs}/cancel", form={"csrf": csrf}, max_redirects=0
    )
    assert answer.status == 403
    answer = await p.request.post(f"{site.base}/requests/{theirs}/cancel", form={})
    assert answer.status == 403  # and without the CSRF token
    chrono = row(p, site.ids["Chrono Trigger"])
    await chrono.locator('button:has-text("Cancel")').click()
    assert await p.locator(".msg").inner_text() == "Request cancelled."
    service = site.app.services.requests
    assert service is not None
    assert (await service.get(theirs)).status == "pending"  # type: ignore[union-attr]
    await p.click('button:has-text("Sign out")')
    assert await p.locator(".msg").inner_text() == "You are signed out."
    assert await p.locator('input[name="password"]').count() == 1


async def test_an_admin_in_the_browser(site: Site, page: Any) -> None:
    p = page
    await sign_in(p, site, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert await p.locator("[data-request-id]").count() == 3
    assert p.dialogs == []
    await shot(p, "admin-requests")
    await p.select_option('select[name="platform"]', "psx")
    await p.click('button:has-text("Show")')
    assert await p.locator("[data-request-id]").count() == 1
    await p.select_option('select[name="platform"]', "")
    await p.fill('input[name="q"]', "chrono")
    await p.click('button:has-text("Show")')
    chrono = row(p, site.ids["Chrono Trigger"])
    assert await p.locator("[data-request-id]").count() == 1
    await chrono.locator('input[name="reason"]').fill("No good dump exists")
    await chrono.locator('button:has-text("Reject")').click()
    assert "rejected" in await p.locator(".msg").inner_text()
    told = site.notifier.dms_to("201")
    assert any("No good dump exists" in (r.text + str(r.cards)) for r in told)
    ff7 = row(p, site.ids["Final Fantasy VII"])
    await ff7.locator('input[name="text"]').fill("on its way")
    await ff7.locator('button:has-text("Note")').click()
    assert await p.locator(".msg").inner_text() == "Note added."
    assert "on its way" in await row(p, site.ids["Final Fantasy VII"]).inner_text()
    # Fulfil, choosing the game in the library.
    rom = next(iter(site.sim.library.roms.values()))
    await row(p, site.ids["Final Fantasy VII"]).locator("text=choose the game").click()
    await p.fill('input[name="rom_id_typed"]', str(rom.id))
    await shot(p, "admin-fulfil")
    await p.click('button:has-text("Fulfil")')
    assert "fulfilled" in await p.locator(".msg").inner_text()
    service = site.app.services.requests
    assert service is not None
    done = await service.get(site.ids["Final Fantasy VII"])
    assert done is not None and done.status == "fulfilled" and done.rom_id == rom.id
    assert site.notifier.dms_to("202"), "the requester is told in chat"
    await p.select_option('select[name="status"]', "all")
    await p.click('button:has-text("Show")')
    await shot(p, "admin-all")
    assert p.dialogs == []
