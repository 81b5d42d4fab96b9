"""Admin notices through Apprise to a local HTTP receiver (Apprise's json:// scheme), never a
real service: a new request and a rejection reach it; the URL's token is never logged."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.features.requests.models import Person
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

from .receivers import serving

DANA = Person("test:201", "dana")
TOKEN = "hook-token-0123456789"


class Receiver:
    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.paths.append(request.path_qs)
        self.got.append(await request.json())
        self.arrived.set()
        return web.json_response({})

    async def next(self) -> dict[str, Any]:
        await asyncio.wait_for(self.arrived.wait(), 10)
        self.arrived.clear()
        return self.got[-1]


@pytest.fixture
async def receiver() -> Any:
    hook = Receiver()
    async with serving("/{tail:.*}", hook.handle) as port:
        hook.port = port  # type: ignore[attr-defined]
        yield hook


async def test_a_new_request_and_its_rejection_reach_the_receiver(
    sim: RommSimulator, tmp_path: Path, receiver: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"json://127.0.0.1:{receiver.port}/hook/{TOKEN}"
    settings = settings_for(sim, tmp_path, notify_urls=SecretStr(url), notify_events="admin")
    app = await App.create(settings)
    await app.start()
    try:
        service = app.services.requests
        assert service is not None
        created = await service.create(
            DANA, platform_key="snes", platform_name="Super Nintendo", title="Chrono Trigger"
        )
        assert created.request is not None
        notice = await receiver.next()
        assert "Chrono Trigger" in notice["title"] + notice["message"]
        assert receiver.paths[-1] == f"/hook/{TOKEN}"
        await service.reject(created.request.id, Person("romm:admin", "admin"), "no dump")
        told = await receiver.next()
        assert "no dump" in told["message"] or "Chrono Trigger" in told["title"]
    finally:
        await app.close()
    assert TOKEN not in caplog.text and url not in caplog.text
    assert TOKEN not in repr(settings)


def test_unknown_event_types_are_refused_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown event type 'everything'"):
        Settings(_env_file=None, data_dir=tmp_path, notify_events="admin,everything")  # type: ignore[call-arg]


def test_notification_urls_are_redacted_from_the_log(tmp_path: Path) -> None:
    urls = "ntfy://secret-topic-1, json://host/x-token-2"
    settings = Settings(_env_file=None, data_dir=tmp_path, notify_urls=SecretStr(urls))  # type: ignore[call-arg]
    assert settings.notification_urls() == ["ntfy://secret-topic-1", "json://host/x-token-2"]
    secrets = [s.get_secret_value() for s in settings.secrets() if s is not None]
    assert "ntfy://secret-topic-1" in secrets and "json://host/x-token-2" in secrets
