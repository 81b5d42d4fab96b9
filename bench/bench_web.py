"""Web-side benchmarks (not tests): the requests dashboard with 10k requests in the store
(server time p50/p95 per page and page weight), the library page with a year of stats history
and 10k logged downloads, the `/metrics` scrape time, and the RSS the web side adds (the same
App with WEB_ENABLED=false vs true, after serving pages).

    .venv/bin/python bench/bench_web.py                  # 10k requests and downloads, 50 rounds
    .venv/bin/python bench/bench_web.py --requests 1000 --downloads 1000 --rounds 20
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.features.requests.models import Person
from romm_comm.testing.romm_sim import ADMIN_PASSWORD, ADMIN_USERNAME, LibrarySpec, RommSimulator

GAME_TILE = b'<li class="game"'


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def settings(sim: RommSimulator, data: Path, web: bool) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        romm_url=sim.url,
        romm_api_token=SecretStr(sim.admin_token or ""),
        data_dir=data,
        web_enabled=web,
        web_host="127.0.0.1",
        web_port=0,
        scan_poll_interval=3600.0,
        request_limit=1000,
    )


async def fill(app: App, count: int) -> None:
    service = app.services.requests
    assert service is not None
    platforms = [("snes", "Super Nintendo"), ("n64", "Nintendo 64"), ("psx", "PlayStation")]
    for i in range(count):
        key, name = platforms[i % 3]
        person = Person(f"test:{i % 200}", f"member{i % 200}")
        await service.create(
            person, platform_key=key, platform_name=name, title=f"Game {i}", exempt=True
        )


async def history(app: App, sim: RommSimulator, downloads: int) -> None:
    """A year of daily stats and `downloads` downloads over the last 12 weeks (as logged)."""
    now = datetime.now(UTC)
    rom_ids = sorted(sim.library.roms)
    async with app.services.store.transaction() as conn:
        for day in range(365):
            taken = (now - timedelta(days=365 - day)).isoformat(timespec="seconds")
            await conn.execute(
                "INSERT INTO stats_history(taken_at, platforms, roms, saves, states, "
                "screenshots, storage_bytes, users) VALUES (?, 10, ?, 0, 0, 0, 0, 3)",
                (taken, 100 + day),
            )
        rows = []
        for i in range(downloads):
            at = (now - timedelta(minutes=i * 12 * 7 * 24 * 60 // max(1, downloads))).strftime(
                "%Y-%m-%dT%H:%M:%S.000Z"
            )
            rom = rom_ids[(i * i) % len(rom_ids)]
            rows.append((f"bench{i}", f"test:{i % 200}", rom, f"game{rom}.bin", at, at))
        await conn.executemany(
            "INSERT INTO downloads(link_id, user_key, kind, rom_id, file_name, bytes_sent, "
            "requests, completed, started_at, updated_at) VALUES (?, ?, 'rom', ?, ?, 1000, 1, 1, "
            "?, ?)",
            rows,
        )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--downloads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    async with RommSimulator(library=LibrarySpec(roms=200, platforms=10, seed=1)) as sim:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            headless = await App.create(settings(sim, data, web=False))
            await headless.start()
            t0 = time.perf_counter()
            await fill(headless, args.requests)
            await history(headless, sim, args.downloads)
            print(
                f"stored {args.requests} requests, {args.downloads} downloads and a year of "
                f"stats in {time.perf_counter() - t0:.1f} s"
            )
            rss_without = rss_kb()
            await headless.close()
            app = await App.create(settings(sim, data, web=True))
            await app.start()
            base = app.services.downloads.gateway_base
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                async with http.get(base + "/") as resp:
                    found = re.search(r'name="csrf" value="([^"]+)"', await resp.text())
                    assert found
                form = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
                form["csrf"] = found.group(1)
                async with http.post(base + "/signin", data=form) as resp:
                    assert resp.status == 200
                for label, path, params in (
                    ("pending, newest", "/", {}),
                    (
                        "all, search 'Game 99', by title",
                        "/",
                        {"status": "all", "q": "Game 99", "sort": "title"},
                    ),
                    ("all, page 100", "/", {"status": "all", "page": "100"}),
                    ("library page", "/library", {}),
                ):
                    times, size = [], 0
                    for _ in range(args.rounds):
                        started = time.perf_counter()
                        async with http.get(base + path, params=params) as resp:
                            body = await resp.read()
                        times.append((time.perf_counter() - started) * 1000)
                        size = len(body)
                    print(
                        f"dashboard [{label}]: p50 {pct(times, 0.5):.1f} ms, "
                        f"p95 {pct(times, 0.95):.1f} ms, page {size / 1024:.1f} KiB "
                        f"({body.count(b'data-request-id')} rows, "
                        f"{body.count(GAME_TILE)} games)"
                    )
                scrape = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    async with http.get(base + "/metrics") as resp:
                        text = await resp.read()
                    scrape.append((time.perf_counter() - started) * 1000)
                print(
                    f"/metrics: p50 {pct(scrape, 0.5):.1f} ms, p95 {pct(scrape, 0.95):.1f} ms, "
                    f"{len(text) / 1024:.1f} KiB"
                )
            rss_with = rss_kb()
            await app.close()
            print(
                f"RSS: {rss_without / 1024:.1f} MiB before the web side, {rss_with / 1024:.1f} MiB "
                f"after serving it: +{(rss_with - rss_without) / 1024:.1f} MiB "
                f"(median of page times {statistics.median(times):.1f} ms)"
            )


if __name__ == "__main__":
    asyncio.run(main())
