"""Walks the registry at the wire: every command, with example options, gets an answer that
is not a crash, inside Discord's 3 seconds. A command added later is covered automatically."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
import yarl

from romm_comm.frontends.discord import interactions
from romm_comm.frontends.discord.runner import run_discord
from tests.conftest import settings_for
from tests.frontends.discord.conftest import FAST, Harness, Running, final
from tests.helpers.command_examples import every_call
from tests.helpers.waiting import eventually

CRASH = interactions.BROKEN_MESSAGE


async def test_every_command_answers_with_all_its_options(harness: Harness, bot: Running) -> None:
    fd = harness.fd
    for name, options in every_call(bot.app.registry):
        rec = await fd.slash(fd.owner.id, name, options)
        message = await final(rec)
        assert rec.reply is not None, name  # in time: the fake refuses late callbacks
        shown = message.content + " ".join(str(e.get("title")) for e in message.embeds)
        assert shown.strip(), f"/{name} {options}: empty answer"
        assert CRASH not in shown, f"/{name} {options} crashed"
        assert "has no option" not in shown and "needs" not in shown, (name, shown)


async def test_a_crash_in_the_front_end_is_collected_and_the_user_still_gets_an_answer(
    harness: Harness, bot: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd = harness.fd

    def broken(reply: Any) -> Any:
        raise RuntimeError("render bug")

    monkeypatch.setattr(interactions, "render", broken)
    rec = await fd.slash(fd.owner.id, "help")
    reply = await rec.wait_reply()
    monkeypatch.undo()
    assert reply.ephemeral and reply.content == CRASH
    await eventually(lambda: bool(bot.bot.handler_errors), what="the collected error")
    (error,) = bot.bot.handler_errors
    assert isinstance(error, RuntimeError) and str(error) == "render bug"
    bot.bot.handler_errors.clear()  # seen: the harness would fail the test on it


async def test_the_settings_alone_point_the_bot_at_a_local_server(harness: Harness) -> None:
    """DISCORD_API_URL / DISCORD_GATEWAY_URL: nothing else tells discord.py where to go."""
    from romm_comm.app.root import App

    fd = harness.fd
    discord.http.Route.BASE = "https://discord.com/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("wss://gateway.discord.gg/")
    app = await App.create(settings_for(harness.sim, harness.data_dir, **harness.settings_values()))
    await app.start()
    stop = asyncio.Event()
    task = asyncio.create_task(run_discord(app, stop, FAST))
    try:
        await eventually(lambda: fd.presence is not None, within=5, what="the bot online")
        assert fd.api_url == discord.http.Route.BASE
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 5) == 0
        await app.close()
