"""Fixtures for the RomM simulator's own tests: a running simulator and an HTTP session."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import aiohttp
import pytest

from romm_comm.testing.romm_sim import LibrarySpec

SPEC = LibrarySpec(roms=200, platforms=12, seed=1)


@pytest.fixture
def sim_library() -> LibrarySpec:
    return SPEC


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    # A private cookie jar that accepts cookies from 127.0.0.1, like a browser would.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


def bearer(token: str | None) -> dict[str, str]:
    assert token is not None
    return {"Authorization": f"Bearer {token}"}


def basic(username: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}
