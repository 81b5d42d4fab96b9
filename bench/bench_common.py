"""What the benchmarks share: percentiles, their p50/p95/p99 table, the front-end benchmarks'
arguments, and their table of RomM calls per command (through a chat vs. directly)."""

from __future__ import annotations

import argparse


def pct(values: list[float], q: float) -> float:
    """The `q`th percentile (0-100) by nearest rank; NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def print_percentiles(title: str, rows: list[tuple[str, list[float]]]) -> None:
    """A table of p50/p95/p99 per measure."""
    print(f"{title:<42}{'p50':>9}{'p95':>9}{'p99':>9}")
    for what, values in rows:
        print(f"{what:<42}{pct(values, 50):>9.2f}{pct(values, 95):>9.2f}{pct(values, 99):>9.2f}")


def front_end_parser(doc: str, commands: int = 200) -> argparse.ArgumentParser:
    """--commands, --roms, --platforms: the front-end benchmarks' arguments."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--commands", type=int, default=commands)
    parser.add_argument("--roms", type=int, default=1000)
    parser.add_argument("--platforms", type=int, default=12)
    return parser


def arguments(doc: str) -> argparse.Namespace:
    return front_end_parser(doc).parse_args()


def print_romm_calls(through: str, calls: list[tuple[str, int, int]], direct: str) -> None:
    """(command, RomM calls through the front end `through`, calls made `direct`ly), flagging
    the commands where they differ."""
    width = max(9, len(through) + 2, len(direct) + 2)
    print(f"{'RomM calls per command (cold cache)':<60}{through:>{width}}{direct:>{width}}")
    for label, via, straight in calls:
        flag = "" if via == straight else "  ← differs"
        print(f"{label:<60}{via:>{width}}{straight:>{width}}{flag}")
