"""A damaged or unusable data directory stops the bot at once: one sentence, a non-zero exit,
no traceback, no process left running (issue 19)."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr

from romm_comm.app.root import DB_NAME, App
from romm_comm.app.settings import Settings
from romm_comm.store.backup import backup_store
from romm_comm.store.db import Store
from romm_comm.store.problems import StoreProblem
from tests.helpers.processes import child_env

HANG_GUARD = 60  # seconds: only there so a regression fails instead of hanging the suite


def _env(data_dir: Path) -> dict[str, str]:
    # Nothing is contacted before the store opens: any address does.
    return child_env(
        ROMM_URL="http://127.0.0.1:9",
        ROMM_API_TOKEN="rmm_" + "0" * 64,
        DATA_DIR=str(data_dir),
        WEB_ENABLED="false",
    )


def _offline_settings(data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        romm_url="http://127.0.0.1:9",
        romm_api_token=SecretStr("rmm_" + "0" * 64),
        data_dir=data_dir,
        web_enabled=False,
    )


async def _shell(data_dir: Path) -> tuple[int, str]:
    pipes = {name: asyncio.subprocess.PIPE for name in ("stdin", "stdout", "stderr")}
    shell = (sys.executable, "-m", "romm_comm", "shell")
    proc = await asyncio.create_subprocess_exec(
        *shell, cwd=data_dir.parent, env=_env(data_dir), **pipes
    )
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(b"/platforms\n"), HANG_GUARD)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail("the bot was still running with a damaged store")
    assert proc.returncode is not None
    return proc.returncode, stderr.decode()


async def _filled_store(data_dir: Path) -> Path:
    store = await Store.open(data_dir / DB_NAME)
    for n in range(200):
        await store.set_json(f"k{n}", "x" * 400)
    await store.close()
    return data_dir / DB_NAME


def _assert_one_sentence(code: int, stderr: str, needle: str) -> None:
    assert code != 0
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], stderr
    assert lines[0].startswith("RomM-ComM cannot start: ")


async def test_a_half_truncated_store_stops_the_shell_with_one_sentence(tmp_path: Path) -> None:
    path = await _filled_store(tmp_path / "data")
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    code, stderr = await _shell(tmp_path / "data")
    _assert_one_sentence(code, stderr, "romm-comm.sqlite3 is damaged (")
    assert "restore a backup or move it away" in stderr


async def test_garbage_and_overwritten_pages_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / DB_NAME).write_bytes(b"this is not a database at all\n" * 200)
    code, stderr = await _shell(garbage)
    _assert_one_sentence(code, stderr, "is damaged (file is not a database)")

    path = await _filled_store(tmp_path / "pages")
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xa5" * (4096 * 3)  # pages in the middle overwritten
    path.write_bytes(bytes(data))
    code, stderr = await _shell(tmp_path / "pages")
    _assert_one_sentence(code, stderr, "is damaged (")


async def test_a_non_hex_link_secret_stops_the_shell_with_one_sentence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _filled_store(data)
    (data / "link-secret").write_text("z" * 64 + "\n")
    code, stderr = await _shell(data)
    _assert_one_sentence(code, stderr, "link-secret is damaged: delete it")


async def test_the_store_path_being_a_directory_or_newer_is_one_sentence(tmp_path: Path) -> None:
    data = tmp_path / "dir"
    (data / DB_NAME).mkdir(parents=True)
    code, stderr = await _shell(data)
    _assert_one_sentence(code, stderr, "is a directory, not the bot's data file")

    newer = tmp_path / "newer"
    newer.mkdir()
    raw = sqlite3.connect(newer / DB_NAME)
    raw.execute("PRAGMA user_version = 999")
    raw.commit()
    raw.close()
    code, stderr = await _shell(newer)
    _assert_one_sentence(code, stderr, "written by a newer RomM-ComM")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
async def test_a_read_only_data_dir_is_one_sentence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _filled_store(data)
    for name in os.listdir(data):
        if name != DB_NAME:
            (data / name).unlink()
    data.chmod(0o500)
    try:
        code, stderr = await _shell(data)
    finally:
        data.chmod(0o700)
    _assert_one_sentence(code, stderr, "is not writable by this user")


async def test_a_failing_later_step_closes_the_store(tmp_path: Path) -> None:
    (tmp_path / "link-secret").write_text("not hex at all, not hex at all, not hex\n")
    settings = _offline_settings(tmp_path)

    def sqlite_workers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if "_connection_worker" in t.name}

    before = sqlite_workers()
    with pytest.raises(StoreProblem, match="link-secret is damaged"):
        await App.create(settings)
    left = [t for t in sqlite_workers() - before if t.is_alive()]
    for thread in left:
        thread.join(HANG_GUARD)  # a closed connection's worker ends by itself
    assert [t for t in left if t.is_alive()] == []


async def test_a_zero_length_store_or_short_secret_is_replaced_with_a_loud_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / DB_NAME).write_bytes(b"")
    (tmp_path / "link-secret").write_text("abcd\n")
    settings = _offline_settings(tmp_path)
    caplog.set_level(logging.WARNING)
    app = await App.create(settings)
    await app.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("is empty (0 bytes)" in w and "everything the bot" in w for w in warnings)
    assert any("link-secret was too short" in w and "stops working" in w for w in warnings)


async def test_backup_copies_a_store_that_is_open_and_being_written(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / DB_NAME)
    await store.set_json("stats.last", {"roms": 12})
    target = tmp_path / "copies"
    target.mkdir()
    size = await asyncio.to_thread(backup_store, tmp_path / DB_NAME, target)
    await store.set_json("after", 1)
    await store.close()
    copy = target / DB_NAME
    assert size == copy.stat().st_size > 0
    assert copy.stat().st_mode & 0o777 == 0o600
    restored = await Store.open(copy)
    assert await restored.get_json("stats.last") == {"roms": 12}
    assert await restored.get_json("after") is None
    await restored.close()
