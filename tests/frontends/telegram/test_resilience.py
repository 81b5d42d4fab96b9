"""Rate limits, restarts and lost connections."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from romm_comm.app.logging_setup import setup_logging
from tests.frontends.telegram.conftest import GROUP, MEMBER, Harness, Running


async def test_a_429_is_waited_out_and_the_reply_arrives(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    tg.limit_next("sendMessage", retry_after=1)
    (reply,) = await harness.ask(MEMBER, GROUP, "/stats")
    assert reply.text.startswith("Library statistics")
    first, second = tg.calls_of("sendMessage")[-2:]
    assert second.at - first.at >= 1.0  # retry_after honoured


async def test_a_restart_never_runs_an_update_twice(harness: Harness) -> None:
    tg = harness.tg
    first = await harness.start()
    await harness.ask(MEMBER, GROUP, "/stats")
    await harness.stop(first)
    second = await harness.start()
    (reply,) = await harness.ask(MEMBER, GROUP, "/platforms")
    assert reply.chat_id == GROUP
    stats = [s for s in tg.in_chat(GROUP) if s.text.startswith("Library statistics")]
    assert len(stats) == 1, "the /stats before the restart was answered once"
    offsets = [c.params.get("offset") for c in tg.calls_of("getUpdates")]
    assert offsets[-1] is not None  # the second bot resumed from the stored offset
    del second


async def test_a_lost_connection_is_retried(harness: Harness, bot: Running) -> None:
    tg = harness.tg
    tg.fail_next("getUpdates")  # the connection drops
    tg.fail_next("getUpdates", status=502)
    (reply,) = await harness.ask(MEMBER, GROUP, "/stats")
    assert reply.text.startswith("Library statistics")


async def test_the_token_is_never_logged(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    # setup_logging and this test set these loggers' levels: put them back afterwards.
    touched = (
        "aiogram",
        "aiohttp",
        "romm_comm",
        "aiohttp.access",
        "discord",
        "asyncio",
        "aiosqlite",
    )
    levels = {name: logging.getLogger(name).level for name in touched}
    values = harness.settings_values()
    try:
        setup_logging("DEBUG", [values["telegram_bot_token"]])
        for name in ("aiogram", "aiohttp", "romm_comm"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        run = await harness.start()
        harness.tg.fail_next("getUpdates", status=502)
        await harness.ask(MEMBER, GROUP, "/stats")
        await harness.stop(run)
        log = logging.getLogger("aiogram.event")
        log.warning("request to %s failed", f"{harness.tg.url}/bot{harness.tg.token}/getMe")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    text = stream.getvalue()
    assert "/bot***/getMe" in text  # the URL is logged, its token masked
    assert "telegram: not reachable" in text
    assert harness.tg.token not in text
    assert harness.tg.token.split(":", 1)[1] not in text
