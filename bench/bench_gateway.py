"""Download gateway benchmark (not a test): throughput, memory and concurrency.

The RomM simulator runs in its own process with one 1 GiB file; this process is the bot (its
web server streams the file from the simulator); `curl` processes are the people
downloading. Side by side, alternating, in one run: the same file fetched straight from the
simulator and through the gateway (MB/s, ratio). The bot's RSS is sampled during a gateway
transfer. Then 20 people download at once, each with their own link, and every transfer
and log row is checked.

Unthrottled, the simulator serves several GB/s over loopback, so the gateway's extra hop
makes that run CPU-bound (3 processes on 2 cores). A second section repeats the side-by-side
comparison with the simulator paced to realistic source rates (--download-rate-mbps, per
stream; default 100 and 400 MB/s) on a smaller file (default 256 MiB).

    .venv/bin/python bench/bench_gateway.py                 # 1 GiB, 3 rounds, 20 at once
    .venv/bin/python bench/bench_gateway.py --size-mib 256 --rounds 2 --concurrent 20
    .venv/bin/python bench/bench_gateway.py --paced-rates 50,100,400 --paced-size-mib 128
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.romm.models import Rom
from romm_comm.testing.romm_sim.known_games import BIG_FILE_NAME
from romm_comm.testing.romm_sim.process import simulator_process

MIB = 1024 * 1024
MB = 1_000_000


@dataclass
class Transfer:
    status: int
    size: int
    seconds: float

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.seconds if self.seconds else float("nan")


def rss_mib() -> float:
    """Current resident set size of this process (the bot), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simulator(size: int, rate_mbps: float = 0) -> AbstractAsyncContextManager[dict[str, Any]]:
    """The simulator process; `rate_mbps` > 0 paces each download stream to that many MB/s."""
    return simulator_process(
        "--roms", "20", "--platforms", "4", "--seed", "1", "--latency", "0",
        "--big-file-bytes", str(size), "--download-rate-mbps", str(rate_mbps),
        ready_timeout=120,
    )  # fmt: skip


