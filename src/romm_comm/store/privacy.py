"""DATA_DIR holds pending invite links, the download log and member ids: only the bot's own
user may read it (folder 0700, files 0600). Looser modes found at start are tightened, and
each change is logged once."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private(folder: Path, db_path: Path) -> None:
    """Create `folder` 0700 (or tighten it), tighten every file in it to 0600, and create
    the store's file 0600 so the files SQLite makes next to it (-wal, -shm) are too."""
    make_folder_private(folder)
    if not db_path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def make_folder_private(folder: Path) -> None:
    """Create `folder` 0700 (or tighten it) and tighten every file in it to 0600."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(folder, FOLDER_MODE)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                _tighten(Path(entry.path), FILE_MODE)


def _tighten(path: Path, wanted: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o077:
        return
    try:
        path.chmod(mode & wanted)
    except OSError as exc:
        log.warning(
            "store: %s is readable by others (mode %04o) and could not be made private: %s",
            path,
            mode,
            exc.strerror or exc,
        )
        return
    log.info("store: made %s private (mode %04o, was %04o)", path, mode & wanted, mode)
