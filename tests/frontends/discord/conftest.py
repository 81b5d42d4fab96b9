"""Wire-level harness: the real bot (DiscordRunner → RommBot on discord.py) against FakeDiscord
and the RomM simulator, both over real HTTP on 127.0.0.1.

Every test that starts the bot fails if a handler raised (the bot collects them) or the fake
rejected a request as a bug.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from romm_comm.app.root import App
from romm_comm.frontends.discord.bot import RommBot
from romm_comm.frontends.discord.options import DiscordOptions
from romm_comm.frontends.discord.runner import DiscordRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.conftest import create_app, settings_for
from tests.fakes.discord import FakeDiscord, InteractionRecord, Message
from tests.fakes.discord.pytest_helpers import serve_fake_discord
from tests.helpers.front_ends import wait_started

LIBRARY = LibrarySpec(roms=60, platforms=10, seed=1)
PUBLIC_URL = "https://romm.example.org"
FAST = DiscordOptions(guild_ready_timeout=0.05, retry_interval=0.2)
# For tests that do not test timeouts: RomM and Discord answer within this however busy the
# machine is (tests where RomM hangs set their own short api_timeout).
PATIENT = 60.0


class Clock:
    """A monotonic clock tests can move forward (for the rename limiter)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        import time

        return time.monotonic() + self.offset


@dataclass
class Running:
    app: App
    runner: DiscordRunner
    stop: asyncio.Event
    task: asyncio.Task[int]

    @property
    def bot(self) -> RommBot:
        assert self.runner.bot is not None
        return self.runner.bot


class Harness:
    def __init__(self, fd: FakeDiscord, sim: RommSimulator, data_dir: Path) -> None:
        self.fd = fd
        self.sim = sim
        self.data_dir = data_dir
        self.runs: list[Running] = []
        self.finished: list[Running] = []
        self.clock = Clock()

    def settings_values(self, **extra: Any) -> dict[str, Any]:
        from pydantic import SecretStr

        values: dict[str, Any] = {
            "discord_token": SecretStr(self.fd.token),
            "discord_guild_id": self.fd.guild.id,
            "discord_api_url": self.fd.api_url,
            "discord_gateway_url": self.fd.gateway_url,
            "romm_public_url": PUBLIC_URL,
            "api_timeout": 10.0,  # a busy machine is not a slow RomM; timeouts are tested apart
            # Emoji uploads are tested in test_emojis.py; elsewhere they would add REST calls,
            # RomM calls and log-channel posts to what those tests count.
            "emoji_mode": "off",
        }
        values.update(extra)
        return values

    async def start(
        self, options: DiscordOptions | None = None, *, wait: bool = True, **settings: Any
    ) -> Running:
        app = await create_app(
            settings_for(self.sim, self.data_dir, **self.settings_values(**settings))
        )
        await app.start()
        opts = replace(options or FAST, clock=self.clock)
        runner = DiscordRunner(app, opts)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        run = Running(app, runner, stop, task)
        self.runs.append(run)
        if wait:
            await wait_started(
                runner.ready,
                task,
                stopped=lambda: (
                    f"the bot stopped at start: exit {task.result()}, {runner.diagnostics.lines()}"
                ),
                not_ready=lambda: f"bot not ready; fake errors: {self.fd.errors}",
            )
        return run

    async def stop(self, run: Running) -> int:
        run.stop.set()
        code = await asyncio.wait_for(run.task, 10)
        await run.app.close()
        self.runs.remove(run)
        self.finished.append(run)
        return code

    async def close(self) -> None:
        for run in list(self.runs):
            await self.stop(run)

    def handler_errors(self) -> list[BaseException]:
        errors: list[BaseException] = []
        for run in [*self.finished, *self.runs]:
            bot = run.runner.bot
            if bot is not None:
                errors.extend(bot.handler_errors)
        return errors


@pytest.fixture
def sim_library() -> LibrarySpec:
    return LIBRARY


@pytest.fixture
async def fd() -> AsyncIterator[FakeDiscord]:
    async with serve_fake_discord() as fake:
        yield fake


@contextlib.asynccontextmanager
async def open_harness(
    fd: FakeDiscord, sim: RommSimulator, data_dir: Path
) -> AsyncIterator[Harness]:
    """A Harness whose bots are stopped on exit; then no bot handler may have raised."""
    h = Harness(fd, sim, data_dir)
    try:
        yield h
    finally:
        await h.close()
    errors = h.handler_errors()
    assert not errors, f"bot handler errors: {errors!r}"


@pytest.fixture
async def harness(fd: FakeDiscord, sim: RommSimulator, tmp_path: Path) -> AsyncIterator[Harness]:
    async with open_harness(fd, sim, tmp_path) as h:
        yield h


@pytest.fixture
async def bot(harness: Harness) -> Running:
    return await harness.start()


async def final(rec: InteractionRecord, within: float = 3.0) -> Message:
    """The message the person sees once the interaction is fully answered."""
    message = await rec.wait_final(within)
    if rec.followup_ids:
        message = rec.followups[-1]
    assert message is not None, "no message answered the interaction"
    return message


def buttons(message: Message) -> list[dict[str, Any]]:
    return [c for c in message.iter_components() if c.get("type") == 2]


def links(message: Message) -> dict[str, str]:
    return {b["label"]: b["url"] for b in buttons(message) if b.get("style") == 5}


def selects(message: Message) -> list[dict[str, Any]]:
    return [c for c in message.iter_components() if c.get("type") == 3]
