"""Slack front-end benchmark (not a test): the real slack-bolt in Socket Mode and the real bot
on discord.py, both on one App, driven through the local fakes against the RomM simulator
(latency 0), all on 127.0.0.1.

Measures, and prints as a table:
- slash command → first response, p50/p95/p99: Slack (the fake's clock: envelope sent to its
  ack, and to the `response_url` answer's arrival) beside Discord (dispatch to the first
  callback, and to the final answer), same run;
- RomM calls per command through Slack vs. the console (core.text_input's TextDialog on the
  same line), each from a cold cache.

    .venv/bin/python bench/bench_slack.py                 # 200 commands each
    .venv/bin/python bench/bench_slack.py --commands 500 --roms 2000
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
from tests.fakes.slack.server import APP_TOKEN, BOT_TOKEN, FakeSlack

from bench_common import arguments, print_percentiles, print_romm_calls
from bench_discord import MIX, discord_values
from bench_discord import latency as discord_latency
from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.core.text_input import Pending, TextDialog
from romm_comm.features.context import Context
from romm_comm.frontends.discord.options import DiscordOptions
from romm_comm.frontends.discord.runner import DiscordRunner
from romm_comm.frontends.slack.runner import SlackRunner
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

# Discord's mix, as people type it on Slack (`/romm search n64 mario`).
LINES = [" ".join([name, *(f'{k}:"{v}"' for k, v in options.items())]) for name, options in MIX]
USER = "UBENCH01"


def settings(sim: RommSimulator, fd: Any, fs: FakeSlack, data_dir: Path) -> Settings:
    values = discord_values(sim, fd, data_dir)
    values.update(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_api_url=fs.api_url,
        slack_admin_ids=[USER],
    )
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def slack_answer(fs: FakeSlack, line: str) -> tuple[float, float]:
    """Milliseconds from the envelope to its ack and to its first answer (the fake's clock)."""
    env = await fs.send_command(line, user=USER)
    first = await fs.wait_for(lambda: next((a for a in fs.answers if a.envelope == env.id), None))
    await fs.wait_for(lambda: env.ack_at)
    return (env.ack_at[0] - env.sent_at) * 1000, (first.at - env.sent_at) * 1000


async def slack_latency(fs: FakeSlack, count: int) -> tuple[list[float], list[float]]:
    timings = [await slack_answer(fs, LINES[i % len(LINES)]) for i in range(count)]
    return [ack for ack, _ in timings], [answer for _, answer in timings]


async def romm_calls(app: App, fs: FakeSlack, sim: RommSimulator) -> list[tuple[str, int, int]]:
    """(command, calls through Slack, calls through the console's dialog), cold caches."""
    rows = []
    ctx = Context(Caller(USER, "bench", "console", True), app.services)
    dialog = TextDialog(app.registry)
    for line in dict.fromkeys(LINES):
        if line.startswith("random"):  # random picks differ run to run
            continue
        app.services.client.invalidate()
        sim.reset_calls()
        await slack_answer(fs, line)
        through_slack = len(sim.calls)
        app.services.client.invalidate()
        sim.reset_calls()
        await dialog.answer(ctx, line, Pending())
        rows.append((f"/romm {line}", through_slack, len(sim.calls)))
    return rows


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    spec = LibrarySpec(roms=args.roms, platforms=args.platforms, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            RommSimulator(library=spec) as sim,
            serve_fake_discord() as fd,
            FakeSlack(clock=asyncio.get_running_loop().time) as fs,
        ):
            sim.faults.latency = 0.0
            app = await App.create(settings(sim, fd, fs, Path(tmp)))
            await app.start()
            discord = DiscordRunner(app, DiscordOptions(guild_ready_timeout=0.05))
            slack = SlackRunner(app)
            stop = asyncio.Event()
            tasks = [asyncio.create_task(r.run(stop)) for r in (discord, slack)]
            try:
                await discord.wait_ready(10)
                await asyncio.wait_for(slack.ready.wait(), 10)
                started = time.perf_counter()
                warm = min(len(MIX), args.commands)
                await discord_latency(fd, warm)
                await slack_latency(fs, warm)
                d_first, d_final, _deferred = await discord_latency(fd, args.commands)
                s_ack, s_first = await slack_latency(fs, args.commands)
                elapsed = time.perf_counter() - started
                calls = await romm_calls(app, fs, sim)
                errors = slack.bot.handler_errors if slack.bot else []
                problems = fs.rejections + [("ack", p) for p in fs.late_or_missing_acks()]
            finally:
                stop.set()
                await asyncio.gather(*tasks)
                await app.close()
    print(
        f"\nSlack beside Discord — {args.commands} slash commands each, library {args.roms} "
        f"ROMs / {args.platforms} platforms, RomM latency 0 ({elapsed:.1f} s)\n"
    )
    print_percentiles(
        "slash command → first response (ms)",
        [
            ("Slack: envelope → ack", s_ack),
            ("Slack: envelope → answer (response_url)", s_first),
            ("Discord: interaction → first callback", d_first),
            ("Discord: interaction → final answer", d_final),
        ],
    )
    print()
    print_romm_calls("Slack", calls, "console")
    print(f"\nSlack handler errors: {len(errors)}; fake refusals and late acks: {len(problems)}")


if __name__ == "__main__":
    asyncio.run(main(arguments(__doc__)))
