"""Matrix front-end benchmark (not a test): the real bot on matrix-nio and a person on
matrix-nio, through a real Synapse (from .venv-synapse), against the RomM simulator
(latency 0), all on 127.0.0.1; the Discord figure comes from the same run, through its fake.

Measures, and prints as a table:
- command → the bot's answer in the room (the person's clock: send to the answer's arrival
  by sync), p50/p95 over N commands, in an end-to-end encrypted room and in a plain one
  (private answers go to the bot's direct room, encrypted in both runs), beside the same for
  Discord slash commands;
- RomM calls per command through Matrix vs. calling `Registry.run` directly as the console
  does (cold cache);
- the process's resident memory added by starting the Matrix front end and answering (the
  encrypted run goes first, so its figure includes importing matrix-nio and vodozemac).

    bash scripts/ensure-synapse.sh && .venv/bin/python bench/bench_matrix.py   # 100 commands
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

from bench.bench_common import front_end_parser, pct, print_romm_calls
from bench.bench_discord import MIX
from bench.bench_discord import latency as discord_latency
from bench.bench_discord import settings as discord_settings
from tests.fakes.discord.pytest_helpers import serve_fake_discord
from tests.fakes.synapse.server import Synapse, available

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.frontends.discord.options import DiscordOptions
from romm_comm.frontends.discord.runner import DiscordRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator


def text_of(name: str, options: dict[str, Any]) -> str:
    return "!" + " ".join([name, *(f'{k}:"{v}"' for k, v in options.items())])


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def settings(
    sim: RommSimulator, synapse: Synapse, bot: dict[str, str], room: str, data: Path
) -> Settings:
    values: dict[str, Any] = {
        "romm_url": sim.url,
        "romm_api_token": SecretStr(sim.admin_token) if sim.admin_token else None,
        "romm_public_url": "https://romm.example.org",
        "data_dir": data,
        "web_host": "127.0.0.1",
        "web_port": 0,
        "romm_rate_limit": 1000,
        "matrix_homeserver": synapse.url,
        "matrix_user_id": bot["user_id"],
        "matrix_access_token": SecretStr(bot["access_token"]),
        "matrix_rooms": [room],
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def ask(person: Any, room: str, bot_id: str, text: str) -> float:
    started = time.perf_counter()
    await person.answer(room, bot_id, text)
    return (time.perf_counter() - started) * 1000


async def matrix_run(
    args: argparse.Namespace, sim: RommSimulator, synapse: Synapse, tmp: Path, encrypted: bool
) -> tuple[list[float], list[tuple[str, int, int]], int, float]:
    from tests.fakes.synapse.person import Person  # imports matrix-nio

    kind = "e" if encrypted else "p"
    bot = synapse.register(f"benchbot{kind}")
    person = await Person.signed_in(synapse.url, synapse.register(f"benchuser{kind}"))
    room = await person.create_room(bot["user_id"], encrypted=encrypted)
    app = await App.create(settings(sim, synapse, bot, room, tmp))
    await app.start()
    before = rss_kb()  # before matrix-nio is imported: its weight counts
    from romm_comm.frontends.matrix.runner import MatrixOptions, MatrixRunner

    runner = MatrixRunner(app, MatrixOptions(sync_timeout_ms=30_000))
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await runner.wait_ready(30)
        started = time.perf_counter()
        for name, options in MIX:  # warm up
            await ask(person, room, bot["user_id"], text_of(name, options))
        times = [
            await ask(person, room, bot["user_id"], text_of(*MIX[i % len(MIX)]))
            for i in range(args.commands)
        ]
        elapsed = time.perf_counter() - started
        added = rss_kb() - before
        rows = []
        ctx = Context(Caller("console", "console", "console", True), app.services)
        seen: set[str] = set()
        for name, options in MIX:
            text = text_of(name, options)
            if text in seen or name == "random":
                continue
            seen.add(text)
            app.services.client.invalidate()
            sim.reset_calls()
            await ask(person, room, bot["user_id"], text)
            through = len(sim.calls)
            if args.verbose:
                print(text, [str(c)[:120] for c in sim.calls])
            app.services.client.invalidate()
            sim.reset_calls()
            await app.registry.run(ctx, name, options)
            rows.append((text, through, len(sim.calls)))
        assert runner.bot is not None and not runner.bot.handler_errors
    finally:
        stop.set()
        await task
        await app.close()
        await person.close()
    return times, rows, added, elapsed


async def discord_run(args: argparse.Namespace, sim: RommSimulator, tmp: Path) -> list[float]:
    async with serve_fake_discord() as fd:
        app = await App.create(discord_settings(sim, fd, tmp))
        await app.start()
        runner = DiscordRunner(app, DiscordOptions(guild_ready_timeout=0.05))
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        try:
            await runner.wait_ready(10)
            await discord_latency(fd, len(MIX))
            _first, final, _ = await discord_latency(fd, args.commands)
        finally:
            stop.set()
            await task
            await app.close()
    return final


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    if not available():
        sys.exit("Synapse is not installed: run scripts/ensure-synapse.sh first")
    spec = LibrarySpec(roms=args.roms, platforms=args.platforms, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        synapse = Synapse(Path(tmp) / "synapse")
        await asyncio.to_thread(synapse.start)
        try:
            async with RommSimulator(library=spec) as sim:
                sim.faults.latency = 0.0
                for sub in ("e", "p", "d"):
                    (Path(tmp) / sub).mkdir()
                e2e, _, added, e2e_elapsed = await matrix_run(
                    args, sim, synapse, Path(tmp) / "e", encrypted=True
                )
                plain, rows, plain_added, elapsed = await matrix_run(
                    args, sim, synapse, Path(tmp) / "p", encrypted=False
                )
                discord = await discord_run(args, sim, Path(tmp) / "d")
        finally:
            synapse.stop()
    print(
        f"\nMatrix front end — {args.commands} commands through Synapse, library {args.roms} "
        f"ROMs / {args.platforms} platforms, RomM latency 0 (encrypted {e2e_elapsed:.1f} s, "
        f"plain {elapsed:.1f} s)\n"
    )
    print(f"{'command → answer (ms)':<42}{'p50':>9}{'p95':>9}")
    runs = (
        ("Matrix, encrypted room (Synapse, sync)", e2e),
        ("Matrix, plain room (Synapse, sync)", plain),
        ("Discord (fake)", discord),
    )
    for what, values in runs:
        print(f"{what:<42}{pct(values, 50):>9.2f}{pct(values, 95):>9.2f}")
    print()
    print_romm_calls("Matrix", rows, "console")
    print(f"\nresident memory added by the Matrix front end: {added / 1024:.1f} MB", end="")
    print(f" (a second bot, plain room, imports already done: {plain_added / 1024:.1f} MB)")


if __name__ == "__main__":
    parser = front_end_parser(__doc__ or "", commands=100)
    parser.add_argument("--verbose", action="store_true", help="list the RomM calls")
    asyncio.run(main(parser.parse_args()))
