"""Prowlarr bench (not a test): the round trip of "Search indexers" and "Grab" on a request.

The bot runs against the RomM simulator and the Prowlarr simulator, both over real HTTP on
127.0.0.1, with a real SQLite file. Prowlarr answers `--releases` releases for the title (a
full page by default: 100, Prowlarr's page), a mix of the right game on the right platform,
other platforms, sequels and noise, so the ranking does its whole work. Reported: p50/p95 of
the search action (Prowlarr call, ranking, storing the list, the card) and of pick + Grab
(the POST, the history rows, the requester's DM), and RomM / Prowlarr calls per action.
The simulators answer at once: the figures are the bot's own cost plus loopback HTTP; a
real Prowlarr adds its indexers' time (seconds) to the search.

    .venv/bin/python bench/bench_prowlarr.py
    .venv/bin/python bench/bench_prowlarr.py --rounds 200 --releases 500
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.commands import Caller
from romm_comm.features.context import Context
from romm_comm.features.requests.models import Person
from romm_comm.testing.prowlarr_sim import ProwlarrSimulator, SimRelease
from romm_comm.testing.romm_sim import LibrarySpec, RommSimulator

ADMIN = Caller(id="1", name="admin", front_end="bench", is_admin=True)
SHAPES = (
    "Final Fantasy VII (USA) (Disc {n}) [PSX]",
    "Final.Fantasy.VII.EUR.PS1-GRP{n}",
    "Final Fantasy VIII (USA) [PSX] {n}",
    "Final Fantasy VII Remake PS4 {n}",
    "Final Fantasy VII [Nintendo Switch] v1.{n}",
    "Final Fantasy VII (PC) Steam Rip {n}",
    "Final Fantasy VII Crisis Core PSP {n}",
    "Final Fantasy VII Soundtrack FLAC {n}",
)


def releases(count: int) -> list[SimRelease]:
    return [
        SimRelease(
            SHAPES[n % len(SHAPES)].format(n=n),
            1 + n % 2,
            700_000_000 + n,
            n % 900,
            (1000,),
            seeders=n % 97,
            leechers=n % 7,
        )
        for n in range(count)
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def bench(rounds: int, count: int) -> None:
    async with (
        RommSimulator(library=LibrarySpec(roms=500, platforms=14, seed=3)) as romm,
        ProwlarrSimulator() as prowlarr,
    ):
        prowlarr.releases = []
        for release in releases(count):
            prowlarr.add_release(release)
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                romm_url=romm.url,
                romm_api_token=SecretStr(romm.admin_token or ""),
                data_dir=Path(data),
                web_enabled=False,
                request_check_interval=0,
                prowlarr_url=prowlarr.url,
                prowlarr_api_key=SecretStr(prowlarr.api_key),
            )
            app = await App.create(settings)
            await app.start()
            try:
                await run(app, romm, prowlarr, rounds, count)
            finally:
                await app.close()


async def run(
    app: App, romm: RommSimulator, prowlarr: ProwlarrSimulator, rounds: int, count: int
) -> None:
    requests = app.services.requests
    assert requests is not None
    ctx = Context(ADMIN, app.services)
    searches: list[float] = []
    grabs: list[float] = []
    romm_calls: Counter[str] = Counter()
    prowlarr_calls: Counter[str] = Counter()
    shown = 0
    for n in range(rounds):
        created = await requests.create(
            Person("bench:2", "member"),
            platform_key="psx",
            platform_name="PlayStation",
            title="Final Fantasy VII",
            details=f"round {n}",
            exempt=True,
        )
        assert created.request is not None
        rid = created.request.id
        romm.reset_calls()
        before = len(prowlarr.calls)
        started = time.perf_counter()
        found = await app.registry.act(ctx, f"idx:{rid}:search")
        searches.append(time.perf_counter() - started)
        romm_calls["search"] += len(romm.calls)
        prowlarr_calls["search"] += len(prowlarr.calls) - before
        assert found.picker is not None, found.text
        shown = len(found.picker.choices)
        romm.reset_calls()
        before = len(prowlarr.calls)
        started = time.perf_counter()
        picked = await app.registry.act(ctx, found.picker.action, ["0"])
        grab = next(b.action for b in picked.buttons if b.label == "Grab")
        done = await app.registry.act(ctx, grab)
        grabs.append(time.perf_counter() - started)
        assert done.tone == "success", done.text
        romm_calls["grab"] += len(romm.calls)
        prowlarr_calls["grab"] += len(prowlarr.calls) - before
        await requests.reject(rid, Person("bench:1", "admin"), "bench")
    print(f"Prowlarr round trip, {rounds} rounds, {count} releases per search, {shown} shown")
    for name, values in (("search indexers", searches), ("pick + grab", grabs)):
        print(
            f"  {name:16} p50 {statistics.median(values) * 1000:7.1f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:7.1f} ms"
        )
    for action in ("search", "grab"):
        print(
            f"  {action:16} RomM calls/action {romm_calls[action] / rounds:.2f}   "
            f"Prowlarr calls/action {prowlarr_calls[action] / rounds:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--releases", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(bench(args.rounds, args.releases))


if __name__ == "__main__":
    main()
