"""Slow-client benchmark (not a test): what slow, stalled and idle clients keep open, and the
bot's memory under many downloads at once.

The RomM simulator runs in its own process (one big file); this process is the bot (its web
server is the download gateway). Part one opens, side by side:

  - 5 slowloris clients (a request's headers, one byte every 5 s, never finished),
  - 5 downloads that never read (a small receive buffer, the GET sent, nothing read),
  - 5 idle sockets (connected, nothing sent),

and counts, from the kernel's table (/proc/net/tcp), the bot's sockets still open (ESTABLISHED
or CLOSE_WAIT on the bot's side) every 10 s up to --hold seconds, plus the RomM connections the
bot still holds. Part two starts --concurrent downloads at once (one person each, one client
process running them all, the simulator pacing each stream) and samples the bot's RSS.

Runs against any revision (settings only; the stream caps are raised for part two when the
revision knows them), so the same script gives the "before" figures on older code.

    .venv/bin/python bench/bench_slow_clients.py                  # 60 s hold, 200 at once
    .venv/bin/python bench/bench_slow_clients.py --hold 30 --concurrent 50
    .venv/bin/python bench/bench_slow_clients.py --hold 0 --default-caps    # part two only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import sys
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from yarl import URL

from bench_gateway import bot as gateway_bot
from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.testing.romm_sim.known_games import BIG_FILE_NAME
from romm_comm.testing.romm_sim.process import simulator_process

MIB = 1024 * 1024
OPEN_STATES = {"01", "08"}  # ESTABLISHED, CLOSE_WAIT: the bot has not closed its side

CLIENT = """
import asyncio, json, sys
import aiohttp

async def one(session, url):
    n = 0
    async with session.get(url) as resp:
        async for chunk in resp.content.iter_any():
            n += len(chunk)
    return resp.status, n

async def main():
    urls = json.loads(sys.stdin.read())
    conn = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=conn, auto_decompress=False) as s:
        got = await asyncio.gather(*(one(s, u) for u in urls), return_exceptions=True)
    print(json.dumps([g if isinstance(g, tuple) else ["error", str(g)] for g in got]))

asyncio.run(main())
"""


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tcp_table() -> list[tuple[int, int, str]]:
    """(local port, remote port, state) of every IPv4 TCP socket."""
    rows = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local, remote, state = parts[1], parts[2], parts[3]
        rows.append((int(local.split(":")[1], 16), int(remote.split(":")[1], 16), state))
    return rows


def bot_sockets_open(web_port: int, client_ports: set[int]) -> int:
    return sum(
        1
        for local, remote, state in tcp_table()
        if local == web_port and remote in client_ports and state in OPEN_STATES
    )


def romm_connections_held(sim_port: int) -> int:
    """The bot's sockets to the simulator (its side, not yet closed)."""
    return sum(1 for _l, remote, state in tcp_table() if remote == sim_port and state == "01")


def bot(info: dict[str, Any], max_downloads: int | None) -> AbstractAsyncContextManager[App]:
    """The bot (bench_gateway's), without rate limits; the stream cap raised when asked and
    when this revision has one."""
    extra: dict[str, Any] = {"download_rate_limit": 100_000, "download_burst": 100_000}
    if max_downloads is not None and "web_max_downloads" in Settings.model_fields:
        extra["web_max_downloads"] = max_downloads
    return gateway_bot(info, **extra)


