"""Discord front-end benchmark (not a test): the real bot on discord.py, driven through the
local Discord-compatible fake, against the RomM simulator (latency 0), all on 127.0.0.1.

Measures, and prints as a table:
- interaction → first response (the fake's clock: dispatch to the callback's arrival) and
  → final answer, p50/p95/p99 over N slash commands;
- RomM calls per command through Discord vs. calling `Registry.run` directly (cold cache);
- Discord REST calls during a stats refresh when nothing changed (target 0), and when one
  number changed (one rename).

    .venv/bin/python bench/bench_discord.py                 # 200 commands
    .venv/bin/python bench/bench_discord.py --commands 500 --roms 2000
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

from tests.fakes.discord import FakeDiscord, InteractionRecord
from tests.fakes.discord.pytest_helpers import serve_fake_discord

from bench_common import arguments, print_percentiles, print_romm_calls
from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.frontends.discord.options import DiscordOptions
from romm_comm.frontends.discord.runner import DiscordRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

MIX: list[tuple[str, dict[str, Any]]] = [
    ("stats", {}),
    ("search", {"platform": "Nintendo 64", "game": "mario"}),
    ("search", {"platform": "PlayStation", "game": "final fantasy"}),
    ("platforms", {}),
    ("random", {}),
    ("random", {"platform": "Game Boy"}),
    ("firmware", {"platform": "PlayStation"}),
    ("help", {}),
]


def discord_values(sim: RommSimulator, fd: FakeDiscord, data_dir: Path) -> dict[str, Any]:
    """Settings for the simulator and the fake Discord (the Slack benchmark adds its own)."""
    return {
        "romm_url": sim.url,
        "romm_api_token": SecretStr(sim.admin_token) if sim.admin_token else None,
        "romm_public_url": "https://romm.example.org",
        "data_dir": data_dir,
        "web_host": "127.0.0.1",
        "web_port": 0,
        "discord_token": SecretStr(fd.token),
        "discord_guild_id": fd.guild.id,
        "discord_api_url": fd.api_url,
        "discord_gateway_url": fd.gateway_url,
        "romm_rate_limit": 1000,
    }


def settings(sim: RommSimulator, fd: FakeDiscord, data_dir: Path) -> Settings:
    return Settings(_env_file=None, **discord_values(sim, fd, data_dir))  # type: ignore[arg-type]


async def answer(fd: FakeDiscord, name: str, options: dict[str, Any]) -> InteractionRecord:
    rec = await fd.slash(fd.owner.id, name, options)
    await rec.wait_final(10)
    return rec


async def latency(fd: FakeDiscord, count: int) -> tuple[list[float], list[float], int]:
    first: list[float] = []
    final: list[float] = []
    deferred = 0
    loop = asyncio.get_running_loop()
    for i in range(count):
        name, options = MIX[i % len(MIX)]
        rec = await answer(fd, name, options)
        assert rec.reply is not None
        first.append(rec.reply.elapsed * 1000)
        final.append((loop.time() - rec.dispatched_at) * 1000)
        deferred += rec.reply.type == 5
    return first, final, deferred


async def romm_calls(app: App, fd: FakeDiscord, sim: RommSimulator) -> list[tuple[str, int, int]]:
    """(command, calls through Discord, calls through Registry.run), each from a cold cache."""
    rows = []
    ctx = Context(Caller(str(fd.owner.id), "owner", "discord", True), app.services)
    seen: set[str] = set()
    for name, options in MIX:
        label = f"/{name} " + " ".join(f"{k}:{v}" for k, v in options.items())
        if label in seen or name == "random":  # random picks differ run to run
            continue
        seen.add(label)
        app.services.client.invalidate()
        sim.reset_calls()
        await answer(fd, name, options)
        through_discord = len(sim.calls)
        app.services.client.invalidate()
        sim.reset_calls()
        await app.registry.run(ctx, name, options)
        rows.append((label.strip(), through_discord, len(sim.calls)))
    return rows


async def refresh_rest_calls(
    run: DiscordRunner, fd: FakeDiscord, sim: RommSimulator
) -> tuple[int, int]:
    bot = run.bot
    assert bot is not None and bot.live is not None
    await bot.live.tick()  # settle
    await asyncio.sleep(0.2)
    before = len(fd.requests)
    await bot.live.tick()
    await asyncio.sleep(0.2)
    unchanged = len(fd.requests) - before
    platform = sim.library.platform_by_slug("n64")
    assert platform is not None
    sim.library.add_rom(platform.id, name="Bench Game")
    before = len(fd.requests)
    await bot.live.tick()
    await asyncio.sleep(0.2)
    return unchanged, len(fd.requests) - before


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    spec = LibrarySpec(roms=args.roms, platforms=args.platforms, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        async with RommSimulator(library=spec) as sim, serve_fake_discord() as fd:
            sim.faults.latency = 0.0
            app = await App.create(settings(sim, fd, Path(tmp)))
            await app.start()
            runner = DiscordRunner(app, DiscordOptions(guild_ready_timeout=0.05))
            stop = asyncio.Event()
            task = asyncio.create_task(runner.run(stop))
            try:
                await runner.wait_ready(10)
                started = time.perf_counter()
                await latency(fd, min(len(MIX), args.commands))  # warm up
                first, final, deferred = await latency(fd, args.commands)
                elapsed = time.perf_counter() - started
                calls = await romm_calls(app, fd, sim)
                unchanged, changed = await refresh_rest_calls(runner, fd, sim)
                errors = runner.bot.handler_errors if runner.bot else []
            finally:
                stop.set()
                await task
                await app.close()
    print(
        f"\nDiscord front end — {args.commands} slash commands, library {args.roms} ROMs / "
        f"{args.platforms} platforms, RomM latency 0 ({elapsed:.1f} s)\n"
    )
    print_percentiles(
        "measure",
        [
            ("interaction → first response (ms)", first),
            ("interaction → final answer (ms)", final),
        ],
    )
    print(f"deferred (answer took > defer_after): {deferred} of {len(first)}\n")
    print_romm_calls("Discord", calls, "direct")
    print(f"\nDiscord REST calls during a stats refresh, nothing changed: {unchanged} (target 0)")
    print(f"Discord REST calls during a stats refresh, ROM count +1:     {changed} (one rename)")
    print(f"handler errors: {len(errors)}")


if __name__ == "__main__":
    asyncio.run(main(arguments(__doc__ or "")))
