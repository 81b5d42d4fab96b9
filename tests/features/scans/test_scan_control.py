"""Stopping scans, refusals explained in plain words, re-login, and /scan status while running."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import RommSimulator
from tests.features.scans.conftest import Apps, fields_of, finished, scan, text_of
from tests.helpers.waiting import eventually


async def test_stop_ends_the_scan_with_a_stopped_summary(sim: RommSimulator, apps: Apps) -> None:
    sim.scans.stage_roms("n64", 40)
    gate = sim.scans.hold()
    app, seen = await apps.make()
    assert (await scan(app, "full")).tone == "success"
    await gate.reached(1)
    await eventually(lambda: len(seen.on("scans")) == 1, what="the progress message")

    status = await scan(app, "status")
    assert status.cards[0].title == "🔎 Complete scan of all platforms", text_of(status)
    stopped = await scan(app, "stop")
    assert "Asked RomM to stop the scan" in stopped.text
    gate.open()

    summary = (await finished(seen)).last
    assert summary.cards[0].title == "⏹️ Scan stopped"
    assert "Stopped at the request of boss" in text_of(summary)
    assert sim.scans.stops == 1
    added = int(fields_of(summary)["ROMs"].split(" added")[0].rsplit(" ", 1)[1])
    assert added < 40 and sim.scans.runner.staged["n64"], "RomM stopped before the end"
    assert (await scan(app, "stop")).text.startswith("No scan is running")


async def test_a_second_scan_is_refused_in_plain_words(sim: RommSimulator, apps: Apps) -> None:
    sim.scans.stage_roms("psx", 30)
    gate = sim.scans.hold()  # the scan is still running when /scan arrives
    app, seen = await apps.make()
    sim.scans.start_external_scan("complete")
    await eventually(lambda: app.services.scans and app.services.scans.current, what="noticed")

    busy = await scan(app, "platform", "PlayStation")
    assert busy.tone == "warning"
    # The label is "Scan started in RomM", or the task's own name ("Complete Scan") once
    # RomM's task list has named it; either way the person learns it was started in RomM.
    assert busy.text.startswith("A scan is already running (")
    assert "started in RomM" in busy.text and "/scan stop" in busy.text
    assert len(sim.scans.requests) == 0, "the bot knew; nothing was sent"
    gate.open()
    await finished(seen)


async def test_romm_saying_a_scan_runs_is_explained(sim: RommSimulator, apps: Apps) -> None:
    app, _seen = await apps.make()
    sim.scans.start_delay = 2.0  # queued in RomM: no event yet, so the bot cannot know
    sim.scans.start_external_scan("quick")

    reply = await scan(app, "full")

    assert reply.tone == "error"
    assert reply.text.startswith("RomM is already running a scan (perhaps started from its web")
    assert "/scan stop" in reply.text


async def test_an_account_without_scan_rights_is_explained(sim: RommSimulator, apps: Apps) -> None:
    app, seen = await apps.make(romm_username="alice", romm_password=SecretStr("alice-password"))
    assert app.services.scans is not None and app.services.scans.socket is not None
    logins_before = app.services.scans.socket.logins

    reply = await scan(app, "full")

    assert reply.tone == "error"
    assert "the RomM account in ROMM_USERNAME must be an admin" in reply.text
    assert "tasks.run" in reply.text
    assert app.services.scans.socket.logins == logins_before + 1, "signed in again once"
    assert not sim.scans.jobs and not seen.on("scans")


async def test_an_expired_session_is_renewed_and_the_scan_starts(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("n64", ["Mischief Makers"])
    app, seen = await apps.make()
    sim.scans.expire_sessions()  # RomM forgot the bot's session (Redis flushed, 14 days...)

    reply = await scan(app, "platform", "n64")

    assert reply.tone == "success", reply.text
    assert [r["type"] for r in sim.scans.requests] == ["quick", "quick"], "asked again"
    summary = (await finished(seen)).last
    assert fields_of(summary)["ROMs"] == "1 scanned, 1 added"


async def test_options_are_checked_before_anything_is_sent(sim: RommSimulator, apps: Apps) -> None:
    app, _ = await apps.make()
    missing = await scan(app, "platform")
    assert missing.tone == "error" and "Which platform?" in missing.text
    unknown = await scan(app, "platform", "Dreamcast 2")
    assert unknown.tone == "error" and "No platform called 'Dreamcast 2'" in unknown.text
    member = Context(Caller("9", "member", "test"), app.services)
    denied = await app.registry.run(member, "scan", {"action": "full"})
    assert denied.text == "/scan is for admins only."
    assert sim.scans.requests == []


async def test_the_password_and_session_never_reach_the_log(
    sim: RommSimulator, apps: Apps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app, seen = await apps.make()
    sim.scans.expire_sessions()
    await scan(app, "full")  # refused, signs in again, starts
    await finished(seen)
    sessions = list(sim.auth.sessions)
    assert sessions, "the bot holds a session"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "scan socket: connected" in logged
    for secret in (sim.admin_password, *sessions):
        assert secret not in logged
