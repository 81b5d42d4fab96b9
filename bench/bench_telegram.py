"""Telegram front-end benchmark (not a test): the real front end on aiogram, driven through the
local Bot API fake, beside the Discord front end on discord.py and its fake, both on ONE App
against the RomM simulator (latency 0), all on 127.0.0.1.

Measures, and prints as a table:
- command → reply p50/p95/p99 on Telegram (the message is queued for getUpdates → the bot's
  first sendMessage/sendPhoto arrives) and on Discord (slash interaction → final answer),
  over N commands of the same mix, in the same run;
- RomM calls per command through Telegram vs. the console's text dialog (cold cache).

    .venv/bin/python bench/bench_telegram.py                 # 200 commands
    .venv/bin/python bench/bench_telegram.py --commands 500 --roms 2000
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.fakes

from tests.fakes.discord.pytest_helpers import serve_fake_discord
from tests.fakes.telegram import FakeTelegram

from bench_common import arguments, print_percentiles, print_romm_calls
from bench_discord import MIX
from bench_discord import latency as discord_latency
from bench_discord import settings as discord_settings
from romm_comm.app.root import App
from romm_comm.core.commands import Caller
from romm_comm.core.text_input import Pending, TextDialog
from romm_comm.features.context import Context
from romm_comm.frontends.discord.options import DiscordOptions
from romm_comm.frontends.discord.runner import DiscordRunner
from romm_comm.frontends.telegram.runner import TelegramRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

USER = 4242


def line_of(name: str, options: dict[str, Any]) -> str:
    return f"/{name} " + " ".join(f'{k}:"{v}"' for k, v in options.items())


async def telegram_latency(tg: FakeTelegram, count: int) -> list[float]:
    loop = asyncio.get_running_loop()
    out = []
    for i in range(count):
        name, options = MIX[i % len(MIX)]
        waiting = tg.wait_sent(USER)
        started = loop.time()
        await tg.say(USER, USER, line_of(name, options))
        await waiting
        out.append((loop.time() - started) * 1000)
    return out


async def romm_calls(app: App, tg: FakeTelegram, sim: RommSimulator) -> list[tuple[str, int, int]]:
    """(command, calls through Telegram, calls through the console's dialog), cold cache each."""
    rows = []
    ctx = Context(Caller("console", "console", "console", True), app.services, app.registry)
    dialog = TextDialog(app.registry)
    seen: set[str] = set()
    for name, options in MIX:
        line = line_of(name, options).strip()
        if line in seen or name == "random":  # random picks differ run to run
            continue
        seen.add(line)
        app.services.client.invalidate()
        sim.reset_calls()
        waiting = tg.wait_sent(USER)
        await tg.say(USER, USER, line)
        await waiting
        through = len(sim.calls)
        app.services.client.invalidate()
        sim.reset_calls()
        await dialog.answer(ctx, line, Pending())
        rows.append((line, through, len(sim.calls)))
    return rows


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    spec = LibrarySpec(roms=args.roms, platforms=args.platforms, seed=1)
    tg = FakeTelegram()
    await tg.start()
    tg.add_person(USER, "Bench")
    with tempfile.TemporaryDirectory() as tmp:
        async with RommSimulator(library=spec) as sim, serve_fake_discord() as fd:
            sim.faults.latency = 0.0
            values = discord_settings(sim, fd, Path(tmp)).model_dump()
            values.update(
                telegram_bot_token=SecretStr(tg.token),
                telegram_api_url=tg.url,
                telegram_admin_ids=[USER],
            )
            settings = type(discord_settings(sim, fd, Path(tmp))).model_validate(values)
            app = await App.create(settings)
            await app.start()
            discord = DiscordRunner(app, DiscordOptions(guild_ready_timeout=0.05))
            telegram = TelegramRunner(app)
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(discord.run(stop)),
                asyncio.create_task(telegram.run(stop)),
            ]
            try:
                await discord.wait_ready(10)
                await asyncio.wait_for(telegram.ready.wait(), 10)
                started = time.perf_counter()
                await telegram_latency(tg, min(len(MIX), args.commands))  # warm up
                await discord_latency(fd, min(len(MIX), args.commands))
                tele = await telegram_latency(tg, args.commands)
                _, disc, _ = await discord_latency(fd, args.commands)
                elapsed = time.perf_counter() - started
                calls = await romm_calls(app, tg, sim)
                errors = telegram.front_end.handler_errors if telegram.front_end else []
            finally:
                stop.set()
                await asyncio.gather(*tasks)
                await app.close()
                await tg.stop()
    print(
        f"\nTelegram beside Discord on one App — {args.commands} commands each, library "
        f"{args.roms} ROMs / {args.platforms} platforms, RomM latency 0 ({elapsed:.1f} s)\n"
    )
    print_percentiles(
        "command → reply (ms)",
        [("Telegram (getUpdates → first send)", tele), ("Discord", disc)],
    )
    print()
    print_romm_calls("Telegram", calls, "console")
    print(f"\nfake Bot API rejections: {len(tg.rejections)}; handler errors: {len(errors)}")


if __name__ == "__main__":
    asyncio.run(main(arguments(__doc__ or "")))
