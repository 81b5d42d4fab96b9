"""The composition root owns everything it opens: background work has one owner that logs a
crash by name and keeps going; shutdown, and a start that fails half-way, close it all."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.core.supervisor import Supervisor
from romm_comm.romm.errors import RommUnreachable
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for
from tests.helpers.waiting import eventually


class Steps:
    """A sleep the test drives: each `await sleep(x)` waits until the test lets one pass."""

    def __init__(self) -> None:
        self.asleep: asyncio.Queue[asyncio.Event] = asyncio.Queue()

    async def sleep(self, _seconds: float) -> None:
        gate = asyncio.Event()
        await self.asleep.put(gate)
        await gate.wait()

    async def one(self) -> None:
        (await self.asleep.get()).set()


def store_threads() -> set[threading.Thread]:
    """aiosqlite runs each connection in a thread of its own until it is closed."""
    return {t for t in threading.enumerate() if "connection_worker" in t.name}


async def left_running(before: set[threading.Thread]) -> list[threading.Thread]:
    """Store threads started since `before` that do not end (a closed one ends at once)."""
    started = store_threads() - before
    for thread in started:
        await asyncio.to_thread(thread.join, 10)
    return [t for t in started if t.is_alive()]


async def test_a_crashing_periodic_job_is_logged_by_name_and_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    steps = Steps()
    supervisor = Supervisor(sleep=steps.sleep)
    calls: list[int] = []

    async def load_hidden() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise KeyError("an error that is not RomM's")
        if len(calls) == 2:
            raise RommUnreachable("down")

    supervisor.every(3600, load_hidden, "hidden-platforms", now=True)
    await steps.one()  # after the crash
    await steps.one()  # after RomM being down
    await steps.asleep.get()  # asleep after the third call, which went well
    assert calls == [0, 1, 2]
    assert "hidden-platforms crashed; it runs again in 3600 s" in caplog.text
    assert "KeyError" in caplog.text
    assert "hidden-platforms failed: RomM is not answering" in caplog.text
    assert supervisor.names == ["hidden-platforms"]
    await supervisor.close()
    assert supervisor.names == []


async def test_close_closes_everything_even_after_a_background_task_crashed(
    sim: RommSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = store_threads()
    app = await App.create(settings_for(sim, tmp_path))
    await app.start()
    assert app.web is not None
    url = app.web.url + "/health"

    async def boom() -> None:
        raise RuntimeError("a bug in a background task")

    app.supervisor.spawn(boom(), "boom")
    await eventually(lambda: "boom crashed" in caplog.text, what="the crash logged by name")
    await app.close()  # does not raise
    assert await left_running(before) == []  # the store is closed
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(url)  # the web server is closed


async def test_a_start_that_fails_half_way_closes_what_it_opened(
    sim: RommSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = store_threads()
    (tmp_path / "link-secret").mkdir()  # the store opens, then reading the secret fails
    caplog.set_level(logging.INFO)
    with pytest.raises(OSError):
        await App.create(settings_for(sim, tmp_path))
    assert await left_running(before) == []  # the store it had opened is closed again
