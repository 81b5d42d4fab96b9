"""Helpers for the download gateway tests: real HTTP to the bot's web server and the simulator."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from urllib.parse import unquote

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.features.downloads.links import Grant
from romm_comm.testing.romm_sim import RommSimulator

DOWNLOAD_PATHS = (
    re.compile(r"^/api/roms/\d+/content/[^/]+$"),
    re.compile(r"^/api/roms/\d+/files/content/[^/]+$"),
    re.compile(r"^/api/firmware/\d+/content/[^/]+$"),
)
MEMBER = ("test", "100", "member")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        yield session


async def rom_link(
    app: App, rom_id: int, file_ids: Sequence[int] | None = None, user: tuple[str, ...] = MEMBER
) -> str:
    links = await app.services.downloads.links_for(f"{user[0]}:{user[1]}", user[2])
    url = links.rom(await app.services.catalog.rom(rom_id, admin=True), file_ids)
    assert url is not None and "/dl/" in url
    return url


def split_link(url: str) -> tuple[str, str, str]:
    """(base, token, name as sent) of a gateway link."""
    base, rest = url.split("/dl/", 1)
    token, name = rest.split("/", 1)
    return base, token, name


def grant_of(app: App, url: str) -> Grant:
    _base, token, name = split_link(url)
    return app.services.downloads.signer.verify(token, unquote(name))


def romm_paths(sim: RommSimulator) -> list[str]:
    return [c.path for c in sim.calls if c.path.startswith("/api/")]


def only_download_paths(sim: RommSimulator) -> bool:
    return all(any(p.match(path) for p in DOWNLOAD_PATHS) for path in romm_paths(sim))


def rom_by_fs_name(sim: RommSimulator, fs_name: str) -> int:
    return next(r.id for r in sim.library.roms.values() if r.fs_name == fs_name)
