"""The real bot (MatrixRunner → MatrixBot on matrix-nio) against a real Synapse, with people
as real matrix-nio clients, and the RomM simulator over real HTTP.

One Synapse per pytest worker (session fixture); each test registers its own users and makes
its own rooms, so tests never see each other's messages. Every test that starts the bot fails
if a bot handler raised.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.frontends.matrix.bot import MatrixBot
from romm_comm.frontends.matrix.runner import MatrixOptions, MatrixRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.conftest import create_app, settings_for
from tests.fakes.synapse.person import Person
from tests.fakes.synapse.server import Synapse, available

LIBRARY = LibrarySpec(roms=60, platforms=10, seed=1)
FAST = MatrixOptions(sync_timeout_ms=2_000, max_retry_wait=0.2, retry_pauses=(0.1,))
_names = itertools.count(1)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    if not available():
        why = "Synapse is not installed (scripts/ensure-synapse.sh makes .venv-synapse)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why}: in CI the Matrix tests must run, not be skipped")
        pytest.skip(why)
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim_library() -> LibrarySpec:
    return LIBRARY


@dataclass
class Running:
    app: App
    runner: MatrixRunner
    stop: asyncio.Event
    task: asyncio.Task[int]

    @property
    def bot(self) -> MatrixBot:
        assert self.runner.bot is not None
        return self.runner.bot


class World:
    """Synapse, its users, the RomM simulator and the bots started on them."""

    def __init__(self, synapse: Synapse, sim: RommSimulator, data_dir: Path) -> None:
        self.synapse = synapse
        self.sim = sim
        self.data_dir = data_dir
        self.people: list[Person] = []
        self.runs: list[Running] = []
        self.finished: list[Running] = []
        serial = next(_names)
        self.tag = f"{id(self) % 100_000}n{serial}"
        self.bot_user = synapse.register(f"bot{self.tag}")

    @property
    def bot_id(self) -> str:
        return self.bot_user["user_id"]

    async def person(self, name: str) -> Person:
        user = self.synapse.register(f"{name}{self.tag}")
        person = await Person.signed_in(self.synapse.url, user)
        self.people.append(person)
        return person

    async def room_with_bot(self, **settings: Any) -> tuple[Person, str, Running]:
        """Alice, a room she made with the bot invited, and the bot answering there."""
        alice = await self.person("alice")
        room = await alice.create_room(self.bot_id)
        run = await self.start(matrix_rooms=[room], **settings)
        return alice, room, run

    async def first_final_fantasy(self, person: Person, room: str, run: Running) -> str:
        """`!search psx final fantasy`, then `1`: the card goes to the DM; its room id."""
        await person.answer(room, self.bot_id, "!search psx final fantasy")
        await person.answer(room, self.bot_id, "1")
        return next(iter(run.bot.dm_rooms))

    def settings_values(self, **extra: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "matrix_homeserver": self.synapse.url,
            "matrix_user_id": self.bot_id,
            "matrix_access_token": SecretStr(self.bot_user["access_token"]),
            "api_timeout": 10.0,  # a busy machine is not a slow RomM; timeouts are tested apart
        }
        values.update(extra)
        return values

    async def start(self, options: MatrixOptions | None = None, **settings: Any) -> Running:
        app = await create_app(
            settings_for(self.sim, self.data_dir, **self.settings_values(**settings))
        )
        await app.start()
        runner = MatrixRunner(app, options or FAST)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        run = Running(app, runner, stop, task)
        self.runs.append(run)
        ready = asyncio.create_task(runner.ready.wait())
        done, _ = await asyncio.wait({ready, task}, timeout=20, return_when="FIRST_COMPLETED")
        ready.cancel()
        if task in done:
            raise AssertionError(f"the bot stopped at start: exit {task.result()}")
        assert done, "the bot was not ready in time"
        return run

    async def stop(self, run: Running) -> int:
        run.stop.set()
        code = await asyncio.wait_for(run.task, 20)
        await run.app.close()
        self.runs.remove(run)
        self.finished.append(run)
        return code

    async def close(self) -> None:
        for run in list(self.runs):
            await self.stop(run)
        for person in self.people:
            await person.close()

    def handler_errors(self) -> list[BaseException]:
        errors: list[BaseException] = []
        for run in [*self.finished, *self.runs]:
            if run.runner.bot is not None:
                errors.extend(run.runner.bot.handler_errors)
        return errors


@pytest.fixture
async def world(synapse: Synapse, sim: RommSimulator, tmp_path: Path) -> AsyncIterator[World]:
    w = World(synapse, sim, tmp_path)
    try:
        yield w
    finally:
        await w.close()
    errors = w.handler_errors()
    assert not errors, f"bot handler errors: {errors!r}"
