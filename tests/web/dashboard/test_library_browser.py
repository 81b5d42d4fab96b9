"""The library page in a real headless Chromium on a phone-sized screen: the charts are drawn,
the covers load from the bot's own server, and nothing overflows the screen."""

from __future__ import annotations

from typing import Any

import pytest

from romm_comm.app.root import App

from .conftest import PASSWORDS
from .test_dashboard_browser import CHROMIUM, NO_BROWSER, playwright_api, shot
from .test_library_page import app, library, local  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.skipif(NO_BROWSER, reason="no chromium on this machine")


async def test_the_library_page_on_a_phone(library: App) -> None:  # noqa: F811
    base = local(library)
    async with playwright_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            tab: Any = await context.new_page()
            outside: list[str] = []
            tab.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(base) else None,
            )
            await tab.goto(base + "/")
            await tab.fill('input[name="username"]', "dana")
            await tab.fill('input[name="password"]', PASSWORDS["dana"])
            await tab.click('button:has-text("Sign in")')
            await tab.click('nav a:has-text("Library")')
            await tab.wait_for_load_state("networkidle")
            assert await tab.locator("svg[role=img]").count() == 2
            assert await tab.locator("svg.bars rect").count() == 12  # twelve weeks
            widths = await tab.locator("svg").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert all(0 < w <= 390 for w in widths)
            loaded = await tab.locator(".game img").evaluate_all(
                "els => els.map(e => e.complete && e.naturalWidth > 0)"
            )
            assert loaded and all(loaded)  # the covers came through /cover
            assert await tab.evaluate("document.documentElement.scrollWidth") <= 390
            assert outside == []  # nothing fetched from anywhere but the bot
            await shot(tab, "library")
        finally:
            await browser.close()
