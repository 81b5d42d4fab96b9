"""The dashboard's problem-reports page in a real headless Chromium (as the requests
dashboard's tests): a member sees only theirs and cannot act (crafted POSTs too), an admin
acknowledges and resolves with a typed note and the reporter and the "me too" member are told
in chat; what people typed (a script) shows as text and never runs."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from romm_comm.features.reports.service import ReportService
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME

from .conftest import ALICE, BOB, PASSWORDS, SCRIPT_TITLE, Site, csrf_of, sign_in
from .test_dashboard_browser import NO_BROWSER, page, shot
from .test_dashboard_browser import sign_in as browser_sign_in

__all__ = ["page"]  # the browser fixture, shared with the requests page's tests


@pytest.fixture
async def reported(site: Site) -> Site:
    """Three reports: dana's (eli has it too), one with a script in it, and eli's own."""
    service = reports_of(site)
    roms = list(site.sim.library.roms.values())
    for person, rom, problem, details in (
        (ALICE, roms[0], "broken", "crashes at the title screen"),
        (ALICE, roms[1], "other", SCRIPT_TITLE),
        (BOB, roms[2], "disc", "disc 2 is missing"),
    ):
        outcome = await service.create(
            person, rom_id=rom.id, game=rom.name or rom.fs_name, platform_name="", problem=problem,
            details=details,
        )  # fmt: skip
        assert outcome.kind == "created"
    await service.subscribe(1, BOB, "same here")
    return site


def reports_of(site: Site) -> ReportService:
    assert site.app.services.reports is not None
    return site.app.services.reports


def report_row(p: Any, rid: int) -> Any:
    return p.locator(f'[data-report-id="{rid}"]')


async def shown_ids(p: Any) -> list[int]:
    ids: list[int] = await p.locator("[data-report-id]").evaluate_all(
        "els => els.map(e => Number(e.dataset.reportId))"
    )
    return sorted(ids)


@pytest.mark.skipif(NO_BROWSER, reason="no chromium on this machine")
async def test_a_member_sees_their_reports_and_cannot_act(reported: Site, page: Any) -> None:
    p = page
    await browser_sign_in(p, reported, "dana", PASSWORDS["dana"])
    await p.click("text=Problem reports")
    assert await shown_ids(p) == [1, 2], "theirs only, closed or open"
    assert SCRIPT_TITLE in await report_row(p, 2).inner_text()
    assert p.dialogs == [], "the script is text"
    assert await p.locator('button:has-text("Resolve")').count() == 0, "no admin buttons"
    await shot(p, "member-reports")
    csrf = await p.locator('input[name="csrf"]').first.get_attribute("value")
    for action in ("acknowledge", "resolve", "reject"):
        answer = await p.request.post(
            f"{reported.base}/reports/1/{action}",
            form={"csrf": csrf, "text": "done"},
            max_redirects=0,
        )
        assert answer.status == 403, action
    no_token = await p.request.post(f"{reported.base}/reports/1/resolve", form={"text": "x"})
    assert no_token.status == 403
    stored = await reports_of(reported).get(1)
    assert stored is not None and stored.status == "open"
    assert reported.notifier.dms == [], "nobody was told anything"


@pytest.mark.skipif(NO_BROWSER, reason="no chromium on this machine")
async def test_an_admin_resolves_a_report_on_the_web(reported: Site, page: Any) -> None:
    p = page
    await browser_sign_in(p, reported, ADMIN_USERNAME, ADMIN_PASSWORD)
    await p.goto(reported.base + "/reports")
    assert await shown_ids(p) == [1, 2, 3]
    assert "also eli" in await report_row(p, 1).inner_text()
    await shot(p, "admin-reports")
    await report_row(p, 1).locator('button:has-text("Acknowledge")').click()
    assert await p.locator(".msg").inner_text() == (
        "Report acknowledged; the reporter is told in chat."
    )
    assert "was acknowledged" in reported.notifier.dms_to("201")[-1].text
    await report_row(p, 1).locator('input[name="text"]').first.fill("Replaced <the> dump")
    await report_row(p, 1).locator('button:has-text("Resolve")').click()
    assert await p.locator(".msg").inner_text() == "Report resolved; the reporter is told in chat."
    assert await shown_ids(p) == [2, 3], "the open ones by default"
    for user in ("201", "202"):
        assert reported.notifier.dms_to(user)[-1].text.endswith(
            "is resolved. Note: Replaced <the> dump"
        )
    await p.select_option('select[name="status"]', "resolved")
    await p.click('button:has-text("Show")')
    assert await shown_ids(p) == [1]
    assert "Resolution: Replaced <the> dump" in await report_row(p, 1).inner_text()
    history = [(e.kind, e.actor.name, e.text) for e in (await reports_of(reported).thread(1))[0]]
    assert ("resolved", ADMIN_USERNAME, "Replaced <the> dump") in history
    await shot(p, "admin-reports-resolved")
    assert p.dialogs == []


async def test_acting_on_a_closed_report_or_without_a_note_says_so(
    reported: Site, browser_http: aiohttp.ClientSession
) -> None:
    await sign_in(browser_http, reported, ADMIN_USERNAME, ADMIN_PASSWORD)
    async with browser_http.get(reported.base + "/reports") as resp:
        csrf = csrf_of(await resp.text())
    url = reported.base + "/reports/3/"
    async with browser_http.post(url + "resolve", data={"csrf": csrf, "text": "  "}) as resp:
        assert "Write the note (resolve) or the reason (reject)" in await resp.text()
    async with browser_http.post(url + "reject", data={"csrf": csrf, "text": "no"}) as resp:
        assert "Report rejected; the reporter is told in chat." in await resp.text()
    async with browser_http.post(url + "resolve", data={"csrf": csrf, "text": "ok"}) as resp:
        assert "That report is already acknowledged or closed" in await resp.text()
    async with browser_http.post(
        reported.base + "/reports/99/acknowledge", data={"csrf": csrf}
    ) as resp:
        assert "There is no such report." in await resp.text()
    stored = await reports_of(reported).get(3)
    assert stored is not None and stored.status == "rejected" and stored.outcome == "no"


async def test_signed_out_the_page_sends_you_to_sign_in(
    reported: Site, browser_http: aiohttp.ClientSession
) -> None:
    async with browser_http.get(reported.base + "/reports") as resp:
        assert resp.url.path == "/" and 'name="password"' in await resp.text()
