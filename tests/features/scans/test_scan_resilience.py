"""Scans the bot did not start, restarts in the middle, a socket that drops, and polling."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for
from tests.features.scans.conftest import (
    Apps,
    fields_of,
    finished,
    progress_stored,
    rest_calls,
    scan,
    text_of,
)
from tests.helpers.waiting import eventually


async def test_a_scan_started_in_romm_is_followed_like_our_own(
    sim: RommSimulator, apps: Apps
) -> None:
    assert sim.library.platform_by_slug("ngc") is None
    sim.scans.stage_roms("ngc", ["Pikmin", "Ikaruga"])  # a platform new to RomM
    gate = sim.scans.hold()
    # No watchdog look while connecting: the one look at the task list is the one on connect.
    _app, seen = await apps.make(scan_poll_interval=3600.0)

    job = sim.scans.start_external_scan("quick")
    await eventually(lambda: seen.on("scans"), what="the progress message")
    gate.open()

    message = await finished(seen)
    assert len(seen.on("scans")) == 1
    assert any(v.cards[0].title == "🔎 Scan started in RomM" for v in message.versions)
    summary = message.last
    assert "Scan started in RomM, started in RomM." in text_of(summary)
    fields = fields_of(summary)
    assert fields["ROMs"] == f"{job.stats['scanned_roms']} scanned, 2 added"
    assert fields["Platforms"] == f"{job.stats['scanned_platforms']} scanned, 1 new"
    recent = await eventually(lambda: seen.on("recent_roms"), what="recently added")
    assert recent[0].last.cards[0].title == "🆕 2 new games"


async def test_a_restart_in_the_middle_carries_on_with_the_same_message(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("psx", 30)
    gate = sim.scans.hold()
    first, seen = await apps.make()
    await scan(first, "platform", "PlayStation")
    await gate.reached(1)
    await progress_stored(first)
    await apps.close(first)  # the bot goes away while RomM keeps scanning
    assert sim.scans.running is not None, "the scan outlived the bot"

    second, _ = await apps.make(notifier=seen, late=True)  # the chat connects after start
    gate.open()

    message = await finished(seen)
    assert len(seen.on("scans")) == 1, "the old progress message was edited, no new one"
    summary = message.last
    assert "Quick scan of PlayStation, started by boss." in text_of(summary)
    job = sim.scans.jobs[-1]
    assert fields_of(summary)["ROMs"] == f"{job.stats['scanned_roms']} scanned, 30 added"
    status = await scan(second, "status")
    assert status.text == "No scan is running. The last one:"


async def test_a_scan_that_ended_while_the_bot_was_down_gets_its_summary(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("psx", 20)
    gate = sim.scans.hold()
    first, seen = await apps.make()
    await scan(first, "full")
    await progress_stored(first)
    await apps.close(first)
    gate.open()
    await sim.scans.wait_idle()

    await apps.make(notifier=seen)

    summary = (await finished(seen)).last
    job = sim.scans.jobs[-1]
    assert fields_of(summary)["ROMs"] == f"{job.stats['scanned_roms']} scanned, 20 added"
    assert len(seen.on("scans")) == 1


async def test_the_socket_dropping_mid_scan_loses_nothing(sim: RommSimulator, apps: Apps) -> None:
    sim.scans.stage_roms("n64", 40)
    gate = sim.scans.hold()
    app, seen = await apps.make()
    socket = app.services.scans.socket if app.services.scans is not None else None
    assert socket is not None
    await scan(app, "platform", "n64")
    await eventually(lambda: len(seen.on("scans")) == 1, what="progress")
    gate.release(10)
    await gate.reached(10)

    sim.faults.fail("/ws", 503, times=1)  # the first reconnection fails too
    await sim.scans.drop_clients()
    await eventually(lambda: socket.connections == 2 and socket.connected, what="reconnected")
    assert sim.scans.running is not None, "it reconnected during the scan"
    gate.open()

    message = await finished(seen)
    assert fields_of(message.last)["ROMs"] == "40 scanned, 40 added"
    assert message.last.cards[0].title == "✅ Scan finished"
    assert len(seen.on("scans")) == 1


async def test_a_scan_ending_while_the_socket_is_down_is_reconciled(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("n64", 30)
    gate = sim.scans.hold()
    app, seen = await apps.make()
    await scan(app, "platform", "n64")
    await eventually(lambda: len(seen.on("scans")) == 1, what="progress")
    sim.faults.fail("/ws", 503)  # RomM's socket stays unreachable...
    await sim.scans.drop_clients()
    gate.open()
    await sim.scans.wait_idle()  # ...until after scan:done went out to nobody
    sim.faults.clear()

    summary = (await finished(seen, within=15)).last
    assert fields_of(summary)["ROMs"] == "30 scanned, 30 added"


async def test_without_a_password_scans_are_followed_by_polling(
    sim: RommSimulator, apps: Apps
) -> None:
    app, seen = await apps.make(romm_username=None, romm_password=None)
    scans = app.services.scans
    assert scans is not None and scans.mode == "polling"
    assert "polling /api/tasks/status" in scans.describe()

    refused = await scan(app, "full")
    assert refused.tone == "error"
    assert "ROMM_USERNAME/ROMM_PASSWORD are not set" in refused.text
    assert sim.scans.requests == [], "nothing can be sent without a session"

    sim.scans.stage_roms("n64", 12)
    sim.scans.pace = 0.05
    sim.scans.start_external_scan("quick")
    summary = (await finished(seen)).last
    assert fields_of(summary)["ROMs"] == "12 scanned, 12 added"
    assert "Quick Scan, started in RomM." in text_of(summary)
    polls = rest_calls(sim).count("/api/tasks/status")
    await asyncio.sleep(0.35)
    assert rest_calls(sim).count("/api/tasks/status") - polls <= 5, "about one look per interval"


async def test_summaries_survive_a_restart(sim: RommSimulator, apps: Apps) -> None:
    sim.scans.stage_roms("n64", ["Wave Race 64"])
    first, seen = await apps.make()
    await scan(first, "platform", "n64")
    await finished(seen)
    await scan(first, "hashes")
    await finished(seen, 2)
    await apps.close(first)

    second, _ = await apps.make()

    status = await scan(second, "status")
    assert status.text == "No scan is running. The last one:"
    assert status.cards[0].title == "✅ Scan finished"
    assert "Hash scan of all platforms, started by boss." in text_of(status)
    listing = await scan(second, "summary")
    assert fields_of(listing)["ROMs"].endswith("scanned, 0 added"), "the newest in full"
    earlier = listing.cards[1]
    assert earlier.title == "Earlier scans"
    assert "Quick scan of Nintendo 64 ·" in earlier.text and "1 new ROM, 1 matched" in earlier.text


async def test_a_new_process_knows_at_once_how_a_scan_it_left_running_ended(
    sim: RommSimulator, apps: Apps, tmp_path: Path
) -> None:
    """A piped console starts a scan and exits before RomM finishes; the next process is
    asked for the summary before any scan event or poll could have told it."""
    sim.scans.stage_roms("psx", 2)
    sim.scans.pace = 0.05
    first, seen = await apps.make()
    await scan(first, "platform", "PlayStation")
    await eventually(lambda: len(seen.on("scans")) == 1, what="progress")
    await apps.close(first)
    await sim.scans.wait_idle()
    sim.faults.fail("/ws", 503)  # no scan channel: only tasks/status can tell

    second = await App.create(
        settings_for(
            sim, tmp_path, romm_username="admin", romm_password=SecretStr(sim.admin_password),
            scan_poll_interval=3600, requests_enabled=False,
        )
    )  # fmt: skip
    await second.start()
    try:
        listing = await scan(second, "summary")
        assert listing.cards, listing.text
        assert listing.cards[0].title == "✅ Scan finished"
        assert fields_of(listing)["ROMs"] == "2 scanned, 2 added"
        status = await scan(second, "status")
        assert status.text == "No scan is running. The last one:"
    finally:
        await second.close()


async def test_status_asks_romm_about_a_scan_it_recorded_as_running(
    sim: RommSimulator, apps: Apps
) -> None:
    sim.scans.stage_roms("n64", 3)
    sim.scans.pace = 0.05
    app, seen = await apps.make(scan_poll_interval=3600)
    await scan(app, "platform", "n64")
    await eventually(lambda: len(seen.on("scans")) == 1, what="progress")
    sim.faults.fail("/ws", 503)
    await sim.scans.drop_clients()  # scan:done goes out to nobody
    await sim.scans.wait_idle()

    status = await scan(app, "status")

    assert status.text == "No scan is running. The last one:"
    assert fields_of(status)["ROMs"] == "3 scanned, 3 added"
