"""The admins' new-request notice in Discord follows the request: when it is rejected,
fulfilled, noted or cancelled — on the web dashboard or in chat — the message is edited."""

from __future__ import annotations

from typing import Any

import aiohttp

from romm_comm.features.requests.models import Person
from romm_comm.features.requests.service import RequestService
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.fakes.discord import Message
from tests.web.dashboard.conftest import csrf_of

from .conftest import Harness, Running

DANA = Person("discord:4242", "dana")


def card(message: Message) -> dict[str, Any]:
    (embed,) = message.embeds
    return embed


def fields(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in card(message).get("fields", [])}


def button_labels(message: Message) -> list[str]:
    return [c.get("label", "") for row in message.components for c in row.get("components", [])]


async def start(harness: Harness) -> tuple[Running, int, RequestService]:
    log = harness.fd.add_text_channel("romm-log")
    run = await harness.start(log_channel_id=log.id)
    service = run.app.services.requests
    assert service is not None
    return run, log.id, service


async def new_request(harness: Harness, log_id: int, service: RequestService, title: str) -> int:
    before = len(harness.fd.messages(log_id))
    outcome = await service.create(
        DANA, platform_key="snes", platform_name="Super Nintendo", title=title
    )
    assert outcome.request is not None
    assert len(harness.fd.messages(log_id)) == before + 1
    return outcome.request.id


async def test_a_rejection_on_the_dashboard_edits_the_notice_in_discord(
    harness: Harness,
) -> None:
    run, log_id, service = await start(harness)
    rid = await new_request(harness, log_id, service, "Chrono <Trigger>")
    (notice,) = harness.fd.messages(log_id)
    assert card(notice)["title"] == f"New request #{rid}: Chrono <Trigger>"
    assert button_labels(notice) == ["Fulfil", "Reject", "View"]

    base = run.app.services.downloads.gateway_base
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(base + "/") as resp:
            form = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
            form["csrf"] = csrf_of(await resp.text())
        async with http.post(base + "/signin", data=form) as resp:
            csrf = csrf_of(await resp.text())
        note = {"csrf": csrf, "text": "asking around"}
        async with http.post(f"{base}/requests/{rid}/note", data=note) as resp:
            assert "Note added." in await resp.text()
        (notice,) = harness.fd.messages(log_id)
        assert fields(notice)["Latest note"] == "asking around"
        assert button_labels(notice) == ["Fulfil", "Reject", "View"]  # still open

        reject = {"csrf": csrf, "reason": "No good dump exists"}
        async with http.post(f"{base}/requests/{rid}/reject", data=reject) as resp:
            assert "Request rejected" in await resp.text()

    # the same message, edited (after it: the log line that Dana's DMs are closed)
    notice, undelivered = harness.fd.messages(log_id)
    assert "Could not message dana" in undelivered.content
    assert card(notice)["title"] == f"Request #{rid} rejected: Chrono <Trigger>"
    assert "rejected" in fields(notice)["Status"]
    assert fields(notice)["Reason"] == "No good dump exists"
    assert button_labels(notice) == ["View"]  # nothing left to act on
    assert len(notice.edits) == 2


async def test_a_fulfilment_or_cancel_in_chat_edits_the_notice_too(harness: Harness) -> None:
    _run, log_id, service = await start(harness)
    first = await new_request(harness, log_id, service, "EarthBound")
    second = await new_request(harness, log_id, service, "Mother 3")
    await service.fulfil(first, Person("discord:1", "boss"))
    await service.cancel(second, DANA, "found it elsewhere")
    by_title = {card(m)["title"]: m for m in harness.fd.messages(log_id) if m.embeds}
    assert set(by_title) == {
        f"Request #{first} fulfilled: EarthBound",
        f"Request #{second} cancelled: Mother 3",
    }
    assert all(button_labels(m) == ["View"] for m in by_title.values())


async def test_the_notice_refs_survive_a_restart(harness: Harness) -> None:
    run, log_id, service = await start(harness)
    rid = await new_request(harness, log_id, service, "Secret of Mana")
    await harness.stop(run)
    run = await harness.start(log_channel_id=log_id)
    service = run.app.services.requests
    assert service is not None
    await service.reject(rid, Person("discord:1", "boss"), "duplicate")
    notice = harness.fd.messages(log_id)[0]
    assert card(notice)["title"] == f"Request #{rid} rejected: Secret of Mana"
