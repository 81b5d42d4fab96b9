"""Search bench (not a test): does `/search` find the game a person means?

Queries are hand-written for the simulator's well-known games, and derived from real names of
the generated library in the ways people type them (lower case, no punctuation, `&` as "and",
arabic numerals for roman ones, joined words, one typo, a leading "the" left out, a prefix).
For each query the wanted game is known. Side by side in the same run, against the same
simulator (MariaDB behaviour):
- "RomM's search": the query sent to RomM's own search (what the earlier path did);
- "the bot": `Catalog.search` over the bot's name index.
Reported: recall (the wanted game among the answers), RomM calls per search, latency p50/p95,
and the memory the name index holds at the library's size.

    .venv/bin/python bench/bench_search.py                 # 10k and 100k ROMs
    .venv/bin/python bench/bench_search.py --sizes 1000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from bench_common import pct
from romm_comm.app.root import App
from romm_comm.app.settings import Settings
from romm_comm.romm.models import Platform, Rom
from romm_comm.testing.romm_sim.process import simulator_process

SHOW_MISSES = False
ROMAN = {"II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8", "IX": "9"}


def no_punct(text: str) -> str:
    text = re.sub(r"['’]", "", text)  # "Sam's" is typed "sams"
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s&]", " ", text)).strip()


def arabic(text: str) -> str:
    return " ".join(ROMAN.get(w, w) for w in text.split())


def joined(text: str) -> str:
    words = text.split()
    return "".join(words[:2]) + (" " + " ".join(words[2:]) if words[2:] else "")


def typo(text: str) -> str:
    words = text.split()
    for i, w in enumerate(words):
        if len(w) >= 6 and w.isalpha():
            words[i] = w[:2] + w[3] + w[2] + w[4:]  # two letters swapped
            return " ".join(words)
    return text


def prefix(text: str) -> str:
    words = text.split()
    return " ".join([*words[:-1], words[-1][:4]]) if len(words[-1]) > 5 else text


KINDS: dict[str, Callable[[str], str]] = {
    "lower case": str.lower,
    "no punctuation": lambda n: no_punct(n).lower(),
    "& as and": lambda n: n.replace("&", "and").lower(),
    "arabic numerals": lambda n: arabic(no_punct(n)).lower(),
    "joined words": lambda n: joined(no_punct(n)).lower(),
    "one typo": lambda n: typo(n).lower(),
    "without 'the'": lambda n: re.sub(r"^the\s+", "", n, flags=re.I).lower(),
    "last word cut": lambda n: prefix(n).lower(),
}


def wanted(name: str, kind: str) -> bool:
    """Whether this transformation makes a query that differs from the name (a real test)."""
    return KINDS[kind](name) != name.lower() or kind == "lower case"


# What people type for the simulator's well-known games (the examples), and the game.
HAND_WRITTEN = (
    ("the legend", "The Legend of Zelda: A Link to the Past"),
    ("final fantasy 7", "Final Fantasy VII"),
    ("ff vii", "Final Fantasy VII"),
    ("final fantasy 8", "Final Fantasy VIII"),
    ("pokemon emerald", "Pokémon Emerald Version"),
    ("pokemon ranger", "Pokémon Ranger"),
    ("tom and jerry", "Tom & Jerry"),
    ("tom jerry", "Tom & Jerry"),
    ("chrono triger", "Chrono Trigger"),
    ("zelda links awakening", "The Legend of Zelda: Link's Awakening DX"),
    ("zelda link to the past", "The Legend of Zelda: A Link to the Past"),
    ("super mario 64", "Super Mario 64"),
    ("mario 64", "Super Mario 64"),
    ("animalcrossing", "Animal Crossing: New Leaf"),
    ("persona four golden", "Persona 4 Golden"),
    ("breath of the wild", "The Legend of Zelda: Breath of the Wild"),
)


def hand_written(roms: list[Rom]) -> list[tuple[str, str, Rom]]:
    by_name = {r.name: r for r in roms if r.name}
    return [("hand-written", q, by_name[name]) for q, name in HAND_WRITTEN if name in by_name]


def query_set(roms: list[Rom], rng: random.Random, per_kind: int) -> list[tuple[str, str, Rom]]:
    out: list[tuple[str, str, Rom]] = hand_written(roms)
    named = [r for r in roms if r.name and len(r.name.split()) >= 2]
    for kind, make in KINDS.items():
        pool = [r for r in named if r.name and wanted(r.name, kind)]
        for rom in rng.sample(pool, min(per_kind, len(pool))):
            assert rom.name
            out.append((kind, make(rom.name), rom))
    return out


async def all_roms(app: App, platform: Platform) -> list[Rom]:
    out: list[Rom] = []
    offset = 0
    while True:
        page = await app.services.client.list_roms(platform.id, limit=500, offset=offset)
        out.extend(page.items)
        offset += len(page.items)
        if not page.items or offset >= (page.total or 0):
            return out


async def bench(size: int, per_kind: int) -> None:
    flags = ("--roms", str(size), "--platforms", "50", "--seed", "3", "--latency", "0")
    async with simulator_process(*flags) as info:
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                romm_url=info["url"],
                romm_api_token=SecretStr(info["admin_token"]),
                data_dir=Path(data),
                romm_rate_limit=1000,
            )
            app = await App.create(settings)
            await app.start()
            try:
                await run(app, size, per_kind)
            finally:
                await app.close()


async def run(app: App, size: int, per_kind: int) -> None:
    catalog, client = app.services.catalog, app.services.client
    platforms = await catalog.ensure_platforms(admin=True)
    rng = random.Random(7)
    known = {"n64", "psx", "snes", "gba", "nds", "gb", "3ds", "switch", "psvita", "gbc"}
    sample_platforms = [p for p in platforms if p.slug in known]
    sample_platforms += rng.sample(platforms, min(6, len(platforms)))
    roms: list[Rom] = []
    for p in sample_platforms:
        roms.extend(await all_roms(app, p))
    queries = query_set(roms, rng, per_kind)
    by_id = {p.id: p for p in platforms}

    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    load_started = time.perf_counter()
    for p in platforms:
        await catalog.names.names(p)
    load_s = time.perf_counter() - load_started
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    index_mb = sum(s.size_diff for s in after.compare_to(before, "filename")) / 2**20

    results: dict[str, dict[str, list[float]]] = {}
    missed: list[str] | None = [] if SHOW_MISSES else None
    for who in ("RomM's search", "the bot"):
        found: dict[str, list[float]] = {}
        times: list[float] = []
        calls_before = client.total_calls
        for kind, text, rom in queries:
            platform = by_id[rom.platform_id]
            started = time.perf_counter()
            if who == "the bot":
                result = await catalog.search(text, platform, admin=True)
                ids = {r.id for r in result.page.items}
            else:
                page = await client.search_roms(text, platform.id)
                ids = {r.id for r in page.items}
            times.append((time.perf_counter() - started) * 1000)
            found.setdefault(kind, []).append(1.0 if rom.id in ids else 0.0)
            if who == "the bot" and rom.id not in ids and missed is not None:
                missed.append(f"{kind}: {text!r} for {rom.name!r}")
        calls = (client.total_calls - calls_before) / len(queries)
        found["_all"] = [v for k, vs in found.items() for v in vs]
        results[who] = found
        print(
            f"{size:>7} ROMs  {who:<14} recall {statistics.mean(found['_all']):6.1%}  "
            f"RomM calls/search {calls:4.2f}  p50 {pct(times, 50):6.2f} ms  "
            f"p95 {pct(times, 95):6.2f} ms"
        )
    for kind in ["hand-written", *KINDS]:
        romm = statistics.mean(results["RomM's search"].get(kind, [0.0]))
        bot = statistics.mean(results["the bot"].get(kind, [0.0]))
        n = len(results["the bot"].get(kind, []))
        print(f"{'':>13}{kind:<18} n={n:<3} RomM {romm:6.1%}   bot {bot:6.1%}")
    for line in missed or []:
        print("    the bot missed", line)
    print(
        f"{size:>7} ROMs  name index: {catalog.names.entries()} names, {index_mb:.1f} MB "
        f"(tracemalloc), loaded in {load_s:.1f} s; {len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--per-kind", type=int, default=8)
    parser.add_argument("--misses", action="store_true", help="list the queries the bot missed")
    args = parser.parse_args()
    global SHOW_MISSES
    SHOW_MISSES = args.misses
    for size in args.sizes:
        asyncio.run(bench(size, args.per_kind))


if __name__ == "__main__":
    main()
