"""Presence "N games" (sent only when the number changes), a warning presence while RomM is
unreachable, and refresh results in the log channel (SHOW_API_SUCCESS + CHANNEL_ID)."""

from __future__ import annotations

from typing import Any

from tests.fakes.discord import FakeDiscord
from tests.frontends.discord.conftest import Harness, Running
from tests.frontends.discord.test_stats_channels import add_games, refresh
from tests.helpers.waiting import eventually


def shown(fd: FakeDiscord) -> tuple[str, str]:
    presence: Any = fd.presence
    assert presence is not None
    activity = presence["activities"][0]
    return presence["status"], activity.get("state") or activity["name"]


async def test_presence_counts_games_and_changes_only_with_the_number(
    harness: Harness, bot: Running
) -> None:
    fd = harness.fd
    await eventually(lambda: fd.presence is not None, what="a presence")
    assert shown(fd) == ("online", "60 games")
    assert fd.presence is not None and fd.presence["activities"][0]["type"] == 3  # Watching
    sent = len(fd.presence_updates)
    await refresh(bot)
    await fd.flush()
    assert len(fd.presence_updates) == sent  # nothing changed, nothing sent
    add_games(harness)
    await refresh(bot)
    await eventually(lambda: shown(fd) == ("online", "61 games"), what="61 games")


async def test_unreachable_romm_shows_a_warning_presence_and_tells_the_log_channel(
    harness: Harness,
) -> None:
    fd = harness.fd
    log = fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id)
    live = run.bot.live
    assert live is not None
    harness.sim.faults.fail("/api", 500)
    assert not await live.tick()
    await eventually(lambda: shown(fd) == ("dnd", "⚠ RomM is unreachable"), what="warning")
    assert "romm" in run.runner.diagnostics.codes
    assert not await live.tick()  # still down: said once, not again
    harness.sim.faults.clear()
    assert await live.tick()
    await eventually(lambda: shown(fd) == ("online", "60 games"), what="back to normal")
    texts = [m.content for m in fd.messages(log.id)]
    assert texts == [
        "⚠ RomM is not usable: RomM had an internal error; try again later.",
        "✅ RomM answers again.",
    ]


async def test_show_api_success_posts_refresh_results_that_changed(harness: Harness) -> None:
    fd = harness.fd
    log = fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id, show_api_success=True)
    await eventually(lambda: len(fd.messages(log.id)) == 1, what="the first numbers")
    assert fd.messages(log.id)[0].content == (
        "RomM refreshed: platforms 10, ROMs 60, saves 18, states 7, screenshots 12, "
        "storage 13.7 GB, users 3."
    )
    await refresh(run)  # nothing changed: silent
    add_games(harness, 2)
    await refresh(run)
    await eventually(lambda: len(fd.messages(log.id)) == 2, what="the change")
    assert (
        fd.messages(log.id)[1].content == "RomM refreshed: ROMs 60 → 62, storage 13.7 GB (+2.0 MB)."
    )


async def test_without_show_api_success_refreshes_stay_silent(harness: Harness) -> None:
    fd = harness.fd
    log = fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id)
    add_games(harness)
    await refresh(run)
    await fd.flush()
    assert fd.messages(log.id) == []
