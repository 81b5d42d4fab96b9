"""`romm-comm backup FILE`: a consistent copy of the store while the bot keeps running.

SQLite's online backup copies the database page by page under its own locking, so the copy
is whole even while the bot writes (copying the file with cp can catch it half-written).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TextIO

from .problems import StoreProblem, describe


def backup_store(source: Path, target: Path) -> int:
    """Copies `source` into `target` (0600, replaced atomically); returns the bytes written.

    Blocking: run it in a thread from async code.
    """
    if not source.is_file():
        raise StoreProblem(f"there is no store at {source} to back up (check DATA_DIR)")
    if target.is_dir():
        target = target / source.name
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise describe(target if isinstance(exc, OSError) else source, exc) from exc
    return target.stat().st_size


def run_backup(source: Path, target: Path, out: TextIO) -> int:
    try:
        size = backup_store(source, target)
    except StoreProblem as exc:
        print(f"Backup failed: {exc}.", file=out)
        return 1
    shown = target / source.name if target.is_dir() else target
    print(f"Backed up {source} to {shown} ({size} bytes).", file=out)
    print("Restore it by stopping the bot and putting it in place of that file.", file=out)
    return 0
