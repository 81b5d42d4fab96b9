"""Two bots on one DATA_DIR: the second is refused at start, naming the first's PID."""

from __future__ import annotations

import os
from pathlib import Path

from romm_comm.app.root import App
from romm_comm.store.lock import LOCK_NAME

from .test_damaged_store import _assert_one_sentence, _offline_settings, _shell


async def test_a_second_bot_on_the_same_data_dir_is_refused_with_the_first_pid(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = await App.create(_offline_settings(data))  # this process is the first bot
    try:
        code, stderr = await _shell(data)
    finally:
        await first.close()
    _assert_one_sentence(code, stderr, f"another RomM-ComM (PID {os.getpid()}) is already running")
    assert code == 1
    assert str(data) in stderr


async def test_the_lock_goes_with_the_bot_and_a_stale_file_does_not_block(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = await App.create(_offline_settings(data))
    assert (data / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    await first.close()
    (data / LOCK_NAME).write_text("999999\n")  # left by a bot killed with kill -9
    again = await App.create(_offline_settings(data))
    try:
        assert (data / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    finally:
        await again.close()
