"""Run the simulator as its own process (demo, benchmarks).

    python -m romm_comm.testing.romm_sim --port 0 --roms 1000 --platforms 60 --seed 1

Prints one JSON line ({"url", "admin_username", "admin_password", "admin_token"}) when ready,
then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from .generator import LibrarySpec
from .server import RommSimulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m romm_comm.testing.romm_sim")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--roms", type=int, default=200)
    parser.add_argument("--platforms", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hidden-platforms", type=int, default=1)
    parser.add_argument("--big-file-bytes", type=int, default=None)
    parser.add_argument("--version", default="5.2.0", help="RomM version to imitate")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to /api calls")
    parser.add_argument("--download-mode", choices=("direct", "accel", "nozip"), default="direct")
    parser.add_argument("--disable-download-auth", action="store_true")
    parser.add_argument(
        "--download-rate-mbps",
        type=float,
        default=0.0,
        help="limit each download stream to this many MB/s (10^6 bytes/s); 0 = unlimited",
    )
    parser.add_argument(
        "--scan-new-roms", type=int, default=0, help="files the next scan finds (spread evenly)"
    )
    parser.add_argument(
        "--search-dialect",
        choices=("mariadb", "postgresql"),
        default="mariadb",
        help="how search_term matches: RomM on MariaDB (FULLTEXT) or PostgreSQL/SQLite (ILIKE)",
    )
    parser.add_argument("--scan-pace", type=float, default=0.0, help="seconds per scanned ROM")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    spec = LibrarySpec(
        roms=args.roms,
        platforms=args.platforms,
        seed=args.seed,
        hidden_platforms=args.hidden_platforms,
        big_file_bytes=args.big_file_bytes,
    )
    sim = await asyncio.to_thread(
        RommSimulator,
        spec,
        args.version,
        host=args.host,
        port=args.port,
        download_mode=args.download_mode,
        disable_download_auth=args.disable_download_auth,
        download_rate=args.download_rate_mbps * 1_000_000 or None,
        search_dialect=args.search_dialect,
    )
    sim.faults.latency = args.latency
    sim.scans.pace = args.scan_pace
    sim.scans.stage_spread(args.scan_new_roms)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with sim:
        ready = {
            "url": sim.url,
            "admin_username": sim.admin_username,
            "admin_password": sim.admin_password,
            "admin_token": sim.admin_token,
        }
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
