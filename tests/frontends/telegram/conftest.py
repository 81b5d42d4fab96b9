"""Wire-level harness: the real front end (TelegramRunner on aiogram, unmodified) against
FakeTelegram and the RomM simulator, both over real HTTP on 127.0.0.1.

Every test fails if the fake refused a request (Telegram would have) or a handler raised.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.frontends.telegram.bot import TelegramBot
from romm_comm.frontends.telegram.runner import TelegramRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator
from tests.conftest import create_app, settings_for
from tests.fakes.telegram import FakeTelegram, Sent
from tests.helpers.front_ends import wait_started

LIBRARY = LibrarySpec(roms=60, platforms=10, seed=1)
GROUP = -1001000000001
OWNER, MEMBER, STRANGER, ADMIN = 1001, 1002, 1003, 1004


@dataclass
class Running:
    app: App
    runner: TelegramRunner
    stop: asyncio.Event
    task: asyncio.Task[int]

    @property
    def bot(self) -> TelegramBot:
        assert self.runner.front_end is not None
        return self.runner.front_end


class Harness:
    def __init__(self, tg: FakeTelegram, sim: RommSimulator, data_dir: Path) -> None:
        self.tg = tg
        self.sim = sim
        self.data_dir = data_dir
        self.runs: list[Running] = []
        self.errors: list[BaseException] = []

    def settings_values(self, **extra: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "telegram_bot_token": SecretStr(self.tg.token),
            "telegram_api_url": self.tg.url,
            "telegram_chat_ids": [GROUP],
            "telegram_admin_ids": [ADMIN],
            "telegram_log_chat_id": GROUP,
            "api_timeout": 10.0,  # a busy machine is not a slow RomM; timeouts are tested apart
        }
        values.update(extra)
        return values

    async def start(
        self,
        *,
        clock: Callable[[], float] = time.time,
        prune_every: float = 3600.0,
        **settings: Any,
    ) -> Running:
        app = await create_app(
            settings_for(self.sim, self.data_dir, **self.settings_values(**settings))
        )
        await app.start()
        runner = TelegramRunner(
            app, poll_timeout=5, retry_pauses=(0.05, 0.1), clock=clock, prune_every=prune_every
        )
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        run = Running(app, runner, stop, task)
        self.runs.append(run)
        await wait_started(
            runner.ready,
            task,
            stopped=lambda: f"stopped at start: {task.result()} {runner.problems}",
            not_ready=lambda: f"not ready; rejections: {self.tg.rejections}",
        )
        return run

    async def stop(self, run: Running) -> int:
        run.stop.set()
        code = await asyncio.wait_for(run.task, 10)
        if run.runner.front_end is not None:
            self.errors.extend(run.runner.front_end.handler_errors)
        await run.app.close()
        self.runs.remove(run)
        return code

    async def ask(self, user: int, chat: int, text: str, count: int = 1) -> list[Sent]:
        """`user` types `text` in `chat`; the bot's next `count` messages there."""
        waiting = self.tg.wait_sent(chat, count)
        await self.tg.say(user, chat, text)
        return await waiting

    async def press(
        self, user: int, sent: Sent, button: str, chat: int | None = None, count: int = 1
    ) -> list[Sent]:
        target = sent.chat_id if chat is None else chat
        waiting = self.tg.wait_sent(target, count)
        await self.tg.press(user, sent, str(sent.button(button)["callback_data"]))
        return await waiting


@pytest.fixture
def sim_library() -> LibrarySpec:
    return LIBRARY


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    fake.add_person(OWNER, "Olga")
    fake.add_person(MEMBER, "Mia")
    fake.add_person(STRANGER, "Sam")
    fake.add_person(ADMIN, "Ada")
    fake.add_group(GROUP, "Retro club", {OWNER: "creator", MEMBER: "member", ADMIN: "member"})
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def harness(tg: FakeTelegram, sim: RommSimulator, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(tg, sim, tmp_path)
    try:
        yield h
    finally:
        for run in list(h.runs):
            await h.stop(run)
    assert not tg.rejections, f"the fake refused: {tg.rejections}"
    assert not h.errors, f"handler errors: {h.errors!r}"


@pytest.fixture
async def bot(harness: Harness) -> Running:
    return await harness.start()
