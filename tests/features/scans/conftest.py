"""Scans over real HTTP and real Socket.IO against the RomM simulator, a real SQLite file, and
a recording notifier standing in for a chat front end (it keeps every message and its edits)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.conftest import create_app, settings_for
from tests.helpers.notifiers import Message, RecordingNotifier
from tests.helpers.waiting import eventually

ADMIN = Caller(id="1", name="boss", front_end="test", is_admin=True)
SPEC = LibrarySpec(roms=60, platforms=6, seed=5, hidden_platforms=0)


def text_of(reply: Reply) -> str:
    """Everything a person reads in a reply, as one string."""
    parts = [reply.text]
    for card in reply.cards:
        parts += [card.title, card.text, card.footer]
        parts += [f"{f.name}: {f.value}" for f in card.fields]
    return "\n".join(p for p in parts if p)


def fields_of(reply: Reply) -> dict[str, str]:
    return {f.name: f.value for card in reply.cards for f in card.fields}


TASK_LIST = "/api/tasks/status"


def rest_calls(sim: RommSimulator) -> list[str]:
    return [c.path for c in sim.calls if c.path.startswith("/api/")]


@pytest.fixture
def sim_library() -> LibrarySpec:
    return SPEC


class Apps:
    """Apps on one data directory: a restart is closing one and making the next."""

    def __init__(self, sim: RommSimulator, data_dir: Path) -> None:
        sim.scans.pace = 0.002  # a scan takes a moment, as in RomM (tests may hold it instead)
        self.sim = sim
        self.data_dir = data_dir
        self.running: list[App] = []

    async def make(
        self, notifier: RecordingNotifier | None = None, *, late: bool = False, **extra: Any
    ) -> tuple[App, RecordingNotifier]:
        """`late`: the notifier registers after start, as Discord's does once connected."""
        values: dict[str, Any] = {
            "romm_username": "admin",
            "romm_password": SecretStr(self.sim.admin_password),
            "scan_progress_interval": 0.2,
            "scan_poll_interval": 0.1,
            "recent_roms_enabled": True,
            "recent_roms_interval": 0,
            "requests_enabled": False,
        }
        values.update(extra)
        app = await create_app(settings_for(self.sim, self.data_dir, **values))
        recorder = notifier or RecordingNotifier()
        if not late:
            app.services.notifications.register(recorder)
        await app.start()
        self.running.append(app)
        if late:
            await asyncio.sleep(0.3)
            app.services.notifications.register(recorder)
        scans = app.services.scans
        if scans is not None and scans.socket is not None:
            await scans.socket.wait_connected(5)
            # On connecting, the bot looks at RomM's task list once. A scan that starts before
            # that answer is seen there first (under RomM's task name) rather than over the
            # socket, so a test starts from a bot that has finished looking.
            await eventually(
                lambda: scans.connect_looks > 0, what="the bot's look at RomM's task list"
            )
        return app, recorder

    async def close(self, app: App) -> None:
        self.running.remove(app)
        await app.close()


@pytest.fixture
async def apps(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[Apps]:
    made = Apps(sim, tmp_path)
    yield made
    for app in list(made.running):
        await made.close(app)


async def progress_stored(app: App) -> None:
    """Until the running scan's progress message is in the store, where a restart finds it."""
    scans = app.services.scans
    assert scans is not None

    async def stored() -> bool:
        run = await scans.runs.active()
        return run is not None and bool(run.refs)

    await eventually(stored, what="the progress message stored")


def admin(app: App) -> Context:
    return Context(ADMIN, app.services)


async def scan(app: App, action: str, platform: str | None = None) -> Reply:
    args = {"action": action} | ({"platform": platform} if platform else {})
    return await app.registry.run(admin(app), "scan", args)


async def finished(notifier: RecordingNotifier, count: int = 1, within: float = 10.0) -> Message:
    """The `count`-th scan message once it shows a summary."""

    def done() -> Message | None:
        ended = [m for m in notifier.on("scans") if _is_summary(m.last)]
        return ended[count - 1] if len(ended) >= count else None

    return await eventually(done, within, "a scan summary")  # type: ignore[no-any-return]


def _is_summary(reply: Reply) -> bool:
    return any(c.title.startswith(("✅", "⏹️", "❌", "⚠️")) for c in reply.cards)
