"""Shared fixtures: a RomM simulator over real HTTP on 127.0.0.1, and the app wired to it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

SMALL_LIBRARY = LibrarySpec(roms=120, platforms=14, seed=3)
# Loggers whose level the bot's logging setup changes.
QUIETED_LOGGERS = ("aiohttp.access", "discord", "asyncio", "aiosqlite", "slack_sdk", "slack_bolt")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """The CLI sets logging up the way it runs for real: a handler on the stderr of the moment,
    which is pytest's capture of this one test. Put the root logger back afterwards, so that
    later tests do not write to a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in QUIETED_LOGGERS}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


@pytest.fixture
def sim_library() -> LibrarySpec:
    """The library `sim` starts with; a test folder's conftest may choose another."""
    return SMALL_LIBRARY


@pytest.fixture
def sim_version(request: pytest.FixtureRequest) -> str:
    """The RomM version `sim` plays; parametrize(("sim_version", ...), indirect=True)."""
    return str(getattr(request, "param", "5.2.0"))


@pytest.fixture
async def sim(sim_library: LibrarySpec, sim_version: str) -> AsyncIterator[RommSimulator]:
    """A RomM simulator over real HTTP on 127.0.0.1."""
    async with RommSimulator(library=sim_library, version=sim_version) as running:
        yield running


def settings_for(sim: RommSimulator, data_dir: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "romm_url": sim.url,
        "romm_api_token": SecretStr(sim.admin_token) if sim.admin_token else None,
        "romm_public_url": "https://romm.example.org",
        "data_dir": data_dir,
        "api_timeout": 2.0,
        # The bot's web server (download gateway) on a free loopback port: links work here.
        "web_host": "127.0.0.1",
        "web_port": 0,
        # Without a password scans are followed by polling RomM; rarely here, so tests that
        # count RomM calls stay exact (scan tests set their own interval).
        "scan_poll_interval": 3600.0,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


RETRY_PAUSE = 0.01  # the RomM client's pause before retrying (0.25 s, doubling, for real)


async def create_app(settings: Settings) -> App:
    """`App.create` with the RomM client's retry pauses made short."""
    application = await App.create(settings)
    application.services.client.retry_pause = RETRY_PAUSE
    return application


@pytest.fixture
async def app(sim: RommSimulator, tmp_path: Path) -> AsyncIterator[App]:
    application = await create_app(settings_for(sim, tmp_path))
    await application.start()
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
def member_ctx(app: App) -> Context:
    return Context(Caller(id="100", name="member", front_end="test"), app.services)


@pytest.fixture
def admin_ctx(app: App) -> Context:
    return Context(Caller(id="1", name="admin", front_end="test", is_admin=True), app.services)
