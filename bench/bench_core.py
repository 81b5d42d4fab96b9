"""Core benchmarks (not tests): search, platform autocomplete, stats refresh, memory, start-up.

The RomM simulator runs in its own process; this process is the bot. For each library size it
prints p50/p95/p99 latencies, RomM calls per command, the bot's overhead over the simulator's
own answer (the same query sent straight with aiohttp, side by side), and peak RSS.

    .venv/bin/python bench/bench_core.py            # 1k, 10k and 100k ROMs
    .venv/bin/python bench/bench_core.py --sizes 1000 --rounds 50
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import SecretStr

from bench_common import pct
from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim.process import simulator_process

TERMS = ["mario", "zelda", "final fantasy", "tom & jerry", "quest", "star", "dragon", "ball",
         "super", "pokémon", "c#", "100%", "space", "racer", "knight", "castle"]  # fmt: skip


@dataclass
class Row:
    size: int
    what: str
    p50: float
    p95: float
    p99: float
    calls: float
    note: str = ""


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simulator(roms: int, platforms: int) -> AbstractAsyncContextManager[dict[str, Any]]:
    return simulator_process(
        "--roms", str(roms), "--platforms", str(platforms), "--seed", "1", "--latency", "0"
    )


async def bench_size(size: int, rounds: int) -> list[Row]:
    rows: list[Row] = []
    async with simulator(size, 500) as info:
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                romm_url=info["url"],
                romm_api_token=SecretStr(info["admin_token"]),
                data_dir=Path(data),
                cache_ttl=900,
                # The throttle toward RomM (default 20/s, bursts of 10) would dominate a
                # back-to-back loop; lift it so the bot's own overhead is what is measured.
                romm_rate_limit=1000,
            )
            app = await App.create(settings)
            await app.start()
            ctx = Context(Caller("1", "bench", "bench", is_admin=True), app.services)
            client = app.services.client

            # Autocomplete: from memory.
            partials = ["", "n", "nin", "play", "sega", "x", "gen", "super", "atari", "zz"]
            before = client.total_calls
            times = []
            for i in range(rounds * 20):
                started = time.perf_counter()
                await app.registry.complete(ctx, "search", "platform", partials[i % len(partials)])
                times.append((time.perf_counter() - started) * 1000)
            calls = (client.total_calls - before) / len(times)
            rows.append(
                Row(
                    size,
                    "autocomplete (500 platforms)",
                    pct(times, 50),
                    pct(times, 95),
                    pct(times, 99),
                    calls,
                )
            )

            # Search through the bot vs the same query straight to the simulator.
            platforms = app.services.catalog.platforms
            rng = random.Random(5)
            bot_ms, direct_ms, overhead = [], [], []
            before = client.total_calls
            headers = {"Authorization": f"Bearer {info['admin_token']}"}
            async with aiohttp.ClientSession() as raw:
                for i in range(rounds):
                    term = TERMS[i % len(TERMS)]
                    platform = rng.choice(platforms) if i % 2 else None
                    params: list[tuple[str, str]] = [
                        ("search_term", term),
                        ("limit", "25"),
                        ("offset", "0"),
                        ("order_by", "name"),
                        ("order_dir", "asc"),
                        ("with_char_index", "false"),
                        ("with_filter_values", "false"),
                        ("with_rom_id_index", "false"),
                    ]
                    if platform:
                        params.append(("platform_ids", str(platform.id)))
                    started = time.perf_counter()
                    async with raw.get(
                        info["url"] + "/api/roms", params=params, headers=headers
                    ) as resp:
                        await resp.read()
                    direct = (time.perf_counter() - started) * 1000
                    args = {"platform": platform.display_name if platform else "n64", "game": term}
                    started = time.perf_counter()
                    await app.registry.run(ctx, "search", args)
                    bot = (time.perf_counter() - started) * 1000
                    bot_ms.append(bot)
                    direct_ms.append(direct)
                    overhead.append(bot - direct)
            calls = (client.total_calls - before) / rounds
            rows.append(
                Row(size, "/search (bot)", pct(bot_ms, 50), pct(bot_ms, 95), pct(bot_ms, 99), calls)
            )
            rows.append(
                Row(
                    size,
                    "  same query direct",
                    pct(direct_ms, 50),
                    pct(direct_ms, 95),
                    pct(direct_ms, 99),
                    1,
                )
            )
            rows.append(
                Row(
                    size,
                    "  bot overhead",
                    pct(overhead, 50),
                    pct(overhead, 95),
                    pct(overhead, 99),
                    0,
                    f"median {statistics.median(overhead):.2f} ms",
                )
            )

            # Stats refresh.
            times, counts = [], []
            for _ in range(max(5, rounds // 10)):
                before = client.total_calls
                started = time.perf_counter()
                await app.services.stats.refresh()
                times.append((time.perf_counter() - started) * 1000)
                counts.append(client.total_calls - before)
            rows.append(
                Row(
                    size,
                    "stats refresh",
                    pct(times, 50),
                    pct(times, 95),
                    pct(times, 99),
                    max(counts),
                    "calls = max",
                )
            )
            await app.close()
    return rows


def startup_seconds() -> float:
    """Demo start (console + in-process simulator) to the first answer, in a fresh process."""
    with tempfile.TemporaryDirectory() as cwd:
        env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "romm_comm"],
            input="/stats\n",
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=120,
            check=True,
        )
        elapsed = time.perf_counter() - started
        assert "Library statistics" in proc.stdout
        return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    rows: list[Row] = []
    for size in [int(s) for s in args.sizes.split(",")]:
        rows.extend(await bench_size(size, args.rounds))
    print(
        f"{'ROMs':>7}  {'what':<30} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'RomM calls':>10}  note"
    )
    for r in rows:
        print(
            f"{r.size:>7}  {r.what:<30} {r.p50:>8.2f} {r.p95:>8.2f} {r.p99:>8.2f} "
            f"{r.calls:>10.2f}  {r.note}"
        )
    print(f"\nbot peak RSS (this process, simulator excluded): {rss_mb():.1f} MB")
    print(
        f"demo start → first answer (fresh process, includes Python start-up): "
        f"{startup_seconds():.2f} s"
    )


if __name__ == "__main__":
    asyncio.run(main())
