"""Wire-level harness: the real slack-bolt (Socket Mode) against FakeSlack and the RomM
simulator, both over real HTTP on 127.0.0.1. Every test fails if the fake refused anything,
an envelope was acknowledged late or never, or a handler raised."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.frontends.slack.runner import SlackOptions, SlackRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.conftest import create_app, settings_for
from tests.fakes.slack.server import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.helpers.front_ends import wait_started

LIBRARY = LibrarySpec(roms=60, platforms=10, seed=1)
ADMIN = "UADMIN01"
FAST = SlackOptions(ping_interval=0.05)


@pytest.fixture
def sim_library() -> LibrarySpec:
    return LIBRARY


class Harness:
    def __init__(self, fake: FakeSlack, sim: RommSimulator, data_dir: Path) -> None:
        self.fake, self.sim, self.data_dir = fake, sim, data_dir
        self.app: App | None = None
        self.runner: SlackRunner | None = None
        self.stop = asyncio.Event()
        self.task: asyncio.Task[int] | None = None

    async def start(self, **settings: Any) -> SlackRunner:
        values: dict[str, Any] = {
            "slack_bot_token": SecretStr(BOT_TOKEN),
            "slack_app_token": SecretStr(APP_TOKEN),
            "slack_api_url": self.fake.api_url,
            "slack_admin_ids": [ADMIN],
            "api_timeout": 10.0,  # a busy machine is not a slow RomM; timeouts are tested apart
        }
        values.update(settings)
        self.app = await create_app(settings_for(self.sim, self.data_dir, **values))
        await self.app.start()
        self.runner = SlackRunner(self.app, FAST)
        self.task = asyncio.create_task(self.runner.run(self.stop))
        runner = self.runner
        await wait_started(
            runner.ready,
            self.task,
            stopped=lambda: f"the app stopped: {runner.problems}",
            not_ready=lambda: "the app never connected",
        )
        return self.runner

    async def close(self) -> int | None:
        if self.task is None:
            return None
        self.stop.set()
        code = await asyncio.wait_for(self.task, 10)
        assert self.app is not None
        await self.app.close()
        self.task = None
        return code


@pytest.fixture
async def slack(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeSlack() as fake:
        harness = Harness(fake, sim, tmp_path)
        try:
            yield harness
        finally:
            errors = (
                harness.runner.bot.handler_errors if harness.runner and harness.runner.bot else []
            )
            await harness.close()
        assert fake.rejections == [], fake.rejections
        assert fake.late_or_missing_acks() == []
        assert errors == []