async def fetch(url: str, headers: dict[str, str] | None = None) -> Transfer:
    """One download by a separate client process (curl, else Python), body discarded."""
    if shutil.which("curl"):
        args = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}"]
        for name, value in (headers or {}).items():
            args += ["-H", f"{name}: {value}"]
        args.append(url)
    else:
        script = (
            "import sys, urllib.request as u\n"
            "r = u.urlopen(u.Request(sys.argv[1], headers=dict(h.split(': ', 1) "
            "for h in sys.argv[2:])))\nn = 0\n"
            "while (b := r.read(1 << 20)):\n    n += len(b)\n"
            "print(r.status, n)\n"
        )
        args = [
            sys.executable,
            "-c",
            script,
            url,
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    elapsed = time.perf_counter() - started
    status, size = out.decode().split()
    return Transfer(int(status), int(float(size)), elapsed)


def cpu_seconds() -> float:
    """CPU time (user + system) of this process, the bot."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Sampled:
    transfer: Transfer
    rss_before: float
    rss_peak: float
    cpu: float


async def sampled(url: str) -> Sampled:
    """A gateway transfer while sampling the bot's RSS and CPU time."""
    before, cpu = rss_mib(), cpu_seconds()
    peak = before
    task = asyncio.ensure_future(fetch(url))
    while not task.done():
        peak = max(peak, rss_mib())
        await asyncio.sleep(0.02)
    return Sampled(task.result(), before, peak, cpu_seconds() - cpu)


@contextlib.asynccontextmanager
async def bot(info: dict[str, Any], **overrides: Any) -> AsyncIterator[App]:
    """The bot (this process), its gateway serving from the simulator at `info`; `overrides`
    are settings (by field name) on top of these."""
    with tempfile.TemporaryDirectory() as data:
        values: dict[str, Any] = {
            "romm_url": info["url"], "romm_api_token": SecretStr(info["admin_token"]),
            "data_dir": Path(data), "web_host": "127.0.0.1", "web_port": 0,
            "download_rate_limit": 6000, "download_burst": 1000, **overrides,
        }  # fmt: skip
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        app = await App.create(settings)
        await app.start()
        try:
            yield app
        finally:
            await app.close()


async def run(
    size_mib: int, rounds: int, concurrent: int, paced_mib: int, paced_rates: list[float]
) -> None:
    size = size_mib * MIB
    async with simulator(size) as info, bot(info) as app:
        await measure(app, info, size, rounds, concurrent)
    if not paced_rates:
        return
    paced_size = paced_mib * MIB
    paced: list[tuple[float, SideBySide]] = []
    for rate in paced_rates:
        async with simulator(paced_size, rate) as info, bot(info) as app:
            paced.append((rate, await side_by_side(app, info, paced_size, rounds)))
    report_paced(paced, paced_size, rounds)


@dataclass
class SideBySide:
    """Alternating rounds: direct from the simulator, gateway (splice), gateway (copy)."""

    rom: Rom
    direct: list[Transfer]
    spliced: list[Sampled]
    copied: list[Sampled]

    def median(self, runs: list[Transfer] | list[Sampled]) -> float:
        return statistics.median(
            r.transfer.mb_per_s if isinstance(r, Sampled) else r.mb_per_s for r in runs
        )

    def ratios(self, runs: list[Sampled]) -> list[float]:
        return [s.transfer.mb_per_s / d.mb_per_s for s, d in zip(runs, self.direct, strict=True)]


async def side_by_side(app: App, info: dict[str, Any], size: int, rounds: int) -> SideBySide:
    client = app.services.client
    page = await client.search_roms(BIG_FILE_NAME.rsplit(".", 1)[0], limit=1)
    rom = await client.rom(page.items[0].id)
    assert rom.total_size == size, f"{rom.fs_name} is {rom.total_size} bytes, not {size}"
    direct = f"{info['url']}/api/roms/{rom.id}/content/{quote(rom.fs_name, safe='')}"
    auth = {"Authorization": f"Bearer {info['admin_token']}"}
    links = await app.services.downloads.links_for("bench:0", "bench")
    gateway = links.rom(rom)
    assert gateway is not None

    await fetch(gateway, {"Range": "bytes=0-1048575"})  # warm connections and caches
    gate = app.web.gateway  # type: ignore[union-attr]
    result = SideBySide(rom, [], [], [])
    for _ in range(rounds):  # side by side: direct, gateway (splice), gateway (copy)
        result.direct.append(await fetch(direct, auth))
        gate.zero_copy = True
        result.spliced.append(await sampled(gateway))
        gate.zero_copy = False
        result.copied.append(await sampled(gateway))
    gate.zero_copy = True
    for t in result.direct + [s.transfer for s in result.spliced + result.copied]:
        assert t.status == 200 and t.size == size, t
    return result


def report_paced(paced: list[tuple[float, SideBySide]], size: int, rounds: int) -> None:
    print(f"\nLimited source: the simulator paces each download stream to a realistic rate; "
          f"one {size / MIB:.0f} MiB file, {rounds} alternating rounds, medians\n")  # fmt: skip
    head = ("limit MB/s", "direct", "splice", "copy", "ratio splice", "ratio copy", "CPU s/GiB")
    print(f"{head[0]:>10} {head[1]:>9} {head[2]:>9} {head[3]:>9} {head[4]:>13} {head[5]:>11} "
          f"{head[6]:>10}   per-round splice ratios")  # fmt: skip
    gib = size / (1024 * MIB)
    for rate, r in paced:
        d, g, c = r.median(r.direct), r.median(r.spliced), r.median(r.copied)
        cpu = statistics.median(s.cpu for s in r.spliced) / gib
        each = " ".join(f"{x:.3f}" for x in r.ratios(r.spliced))
        print(f"{rate:>10,.0f} {d:>9,.1f} {g:>9,.1f} {c:>9,.1f} {g / d:>13.3f} {c / d:>11.3f} "
              f"{cpu:>10.2f}   {each}")  # fmt: skip
    print("(direct/splice/copy in MB/s; ratio = gateway median / direct median, target >= 0.90;"
          " CPU = bot CPU per GiB, splice)")  # fmt: skip


async def measure(app: App, info: dict[str, Any], size: int, rounds: int, concurrent: int) -> None:
    result = await side_by_side(app, info, size, rounds)
    rom, direct_runs, spliced, copied = result.rom, result.direct, result.spliced, result.copied
    ratios = result.ratios(spliced)
    rss_before = min(s.rss_before for s in spliced + copied)
    rss_peak = max(s.rss_peak for s in spliced + copied)

    users = [
        await app.services.downloads.links_for(f"bench:{i}", f"p{i}")
        for i in range(1, concurrent + 1)
    ]
    urls = [u.rom(rom) or "" for u in users]
    before_many = rss_mib()
    started = time.perf_counter()
    many_task = asyncio.ensure_future(asyncio.gather(*(fetch(u) for u in urls)))
    many_peak = before_many
    while not many_task.done():
        many_peak = max(many_peak, rss_mib())
        await asyncio.sleep(0.05)
    many = many_task.result()
    wall = time.perf_counter() - started
    ok = sum(1 for t in many if t.status == 200 and t.size == size)
    await app.web.gateway.settle()  # type: ignore[union-attr]
    async with app.services.store.conn.execute(
        "SELECT COUNT(*) FROM downloads WHERE user_key != 'bench:0' AND completed = 1 "
        "AND bytes_sent = ?",
        (size,),
    ) as cur:
        row = await cur.fetchone()
    logged = int(row[0]) if row else 0

    d = statistics.median(t.mb_per_s for t in direct_runs)
    g = statistics.median(s.transfer.mb_per_s for s in spliced)
    c = statistics.median(s.transfer.mb_per_s for s in copied)
    gib = size / (1024 * MIB)
    tool = "curl" if shutil.which("curl") else "python"
    print(f"\nGateway benchmark: one {size / MIB:.0f} MiB file, {rounds} alternating rounds, "
          f"client = {tool} in its own process\n")  # fmt: skip
    print(f"{'what':<44} {'value':>20}")
    rows = [
        ("direct from the simulator, median MB/s", f"{d:,.1f}"),
        ("through the gateway (splice), median MB/s", f"{g:,.1f}"),
        ("through the gateway (copy), median MB/s", f"{c:,.1f}"),
        ("ratio gateway / direct (target >= 0.90)", f"{g / d:.3f}"),
        ("  median of per-round ratios", f"{statistics.median(ratios):.3f}"),
        ("  each round direct MB/s", " ".join(f"{t.mb_per_s:,.0f}" for t in direct_runs)),
        ("  each round splice MB/s", " ".join(f"{s.transfer.mb_per_s:,.0f}" for s in spliced)),
        ("  each round copy MB/s", " ".join(f"{s.transfer.mb_per_s:,.0f}" for s in copied)),
        ("bot CPU s per GiB (splice)", f"{statistics.median(s.cpu for s in spliced) / gib:.2f}"),
        ("bot CPU s per GiB (copy)", f"{statistics.median(s.cpu for s in copied) / gib:.2f}"),
        ("bot RSS before a gateway transfer, MiB", f"{rss_before:,.1f}"),
        ("bot RSS peak during it, MiB", f"{rss_peak:,.1f}"),
        ("bot RSS growth (target < 20), MiB", f"{rss_peak - rss_before:,.1f}"),
        (f"{concurrent} concurrent downloads complete", f"{ok}/{concurrent}"),
        (f"{concurrent} concurrent: logged completed", f"{logged}/{concurrent}"),
        (f"{concurrent} concurrent: wall time, s", f"{wall:,.1f}"),
        (f"{concurrent} concurrent: aggregate MB/s", f"{concurrent * size / MB / wall:,.1f}"),
        (f"{concurrent} concurrent: bot RSS growth, MiB", f"{many_peak - before_many:,.1f}"),
    ]
    for what, value in rows:
        print(f"{what:<44} {value:>20}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--paced-size-mib", type=int, default=256)
    parser.add_argument(
        "--paced-rates", default="100,400", help="simulator MB/s per stream, comma-separated"
    )
    args = parser.parse_args()
    rates = [float(x) for x in args.paced_rates.split(",") if x.strip()]
    asyncio.run(run(args.size_mib, args.rounds, args.concurrent, args.paced_size_mib, rates))


if __name__ == "__main__":
    main()
