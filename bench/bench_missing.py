"""/missing bench (not a test): IGDB calls and time for a platform IGDB lists 5,000 games on.

The RomM and IGDB simulators run in this process over real HTTP (127.0.0.1, no added
latency); the library's Mega Drive gets `--roms` ROMs (most identified by IGDB id, some by
name only). Reported, side by side in the same run:
- cold `/missing`: IGDB calls by endpoint (the list is fetched: pages of 500 within 4/s) and
  the wall time, mostly IGDB's rate limit;
- warm `/missing` and a ◀ ▶ page: IGDB calls (none) and p50/p95 wall time, beside `/stats`
  (the reference: one cached RomM round trip);
- a day later: the list fetched again;
- memory: what the bot still holds after the calls (tracemalloc, after a GC) and the peak
  during a warm call; the size of the stored list.

    .venv/bin/python bench/bench_missing.py
    .venv/bin/python bench/bench_missing.py --games 5000 --roms 1500 --rounds 40
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

MEGA_DRIVE = 29  # IGDB's Sega Mega Drive/Genesis: no hand-made games in the IGDB simulator


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stock(sim: RommSimulator, igdb: IgdbSimulator, roms: int) -> int:
    platform = next(p for p in sim.library.platforms.values() if p.info.igdb_id == MEGA_DRIVE)
    games = [
        g
        for g in igdb.platform_games(MEGA_DRIVE)
        if g.get("game_type") == 0 and "version_parent" not in g
    ]
    identified = roms * 2 // 3
    for g in games[:identified]:
        sim.library.add_rom(platform.id, g["name"], igdb_id=g["id"])
    for g in games[identified:roms]:
        sim.library.add_rom(platform.id, g["name"], fs_name=f"{g['name']} (USA).md")
    return platform.id


def calls(igdb: IgdbSimulator, since: int) -> str:
    counted = Counter(c.endpoint for c in igdb.calls[since:])
    return ", ".join(f"{k} {v}" for k, v in sorted(counted.items())) or "none"


async def timed(app: App, ctx: Context, name: str, args: dict[str, str]) -> float:
    started = time.perf_counter()
    reply = await app.registry.run(ctx, name, args)
    assert reply.tone != "error", reply.text
    return (time.perf_counter() - started) * 1000


async def bench(games: int, roms: int, rounds: int) -> None:
    library = LibrarySpec(roms=120, platforms=14, seed=3)
    async with (
        RommSimulator(library=library) as sim,
        IgdbSimulator(platform_lists={MEGA_DRIVE: games}, seed=1) as igdb,
    ):
        stock(sim, igdb, roms)
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                romm_url=sim.url,
                romm_api_token=SecretStr(sim.admin_token or ""),
                data_dir=Path(data),
                romm_rate_limit=1000,
                igdb_client_id=igdb.client_id,
                igdb_client_secret=SecretStr(igdb.client_secret),
                igdb_api_url=igdb.api_url,
                twitch_token_url=igdb.token_url,
            )
            app = await App.create(settings)
            await app.start()
            try:
                await run(app, igdb, rounds)
            finally:
                await app.close()


async def run(app: App, igdb: IgdbSimulator, rounds: int) -> None:
    ctx = Context(Caller("1", "bench", "bench", is_admin=True), app.services)
    args = {"platform": "genesis-slash-megadrive"}
    assert app.services.collection is not None and app.services.collection.lists is not None
    lists = app.services.collection.lists
    await timed(app, ctx, "stats", {})  # the RomM token and platform list, before timing

    mark = len(igdb.calls)
    cold_ms = await timed(app, ctx, "missing", args)
    cold_calls = calls(igdb, mark)
    first = await app.registry.run(ctx, "missing", args)
    print(f"figure: {first.text}")
    platform_id = first.buttons[0].action.split(":")[1]

    mark = len(igdb.calls)
    warm: list[float] = []
    paged: list[float] = []
    stats: list[float] = []
    for i in range(rounds):
        sort = ("rating", "popularity")[i % 2]
        warm.append(await timed(app, ctx, "missing", {**args, "sort": sort}))
        started = time.perf_counter()
        await app.registry.act(ctx, f"miss:{platform_id}:{sort}:main:{2 + i % 5}")
        paged.append((time.perf_counter() - started) * 1000)
        stats.append(await timed(app, ctx, "stats", {}))
    warm_calls = calls(igdb, mark)

    # Memory, apart (tracemalloc slows Python several times): what a warm /missing and its
    # pages leave held, and the peak while one runs.
    gc.collect()
    tracemalloc.start()
    held_before = tracemalloc.get_traced_memory()[0]
    for i in range(4):
        await app.registry.run(ctx, "missing", {**args, "sort": ("rating", "popularity")[i % 2]})
        await app.registry.act(ctx, f"miss:{platform_id}:rating:main:2")
    warm_peak = tracemalloc.get_traced_memory()[1] - held_before
    gc.collect()
    held_after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    async with app.services.store.conn.execute(
        "SELECT length(games) FROM igdb_platform_lists WHERE igdb_platform_id = ?", (MEGA_DRIVE,)
    ) as cur:
        row = await cur.fetchone()
    stored = int(row[0]) if row else 0

    real_clock = lists.clock
    lists.clock = lambda: real_clock() + 86_401
    mark = len(igdb.calls)
    day_ms = await timed(app, ctx, "missing", args)
    day_calls = calls(igdb, mark)

    print(f"IGDB games on the platform: {len(igdb.platform_games(MEGA_DRIVE)):,}")
    print(f"cold /missing: IGDB calls: {cold_calls}; {cold_ms:.0f} ms")
    print(f"warm /missing x{rounds}: IGDB calls: {warm_calls}")
    for name, values in (
        ("warm /missing", warm),
        ("◀ ▶ page", paged),
        ("/stats (reference)", stats),
    ):
        print(
            f"  {name:<20} p50 {statistics.median(values):7.1f} ms"
            f"   p95 {pct(values, 0.95):7.1f} ms"
        )
    print(f"a day later: IGDB calls: {day_calls}; {day_ms:.0f} ms")
    print(
        f"memory held after the calls: {(held_after - held_before) / 1024:.0f} KiB (tracemalloc, "
        f"after GC; the ◀ ▶ results kept); peak during a warm call: "
        f"{warm_peak / 1024 / 1024:.1f} MiB; "
        f"stored list: {stored / 1024:.0f} KiB of JSON"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5_000)
    parser.add_argument("--roms", type=int, default=1_500)
    parser.add_argument("--rounds", type=int, default=30)
    opts = parser.parse_args()
    asyncio.run(bench(opts.games, opts.roms, opts.rounds))


if __name__ == "__main__":
    main()
