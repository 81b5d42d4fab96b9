""" "RomM unreachable" is an admin notice: said once when RomM stops answering and once when it
is back, found by the bot's own timer (so without any chat running, Apprise and the webhook
hear of it), and never twice when a front end's refresh loop notices too."""

from __future__ import annotations

import asyncio
from pathlib import Path

from romm_comm.app.root import App
from romm_comm.features.library.romm_status import RommStatus
from romm_comm.romm.errors import RommServerError
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import create_app, settings_for
from tests.helpers.notifiers import RecordingNotifier

from .test_webhook import Receiver, receiver, webhook_settings  # noqa: F401  (the fixture)


async def wait_for(hook: Receiver, count: int) -> None:
    async with asyncio.timeout(10):
        while len(hook.taken) < count:
            hook.arrived.clear()
            await hook.arrived.wait()


async def test_the_timer_tells_the_webhook_once_down_and_once_back(
    sim: RommSimulator,
    tmp_path: Path,
    receiver: Receiver,  # noqa: F811
) -> None:
    settings = settings_for(sim, tmp_path, **webhook_settings(receiver), romm_watch_interval=0.02)
    app = await create_app(settings)
    await app.start()
    try:
        sim.faults.fail("/api/heartbeat", 503)
        await wait_for(receiver, 1)
        status = app.services.romm_status
        assert status is not None
        checks = 0
        while checks < 3:  # the timer goes on asking while RomM is down: still one notice
            await status.check()
            checks += 1
        sim.faults.clear()
        await wait_for(receiver, 2)
        for _ in range(3):
            assert await status.check()
    finally:
        await app.close()
    assert [n["text"] for n in receiver.taken] == [
        "⚠ RomM is not usable: RomM had an internal error; try again later.",
        "✅ RomM answers again.",
    ]
    assert [n["tone"] for n in receiver.taken] == ["warning", "success"]


async def test_a_front_end_noticing_too_does_not_say_it_twice(app: App, sim: RommSimulator) -> None:
    chat = RecordingNotifier()
    app.services.notifications.register(chat)
    status = app.services.romm_status
    assert isinstance(status, RommStatus)
    sim.faults.fail("/api/heartbeat", 500)
    assert not await status.check()  # the timer
    assert not await status.check()
    await status.down(RommServerError("a front end's refresh failed too"))
    sim.faults.clear()
    assert await status.check()
    await status.up()  # the front end sees it back as well
    assert [r.text for r in chat.admin] == [
        "⚠ RomM is not usable: RomM had an internal error; try again later.",
        "✅ RomM answers again.",
    ]
