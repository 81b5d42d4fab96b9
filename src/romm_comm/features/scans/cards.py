"""Scan progress, summaries and /scan answers as neutral replies. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ...core.cards import Card, Field, Reply, Tone
from ...core.format import count, shorten
from .models import ScanRun, ScanStats
from .starting import ScanOutcome

MAX_PLATFORM_LINES = 15
_ENDINGS: dict[str, tuple[str, str, Tone]] = {
    "finished": ("✅", "Scan finished", "success"),
    "stopped": ("⏹️", "Scan stopped", "warning"),
    "failed": ("❌", "Scan failed", "error"),
    "interrupted": ("⚠️", "Scan result incomplete", "warning"),
}


def duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def _who(run: ScanRun) -> str:
    return f"started by {run.started_by}" if run.started_by else "started in RomM"


def _of(done: int, total: int) -> str:
    return f"{done:,} of {total:,}" if total >= done and total else f"{done:,}"


def _percent(part: int, whole: int) -> str:
    return f" ({part * 100 // whole}%)" if whole else ""


class ScanCards:
    """What the scan service shows on the "scans" topic."""

    def progress(self, run: ScanRun) -> Reply:
        s = run.stats
        now = f"Now scanning {run.platform}" if run.platform else "Scanning…"
        fields = [
            Field("Platforms", _of(s.scanned_platforms, s.total_platforms)),
            Field("ROMs scanned", _of(s.scanned_roms, s.total_roms)),
        ]
        if run.live_stats:
            fields += [
                Field("New ROMs", count(s.new_roms)),
                Field("Identified", count(s.identified_roms)),
                Field("Firmware", f"{s.scanned_firmware:,} scanned, {s.new_firmware:,} new"),
            ]
        footer = f"{_who(run)} · running for {duration(run.duration_seconds())}"
        if run.stop_requested_by:
            footer += f" · stop requested by {run.stop_requested_by}"
        card = Card(f"🔎 {run.label}", text=now, fields=tuple(fields), footer=footer)
        return Reply(cards=(card,))

    def summary(self, run: ScanRun) -> Reply:
        icon, title, tone = _ENDINGS.get(run.outcome, _ENDINGS["finished"])
        s = run.stats
        fields = [Field("Duration", duration(run.duration_seconds()))]
        if run.live_stats:
            fields += [
                Field("Platforms", f"{s.scanned_platforms:,} scanned, {s.new_platforms:,} new"),
                Field("ROMs", f"{s.scanned_roms:,} scanned, {s.new_roms:,} added"),
                Field("Firmware", f"{s.scanned_firmware:,} scanned, {s.new_firmware:,} added"),
                Field(
                    "Metadata matched",
                    f"{s.identified_roms:,} of {s.scanned_roms:,} ROMs"
                    + _percent(s.identified_roms, s.scanned_roms),
                ),
            ]
        else:  # RomM before 4.4 reports no numbers: only what the bot counted itself
            fields += [
                Field("Platforms", f"{s.scanned_platforms:,} scanned"),
                Field("ROMs", f"{s.scanned_roms:,} scanned"),
            ]
        if run.new_by_platform:
            lines = sorted(run.new_by_platform.items(), key=lambda kv: (-kv[1], kv[0]))
            text = "\n".join(f"{name}: +{n:,}" for name, n in lines[:MAX_PLATFORM_LINES])
            if len(lines) > MAX_PLATFORM_LINES:
                text += f"\n… and {len(lines) - MAX_PLATFORM_LINES} more platforms"
            fields.append(Field("New ROMs by platform", text, inline=False))
        elif run.platforms:
            names = ", ".join(run.platforms[:MAX_PLATFORM_LINES])
            more = len(run.platforms) - MAX_PLATFORM_LINES
            fields.append(
                Field("Platforms scanned", names + (f" and {more} more" if more > 0 else ""), False)
            )
        text = f"{run.label}, {_who(run)}."
        if run.error:
            text += f"\nRomM said: {shorten(run.error, 300)}"
        if run.outcome == "stopped" and run.stop_requested_by:
            text += f"\nStopped at the request of {run.stop_requested_by}."
        footer = "Ended " + _when(run.ended_at) if run.ended_at else ""
        card = Card(f"{icon} {title}", text=text, fields=tuple(fields), footer=footer)
        return Reply(cards=(card,), tone=tone)


def outcome_reply(outcome: ScanOutcome) -> Reply:
    """The answer to /scan <kind> and /scan stop."""
    if outcome.result in ("started", "requested"):
        return Reply(
            text=f"🔎 {outcome.text} started. Progress and the summary are posted in the "
            "scans channel; /scan status shows them here.",
            tone="success",
            private=True,
        )
    if outcome.result == "busy" and outcome.run is not None:
        run = outcome.run
        return Reply(
            text=f"A scan is already running ({run.label}, {_who(run)}, for "
            f"{duration(run.duration_seconds())}). Wait for it to finish or use /scan stop.",
            tone="warning",
            private=True,
        )
    if outcome.result == "stopping":
        return Reply(
            text="⏹️ Asked RomM to stop the scan. It stops between games; the summary follows.",
            private=True,
        )
    if outcome.result == "idle":
        return Reply(
            text="No scan is running as far as the bot knows; RomM was asked to stop any anyway.",
            private=True,
        )
    if outcome.result == "unavailable":
        return Reply.error(f"Scans cannot be started right now: {outcome.text}")
    return Reply.error(outcome.text or "RomM refused the scan.")


def status_reply(current: ScanRun | None, last: Sequence[ScanRun], how: str) -> Reply:
    if current is not None and current.running:
        progress = ScanCards().progress(current)
        return Reply(cards=progress.cards, private=True)
    if current is not None:  # just ended; its summary may not be stored yet
        last = [current]
    if not last:
        return Reply(
            text=f"No scan is running, and none has been seen yet. Scans are followed {how}.",
            private=True,
        )
    summary = ScanCards().summary(last[0])
    return Reply(text="No scan is running. The last one:", cards=summary.cards, private=True)


def summaries_reply(runs: Sequence[ScanRun]) -> Reply:
    if not runs:
        return Reply(text="No scan has finished yet.", private=True)
    cards = list(ScanCards().summary(runs[0]).cards)
    if len(runs) > 1:
        lines = [_one_line(run) for run in runs[1:]]
        cards.append(Card("Earlier scans", text="\n".join(lines)))
    return Reply(cards=tuple(cards), private=True)


def _one_line(run: ScanRun) -> str:
    icon = _ENDINGS.get(run.outcome, _ENDINGS["finished"])[0]
    s: ScanStats = run.stats
    when = _when(run.started_at)
    return (
        f"{icon} {when} · {run.label} · {duration(run.duration_seconds())} · "
        f"{s.new_roms:,} new ROM{'' if s.new_roms == 1 else 's'}, {s.identified_roms:,} matched"
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