async def open_socket(port: int, rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return sock


async def slowloris(sock: socket.socket) -> None:
    """Headers that never end: one byte every 5 s."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(OSError):
        await loop.sock_sendall(sock, b"GET /health HTTP/1.1\r\nX-Slow: ")
        while True:
            await asyncio.sleep(5)
            await loop.sock_sendall(sock, b"a")


async def big_link(app: App, person: int) -> str:
    client = app.services.client
    page = await client.search_roms(BIG_FILE_NAME.rsplit(".", 1)[0], limit=1)
    rom = await client.rom(page.items[0].id)
    links = await app.services.downloads.links_for(f"bench:{person}", f"p{person}")
    url = links.rom(rom)
    assert url is not None and "/dl/" in url, url
    return url


async def slow_clients(hold: float, size: int) -> list[tuple[int, dict[str, int]]]:
    flags = ["--roms", "20", "--platforms", "4", "--seed", "1", "--big-file-bytes", str(size)]
    async with simulator_process(*flags, ready_timeout=120) as info, bot(info, None) as app:
        assert app.web is not None
        web_port, sim_port = app.web.port, int(URL(info["url"]).port or 0)
        loop = asyncio.get_running_loop()
        groups: dict[str, list[socket.socket]] = {"slowloris": [], "never-reading": [], "idle": []}
        tasks = []
        for i in range(5):
            s = await open_socket(web_port)
            groups["slowloris"].append(s)
            tasks.append(asyncio.ensure_future(slowloris(s)))
            path = URL(await big_link(app, i)).raw_path
            d = await open_socket(web_port, rcvbuf=4096)
            await loop.sock_sendall(d, f"GET {path} HTTP/1.1\r\nHost: bot\r\n\r\n".encode())
            groups["never-reading"].append(d)
            groups["idle"].append(await open_socket(web_port))
        ports = {name: {s.getsockname()[1] for s in socks} for name, socks in groups.items()}
        started, timeline = time.monotonic(), []
        for mark in range(0, int(hold) + 1, 10):
            await asyncio.sleep(max(0.0, started + mark - time.monotonic()))
            counts = {name: bot_sockets_open(web_port, p) for name, p in ports.items()}
            counts["romm"] = romm_connections_held(sim_port)
            timeline.append((mark, counts))
        for t in tasks:
            t.cancel()
        for socks in groups.values():
            for s in socks:
                s.close()
        return timeline


async def many_downloads(
    concurrent: int, size: int, rate_mbps: float, default_caps: bool
) -> dict[str, Any]:
    flags = ["--roms", "20", "--platforms", "4", "--seed", "1", "--big-file-bytes", str(size),
             "--download-rate-mbps", str(rate_mbps)]  # fmt: skip
    async with (
        simulator_process(*flags, ready_timeout=120) as info,
        bot(info, None if default_caps else concurrent) as app,
    ):
        urls = [await big_link(app, 1000 + i) for i in range(concurrent)]
        before = peak = rss_mib()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CLIENT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        started = time.perf_counter()
        task = asyncio.ensure_future(proc.communicate(json.dumps(urls).encode()))
        while not task.done():
            peak = max(peak, rss_mib())
            await asyncio.sleep(0.1)
        out, _ = task.result()
        wall = time.perf_counter() - started
        results = json.loads(out)
        return {
            "ok": sum(1 for r in results if r[0] == 200 and r[1] == size),
            "busy": sum(1 for r in results if r[0] == 503),
            "other": [r for r in results if not (r[0] == 200 and r[1] == size) and r[0] != 503],
            "rss_before": before,
            "rss_peak": peak,
            "wall": wall,
        }


async def run(args: argparse.Namespace) -> None:
    if args.hold > 0:
        await part_one(args)
    many = await many_downloads(
        args.concurrent, args.many_size_mib * MIB, args.rate_mbps, args.default_caps
    )
    caps = "default caps" if args.default_caps else f"caps raised to {args.concurrent}"
    print(f"\n{args.concurrent} downloads at once ({args.many_size_mib} MiB each, "
          f"{args.rate_mbps} MB/s per stream, {caps}), one client process\n")  # fmt: skip
    print(f"  complete and byte-exact: {many['ok']}/{args.concurrent}, busy (503): {many['busy']}")
    if many["other"]:
        print(f"  other answers: {many['other'][:5]}")
    print(
        f"  bot RSS before {many['rss_before']:.1f} MiB, peak {many['rss_peak']:.1f} MiB, "
        f"growth {many['rss_peak'] - many['rss_before']:.1f} MiB; wall {many['wall']:.1f} s"
    )


async def part_one(args: argparse.Namespace) -> None:
    timeline = await slow_clients(args.hold, args.size_mib * MIB)
    print("\nSlow clients: 5 of each kind, bot-side sockets still open (of 5), every 10 s\n")
    print(f"{'s':>4} {'slowloris':>10} {'never-reading':>14} {'idle':>5} {'RomM conns held':>16}")
    for mark, c in timeline:
        print(f"{mark:>4} {c['slowloris']:>10} {c['never-reading']:>14} {c['idle']:>5} "
              f"{c['romm']:>16}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hold", type=float, default=60.0, help="seconds to watch part one")
    parser.add_argument("--size-mib", type=int, default=256, help="the never-read file")
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--many-size-mib", type=int, default=8)
    parser.add_argument("--rate-mbps", type=float, default=1.0, help="per stream, part two")
    parser.add_argument(
        "--default-caps", action="store_true", help="part two with WEB_MAX_DOWNLOADS as shipped"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
