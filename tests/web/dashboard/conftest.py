"""The requests dashboard over real HTTP: the app on the RomM simulator (which checks the
sign-ins), a recording chat front end (what requesters are told), requests in the store."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from romm_comm.app.root import App
from romm_comm.features.requests.models import Person
from romm_comm.testing.romm_sim import RommSimulator
from tests.features.requests.conftest import RecordingNotifier

ALICE = Person("test:201", "dana")  # a member, in chat and in RomM under the same name
BOB = Person("test:202", "eli")
PASSWORDS = {"dana": "dana-pass-1", "eli": "eli-pass-2"}
SCRIPT_TITLE = "<script>alert(1)</script>"


@dataclass
class Site:
    app: App
    sim: RommSimulator
    notifier: RecordingNotifier
    ids: dict[str, int]

    @property
    def base(self) -> str:
        return self.app.services.downloads.gateway_base


@pytest.fixture
async def site(app: App, sim: RommSimulator) -> Site:
    for name, password in PASSWORDS.items():
        sim.add_user(name, password)
    notifier = RecordingNotifier()
    app.services.notifications.register(notifier)
    service = app.services.requests
    assert service is not None
    ids = {}
    for person, title, platform in (
        (ALICE, "Chrono Trigger", ("snes", "Super Nintendo")),
        (ALICE, SCRIPT_TITLE, ("n64", "Nintendo 64")),
        (BOB, "Final Fantasy VII", ("psx", "PlayStation")),
    ):
        outcome = await service.create(
            person, platform_key=platform[0], platform_name=platform[1], title=title
        )
        assert outcome.request is not None
        ids[title] = outcome.request.id
    return Site(app, sim, notifier, ids)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
async def browser_http() -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps cookies, as a browser does (and follows redirects)."""
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


async def sign_in(http: aiohttp.ClientSession, site: Site, username: str, password: str) -> str:
    async with http.get(site.base + "/") as resp:
        token = csrf_of(await resp.text())
    form = {"username": username, "password": password, "csrf": token}
    async with http.post(site.base + "/signin", data=form) as resp:
        return await resp.text()
