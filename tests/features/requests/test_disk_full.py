"""A full disk while the bot runs: the person is told, the log has one line, nothing is
acknowledged that was not stored, and once there is room again everything works."""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from romm_comm.app.root import App
from romm_comm.core.cards import Reply
from romm_comm.testing.igdb_sim import IgdbSimulator
from romm_comm.testing.romm_sim import RommSimulator
from tests.conftest import settings_for

from .conftest import ALICE, ctx, igdb_settings, request_game, service


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, small file system (tmpfs) for DATA_DIR; needs the right to mount (root)."""
    where = tmp_path / "disk"
    where.mkdir()
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(  # noqa: S603 (fixed arguments)
        [mount, "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield where
    finally:
        subprocess.run([umount, "-l", str(where)], check=False)  # noqa: S603 (fixed arguments)


async def fill_the_disk(app: App, disk: Path) -> None:
    """Every free block taken; the store's write-ahead log emptied first (SQLite reuses the
    log's room, so a full disk shows at the first write that needs a new block)."""
    await app.services.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
        while True:
            filler.write(b"\0" * 4096)
            filler.flush()


def make_room(disk: Path) -> None:
    (disk / "filler").unlink()


async def try_request(app: App) -> Reply:
    """Walk the /request form; the first error answer, else the last answer."""
    c = ctx(app, ALICE)
    reply = await app.registry.run(c, "request", {"platform": "psx", "game": "xenogears"})
    while reply.tone != "error":
        if reply.picker is not None and reply.picker.action == "rom":
            onward = next(b for b in reply.buttons if b.label.startswith("Not there"))
            reply = await app.registry.act(c, onward.action)
        elif reply.picker is not None and reply.picker.action.endswith(":pick"):
            reply = await app.registry.act(c, reply.picker.action, ["1497"])
        else:
            send = next((b for b in reply.buttons if b.label == "Send request"), None)
            if send is None:
                return reply
            reply = await app.registry.act(c, send.action)
    return reply


async def test_a_full_disk_is_said_and_nothing_unsaved_is_acknowledged(
    sim: RommSimulator, igdb: IgdbSimulator, small_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(sim, small_disk, request_check_interval=0, **igdb_settings(igdb))
    rapp = await App.create(settings)
    try:
        await rapp.start()
        await _full_then_room(rapp, small_disk, caplog)
    finally:
        await rapp.close()


async def _full_then_room(rapp: App, small_disk: Path, caplog: pytest.LogCaptureFixture) -> None:
    await fill_the_disk(rapp, small_disk)
    caplog.clear()
    reply = await try_request(rapp)
    assert reply.tone == "error"
    assert reply.text.startswith("The bot's disk is full, so this was not saved.")
    assert await service(rapp).listing(statuses=[], user_key=None, limit=10) == []
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems and all(r.exc_info is None for r in problems)
    assert any("disk holding the bot's data is full" in r.getMessage() for r in problems)

    make_room(small_disk)
    done = await request_game(rapp, ALICE, "psx", "xenogears", igdb_id=1497)
    assert done.tone != "error"
    assert len(await service(rapp).listing(statuses=[], user_key=None, limit=10)) == 1
