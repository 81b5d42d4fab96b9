"""Scan benchmark (not a test): a scan of 100k new ROMs streamed by the RomM simulator.

The simulator runs in its own process and streams a complete scan over real Socket.IO
(platform, ROM and stats events for every ROM); this process is the bot, started from chat
with /scan full, with "recently added" and requests on. It prints the bot's peak RSS, the RomM
REST calls the bot made during and after the scan per 500 new ROMs, and how often the progress
message was edited (the most edits in any 3-second window), against the targets.

    .venv/bin/python bench/bench_scans.py                 # 100k new ROMs
    .venv/bin/python bench/bench_scans.py --roms 20000 --pace 0.0001
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.core.cards import Reply
from romm_comm.core.commands import Caller
from romm_comm.core.notify import MessageRef
from romm_comm.features.context import Context
from romm_comm.testing.romm_sim.process import simulator_process


class CountingNotifier:
    """Stands in for Discord: counts posts and edits per topic, keeps only the last reply."""

    front_end = "bench"

    def __init__(self) -> None:
        self.posts: dict[str, int] = {}
        self.edit_times: list[float] = []
        self.last: dict[str, Reply] = {}

    async def direct(self, user_id: str, reply: Reply) -> bool:
        return True

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return None

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        self.posts[topic] = self.posts.get(topic, 0) + 1
        self.last[topic] = reply
        return MessageRef("bench", topic, str(sum(self.posts.values())))

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        self.edit_times.append(time.monotonic())
        self.last[ref.channel_id] = reply
        return True

    def max_edits_in(self, window: float) -> int:
        times, best, start = self.edit_times, 0, 0
        for end in range(len(times)):
            while times[end] - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simulator(roms: int, pace: float) -> AbstractAsyncContextManager[dict[str, Any]]:
    return simulator_process(
        "--roms", "500", "--platforms", "40", "--seed", "1",
        "--scan-new-roms", str(roms), "--scan-pace", str(pace),
    )  # fmt: skip


async def run(roms: int, pace: float, interval: float) -> list[tuple[str, str, str, str]]:
    async with simulator(roms, pace) as info:
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                romm_url=info["url"],
                romm_api_token=SecretStr(info["admin_token"]),
                romm_username=info["admin_username"],
                romm_password=SecretStr(info["admin_password"]),
                data_dir=Path(data),
                web_enabled=False,
                scan_progress_interval=interval,
                recent_roms_enabled=True,
                recent_roms_interval=0,
            )
            app = await App.create(settings)
            seen = CountingNotifier()
            app.services.notifications.register(seen)
            await app.start()
            scans = app.services.scans
            assert scans is not None and scans.socket is not None
            await scans.socket.wait_connected(10)
            await asyncio.sleep(0.5)  # the connect-time look at tasks/status
            client = app.services.client
            calls_before, logins_before = client.total_calls, scans.socket.logins
            ctx = Context(Caller("1", "bench", "bench", is_admin=True), app.services)
            started = time.monotonic()
            reply = await app.registry.run(ctx, "scan", {"action": "full"})
            print(reply.text, file=sys.stderr)
            while "recent_roms" not in seen.posts:
                await asyncio.sleep(0.2)
                if time.monotonic() - started > 3600:
                    raise TimeoutError("the scan did not finish within an hour")
            scan_seconds = time.monotonic() - started
            await asyncio.sleep(1.0)  # after-scan steps (requests check) settle
            calls = client.total_calls - calls_before + scans.socket.logins - logins_before
            summary = seen.last.get("scans")
            new_roms = 0
            if summary is not None:
                fields = {f.name: f.value for c in summary.cards for f in c.fields}
                text = fields.get("ROMs", "0 scanned, 0 added")
                new_roms = int(text.split(", ")[1].split(" ")[0].replace(",", ""))
            per_500 = calls / max(1.0, new_roms / 500)
            edits = len(seen.edit_times)
            worst = seen.max_edits_in(3.0)
            await app.close()
    return [
        ("new ROMs scanned", f"{new_roms:,}", f"{roms:,}", "✓" if new_roms == roms else "✗"),
        ("scan duration (s)", f"{scan_seconds:.1f}", "-", ""),
        ("bot peak RSS (MB)", f"{rss_mb():.0f}", "< 150", "✓" if rss_mb() < 150 else "✗"),
        ("RomM REST calls (all)", str(calls), "-", ""),
        ("REST calls per 500 new ROMs", f"{per_500:.3f}", "< 1", "✓" if per_500 < 1 else "✗"),
        ("progress edits (all)", str(edits), "-", ""),
        ("most edits in any 3 s", str(worst), "≤ 1", "✓" if worst <= 1 else "✗"),
        ("posts on 'scans' / 'recent_roms'",
         f"{seen.posts.get('scans', 0)} / {seen.posts.get('recent_roms', 0)}", "1 / 1", ""),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roms", type=int, default=100_000)
    parser.add_argument("--pace", type=float, default=0.0, help="simulator seconds per ROM")
    parser.add_argument("--interval", type=float, default=5.0, help="SCAN_PROGRESS_INTERVAL")
    args = parser.parse_args()
    rows = asyncio.run(run(args.roms, args.pace, args.interval))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  {'target':>8}")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>12}  {target:>8}  {ok}")


if __name__ == "__main__":
    main()
