"""Admin notices as signed JSON POSTs to a local aiohttp receiver that checks the signature
the way the README tells receivers to: per event type (NOTIFY_EVENTS), retried on 5xx with
growing pauses, not on 4xx, and the URL (with its token) never in the log."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr, ValidationError

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.features.requests.models import Person
from romm_comm.frontends.webhook.notifier import WebhookNotifier
from romm_comm.frontends.webhook.signing import SIGNATURE, TIMESTAMP, verify
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

from .receivers import serving

DANA = Person("test:201", "dana")
SECRET = "webhook-secret-0123456789"
TOKEN = "path-token-9876543210"


class Receiver:
    """Answers each POST with the next status of `answers` (then 200); keeps what verified."""

    def __init__(self) -> None:
        self.taken: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.answers: list[int] = []
        self.attempts = 0
        self.arrived = asyncio.Event()
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        body = await request.read()
        good = verify(
            SECRET.encode(),
            request.headers.get(TIMESTAMP, ""),
            body,
            request.headers.get(SIGNATURE, ""),
            now=time.time(),
        )
        status = self.answers.pop(0) if self.answers else 200
        if not good:
            self.refused.append(body.decode())
            status = 401
        elif status == 200:
            self.taken.append(json.loads(body))
        self.arrived.set()
        return web.Response(status=status)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{TOKEN}?key={TOKEN}"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    async with serving("/hooks/{token}", hook.handle) as port:
        hook.port = port
        yield hook


def webhook_settings(receiver: Receiver) -> dict[str, Any]:
    return {
        "webhook_url": SecretStr(receiver.url),
        "webhook_secret": SecretStr(SECRET),
        "notify_events": "admin",
    }


def webhook_of(app: App) -> WebhookNotifier:
    found = app.services.notifications.notifiers["webhook"]
    assert isinstance(found, WebhookNotifier)
    return found


async def test_admin_notices_arrive_signed_and_only_the_chosen_events(
    sim: RommSimulator, tmp_path: Path, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = await App.create(settings_for(sim, tmp_path, **webhook_settings(receiver)))
    await app.start()
    try:
        hook = webhook_of(app)
        service = app.services.requests
        assert service is not None
        created = await service.create(
            DANA, platform_key="snes", platform_name="Super Nintendo", title="Chrono Trigger"
        )
        assert created.request is not None
        await service.reject(created.request.id, Person("romm:admin", "admin"), "no dump")
        await app.services.notifications.post("scans", Reply(text="Scan finished"))  # not chosen
        await hook.idle()
    finally:
        await app.close()
    assert receiver.refused == []
    # the new request, its rejection (with the reason), and that Dana (no chat here) could
    # not be told; each its own POST, sent side by side
    assert [n["event"] for n in receiver.taken] == ["admin", "admin", "admin"]
    by_title = {n["title"]: n for n in receiver.taken}
    rid = created.request.id
    assert f"New request #{rid}: Chrono Trigger" in by_title
    rejected = by_title[f"Request #{rid} rejected: Chrono Trigger"]
    assert "Reason: no dump" in rejected["text"]
    (undelivered,) = [n for n in receiver.taken if "Could not message dana" in n["text"]]
    assert "stays rejected" in undelivered["text"] and undelivered["tone"] == "warning"
    assert all(n["id"] and n["sent_at"] for n in receiver.taken)
    assert not any("Scan finished" in n["text"] for n in receiver.taken)
    assert TOKEN not in caplog.text and SECRET not in caplog.text


async def test_5xx_is_tried_again_with_growing_pauses_and_4xx_is_not(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:  # the pauses are recorded, not waited for
        pauses.append(seconds)

    hook = WebhookNotifier(
        receiver.url, SECRET, ["admin"], attempts=4, first_pause=0.5, sleep=sleep
    )
    try:
        receiver.answers = [503, 502]
        assert await hook.send(hook.body("admin", Reply(text="one"))) is True
        assert receiver.attempts == 3 and pauses == [0.5, 1.0]
        assert [n["text"] for n in receiver.taken] == ["one"]

        receiver.answers = [500, 500, 500, 500]
        assert await hook.send(hook.body("admin", Reply(text="two"))) is False
        assert receiver.attempts == 7 and hook.failed == 1

        receiver.answers = [410]
        assert await hook.send(hook.body("admin", Reply(text="three"))) is False
        assert receiver.attempts == 8  # the receiver said no: not again
    finally:
        await hook.close()
    assert "HTTP 503" in caplog.text and "HTTP 410" in caplog.text
    assert TOKEN not in caplog.text and "127.0.0.1" not in caplog.text


async def test_a_wrong_secret_or_an_old_timestamp_fails_verification(receiver: Receiver) -> None:
    hook = WebhookNotifier(receiver.url, "not-the-secret", ["admin"], attempts=1)
    try:
        assert await hook.send(hook.body("admin", Reply(text="forged"))) is False
    finally:
        await hook.close()
    assert receiver.taken == [] and len(receiver.refused) == 1
    old = WebhookNotifier(receiver.url, SECRET, ["admin"], attempts=1, clock=lambda: 1_000_000)
    try:
        assert await old.send(old.body("admin", Reply(text="replayed"))) is False
    finally:
        await old.close()
    assert receiver.taken == []


def test_a_webhook_url_needs_its_secret_and_the_error_does_not_show_it(
    sim: RommSimulator, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as raised:
        settings_for(sim, tmp_path, webhook_url=SecretStr(f"https://h.example/{TOKEN}"))
    assert "WEBHOOK_URL needs WEBHOOK_SECRET" in str(raised.value)
    assert TOKEN not in str(raised.value)
    with pytest.raises(ValidationError) as raised:
        settings_for(sim, tmp_path, webhook_url=SecretStr(f"ftp://{TOKEN}"), webhook_secret=SECRET)
    assert "http:// or https://" in str(raised.value) and TOKEN not in str(raised.value)
