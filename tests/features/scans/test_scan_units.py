"""The pure parts: the edit throttle, the scan state machine, refusals, the cover grid."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from romm_comm.features.recent.cover_grid import TILE, render_grid
from romm_comm.features.scans.cards import ScanCards, duration
from romm_comm.features.scans.models import ScanRun, ScanStats, ScanTask, enabled_apis
from romm_comm.features.scans.starting import explain_refusal, socket_plan
from tests.features.scans.conftest import fields_of


def test_the_throttle_sends_the_first_update_at_once_then_coalesces() -> None:
    from romm_comm.features.scans.progress import Coalescer

    c = Coalescer(interval=3.0)
    assert c.wait_time(100.0) is None, "nothing changed: nothing to send"
    c.touch()
    assert c.wait_time(100.0) == 0.0
    c.sent(100.0)
    for _ in range(500):  # a burst of events
        c.touch()
    assert c.wait_time(101.0) == 2.0, "the next edit waits for the interval"
    assert c.wait_time(104.0) == 0.0
    c.sent(104.0)
    assert c.wait_time(104.5) is None, "all 500 went out in one edit"


def test_edits_over_a_long_scan_stay_under_one_per_interval() -> None:
    from romm_comm.features.scans.progress import Coalescer

    c, now, sent = Coalescer(interval=3.0), 0.0, []
    while now < 600:  # ten minutes of an event every 10 ms
        c.touch()
        wait = c.wait_time(now)
        if wait == 0.0:
            c.sent(now)
            sent.append(now)
        now += 0.01
    assert len(sent) <= 600 / 3 + 1
    assert all(b - a >= 3.0 - 1e-9 for a, b in itertools.pairwise(sent))


def test_a_run_follows_the_events_romm_sends() -> None:
    run = ScanRun("Quick scan of all platforms", "boss")
    run.apply_stats(ScanStats(total_platforms=2, total_roms=3))
    run.apply_platform({"id": 1, "name": "Nintendo 64", "display_name": "N64 (custom)"})
    run.apply_stats(ScanStats(total_platforms=2, scanned_platforms=1, scanned_roms=2, new_roms=2))
    run.apply_platform({"id": 2, "name": "PlayStation", "display_name": "PlayStation"})
    run.apply_stats(ScanStats(scanned_platforms=2, scanned_roms=3, new_roms=3, identified_roms=1))
    run.apply_platform("garbage")  # tolerated
    assert run.platform == "PlayStation"
    assert run.platforms == ["N64 (custom)", "PlayStation"]
    assert run.new_by_platform == {"N64 (custom)": 2, "PlayStation": 1}
    run.stop_requested_by = "boss"
    run.end("finished", ScanStats.from_payload({"scanned_roms": 3, "new_roms": 3, "x": "y"}))
    assert run.outcome == "stopped", "a finish after a stop request is a stop"
    assert run.stats.identified_roms == 0 and run.stats.scanned_roms == 3


def test_romm_before_4_4_is_counted_from_rom_events() -> None:
    run = ScanRun("Scan started in RomM", None)
    for rom_id in (5, 5, 6, 6, 7):  # RomM sends each ROM twice (identifying, then done)
        run.apply_rom({"id": rom_id, "name": "x"})
    run.apply_platform({"name": "Game Boy"})
    run.end("finished", ScanStats.from_payload(None))
    assert run.stats.scanned_roms == 3 and run.stats.scanned_platforms == 1
    summary = fields_of(ScanCards().summary(run))
    assert summary["ROMs"] == "3 scanned" and "Metadata matched" not in summary


def test_a_stored_run_comes_back_the_same() -> None:
    run = ScanRun("Hash scan of all platforms", "boss", stats=ScanStats(scanned_roms=9))
    run.platforms = ["Game Boy"]
    back = ScanRun.from_row(
        7, run.label, run.started_by, run.started_at.isoformat(), None, "running",
        {"scanned_roms": 9}, run.detail_json(),
    )  # fmt: skip
    assert back.platforms == ["Game Boy"] and back.stats == run.stats and back.id == 7
    weird = ScanRun.from_row(8, "x", None, run.started_at.isoformat(), None, "???", {}, {})
    assert weird.outcome == "interrupted"


def test_task_status_rows_are_read_tolerantly() -> None:
    task = ScanTask.from_json(
        {"task_name": "Quick Scan", "task_id": "a", "status": "started", "task_type": "scan",
         "created_at": "2026-11-24T11:22:50.579564+00:00", "meta": {"scan_stats": {"new_roms": 2}}}
    )  # fmt: skip
    assert task is not None and task.active and task.stats == ScanStats(new_roms=2)
    assert ScanTask.from_json({"task_type": "update", "task_name": "Switch TitleDB"}) is None
    assert ScanTask.from_json("nonsense") is None


def test_refusals_read_like_sentences() -> None:
    assert "must be an admin" in explain_refusal("You are not authorized to run scans")
    assert "already running a scan" in explain_refusal("A scan is already in progress")
    assert explain_refusal("Disk on fire") == "RomM refused the scan: Disk on fire"
    assert socket_plan(None, None, romm_at_least_5=False)[0], "RomM 4 needs no sign-in"
    usable, why = socket_plan("admin", None, romm_at_least_5=True)
    assert not usable and "ROMM_PASSWORD" in why


def test_only_enabled_metadata_sources_are_used() -> None:
    flags = {"IGDB_API_ENABLED": True, "SS_API_ENABLED": False, "HLTB_API_ENABLED": True}
    assert enabled_apis(flags) == ["igdb", "hltb"]
    assert enabled_apis({}) == []


def test_durations_read_naturally() -> None:
    assert [duration(s) for s in (4.4, 75, 3725)] == ["4 s", "1 min 15 s", "1 h 02 min"]


def test_the_cover_grid_has_a_tile_per_game_even_without_a_cover() -> None:
    cover = io.BytesIO()
    Image.new("RGB", (264, 352), (200, 10, 10)).save(cover, format="PNG")
    png = render_grid([("A", cover.getvalue()), ("B", None), ("C", b"not an image"), ("D", None)])
    grid = Image.open(io.BytesIO(png))
    assert grid.size == (3 * TILE[0] + 4 * 6, 2 * TILE[1] + 3 * 6)
    assert grid.convert("RGB").getpixel((6 + TILE[0] // 2, 6 + TILE[1] // 2)) == (200, 10, 10)
