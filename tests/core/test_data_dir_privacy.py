"""DATA_DIR is the bot's alone: folder 0700, files 0600 — made so, or tightened at start."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from romm_comm.app.root import DB_NAME, App
from romm_comm.testing.romm_sim import RommSimulator

from ..conftest import settings_for


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def run_once(sim: RommSimulator, data: Path) -> None:
    app = await App.create(settings_for(sim, data))
    try:
        await app.start()
        await app.services.store.set_json("probe", 1)  # the -wal and -shm files exist now
    finally:
        await app.close()


async def test_a_new_data_dir_and_its_files_are_private(sim: RommSimulator, tmp_path: Path) -> None:
    data = tmp_path / "data"
    await run_once(sim, data)
    assert mode(data) == 0o700
    files = sorted(p.name for p in data.iterdir())
    assert DB_NAME in files and "link-secret" in files
    app = await App.create(settings_for(sim, data))  # -wal and -shm while it is open
    try:
        for path in data.iterdir():
            assert mode(path) == 0o600, (path.name, oct(mode(path)))
    finally:
        await app.close()


async def test_a_loose_data_dir_is_tightened_at_start_with_a_log_line(
    sim: RommSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    await run_once(sim, data)
    data.chmod(0o755)
    for path in data.iterdir():
        path.chmod(0o644)
    caplog.set_level(logging.INFO, "romm_comm.store")
    await run_once(sim, data)
    assert mode(data) == 0o700
    assert all(mode(p) == 0o600 for p in data.iterdir())
    said = [r.getMessage() for r in caplog.records if "made" in r.getMessage()]
    assert f"store: made {data} private (mode 0700, was 0755)" in said
    assert f"store: made {data / DB_NAME} private (mode 0600, was 0644)" in said
    assert f"store: made {data / 'link-secret'} private (mode 0600, was 0644)" in said
